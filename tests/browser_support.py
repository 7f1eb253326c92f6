"""Fixtures for the browser tests (tests/test_browser_*.py), loaded from tests/conftest.py.

The site is deployed with mike into a throwaway git repository (never this one),
its gh-pages branch is served as a static host serves it, and Playwright drives
Debian's Chromium. Where Chromium is missing the browser tests skip and say how
to install it, except in CI (CI=true), where a missing browser is a failure.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from sitekit import REPO_ROOT, publish

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = REPO_ROOT / "test-artifacts"
VERSION = publish.documented_version()
EMPTY_INDEX = {"config": {"lang": ["en"], "separator": "[\\s\\-]+", "pipeline": []}, "docs": []}
HOW_TO_INSTALL = "apt-get install chromium fonts-noto-cjk (Debian/Ubuntu), then make test"
# axe-core, the accessibility checker the browser tests inject (tests/test_browser_accessibility.py):
# installed from npm, outside the repository, on first use.
AXE_CORE_VERSION = "4.14.1"
AXE_CORE_DIR = Path(
    os.environ.get("SITEKIT_AXE_DIR", Path.home() / ".cache" / "pytorch-core-concepts" / f"axe-core-{AXE_CORE_VERSION}")
)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        """As GitHub Pages does: an address with no file gets the root's 404.html, status 404."""
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the browser dropping a connection mid-response (navigation) is not an error here


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
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(published.root))
    )
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
            # The index is loaded when the search is opened (sitekit/search.py); should a test
            # that doesn't search open it, it gets an empty (valid) index, not seconds of indexing.
            self.context.route("**/search/search_index*.json", lambda route: route.fulfill(json=EMPTY_INDEX))
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


def search(page, query: str) -> list[str]:
    """Type ``query`` into the search box; return the links of every result, in order."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")  # Material searches on key events; fill() alone (needed for CJK input) sends none
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    return page.locator(".md-search-result__item a").evaluate_all("els => els.map(e => e.href)")


def first_result(page) -> list[str]:
    """After ``search``: the links of the first result, its page then its best sections."""
    return (
        page.locator(".md-search-result__item").first.locator(":scope > a").evaluate_all("els => els.map(e => e.href)")
    )


def copy_block(page, block_index: int) -> str:
    page.evaluate(
        "() => { window.__copied = null; document.addEventListener('copy',"
        " e => { window.__copied = e.clipboardData.getData('text/plain'); }); }"
    )
    block = page.locator(".md-typeset pre").nth(block_index)
    block.hover()
    block.locator("button.md-code__button[data-md-type='copy'], button.md-clipboard").first.click()
    page.wait_for_function("() => window.__copied !== null")
    return page.evaluate("() => window.__copied")


def axe_script() -> Path:
    """axe.min.js of ``AXE_CORE_VERSION``, installed with npm into ``AXE_CORE_DIR`` when missing."""
    script = AXE_CORE_DIR / "node_modules" / "axe-core" / "axe.min.js"
    if script.exists():
        return script
    npm = shutil.which("npm")
    if npm is None:
        message = f"axe-core {AXE_CORE_VERSION} is not in {AXE_CORE_DIR} and npm is missing: apt-get install npm"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    command = [npm, "install", "--prefix", str(AXE_CORE_DIR), "--no-save", "--no-package-lock", "--no-audit"]
    command += ["--no-fund", f"axe-core@{AXE_CORE_VERSION}"]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)
    if result.returncode != 0 or not script.exists():
        pytest.fail(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"[-3000:])
    return script
