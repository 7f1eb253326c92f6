"""MkDocs hooks: figures drawn from the code (``sitekit.figures``).

A page with ``<!-- figure: autograd y "alt" -->`` or ``<!-- figure: modules net "alt" -->``
directives has its blocks run in order; each directive becomes an inline SVG of that
variable's computation graph or module tree, cached in .cache/figures by the page's code.
Runs on the page as written, before ``versions`` folds other versions' variants into notes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = str(Path(__file__).resolve().parents[2])  # MkDocs loads hooks by path: make `import sitekit` work
if ROOT not in sys.path:  # every rebuild of `mkdocs serve` loads the hooks again
    sys.path.insert(0, ROOT)

from sitekit import figures  # noqa: E402


def on_page_markdown(markdown, page, config, files):
    if not page.file.src_uri.endswith(".md") or "figure:" not in markdown:
        return markdown
    lang = "en" if page.file.src_uri.endswith(".en.md") else "zh"
    try:
        return figures.render_page(markdown, Path(page.file.abs_src_path), lang)
    except figures.FigureError as error:
        raise PluginError(f"figure: {error}") from error
