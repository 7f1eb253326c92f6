"""MkDocs hooks, one file per concern, each listed under ``hooks:`` in mkdocs.yml.

- ``live_preview``: `make serve` rebuilds only the saved pages (``--dirty``) without strict mode
  failing on MkDocs's warning about it.
- ``notebooks``: notebook pairs are executed at build time (per-cell timeout, shared cache); their
  pages drop JupyterLab's stylesheet, get the site's heading ids, code blocks and figure alt texts,
  and a language switcher that leads to the same notebook (``sitekit.notebooks``).
- ``i18n_links``: the language switcher stays inside the current version under mike.
- ``figures``: ``<!-- figure: autograd y "alt" -->`` after a block becomes an inline SVG of that
  tensor's computation graph (or ``modules net``: a module tree), drawn from the page's code run at build.
- ``versions``: each version's site shows that version's outputs; the changes page and the
  "verified on" table are generated.
- ``typography``: a line break inside Chinese prose does not render as a space.
- ``search``: each language searches its own pages, from a compact index loaded on first use;
  Chinese queries are cut into words (``sitekit.search``).
- ``not_found``: one 404 page per version, in both languages, whose search works
  (overrides/404.html; ``sitekit.publish`` copies the latest one to the site root).
- ``downloads``: each page as a notebook and a script next to it, linked under its title (with
  "Open in Colab"); the helper modules published and noted; the home page's install line.
- ``page_meta``: each page's description and last update (git); edit links only with ``repo_url``.

The logic lives in plain modules of ``sitekit`` (tested without MkDocs); hooks only call it.
"""
