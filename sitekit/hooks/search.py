"""MkDocs hooks: search in the reader's language, with Chinese words (``sitekit.search``).

Listed under ``hooks:`` in mkdocs.yml; one file per concern (see sitekit/hooks/__init__.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

import mkdocs.plugins

ROOT = str(Path(__file__).resolve().parents[2])  # MkDocs loads hooks by path: make `import sitekit` work
if ROOT not in sys.path:  # every rebuild of `mkdocs serve` loads the hooks again
    sys.path.insert(0, ROOT)

from sitekit import search  # noqa: E402

_assets: list[search.PatchedAsset] = []


def _languages(config) -> tuple[list[str], str | None]:
    """The built locales and the default one, from mkdocs-static-i18n's configuration."""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return [], None
    languages = [language for language in i18n.config.languages if language.build]
    default = next((language.locale for language in languages if language.default), None)
    return [language.locale for language in languages], default


def on_config(config):
    search.add_words_to_jieba(search.glossary_words(Path(config.docs_dir)))
    languages, default = _languages(config)
    others = {language: search.index_path(language, default) for language in languages if language != default}
    _assets[:] = search.patched_assets(config.theme.dirs, others)
    return config


def on_post_page(output, page, config):
    return search.rename_assets(output, _assets)


def on_post_template(output_content, template_name, config):
    return search.rename_assets(output_content, _assets)


@mkdocs.plugins.event_priority(-120)  # after mkdocs-static-i18n's on_post_build (-100) wrote the combined index
def on_post_build(config):
    site = Path(config.site_dir)
    search.write_assets(site, _assets)
    languages, default = _languages(config)
    if languages and (site / search.INDEX).exists():
        search.write_indexes(site, languages, default)
