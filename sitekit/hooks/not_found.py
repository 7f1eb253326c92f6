"""MkDocs hooks: one 404 page per version, in both languages, whose search works (overrides/404.html).

Listed under ``hooks:`` in mkdocs.yml; one file per concern (see sitekit/hooks/__init__.py).
"""

from __future__ import annotations

import re

# Material fetches "<href>/sitemap.xml" for each <link rel="alternate" hreflang> in the head
# (see i18n_links.py, which drops them from the pages): the 404 page drops them too.
_HEAD_ALTERNATE = re.compile(r'[ \t]*<link rel="alternate" href="[^"]*" hreflang="[\w-]+">\n?')
# The site root that Material's JavaScript resolves everything against ("search/...", "../versions.json").
_CONFIG_BASE = re.compile(r'(<script id="__config" type="application/json">\{[^<]*?"base": ")([^"]*?)/?(")')

_rendered: dict[str, str] = {}  # the default language's 404 page, by site_dir


def on_post_template(output_content, template_name, config):
    """The 404 page: the default language's rendering, its site root ending in "/".

    Every language's build writes the same 404.html, and mkdocs-static-i18n builds the
    default language first: later builds rendered the page in their language, with the
    language switcher left on the last page built. Its links are absolute, from
    ``site_url``, which mike sets to ``<site_url><version>`` without a trailing slash:
    against "/2.15" the search loaded /search/search_index.json, outside the version, and
    never answered.
    """
    if template_name != "404.html":
        return output_content
    i18n = config.plugins.get("i18n")
    default = next((lang.locale for lang in i18n.config.languages if lang.default), None) if i18n else None
    if default is None or config.theme.get("language") == default:
        output = _HEAD_ALTERNATE.sub("", output_content)
        _rendered[config.site_dir] = _CONFIG_BASE.sub(r"\1\2/\3", output, count=1)
    return _rendered.get(config.site_dir, output_content)
