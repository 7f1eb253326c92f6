"""Notebook pairs: twins carry the same code, are committed without outputs, and run to the end."""

import pytest

from sitekit import DOCS_DIR, parity
from sitekit.notebooks import execute, stored_outputs

NOTEBOOKS = sorted(DOCS_DIR.rglob("*.ipynb"))


def nb_id(path):
    return str(path.relative_to(DOCS_DIR))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=nb_id)
def test_notebook_runs_to_the_end(notebook, tmp_path):
    executed = execute(notebook, tmp_path, timeout=120)
    assert any(cell.get("outputs") for cell in executed.cells if cell.cell_type == "code")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=nb_id)
def test_notebook_is_committed_without_outputs(notebook):
    assert stored_outputs(notebook) == [], "clear the outputs: figures come from the build, never from the file"


@pytest.mark.parametrize("notebook", [n for n in NOTEBOOKS if n.name.endswith(".zh.ipynb")], ids=nb_id)
def test_notebook_twins_match(notebook):
    twin = parity.twin_of(notebook)
    assert twin.exists(), f"{notebook} has no twin: {twin} is missing"
    problems = parity.compare_notebooks(notebook, twin)
    assert not problems, "\n".join(map(str, problems))


def test_a_failing_cell_fails(tmp_path):
    import nbformat
    from nbclient.exceptions import CellExecutionError

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("assert 1 == 2, 'boom'")])
    path = tmp_path / "bad.zh.ipynb"
    nbformat.write(notebook, str(path))
    with pytest.raises(CellExecutionError, match="boom"):
        execute(path, tmp_path, timeout=30)
