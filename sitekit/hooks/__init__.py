"""MkDocs hooks, one file per concern, each listed under ``hooks:`` in mkdocs.yml.

- ``notebooks``: notebook pairs are executed at build time (per-cell timeout, shared cache).
- ``i18n_links``: the language switcher stays inside the current version under mike.
- ``versions``: each version's site shows that version's outputs; the changes page and the
  "verified on" table are generated.
- ``typography``: a line break inside Chinese prose does not render as a space.

The logic lives in plain modules of ``sitekit`` (tested without MkDocs); hooks only call it.
"""
