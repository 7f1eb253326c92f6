"""Reader content in Chromium: the REPL copy button, CJK fonts, offline and clean console (search:
test_browser_search.py)."""

from __future__ import annotations

import subprocess

import pytest

from sitekit import publish

from .browser_support import ARTIFACTS, HOW_TO_INSTALL, copy_block

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


def test_copy_button_on_repl_block_copies_code_only(visit):
    page = visit.goto(f"/{publish.ALIAS}/autograd/basics/")
    copied = copy_block(page, 1)
    expected = ["x = torch.arange(4.0, requires_grad=True)", "print(x.grad)", "y = 2 * torch.dot(x, x)", "y"]
    assert copied == "\n".join(expected + ["y.backward()", "x.grad"]) + "\n"
    assert ">>>" not in copied and "tensor(" not in copied


def test_copy_keeps_continuation_lines(visit):
    page = visit.goto(f"/{publish.ALIAS}/en/autograd/basics/")
    repl = ">>> with torch.no_grad():\\n...     w = x * 2\\n>>> w\\ntensor([0.])\\n...\\n"
    copied = page.evaluate(f"() => window.sitekitReplToCode('{repl}')")
    # The standard REPL runs an indented block only after an empty line.
    assert copied == "with torch.no_grad():\n    w = x * 2\n\nw\n"


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
