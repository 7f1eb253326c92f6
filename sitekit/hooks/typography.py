"""MkDocs hooks: a line break inside Chinese prose does not render as a space (``sitekit.typography``)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sitekit.typography import join_cjk_lines  # noqa: E402


def on_page_markdown(markdown, page, config, files):
    return join_cjk_lines(markdown) if page.file.src_uri.endswith(".zh.md") else markdown
