"""Accessibility in Chromium: axe-core finds no serious or critical violation on any page, light or dark.

Every built page of the latest version, in both languages, is one test: the page is shown light (the
default scheme), axe runs all its rules, then the reader's palette toggle switches to dark and the
rules that depend on colours run again. One worker runs the sweep in one tab (``--dist loadfile``
keeps a file together): the sweep is the largest unit of ``make test`` and starts as soon as the site
is built, while the other workers run the rest; spread over three workers on two cores, it took longer.
axe-core comes from npm (``AXE_CORE_VERSION`` in tests/browser_support.py), installed on first use.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sitekit import DOCS_DIR, publish

from .browser_support import EMPTY_INDEX, axe_script

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]  # the first test waits for the site build

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


def source_pages(lang: str) -> list[str]:
    """The URL path of every page the sources make in ``lang``, with the 404 page: what the build must make."""
    prefix = "en/" if lang == "en" else ""
    pages = [] if lang == "en" else ["404.html"]  # one 404 page for both languages (overrides/404.html)
    for source in sorted(DOCS_DIR.rglob(f"*.{lang}.*")):
        if source.suffix not in (".md", ".ipynb"):
            continue
        folder = source.parent.relative_to(DOCS_DIR).as_posix()
        stem = source.name.split(".")[0]
        path = "/".join(part for part in (folder if folder != "." else "", "" if stem == "index" else stem) if part)
        pages.append(prefix + (f"{path}/" if path else ""))
    return pages


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_built_page_is_checked(published, lang):
    assert sorted(built_pages(published.site, lang)) == sorted(source_pages(lang))


@pytest.fixture(scope="module")
def axe(browser):
    return axe_script().read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def axe_page(browser):
    """One tab, reused from page to page."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.route("**/search/search_index*.json", lambda route: route.fulfill(json=EMPTY_INDEX))
    yield context.new_page()
    context.close()


def check_page(page, axe: str, server: str, path: str) -> None:
    page.goto(f"{server}/{publish.ALIAS}/{path}", wait_until="load")
    if page.evaluate("() => document.body.dataset.mdColorScheme") != "default":
        switch_scheme(page)  # the choice persists: the page before this one ended dark
    page.add_script_tag(content=axe)
    found: list[str] = []
    schemes = []
    for rules in (None, COLOUR_RULES):
        if rules is not None:
            switch_scheme(page)
        scheme = page.evaluate("() => document.body.dataset.mdColorScheme")
        schemes.append(scheme)
        for violation in page.evaluate(RUN_AXE, rules):
            if violation["impact"] in SEVERE:
                found.append(describe(path, scheme, violation))
    assert schemes == list(SCHEMES), schemes
    assert not found, f"{len(found)} serious or critical axe violations:\n" + "\n".join(found)


PAGES = [path for lang in ("zh", "en") for path in source_pages(lang)]


@pytest.mark.parametrize("path", PAGES, ids=[path or "/" for path in PAGES])
def test_axe_finds_no_serious_violation_light_or_dark(axe_page, axe, server, published, path):
    check_page(axe_page, axe, server, path)
