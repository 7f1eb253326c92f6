"""MkDocs hooks: REPL blocks render as a Python console session (``sitekit.repl_render``).

The page sources keep ```` ```python ```` (the test engine reads them); only the Markdown
handed to MkDocs says ``pycon``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[2])  # MkDocs loads hooks by path: make `import sitekit` work
if ROOT not in sys.path:  # every rebuild of `mkdocs serve` loads the hooks again
    sys.path.insert(0, ROOT)

from sitekit.repl_render import mark_output_lines, pycon_fences  # noqa: E402


def on_page_markdown(markdown, page, config, files):
    return pycon_fences(markdown) if page.file.src_uri.endswith(".md") else markdown


def on_page_content(html, page, config, files):
    return mark_output_lines(html)
