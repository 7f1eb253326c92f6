"""MkDocs hooks: a line break inside Chinese prose does not render as a space (``sitekit.typography``)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[2])  # MkDocs loads hooks by path: make `import sitekit` work
if ROOT not in sys.path:  # every rebuild of `mkdocs serve` loads the hooks again
    sys.path.insert(0, ROOT)

from sitekit.typography import join_cjk_lines  # noqa: E402


def on_page_markdown(markdown, page, config, files):
    return join_cjk_lines(markdown) if page.file.src_uri.endswith(".zh.md") else markdown
