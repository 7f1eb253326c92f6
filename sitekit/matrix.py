"""Every page block under every supported PyTorch: ``make test-matrix``.

    python -m sitekit.matrix [--versions 2.11 2.15] [--record]

Each supported release gets its own virtual environment outside the repository
(``$SITEKIT_ENVS``, default ``~/.cache/pytorch-core-concepts/envs/torch-<release>``), made
once from ``requirements/site.txt`` and the constraints with that torch, then reused. The
latest release runs in the interpreter that runs this (``.venv``, which pins it). Prints a
table version × passed/failed/skipped; exits 1 if any version failed. ``--record`` writes
each version's result to ``verified/<version>-cpu.json`` (the home page's "verified on").
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from . import REPO_ROOT, verified, versions

REQUIREMENTS = REPO_ROOT / "requirements"


class InstallError(RuntimeError):
    """A torch release could not be installed; the message says which and why."""


def envs_dir() -> Path:
    default = Path.home() / ".cache" / "pytorch-core-concepts" / "envs"
    return Path(os.environ.get("SITEKIT_ENVS", default)).expanduser()


def _constraints_without_torch(target: Path) -> Path:
    """The repository's constraints, less torch and the CUDA libraries that each torch release pins itself."""
    lines = (REQUIREMENTS / "constraints.txt").read_text(encoding="utf-8").splitlines()
    keep = [line for line in lines if not line.lower().startswith(("torch==", "nvidia-", "triton=="))]
    target.write_text("\n".join(keep) + "\n", encoding="utf-8")
    return target


def _fingerprint(release: str) -> str:
    digest = hashlib.sha256(release.encode())
    for name in ("site.txt", "snippets.txt", "constraints.txt"):
        digest.update((REQUIREMENTS / name).read_bytes())
    return digest.hexdigest()[:12]


def env_python(release: str) -> Path:
    """The interpreter that runs ``release``: this one for the pinned latest, else its own environment."""
    if release == versions.pinned_release() and versions.installed_release() == release:
        return Path(sys.executable)
    return envs_dir() / f"torch-{release}" / "bin" / "python"


def ensure_env(release: str, report=print) -> Path:
    """Create (once) and return the interpreter of ``release``'s environment."""
    python = env_python(release)
    if python == Path(sys.executable):
        return python
    env = python.parent.parent
    stamp = env / f".installed-{_fingerprint(release)}"
    if stamp.exists():
        return python
    report(f"creating {env} (torch=={release} and the site's requirements; once)")
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        constraints = _constraints_without_torch(Path(tmp) / "constraints.txt")
        site = ["-r", str(REQUIREMENTS / "site.txt"), "-c", str(constraints)]
        torch = [str(python), "-m", "pip", "install", "--quiet", f"torch=={release}"]
        uv = Path(sys.executable).parent / "uv"  # requirements/uv.txt, in .venv
        if uv.exists():
            # pip for torch (it takes a wheel the machine keeps on disk, where pip is set up to look),
            # uv for the rest: it downloads in parallel (56 s -> 37 s for torch 2.13 on 2 cores).
            result = subprocess.run([*torch, "-c", str(constraints)], capture_output=True, text=True)
            if result.returncode == 0:
                command = [str(uv), "pip", "install", "--quiet", "--compile-bytecode", "--python", str(python), *site]
                result = subprocess.run(command, capture_output=True, text=True)
        else:
            result = subprocess.run([*torch, *site], capture_output=True, text=True)
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-8:])
        raise InstallError(f"torch=={release} cannot be installed in {env}:\n{tail}")
    for old in env.glob(".installed-*"):
        old.unlink()
    stamp.touch()
    return python


@dataclass
class Result:
    release: str
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    seconds: float = 0.0
    output: str = ""

    @property
    def counts(self) -> dict[str, int]:
        return {"passed": self.passed, "failed": self.failed, "skipped": self.skipped}


def run_pages(
    python: Path, release: str, extra_env: dict[str, str] | None = None, args: tuple[str, ...] = ()
) -> Result:
    """Run every page block with ``python``; count from a JUnit report written outside the repository."""
    workers = os.environ.get("PYTEST_WORKERS", str(max(3, os.cpu_count() or 1)))
    with tempfile.TemporaryDirectory() as tmp:
        junit = Path(tmp) / "junit.xml"
        command = [str(python), "-m", "pytest", "docs", "-q", "-p", "no:cacheprovider", f"--junitxml={junit}", *args]
        if "no:xdist" not in args:
            command += ["-n", workers, "--dist", "loadfile"]
        env = dict(os.environ, OMP_NUM_THREADS="1", **(extra_env or {}))
        start = time.perf_counter()
        done = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
        result = Result(release, seconds=time.perf_counter() - start, output=done.stdout + done.stderr)
        if not junit.exists():
            result.failed = 1
            return result
        for suite in ET.parse(junit).getroot().iter("testsuite"):
            skipped = int(suite.get("skipped", 0))
            failed = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
            result.skipped += skipped
            result.failed += failed
            result.passed += int(suite.get("tests", 0)) - skipped - failed
    return result


def table(results: list[Result]) -> str:
    rows = [f"{'torch':<10} {'passed':>7} {'failed':>7} {'skipped':>8} {'seconds':>8}"]
    rows += [f"{r.release:<10} {r.passed:>7} {r.failed:>7} {r.skipped:>8} {r.seconds:>8.1f}" for r in results]
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitekit.matrix", description=__doc__.splitlines()[0])
    parser.add_argument("--versions", nargs="*", help="X.Y versions to run (default: every supported one)")
    parser.add_argument("--record", action="store_true", help="write verified/<version>-cpu.json for each run")
    parser.add_argument(
        "--ensure", nargs="*", metavar="X.Y", help="only make these versions' environments (default: the one tests use)"
    )
    args = parser.parse_args(argv)
    if args.ensure is not None:
        for version in args.ensure or [versions.TEST_SECOND_VERSION]:
            ensure_env(versions.releases()[version])
        return 0
    chosen = args.versions or list(versions.supported())
    unknown = [v for v in chosen if v not in versions.supported()]
    if unknown:
        print(f"not supported: {', '.join(unknown)} (supported: {', '.join(versions.supported())})", file=sys.stderr)
        return 2
    results = []
    for version in chosen:
        release = versions.releases()[version]
        try:
            python = ensure_env(release)
        except InstallError as error:
            print(error, file=sys.stderr)
            return 2
        result = run_pages(python, release)
        print(
            f"torch {release}: {result.passed} passed, {result.failed} failed, {result.skipped} skipped "
            f"in {result.seconds:.0f} s",
            flush=True,
        )
        if result.failed:
            print(result.output[-6000:])
        results.append(result)
        if args.record and not result.failed:
            machine = f"{platform.machine()}, {os.cpu_count()} CPUs"
            record = verified.make_record("cpu", release, machine, platform.python_version(), "docs", result.counts)
            print(f"recorded {verified.write(record).relative_to(REPO_ROOT)}")
    print()
    print(table(results))
    return 1 if any(r.failed for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
