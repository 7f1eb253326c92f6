"""MkDocs hooks: each version's site shows what that version of PyTorch prints.

The site is built with one supported torch installed (mike builds each version with its
own). For every group of version variants the page shows the block for that torch and
folds the others into a note; the changes page and the home page's "verified on" table
are generated from the variants and from ``verified/``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[2])  # MkDocs loads hooks by path: make `import sitekit` work
if ROOT not in sys.path:  # every rebuild of `mkdocs serve` loads the hooks again
    sys.path.insert(0, ROOT)

from sitekit import changes, variants, verified, versions  # noqa: E402


def page_language(page) -> str:
    return "en" if page.file.src_uri.endswith(".en.md") else "zh"


def on_page_markdown(markdown, page, config, files):
    if not page.file.src_uri.endswith(".md"):
        return markdown
    lang = page_language(page)
    path = Path(page.file.abs_src_path)
    docs_dir = Path(config.docs_dir)
    markdown = variants.render(markdown, path, versions.running(), lang)
    markdown = changes.replace_marker(markdown, docs_dir, path, lang)
    return verified.replace_marker(markdown, lang)
