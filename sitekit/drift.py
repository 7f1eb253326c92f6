"""Check a PyTorch release against the pages: ``make drift TORCH=2.16.0``.

    python -m sitekit.drift 2.16.0            # install it aside, run every page, report each differing block
    python -m sitekit.drift --accept 2.16.0   # record the differences as version variants (and support it)

The release gets its own environment outside the repository (``sitekit.matrix``). A release
that is not supported yet stands in for the latest one (``SITEKIT_DRIFT=1``), so every block
that prints something else is reported with its page, line and diff, and nothing in the
repository changes. ``--accept`` reruns the pages in update mode: each differing block keeps
its outputs for the other versions and gains a ``<!-- torch: X.Y -->`` variant for this one;
a new release is added to ``requirements/torch-versions.txt``. Review the diff, then run
``make test-matrix``.
"""

from __future__ import annotations

import argparse
import re
import sys

from . import versions
from .matrix import InstallError, ensure_env, run_pages

RELEASE_RE = re.compile(r"^\d+\.\d+\.\d+$")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitekit.drift", description=__doc__.splitlines()[0])
    parser.add_argument("release", help="a torch release, e.g. 2.16.0")
    parser.add_argument("--accept", action="store_true", help="record the differences as version variants")
    args = parser.parse_args(argv)
    if not RELEASE_RE.match(args.release or ""):
        print(f"TORCH='{args.release}' is not a release like 2.16.0 (make drift TORCH=2.16.0)", file=sys.stderr)
        return 2
    try:
        python = ensure_env(args.release)
    except InstallError as error:
        print(f"drift: {error}", file=sys.stderr)
        return 2
    version = versions.minor_of(args.release)
    stand_in = "" if version in versions.supported() else f" (checked against {versions.stand_in(version)}'s outputs)"
    extra = {versions.DRIFT_ENV: "1"}
    if args.accept:
        result = run_pages(python, args.release, extra, ("-p", "no:xdist", "--update-outputs", "--record-variants"))
        print(result.output[-8000:])
        print(
            f"drift --accept: torch {args.release}{stand_in}: variants recorded; review `git diff`, "
            "then run `make test-matrix`"
        )
        return 0 if result.failed == 0 else 1
    result = run_pages(python, args.release, extra)
    differing = sorted(set(re.findall(r"^(docs/\S+?:\d+): output differs", result.output, re.M)))
    print(result.output[-20000:] if result.failed else "")
    print(
        f"drift: torch {args.release}{stand_in}: {result.passed} passed, {result.failed} failed, "
        f"{result.skipped} skipped"
    )
    if differing:
        print(f"{len(differing)} block(s) print something else:")
        print("\n".join(f"  {where}" for where in differing))
        print(f"To record them as version variants: make drift-accept TORCH={args.release}")
    return 1 if result.failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
