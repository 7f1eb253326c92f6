"""MkDocs hooks: every page downloads as a notebook and a script; running the code yourself.

- Next to each built page: ``<name>.<lang>.ipynb`` and ``<name>.<lang>.py`` (``sitekit.downloads``,
  for the torch the site is built with), linked in a line under the page's title, with "Open in
  Colab" when ``repo_url`` is a GitHub repository (the notebook as mike publishes it on gh-pages).
  A notebook page publishes its own ``.ipynb`` (mkdocs-jupyter's ``include_source``) and a script.
- The helper modules the pages import (``snippets/*.py``) are published at the site's root; a note
  before the first block that imports one says so and links it.
- ``<!-- install-line -->`` (the home page) becomes the pip command for the torch being built.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import mkdocs.plugins

ROOT = str(Path(__file__).resolve().parents[2])  # MkDocs loads hooks by path: make `import sitekit` work
if ROOT not in sys.path:  # every rebuild of `mkdocs serve` loads the hooks again
    sys.path.insert(0, ROOT)

from sitekit import REPO_ROOT, downloads, versions  # noqa: E402

_H1_END = re.compile(r"</h1>")


def _line(page, config) -> str:
    source = Path(page.file.abs_src_path)
    notebook_name, script_name = downloads.download_names(source)
    colab = downloads.colab_url(config.repo_url, versions.running(), page.url, notebook_name)
    return downloads.download_line(downloads.language_of(source), notebook_name, script_name, colab)


@mkdocs.plugins.event_priority(-50)  # after the versions hook: the page as this version shows it
def on_page_markdown(markdown, page, config, files):
    if not page.file.src_uri.endswith(".md"):
        return markdown
    lang = downloads.language_of(Path(page.file.src_uri))
    markdown = downloads.replace_install_marker(markdown)
    markdown = downloads.add_snippet_notes(markdown, lang, page.url)
    return downloads.add_after_title(markdown, _line(page, config))


def on_page_content(html, page, config, files):
    """A notebook page (rendered by mkdocs-jupyter, no Markdown) gets its line after the title."""
    if page.file.src_uri.endswith(".ipynb"):
        match = _H1_END.search(html)
        at = match.end() if match else 0
        html = html[:at] + "\n" + _line(page, config) + "\n" + html[at:]
    return html


def _base_url(config) -> str | None:
    """The published site's root, for the links inside the notebooks (None for a local build)."""
    from sitekit import page_meta

    return config.site_url.rstrip("/") + "/" if page_meta.published(config.site_url) else None


def on_post_page(output, page, config):
    source = Path(page.file.abs_src_path)
    if source.suffix not in (".md", ".ipynb"):
        return output
    made = downloads.build(source, base_url=_base_url(config), docs_dir=Path(config.docs_dir))
    folder = Path(page.file.abs_dest_path).parent
    folder.mkdir(parents=True, exist_ok=True)
    if made.notebook is not None:
        (folder / made.notebook_name).write_text(made.notebook, encoding="utf-8")
    (folder / made.script_name).write_text(made.script, encoding="utf-8")
    for module in made.snippets:
        target = Path(config.site_dir) / "snippets" / f"{module}.py"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO_ROOT / "snippets" / f"{module}.py", target)
    return output
