"""A throwaway site in a temporary folder, run by the real engine in a pytest subprocess.

(torch cannot be imported twice in one process, so in-process pytester is not an option.)
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from sitekit import REPO_ROOT

CONFTEST = """\
import pathlib
import torch  # imported at collection, so no block's timeout pays for it
from sitekit.engine import make_sybil
pytest_plugins = ["sitekit.pytest_plugin"]
pytest_collect_file = make_sybil(path=str(pathlib.Path(__file__).parent / "docs")).pytest()
"""
INI = "[pytest]\naddopts = -p no:doctest -p no:cacheprovider -p no:xdist\ntimeout_method = signal\n"


def make_site(root: Path, pages: dict[str, str], git: bool = True) -> Path:
    (root / "docs").mkdir(exist_ok=True)
    (root / "conftest.py").write_text(CONFTEST, encoding="utf-8")
    (root / "pytest.ini").write_text(INI, encoding="utf-8")
    for name, text in pages.items():
        path = root / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    if git:
        subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    return root


def run_pytest(root: Path, *args: str, timeout: int = 5) -> subprocess.CompletedProcess:
    # Keep an existing PYTHONPATH (a GPU machine's wheels in .whl/site, see `make test-gpu-wheels`).
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])))
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-rA", "-o", f"timeout={timeout}", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
