"""Publish versioned sites with mike: one site per supported PyTorch version.

    python -m sitekit.publish version                       # "2.15", the latest supported version
    python -m sitekit.publish deploy [--versions 2.13 2.15] [--push]

Each version is built by the MkDocs of its own environment, with that torch installed
(``sitekit.matrix`` makes the environments), so its pages, notebooks and figures show what
that version prints. The latest gets the alias ``latest``, which is the default, and its
404 page is copied to the root (``root_not_found_page``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
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
    log += root_not_found_page(cwd, push=push)
    return log


def _git(*args: str, cwd: Path, env: dict | None = None) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, env=env or _env(), capture_output=True, text=True, check=True)
    return result.stdout.strip()


def root_not_found_page(cwd: Path, branch: str = "gh-pages", push: bool = False) -> str:
    """Copy the latest version's 404.html to the root of ``branch``, next to versions.json.

    GitHub Pages shows the root's 404.html for every address that has no page, versions
    included; mike writes none there. The page's links are absolute (``/<version>/...``),
    so it works at any address. One commit on ``branch``, made without a checkout.
    """
    listed = json.loads(_git("show", f"{branch}:versions.json", cwd=cwd))
    latest = next((v["version"] for v in listed if ALIAS in v["aliases"]), None)
    if latest is None:
        return f"no version has the alias {ALIAS}: no root 404.html\n"
    blob = _git("rev-parse", f"{branch}:{latest}/404.html", cwd=cwd)
    with tempfile.TemporaryDirectory() as scratch:
        env = dict(_env(), GIT_INDEX_FILE=str(Path(scratch) / "index"))
        _git("read-tree", branch, cwd=cwd, env=env)
        _git("update-index", "--add", "--cacheinfo", f"100644,{blob},404.html", cwd=cwd, env=env)
        tree = _git("write-tree", cwd=cwd, env=env)
    if tree == _git("rev-parse", f"{branch}^{{tree}}", cwd=cwd):
        return "root 404.html is up to date\n"
    message = f"Root 404.html from {latest}"
    commit = _git("commit-tree", tree, "-p", branch, "-m", message, cwd=cwd)
    _git("update-ref", f"refs/heads/{branch}", commit, cwd=cwd)
    if push:
        _git("push", "origin", branch, cwd=cwd)
    return message + "\n"


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
        if args.push and not os.environ.get("SITE_URL"):
            # Pushed pages would name http://127.0.0.1:8000/ as their canonical address (README, "Publishing").
            parser.error("--push publishes the site: set SITE_URL to its address first")
        chosen = args.versions or list(versions.supported())
        deploy(push=args.push, chosen=chosen)
        print(
            f"deployed {', '.join(chosen)} (alias {ALIAS} -> {versions.latest()}); "
            "`make serve-versions` serves them at http://127.0.0.1:8000"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
