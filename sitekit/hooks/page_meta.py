"""MkDocs hooks: each page's description and last update (git), and its edit link (``sitekit.page_meta``).

- ``<meta name="description">``: the page's first paragraph.
- "Last update": the date of the last commit that touched the page's source (shown by Material
  under the page, and the sitemap's ``lastmod``); a page not committed yet has none.
- Edit links (``edit_uri``) need ``repo_url``; without it (``SITE_REPO_URL`` unset) there are none.
"""

from __future__ import annotations

import sys
from html import escape
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[2])  # MkDocs loads hooks by path: make `import sitekit` work
if ROOT not in sys.path:  # every rebuild of `mkdocs serve` loads the hooks again
    sys.path.insert(0, ROOT)

from sitekit import page_meta  # noqa: E402


def on_config(config):
    if not config.repo_url:
        config.edit_uri = None  # edit links would have nowhere to point
    return config


def on_page_content(html, page, config, files):
    lang = "en" if ".en." in page.file.src_uri else "zh"
    if not page.meta.get("description"):
        found = page_meta.description(html, lang)
        if found:  # the theme writes it into an attribute as it is (MkDocs' templates do not escape)
            page.meta["description"] = escape(found, quote=True)
    source = Path(page.file.abs_src_path)
    try:
        key = source.resolve().relative_to(page_meta.REPO_ROOT).as_posix()
    except ValueError:
        key = None
    date = page_meta.git_dates().get(key) if key else None
    if date:
        page.meta["revision_date"] = date
        page.update_date = date
    return html
