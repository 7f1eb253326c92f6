"""Reader navigation in Chromium: redirect, languages under versions, version selector, tabs."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from sitekit import publish

from .browser_support import VERSION

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


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


@pytest.mark.parametrize("path", ["tensors/basics/", "en/tensors/basics/"])
def test_version_selector_switches_version_keeping_page_and_language(visit, published, path):
    """Two really built versions: choosing the other one keeps the page and the language."""
    page = visit.goto(f"/{published.version}/{path}")
    page.wait_for_selector(".md-version__list", state="attached")
    # The list opens over the button it drops from, so Playwright would see the list "intercept"
    # the hover that opened it: hover where the reader does without that check.
    page.locator(".md-version__current").hover(force=True)
    with page.expect_navigation(wait_until="load"):
        page.locator(".md-version__link", has_text=published.other).first.click()
    assert urlsplit(page.url).path == f"/{published.other}/{path}"
    assert page.get_attribute("html", "lang") == ("en" if path.startswith("en/") else "zh")
    assert visit.errors == []


def test_cpu_gpu_tabs_switch(visit):
    page = visit.goto(f"/{publish.ALIAS}/tensors/devices/")
    tabs = page.locator(".tabbed-set").first
    gpu_label = tabs.locator(".tabbed-labels label", has_text="GPU")
    gpu_label.click()
    blocks = tabs.locator(".tabbed-content > .tabbed-block")
    assert blocks.nth(1).is_visible() and not blocks.nth(0).is_visible()
    tabs.locator(".tabbed-labels label", has_text="CPU").click()
    assert blocks.nth(0).is_visible() and not blocks.nth(1).is_visible()
