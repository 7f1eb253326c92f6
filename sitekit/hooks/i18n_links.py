"""MkDocs hooks: the language switcher stays inside the current version under mike.

Listed under ``hooks:`` in mkdocs.yml; one file per concern (see sitekit/hooks/__init__.py).
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import urlsplit

import mkdocs.plugins

# Material reads each <link rel="alternate" hreflang> as a language root and fetches
# "<href>/sitemap.xml" from it; mkdocs-static-i18n points them at pages, so every page
# load logged two 404s. The visible switcher carries the per-page links; the head tags go.
_HEAD_ALTERNATE = re.compile(r'[ \t]*<link rel="alternate" href="[^"]*" hreflang="[\w-]+">\n?')
# The switcher's <a ... hreflang> links.
_SWITCHER_LINK = re.compile(r'href="(?P<link>/[^"]*)"(?P<rest> hreflang="[\w-]+")')


@mkdocs.plugins.event_priority(-110)  # after mkdocs-static-i18n's on_post_page (priority -100)
def on_post_page(output, page, config):
    """Keep the language switcher inside the current version under mike.

    mkdocs-static-i18n gives the home pages absolute switcher links built from
    ``site_url`` (``/en/``, or ``/2.13/en/`` when mike sets ``site_url`` to the
    version). Served under another prefix (``/latest/``), they leave the version.
    Rewritten relative to the page, they work under any version prefix or alias.
    """
    base = urlsplit(config.site_url or "/").path or "/"
    page_dir = posixpath.dirname("/" + page.url) if not page.url.endswith("/") else "/" + page.url

    def relative(match: re.Match) -> str:
        link = match.group("link")
        if not link.startswith(base):
            return match.group(0)
        target = "/" + link[len(base) :]
        rel = posixpath.relpath(target, page_dir.rstrip("/") or "/")
        rel = "./" if rel == "." else rel + ("/" if target.endswith("/") and not rel.endswith("/") else "")
        return f'href="{rel}"{match.group("rest")}'

    output = _HEAD_ALTERNATE.sub("", output)
    return _SWITCHER_LINK.sub(relative, output)
