"""Search in Chromium, through the real search box: the page's language, Chinese words,
pasted error messages, the index loaded on first use, and the 404 page's search.

tests/test_site_build.py runs the same search (the site's own worker, in Node) over every
entry of the errors page; here a sample goes through the browser.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import pytest

from sitekit import DOCS_DIR, publish

from .browser_support import first_result, search
from .search_support import error_entries
from .test_site_build import built_page

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

LATEST = f"/{publish.ALIAS}/"
# Three entries per language: the messages share words with other entries (object is not
# callable, index out of range, mat1 and mat2), so a loose ranking would put another first.
SAMPLE = [
    "TypeError: 'torch.Size' object is not callable",
    "IndexError: index out of range in self",
    "RuntimeError: mat1 and mat2 shapes cannot be multiplied",
]


def _paths(links: list[str]) -> list[str]:
    return [unquote(urlsplit(link).path) for link in links]


@pytest.mark.parametrize("query", ["梯度", "zero_grad"])
def test_on_a_chinese_page_search_finds_chinese_pages_only(visit_with_search, query):
    paths = _paths(search(visit_with_search.goto(f"{LATEST}autograd/basics/"), query))
    assert paths and not [p for p in paths if "/en/" in p], paths
    assert any("/autograd/" in p or "/training/" in p for p in paths), paths


def test_on_an_english_page_search_finds_english_pages_only(visit_with_search):
    paths = _paths(search(visit_with_search.goto(f"{LATEST}en/autograd/basics/"), "gradient"))
    assert paths and all(p.startswith(f"{LATEST}en/") for p in paths), paths
    assert any("/en/autograd/" in p for p in paths), paths


def test_a_chinese_word_is_matched_and_highlighted_whole(visit_with_search):
    page = visit_with_search.goto(LATEST)
    search(page, "设备")
    marks = set(page.locator(".md-search-result__item mark").all_inner_texts()) - {""}
    assert marks and all(mark.startswith("设备") for mark in marks), marks


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("message", SAMPLE)
def test_pasted_error_message_brings_its_own_entry_first(visit_with_search, published, lang, message):
    source = DOCS_DIR / "troubleshooting" / f"errors.{lang}.md"
    anchors = {text: anchor for anchor, text in error_entries(built_page(published.site, source, lang))}
    assert message in anchors, f"no entry headed {message!r} on {source.name}"
    prefix = "en/" if lang == "en" else ""
    page = visit_with_search.goto(f"{LATEST}{prefix}")
    search(page, message)
    links = first_result(page)
    assert _paths(links[:1]) == [f"{LATEST}{prefix}troubleshooting/errors/"], links
    assert unquote(urlsplit(links[1]).fragment) == anchors[message], links


def test_the_index_is_loaded_when_search_is_first_used(visit_with_search):
    visit = visit_with_search
    visit.page.goto(visit.server + f"{LATEST}en/tensors/basics/", wait_until="networkidle")
    assert not [url for url in visit.requests if "search_index" in url], "the index was loaded before any search"
    search(visit.page, "tensor")
    loaded = [urlsplit(url).path for url in visit.requests if "search_index" in url]
    assert loaded == [f"{LATEST}en/search/search_index.json"], loaded


def test_a_missing_address_shows_the_404_page_with_working_search(visit_with_search):
    visit = visit_with_search
    response = visit.page.goto(visit.server + f"{LATEST}no/such/page/", wait_until="load")
    assert response.status == 404
    page = visit.page
    assert page.locator("h1.sitekit-not-found").is_visible()
    assert page.locator('p[lang="zh"]').inner_text().startswith("这个地址上没有页面")
    assert page.locator('p[lang="en"]').inner_text().startswith("There is no page at this address")
    homes = page.locator("article a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert LATEST in homes and f"{LATEST}en/" in homes, homes
    paths = _paths(search(page, "zero_grad"))
    assert any("/en/" in p for p in paths) and any("/en/" not in p for p in paths), paths
    others = [e for e in visit.errors if "404" not in e]
    assert others == [], others
