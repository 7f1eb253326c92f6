"""The site as readers get it, built once per test run and shared by every worker.

mike deploys the current tree (the same strict MkDocs build as `make build`, both
languages, notebooks executed) into a scratch git repository, never this one, twice:
as the latest version with this environment's torch, and as a second supported version
(``SECOND_VERSION``) with that version's own torch, so version switching is tested
between two really built sites. The
gh-pages branch is then unpacked for the file-level checks and served for the
browser tests. pytest-xdist workers share the one build through a file lock, and
the build starts in the background as soon as a run's collected tests need it,
so it overlaps with the pages' tests instead of waiting for them.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import tarfile
import threading
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock

from sitekit import publish, versions

SECOND_VERSION = versions.TEST_SECOND_VERSION
# The site as the docs workflow publishes it (README, "Publishing"): at an address, with its repository,
# so canonical links, the sitemap, edit links and "Open in Colab" are built as readers get them.
PUBLISHED_ENV = {
    "SITE_URL": "https://docs.example.test/",
    "SITE_REPO_URL": "https://github.com/example/pytorch-core-concepts",
}


@dataclass
class Published:
    repo: Path  # a git repository whose gh-pages branch holds the deployed site
    root: Path  # that branch unpacked: versions.json, 2.15/, 2.13/, latest/ ...
    version: str  # the latest version
    other: str  # the second version
    log: str  # what mike and MkDocs printed
    error: str | None = None

    @property
    def site(self) -> Path:
        """The documented version's site (zh at its root, en under en/)."""
        return self.root / self.version


def _build(target: Path) -> dict:
    repo = target / "repo"
    repo.mkdir(parents=True)
    env = publish._env()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(["git", "commit", "-q", "--allow-empty", "-m", "scratch"], cwd=repo, env=env, check=True)
    saved = {name: os.environ.get(name) for name in PUBLISHED_ENV}
    os.environ.update(PUBLISHED_ENV)  # mike runs MkDocs with this process's environment
    try:
        log = publish.deploy(cwd=repo, capture=True, chosen=[SECOND_VERSION, versions.latest()])
    except subprocess.CalledProcessError as error:
        return {"error": f"mike deploy failed ({error.returncode}):\n{error.stdout}\n{error.stderr}"[-6000:]}
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    archive = subprocess.run(["git", "archive", "gh-pages"], cwd=repo, check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target / "root", filter="data")
    return {"log": log}


def get(base: Path) -> Published:
    """Build under ``base`` unless another worker already did; then return the result."""
    target = base / "published"
    with FileLock(str(base / "published.lock")):
        marker = target / "result.json"
        if not marker.exists():
            result = _build(target)
            marker.write_text(json.dumps(result), encoding="utf-8")
        result = json.loads(marker.read_text(encoding="utf-8"))
    return Published(
        repo=target / "repo",
        root=target / "root",
        version=publish.documented_version(),
        other=SECOND_VERSION,
        log=result.get("log", ""),
        error=result.get("error"),
    )


_background: list[threading.Thread] = []


def start_in_background(base: Path) -> None:
    """Start ``get(base)`` in a thread; the lock makes later callers wait for it."""
    thread = threading.Thread(target=get, args=(base,), name="published-site", daemon=True)
    thread.start()
    _background.append(thread)


def wait_for_background() -> None:
    """Let a started build finish (never leave mike or MkDocs running after the session)."""
    for thread in _background:
        thread.join()
