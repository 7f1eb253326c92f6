"""MkDocs hooks: notebooks are executed at build time, with a per-cell timeout and a cache,
and their pages read like the Markdown pages (``sitekit.notebooks.clean_html``), with a
language switcher that leads to the same notebook in the other language.

Listed under ``hooks:`` in mkdocs.yml; one file per concern (see sitekit/hooks/__init__.py).
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import mkdocs.plugins

ROOT = str(Path(__file__).resolve().parents[2])  # MkDocs loads hooks by path: make `import sitekit` work
if ROOT not in sys.path:  # every rebuild of `mkdocs serve` loads the hooks again
    sys.path.insert(0, ROOT)

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
    _cache_per_torch(config)
    return config


def _cache_per_torch(config) -> None:
    """One notebook cache per torch release and set of pins, beside mkdocs.yml.

    mkdocs-jupyter keys its cache by the notebook and its options, not by what runs it: mike
    builds every version in the same folder, and the latest version's notebook page showed what
    the version built before it had printed (``2.13.0+cpu`` on the 2.15 site). The folder also
    names the pins (requirements/constraints.txt: matplotlib draws the figures). Its default path
    is relative to the working directory: anchored beside mkdocs.yml, the test suite's builds
    (mike, run in a scratch repository) share it with `make build` and `make serve`.
    """
    from sitekit import versions

    plugin = config.plugins.get("mkdocs-jupyter")
    if plugin is None or not plugin.config["cache"]:
        return
    root = Path(config.config_file_path).parent
    pins = root / "requirements" / "constraints.txt"
    stamp = hashlib.sha256(pins.read_bytes()).hexdigest()[:12] if pins.exists() else "unpinned"
    folder = f"torch-{versions.installed_release() or 'none'}-{stamp}"
    cache_dir = Path(plugin.config["cache_dir"])
    if cache_dir.name != folder:
        plugin.config["cache_dir"] = str(root / cache_dir / folder)


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


def on_page_content(html, page, config, files):
    """A notebook page reads like the Markdown pages (``sitekit.notebooks.clean_html``).

    Headings get the site's ids (nbconvert gave Chinese titles empty ones, so the table of
    contents and the skip link pointed nowhere), and the table of contents follows them."""
    if not page.file.src_uri.endswith(".ipynb"):
        return html
    from sitekit import notebooks

    lang = "en" if ".en." in page.file.src_uri else "zh"
    slugify = config.mdx_configs.get("toc", {}).get("slugify") or _default_slugify
    alts = notebooks.figure_alt_texts(Path(page.file.abs_src_path), lang)
    html, headings = notebooks.clean_html(html, slugify, alts)
    links = list(_walk(page.toc))
    ids = iter(headings)
    for link in links:
        for level, _text, slug in ids:
            if level == link.level:
                link.id = slug
                break
    return html


def _walk(links):
    for link in links:
        yield link
        yield from _walk(link.children)


def _default_slugify(text, separator):
    from markdown.extensions.toc import slugify

    return slugify(text, separator)


def on_page_context(context, page, config, nav):
    """The language switcher of a notebook page leads to the same page in the other language.

    mkdocs-static-i18n pairs pages when it sorts the files, before ``on_files`` above makes the
    notebooks pages: it knows no other language of them, and its switcher led to the home page.
    """
    if not page.file.src_uri.endswith(".ipynb"):
        return context
    from sitekit import downloads, parity

    twin = parity.twin_of(Path(page.file.abs_src_path))
    if twin is None or not twin.exists():
        return context
    this = "en" if ".en." in page.file.src_uri else "zh"
    # mkdocs-static-i18n sets the attribute for each page (the item keeps the home pages' links).
    for alternate in getattr(config.extra, "alternate", None) or []:
        if alternate.get("lang") == this:
            alternate["link"] = page.url
        elif alternate.get("lang") in ("zh", "en"):
            src = page.file.src_uri.replace(f".{this}.", f".{alternate['lang']}.")
            alternate["link"] = downloads.page_url(src)
    return context
