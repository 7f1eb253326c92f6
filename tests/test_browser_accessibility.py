"""Accessibility in Chromium: axe-core finds no serious or critical violation on any page, light or dark.

Every built page of the latest version, in both languages, is loaded once: axe runs all its
rules in the colour scheme the page opens in, then the reader's palette toggle switches the
scheme and the rules that depend on colours run again. axe-core comes from npm
(``AXE_CORE_VERSION`` in tests/browser_support.py), installed on first use.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sitekit import publish

from .browser_support import EMPTY_INDEX, axe_script

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

SEVERE = ("serious", "critical")
# The rules whose outcome depends on the colour scheme: run again after the palette toggle.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
SCHEMES = {"default": "light", "slate": "dark"}

RUN_AXE = """async (rules) => {
  const options = {resultTypes: ["violations"]};
  if (rules) options.runOnly = {type: "rule", values: rules};
  const result = await axe.run(document, options);
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
  }));
}"""


def built_pages(site: Path, lang: str) -> list[str]:
    """The URL path (under the version) of every page built in ``lang``, with the 404 page."""
    pages = []
    for html in sorted(site.rglob("*.html")):
        rel = html.relative_to(site)
        if rel.parts[0] == "search" or (rel.parts[0] == "en") != (lang == "en"):
            continue
        if html.name != "index.html":
            pages.append(rel.as_posix())
        elif rel.parent != Path("."):
            pages.append(f"{rel.parent.as_posix()}/")
        else:
            pages.append("")
    return pages


def switch_scheme(page) -> str:
    """Click the palette toggle the reader sees; return the scheme it switched to."""
    before = page.evaluate("() => document.body.dataset.mdColorScheme")
    page.locator("form[data-md-component='palette'] label:not([hidden])").first.click()
    page.wait_for_function("(before) => document.body.dataset.mdColorScheme !== before", arg=before)
    return page.evaluate("() => document.body.dataset.mdColorScheme")


def describe(path: str, scheme: str, violation: dict) -> str:
    first = violation["nodes"][0]
    summary = " ".join(first["summary"].split("\n")[1:2]).strip()
    return (
        f"{path} [{SCHEMES.get(scheme, scheme)}] {violation['id']} ({violation['impact']}, "
        f"{len(violation['nodes'])} nodes): {violation['help']}; e.g. {first['target']}: {summary}"
    )


@pytest.fixture(scope="module")
def axe_page(browser):
    script = axe_script().read_text(encoding="utf-8")
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.route("**/search/search_index*.json", lambda route: route.fulfill(json=EMPTY_INDEX))
    page = context.new_page()
    yield page, script
    context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_serious_accessibility_violation_in_either_colour_scheme(axe_page, server, published, lang):
    page, script = axe_page
    pages = built_pages(published.site, lang)
    assert len(pages) > 20, pages
    found: list[str] = []
    schemes_seen = set()
    for path in pages:
        page.goto(f"{server}/{publish.ALIAS}/{path}", wait_until="load")
        page.add_script_tag(content=script)
        for rules in (None, COLOUR_RULES):
            if rules is not None:
                switch_scheme(page)
            scheme = page.evaluate("() => document.body.dataset.mdColorScheme")
            schemes_seen.add(scheme)
            for violation in page.evaluate(RUN_AXE, rules):
                if violation["impact"] in SEVERE:
                    found.append(describe(path, scheme, violation))
    assert schemes_seen == set(SCHEMES), schemes_seen
    assert not found, f"{len(found)} serious or critical axe violations:\n" + "\n".join(found)
