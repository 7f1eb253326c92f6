"""MkDocs hooks: notebooks are executed at build time, with a per-cell timeout and a cache.

Listed under ``hooks:`` in mkdocs.yml; one file per concern (see sitekit/hooks/__init__.py).
"""

from __future__ import annotations

import os
from pathlib import Path

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
