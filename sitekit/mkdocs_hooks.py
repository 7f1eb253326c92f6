"""MkDocs hooks (listed under ``hooks:`` in mkdocs.yml)."""

from __future__ import annotations

import os
import posixpath
import re
from pathlib import Path
from urllib.parse import urlsplit

import mkdocs.plugins

NOTEBOOK_CELL_TIMEOUT = int(os.environ.get("SITEKIT_NOTEBOOK_CELL_TIMEOUT", "120"))


def on_config(config):
    """A notebook cell that hangs fails the build after NOTEBOOK_CELL_TIMEOUT seconds.

    mkdocs-jupyter runs nbconvert's ExecutePreprocessor with no timeout (it waits
    forever) and has no option for one: wrap the function that configures it.
    """
    from mkdocs_jupyter import nbconvert2

    if not getattr(nbconvert2.get_nbconvert_app, "sitekit_timeout", False):
        original = nbconvert2.get_nbconvert_app

        def get_nbconvert_app(*args, **kwargs):
            app = original(*args, **kwargs)
            app.config["ExecutePreprocessor"]["timeout"] = NOTEBOOK_CELL_TIMEOUT
            return app

        get_nbconvert_app.sitekit_timeout = True
        nbconvert2.get_nbconvert_app = get_nbconvert_app
    return config


@mkdocs.plugins.event_priority(-110)  # after mkdocs-jupyter's own on_pre_build
def on_pre_build(config):
    """Keep executed notebooks cached across languages.

    mkdocs-jupyter caches each executed notebook (keyed by its content) and, after a
    build, evicts the entries that build did not use. mkdocs-static-i18n builds one
    language after the other, so each language evicted the other's entry and every
    build re-ran both notebooks. Entries are kept; `make clean` removes the cache.
    """
    plugin = config.plugins.get("mkdocs-jupyter")
    if plugin is not None and plugin.config["cache"]:
        plugin._used_cache_paths.update(Path(plugin.config["cache_dir"]).glob("*.json"))


@mkdocs.plugins.event_priority(-110)  # after mkdocs-static-i18n's on_files (priority -100)
def on_files(files, config):
    """Let mkdocs-jupyter execute the ``*.zh.ipynb`` / ``*.en.ipynb`` pairs.

    mkdocs-static-i18n rebuilds every file of the suffix layout as a plain ``File``;
    for a notebook that drops mkdocs-jupyter's wrapper, so the notebook is copied as
    a media file to ``.../index.html`` and never executed (mkdocs-static-i18n #198,
    #135). Marking the rebuilt file as a documentation page again makes MkDocs create
    a page for it, whose rendering mkdocs-jupyter then takes over (and executes).
    """
    for file in files:
        if file.src_uri.endswith(".ipynb"):
            file.is_documentation_page = lambda: True
    return files


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
