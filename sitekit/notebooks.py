"""Notebook pairs (``x.zh.ipynb`` / ``x.en.ipynb``): their code cells and stored outputs."""

from __future__ import annotations

import io
import itertools
import json
import tokenize
from pathlib import Path

from .blocks import strip_comments

# A code cell tagged "labels" holds the words a figure shows (titles, axes, legends), which are
# in the page's language: twins may differ there in their strings' values, nothing else.
LABELS_TAG = "labels"


def words_blanked(code: str) -> str:
    """The code with every string that is not a dict key replaced by "…": keys and structure remain."""
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(code).readline) if t.type != tokenize.COMMENT]
    significant = [t for t in tokens if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT)]
    keys = {id(t) for t, n in itertools.pairwise(significant) if t.type == tokenize.STRING and n.string == ":"}
    return " ".join('"…"' if t.type == tokenize.STRING and id(t) not in keys else t.string for t in significant)


def code_cells(path: Path) -> list[str]:
    """Each code cell's source with comments and blank lines removed (a "labels" cell: its words blanked)."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code":
            source = cell.get("source", "")
            code = "".join(source) if isinstance(source, list) else source
            if LABELS_TAG in cell.get("metadata", {}).get("tags", []):
                cells.append(f"[{LABELS_TAG}] " + words_blanked(code))
            else:
                cells.append(strip_comments(code))
    return cells


def stored_outputs(path: Path) -> list[int]:
    """Indexes of code cells that carry outputs (notebooks are committed without them)."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in notebook.get("cells", []) if c.get("cell_type") == "code"]
    return [i for i, cell in enumerate(code) if cell.get("outputs") or cell.get("execution_count")]
