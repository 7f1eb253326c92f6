"""MkDocs hooks (listed under ``hooks:`` in mkdocs.yml)."""

from __future__ import annotations

import mkdocs.plugins


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
