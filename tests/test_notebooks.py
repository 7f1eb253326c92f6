"""Notebook pairs: twins carry the same code and are committed without outputs.

They are executed where their figures are made: by the site build that
tests/published_site.py runs (mkdocs-jupyter with `execute: true`,
`allow_errors: false`, and a per-cell timeout set in sitekit/hooks/notebooks.py).
So a failing or hanging cell fails `make test`; the last test shows the hang.
"""

import json
import os
import shutil
import subprocess
import sys

import pytest

from sitekit import DOCS_DIR, REPO_ROOT, parity
from sitekit.notebooks import stored_outputs

NOTEBOOKS = sorted(DOCS_DIR.rglob("*.ipynb"))


def nb_id(path):
    return str(path.relative_to(DOCS_DIR))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=nb_id)
def test_notebook_is_committed_without_outputs(notebook):
    assert stored_outputs(notebook) == [], "clear the outputs: figures come from the build, never from the file"


@pytest.mark.parametrize("notebook", [n for n in NOTEBOOKS if n.name.endswith(".zh.ipynb")], ids=nb_id)
def test_notebook_twins_match(notebook):
    twin = parity.twin_of(notebook)
    assert twin.exists(), f"{notebook} has no twin: {twin} is missing"
    problems = parity.compare_notebooks(notebook, twin)
    assert not problems, "\n".join(map(str, problems))


def test_the_build_executes_notebooks_and_fails_on_errors():
    config = (REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    jupyter = config[config.index("- mkdocs-jupyter:") :].split("\n  - ")[0]
    assert "execute: true" in jupyter and "allow_errors: false" in jupyter


@pytest.mark.timeout(120)
def test_a_hanging_cell_fails_the_build_and_is_named(tmp_path):
    config = (REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config[: config.index("\nnav:")] + "\nnav:\n  - lab/hang.ipynb\n"
    config = config.replace("  - sitekit/hooks/", f"  - {REPO_ROOT}/sitekit/hooks/")
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copytree(DOCS_DIR / "assets", tmp_path / "docs" / "assets")
    shutil.copytree(REPO_ROOT / "overrides", tmp_path / "overrides")  # theme.custom_dir
    (tmp_path / "docs" / "lab").mkdir()
    cell = {"cell_type": "code", "id": "c1", "metadata": {}, "execution_count": None, "outputs": []}
    for lang in ("zh", "en"):
        notebook = {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
            "cells": [dict(cell, source="import time\ntime.sleep(600)")],
        }
        (tmp_path / "docs" / "lab" / f"hang.{lang}.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    env = dict(os.environ, SITEKIT_NOTEBOOK_CELL_TIMEOUT="2", NO_MKDOCS_2_WARNING="1")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "site")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=100,
    )
    assert result.returncode != 0
    assert "lab/hang.zh.ipynb" in result.stderr and "timed out" in result.stderr


def test_a_labels_cell_may_differ_only_in_its_words(tmp_path):
    def notebook(name, labels_source, tags=("labels",)):
        cell = {"cell_type": "code", "metadata": {"tags": list(tags)}, "outputs": [], "execution_count": None}
        data = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [dict(cell, source=labels_source)]}
        path = tmp_path / name
        path.write_text(json.dumps(data), encoding="utf-8")
        return path

    zh = notebook("n.zh.ipynb", 'LABELS = {"x": "步数", "y": ["输入", "输出"]}')
    assert parity.compare_notebooks(zh, notebook("n.en.ipynb", 'LABELS = {"x": "step", "y": ["in", "out"]}')) == []
    # a different key, or different code, is still a difference
    assert parity.compare_notebooks(zh, notebook("n.en.ipynb", 'LABELS = {"x_axis": "step", "y": ["in", "out"]}'))
    assert parity.compare_notebooks(zh, notebook("n.en.ipynb", 'LABELS = {"x": "step", "y": ["in", "out"]}; n = 1'))
    # without the tag, words must match like any code
    assert parity.compare_notebooks(zh, notebook("n.en.ipynb", 'LABELS = {"x": "step", "y": ["in", "out"]}', tags=()))
