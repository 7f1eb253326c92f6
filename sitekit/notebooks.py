"""Notebook pairs (``x.zh.ipynb`` / ``x.en.ipynb``): their code cells, and running them."""

from __future__ import annotations

import json
from pathlib import Path

from .blocks import strip_comments


def code_cells(path: Path) -> list[str]:
    """Each code cell's source with comments and blank lines removed."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code":
            source = cell.get("source", "")
            cells.append(strip_comments("".join(source) if isinstance(source, list) else source))
    return cells


def stored_outputs(path: Path) -> list[int]:
    """Indexes of code cells that carry outputs (notebooks are committed without them)."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in notebook.get("cells", []) if c.get("cell_type") == "code"]
    return [i for i, cell in enumerate(code) if cell.get("outputs") or cell.get("execution_count")]


def execute(path: Path, workdir: Path, timeout: int = 120):
    """Run every cell in ``workdir``; a failing cell raises, a hanging cell times out."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(str(path), as_version=4)
    client = NotebookClient(
        notebook, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(workdir)}}
    )
    client.execute()
    return notebook
