"""Notebook pairs (``x.zh.ipynb`` / ``x.en.ipynb``): their code cells and stored outputs."""

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
