"""What readers see, in a real Chromium, on the versioned site that mike publishes.

The site is deployed with mike into a throwaway git repository (never this one),
its gh-pages branch is served as a static host serves it, and Playwright drives
Debian's Chromium. Where Chromium
is missing these tests skip and say how to install it, except in CI (CI=true),
where a missing browser is a failure.
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from sitekit import REPO_ROOT, publish

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = REPO_ROOT / "test-artifacts"
VERSION = publish.documented_version()
EMPTY_INDEX = {"config": {"lang": ["en"], "separator": "[\\s\\-]+", "pipeline": []}, "docs": []}
HOW_TO_INSTALL = "apt-get install chromium fonts-noto-cjk (Debian/Ubuntu), then make test"


def _need_browser():
    missing = not CHROMIUM.exists()
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing = True
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests must run in CI, but {CHROMIUM} or Playwright is missing: {HOW_TO_INSTALL}")
        pytest.skip(f"no Chromium at {CHROMIUM}: {HOW_TO_INSTALL}")


@pytest.fixture(scope="module")
def server(published):
    """Serve the gh-pages branch that mike deployed (tests/published_site.py), as a static host
    such as GitHub Pages does; `mike serve` serves the same files, one request at a time."""
    _need_browser()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(published.root))
    handler.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


class Visit:
    """A page plus every request and console error it caused."""

    def __init__(self, browser, server, search: bool):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        if not search:
            # Building the search index takes the browser most of a second per page; tests that
            # don't search get an empty (valid) index instead.
            self.context.route("**/search/search_index.json", lambda route: route.fulfill(json=EMPTY_INDEX))
        self.page = self.context.new_page()
        self.server = server
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def goto(self, path: str):
        self.page.goto(self.server + path, wait_until="load")
        return self.page

    def foreign_requests(self) -> list[str]:
        origin = urlsplit(self.server).netloc
        return [
            url for url in self.requests if urlsplit(url).netloc not in (origin, "") and not url.startswith("data:")
        ]


@pytest.fixture
def visit(browser, server):
    v = Visit(browser, server, search=False)
    yield v
    v.context.close()


@pytest.fixture
def visit_with_search(browser, server):
    v = Visit(browser, server, search=True)
    yield v
    v.context.close()


def test_root_redirects_to_latest_and_home_is_chinese(visit):
    page = visit.goto("/")
    page.wait_for_url(f"**/{publish.ALIAS}/")
    assert page.get_attribute("html", "lang") == "zh"
    assert "PyTorch 核心概念" in page.title()


@pytest.mark.parametrize("version", [VERSION, publish.ALIAS])
@pytest.mark.parametrize("path", ["", "autograd/basics/"])
def test_language_switch_keeps_version_and_page(visit, version, path):
    page = visit.goto(f"/{version}/{path}")
    assert page.get_attribute("html", "lang") == "zh"
    page.locator(".md-header__option .md-select").first.hover()
    with page.expect_navigation(wait_until="load"):
        page.locator('a.md-select__link[hreflang="en"]').click()
    assert urlsplit(page.url).path == f"/{version}/en/{path}"
    assert page.get_attribute("html", "lang") == "en"
    page.locator(".md-header__option .md-select").first.hover()
    with page.expect_navigation(wait_until="load"):
        page.locator('a.md-select__link[hreflang="zh"]').click()
    assert urlsplit(page.url).path == f"/{version}/{path}"
    assert page.get_attribute("html", "lang") == "zh"


@pytest.mark.parametrize("lang_prefix", ["", "en/"])
def test_version_selector_lists_version_and_alias(visit, lang_prefix):
    page = visit.goto(f"/{publish.ALIAS}/{lang_prefix}")
    page.wait_for_selector(".md-version__list", state="attached")
    versions = page.locator(".md-version__list .md-version__link").all_inner_texts()
    text = " ".join(versions)
    assert VERSION in text and publish.ALIAS in text, versions


def _search(page, query: str) -> list[str]:
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")  # Material searches on key events; fill() alone (needed for CJK input) sends none
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    return page.locator(".md-search-result__item a").evaluate_all("els => els.map(e => e.href)")


def test_search_in_chinese_finds_autograd_pages(visit_with_search):
    visit = visit_with_search
    links = _search(visit.goto(f"/{publish.ALIAS}/"), "梯度")
    assert any("/autograd/" in link and "/en/" not in link for link in links), links


def test_search_in_english_finds_autograd_pages(visit_with_search):
    visit = visit_with_search
    links = _search(visit.goto(f"/{publish.ALIAS}/en/"), "gradient")
    assert any("/en/autograd/" in link for link in links), links


def test_pasting_an_error_message_finds_its_troubleshooting_entry(visit_with_search):
    visit = visit_with_search
    errors_page = REPO_ROOT / "docs" / "troubleshooting" / "errors.en.md"
    if not errors_page.exists():
        pytest.skip("the troubleshooting chapter is not written yet")
    links = _search(visit.goto(f"/{publish.ALIAS}/en/"), "mat1 and mat2 shapes cannot be multiplied")
    assert any("/troubleshooting/errors/" in link for link in links), links


def test_cpu_gpu_tabs_switch(visit):
    page = visit.goto(f"/{publish.ALIAS}/tensors/devices/")
    tabs = page.locator(".tabbed-set").first
    gpu_label = tabs.locator(".tabbed-labels label", has_text="GPU")
    gpu_label.click()
    blocks = tabs.locator(".tabbed-content > .tabbed-block")
    assert blocks.nth(1).is_visible() and not blocks.nth(0).is_visible()
    tabs.locator(".tabbed-labels label", has_text="CPU").click()
    assert blocks.nth(0).is_visible() and not blocks.nth(1).is_visible()


def _copy(page, block_index: int) -> str:
    page.evaluate(
        "() => { window.__copied = null; document.addEventListener('copy',"
        " e => { window.__copied = e.clipboardData.getData('text/plain'); }); }"
    )
    block = page.locator(".md-typeset pre").nth(block_index)
    block.hover()
    block.locator("button.md-code__button[data-md-type='copy'], button.md-clipboard").first.click()
    page.wait_for_function("() => window.__copied !== null")
    return page.evaluate("() => window.__copied")


def test_copy_button_on_repl_block_copies_code_only(visit):
    page = visit.goto(f"/{publish.ALIAS}/autograd/basics/")
    copied = _copy(page, 1)
    expected = ["x = torch.arange(4.0, requires_grad=True)", "print(x.grad)", "y = 2 * torch.dot(x, x)", "y"]
    assert copied == "\n".join(expected + ["y.backward()", "x.grad"]) + "\n"
    assert ">>>" not in copied and "tensor(" not in copied


def test_copy_keeps_continuation_lines(visit):
    page = visit.goto(f"/{publish.ALIAS}/en/autograd/basics/")
    repl = ">>> with torch.no_grad():\\n...     w = x * 2\\n>>> w\\ntensor([0.])\\n...\\n"
    copied = page.evaluate(f"() => window.sitekitReplToCode('{repl}')")
    assert copied == "with torch.no_grad():\n    w = x * 2\nw\n"


def test_chinese_renders_with_cjk_fonts_and_screenshots_are_saved(visit):
    fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    assert fonts.strip(), "no CJK font installed: Chinese would render as boxes (" + HOW_TO_INSTALL + ")"
    ARTIFACTS.mkdir(exist_ok=True)
    for prefix, lang in (("", "zh"), ("en/", "en")):
        page = visit.goto(f"/{publish.ALIAS}/{prefix}autograd/basics/")
        family = page.evaluate("() => getComputedStyle(document.querySelector('.md-typeset')).fontFamily")
        assert "Noto Sans CJK SC" in family
        page.screenshot(path=str(ARTIFACTS / f"autograd-basics-{lang}.png"), full_page=False)
    # The CJK face is really used for Chinese text (not a fallback box glyph font).
    page = visit.goto(f"/{publish.ALIAS}/autograd/basics/")
    width = page.evaluate(
        "() => { const c = document.createElement('canvas').getContext('2d');"
        " c.font = '16px \"Noto Sans CJK SC\"'; const a = c.measureText('梯度').width;"
        " c.font = '16px monospace'; const b = c.measureText('梯度').width; return [a, b]; }"
    )
    assert width[0] > 20, width
    assert (ARTIFACTS / "autograd-basics-zh.png").stat().st_size > 10_000


def test_no_foreign_requests_and_no_console_errors(visit_with_search):
    visit = visit_with_search
    for path in ["", "en/", "autograd/basics/", "en/autograd/basics/"]:
        visit.page.goto(visit.server + f"/{publish.ALIAS}/{path}", wait_until="networkidle")
    assert visit.foreign_requests() == []
    assert visit.errors == []
