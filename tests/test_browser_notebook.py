"""A notebook page in Chromium, on a phone (390 px) and a desktop (1280 px), light and dark.

Its code cells are the site's code blocks, the full width of the column (no "In [n]" gutter),
with a copy button that covers no code; outputs scroll sideways rather than break numbers;
figures fit the column and are not white boxes in the dark scheme. Screenshots are saved in
test-artifacts/.
"""

from __future__ import annotations

import pytest

from sitekit import publish

from .browser_support import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

PAGES = {"zh": "training/loop/", "en": "en/training/loop/"}

MEASURE = """() => {
  const column = document.querySelector('.md-content__inner').getBoundingClientRect();
  const blocks = [...document.querySelectorAll('.jupyter-wrapper .highlight')].map((block) => {
    const box = block.getBoundingClientRect();
    const button = block.querySelector('button.md-clipboard, button.md-code__button');
    const covered = [];
    if (button) {
      const b = button.getBoundingClientRect();
      const walker = document.createTreeWalker(block.querySelector('code'), NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.data.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const t of range.getClientRects()) {
          const right = Math.min(t.right, box.right);
          if (t.left < b.right && right > b.left && t.top < b.bottom && t.bottom > b.top) covered.push(node.data);
        }
      }
    }
    return {left: box.left, width: box.width, button: !!button, covered};
  });
  const outputs = [...document.querySelectorAll('.jupyter-wrapper .jp-OutputArea-output pre')].map((pre) => {
    const style = getComputedStyle(pre);
    return {whiteSpace: style.whiteSpace, overflowX: style.overflowX};
  });
  const images = [...document.querySelectorAll('.jupyter-wrapper img')].map((img) => ({
    width: img.getBoundingClientRect().width, filter: getComputedStyle(img).filter,
  }));
  return {
    page: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
    column: [column.left, column.width], blocks, outputs, images,
  };
}"""


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_notebook_page_reads_on_a_phone_and_a_desktop(browser, server, lang, width):
    context = browser.new_context(viewport={"width": width, "height": 844})
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{server}/{publish.ALIAS}/{PAGES[lang]}", wait_until="load")
        page.wait_for_selector(".jupyter-wrapper .highlight button")
        found = page.evaluate(MEASURE)
        assert found["page"][0] <= found["page"][1], "the page scrolls sideways"
        left, column = found["column"]
        assert len(found["blocks"]) >= 5
        for block in found["blocks"]:
            assert abs(block["left"] - left) < 2 and block["width"] > column - 4, "code does not use the column"
            assert block["button"] and not block["covered"], f"the copy button covers {block['covered']}"
        assert found["outputs"] and all(o == {"whiteSpace": "pre", "overflowX": "auto"} for o in found["outputs"])
        assert len(found["images"]) >= 2 and all(0 < i["width"] <= column + 1 for i in found["images"])
        assert all(i["filter"] == "none" for i in found["images"])
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"notebook-{lang}-{width}.png"), full_page=True)
        page.evaluate("() => document.body.setAttribute('data-md-color-scheme', 'slate')")
        dark = page.evaluate(MEASURE)
        assert all("invert" in i["filter"] for i in dark["images"]), "white figures on the dark page"
        page.screenshot(path=str(ARTIFACTS / f"notebook-{lang}-{width}-dark.png"), full_page=True)
        assert errors == []
    finally:
        context.close()
