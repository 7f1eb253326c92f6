"""Publish versioned sites with mike: one version per documented PyTorch minor release.

    python -m sitekit.publish version         # "2.13", read from the torch pin
    python -m sitekit.publish deploy [--push]  # mike deploy --update-aliases 2.13 latest; default: latest

The version is read from ``requirements/snippets.txt`` so it is never typed twice.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

from . import REPO_ROOT

ALIAS = "latest"
BOT = {"name": "pytorch-core-concepts docs bot", "email": "docs-bot@users.noreply.github.com"}


def documented_version(requirements: Path = REPO_ROOT / "requirements" / "snippets.txt") -> str:
    """The ``major.minor`` of the pinned torch, e.g. ``2.13``."""
    match = re.search(r"^torch==(\d+)\.(\d+)\.", requirements.read_text(encoding="utf-8"), re.M)
    if not match:
        raise SystemExit(f"{requirements}: no 'torch==X.Y.Z' pin found")
    return f"{match.group(1)}.{match.group(2)}"


def _env() -> dict[str, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    # mike runs `mkdocs` by name: make the one beside this interpreter win.
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    # mike commits to gh-pages; a fresh machine or CI may have no git identity.
    for role in ("AUTHOR", "COMMITTER"):
        env.setdefault(f"GIT_{role}_NAME", BOT["name"])
        env.setdefault(f"GIT_{role}_EMAIL", BOT["email"])
    return env


def mike(*args: str, cwd: Path, config: Path, capture: bool = False) -> str:
    """Run mike; its output is returned when captured (a failure raises with it attached)."""
    command = [str(Path(sys.executable).parent / "mike"), *args, "--config-file", str(config)]
    result = subprocess.run(command, cwd=cwd, env=_env(), check=False, capture_output=capture, text=True)
    if result.returncode != 0:
        raise subprocess.CalledProcessError(result.returncode, command, result.stdout, result.stderr)
    return (result.stdout or "") + (result.stderr or "")


def deploy(
    cwd: Path = REPO_ROOT, config: Path = REPO_ROOT / "mkdocs.yml", push: bool = False, capture: bool = False
) -> str:
    """Deploy this tree as ``<version>`` with alias ``latest`` into ``cwd``'s gh-pages branch.

    Returns what mike and MkDocs printed when ``capture`` is set (the strict build's warnings)."""
    version = documented_version()
    extra = ["--push"] if push else []
    log = mike("deploy", "--update-aliases", *extra, version, ALIAS, cwd=cwd, config=config, capture=capture)
    log += mike("set-default", *extra, ALIAS, cwd=cwd, config=config, capture=capture)
    return log


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitekit.publish", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("version", help="print the documented version")
    deploy_parser = sub.add_parser("deploy", help="mike deploy this tree into the gh-pages branch")
    deploy_parser.add_argument("--push", action="store_true", help="also push gh-pages to its remote")
    args = parser.parse_args(argv)
    if args.command == "version":
        print(documented_version())
    else:
        deploy(push=args.push)
        print(
            f"deployed {documented_version()} (alias {ALIAS}); `make serve-versions` serves it at http://127.0.0.1:8000"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
