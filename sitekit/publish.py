"""Publish versioned sites with mike: one site per supported PyTorch version.

    python -m sitekit.publish version                       # "2.15", the latest supported version
    python -m sitekit.publish deploy [--versions 2.13 2.15] [--push]

Each version is built by the MkDocs of its own environment, with that torch installed
(``sitekit.matrix`` makes the environments), so its pages, notebooks and figures show what
that version prints. The latest gets the alias ``latest``, which is the default.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from . import REPO_ROOT, versions

ALIAS = "latest"
BOT = {"name": "pytorch-core-concepts docs bot", "email": "docs-bot@users.noreply.github.com"}


def documented_version() -> str:
    """The latest supported ``major.minor``, e.g. ``2.15`` (requirements/torch-versions.txt)."""
    return versions.latest()


def _env() -> dict[str, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    # mike runs `mkdocs` by name: make the one beside this interpreter win.
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    # mike commits to gh-pages; a fresh machine or CI may have no git identity.
    for role in ("AUTHOR", "COMMITTER"):
        env.setdefault(f"GIT_{role}_NAME", BOT["name"])
        env.setdefault(f"GIT_{role}_EMAIL", BOT["email"])
    return env


def mike(*args: str, cwd: Path, config: Path, python: Path | None = None, capture: bool = False) -> str:
    """Run the mike beside ``python`` (default: this interpreter); return its output when captured."""
    bindir = Path(python or sys.executable).parent
    command = [str(bindir / "mike"), *args, "--config-file", str(config)]
    env = _env()
    env["PATH"] = str(bindir) + os.pathsep + env["PATH"]
    result = subprocess.run(command, cwd=cwd, env=env, check=False, capture_output=capture, text=True)
    if result.returncode != 0:
        raise subprocess.CalledProcessError(result.returncode, command, result.stdout, result.stderr)
    return (result.stdout or "") + (result.stderr or "")


def deploy(
    cwd: Path = REPO_ROOT,
    config: Path = REPO_ROOT / "mkdocs.yml",
    push: bool = False,
    capture: bool = False,
    chosen: list[str] | None = None,
) -> str:
    """Deploy each chosen version (default: all supported) into ``cwd``'s gh-pages branch.

    Returns what mike and MkDocs printed when ``capture`` is set (the strict builds' warnings)."""
    from .matrix import ensure_env

    extra = ["--push"] if push else []
    log = ""
    for version in chosen or versions.supported():
        python = ensure_env(versions.releases()[version])
        aliases = ["--update-aliases", version, ALIAS] if version == versions.latest() else [version]
        log += mike("deploy", *extra, *aliases, cwd=cwd, config=config, python=python, capture=capture)
    log += mike("set-default", *extra, ALIAS, cwd=cwd, config=config, capture=capture)
    return log


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitekit.publish", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("version", help="print the documented version")
    deploy_parser = sub.add_parser("deploy", help="mike deploy this tree into the gh-pages branch")
    deploy_parser.add_argument("--push", action="store_true", help="also push gh-pages to its remote")
    deploy_parser.add_argument("--versions", nargs="*", help="X.Y versions (default: every supported one)")
    args = parser.parse_args(argv)
    if args.command == "version":
        print(documented_version())
    else:
        chosen = args.versions or list(versions.supported())
        deploy(push=args.push, chosen=chosen)
        print(
            f"deployed {', '.join(chosen)} (alias {ALIAS} -> {versions.latest()}); "
            "`make serve-versions` serves them at http://127.0.0.1:8000"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
