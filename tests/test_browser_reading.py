"""Reading in Chromium, on a phone (390 px) and a desktop (1280 px): REPL blocks as a Python console
whose outputs and tracebacks can be read whole, their copy button, the header, fonts and leading."""

from __future__ import annotations

import pytest

from sitekit import publish
from sitekit.repl_copy import copy_text, paste_errors

from .browser_support import copy_block

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
ERRORS_PAGE = {"zh": "troubleshooting/errors/", "en": "en/troubleshooting/errors/"}

# Every line of every REPL block on the page, as the reader sees it: for each line, whether it
# is code (a ">>>" line and the "..." lines right after it) or output, its text, its boxes on
# screen, and the visible right edge of its block. Hidden content tabs and folded notes are
# opened first, so that their blocks are measured too.
MEASURE_REPL_LINES = """() => {
  const style = document.createElement("style");
  style.textContent = ".tabbed-set > .tabbed-content > .tabbed-block { display: block !important; }";
  document.head.appendChild(style);
  document.querySelectorAll("details").forEach((d) => { d.open = true; });
  const result = [];
  document.querySelectorAll(".md-typeset pre > code").forEach((code, block) => {
    const lines = [{ text: "", segments: [] }];
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      let start = 0;
      const text = node.data;
      for (let i = 0; i <= text.length; i++) {
        if (i < text.length && text[i] !== "\\n") continue;
        const line = lines[lines.length - 1];
        if (i > start) { line.text += text.slice(start, i); line.segments.push([node, start, i]); }
        if (i < text.length) lines.push({ text: "", segments: [] });
        start = i + 1;
      }
    }
    if (!lines.some((line) => /^>>>( |$)/.test(line.text))) return;
    const box = code.getBoundingClientRect();
    if (box.width === 0) return;
    const visibleRight = box.left + code.clientLeft + code.clientWidth;
    let inSource = false;
    for (const line of lines) {
      if (/^>>>( |$)/.test(line.text)) inSource = true;
      else if (!(inSource && /^\\.\\.\\.( |$)/.test(line.text))) inSource = false;
      if (!line.text.trim()) continue;
      const range = document.createRange();
      const first = line.segments[0], last = line.segments[line.segments.length - 1];
      range.setStart(first[0], first[1]);
      range.setEnd(last[0], last[2]);
      const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0);
      result.push({
        block, code: inSource, text: line.text, visibleRight,
        right: Math.max(...rects.map((r) => r.right)),
        tops: Array.from(new Set(rects.map((r) => Math.round(r.top)))),
      });
    }
  });
  return result;
}"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_repl_outputs_and_tracebacks_are_readable_whole_and_code_lines_stay_as_written(visit, lang, viewport):
    page = visit.page
    page.set_viewport_size(viewport)
    visit.goto(f"/{publish.ALIAS}/{ERRORS_PAGE[lang]}")
    lines = page.evaluate(MEASURE_REPL_LINES)
    outputs = [line for line in lines if not line["code"]]
    assert len(outputs) > 100 and any(line["text"].startswith("Traceback") for line in outputs), len(outputs)
    cut = [line for line in outputs if line["right"] > line["visibleRight"] + 1]
    assert not cut, f"{len(cut)} of {len(outputs)} output lines run past their block, e.g.:\n" + "\n".join(
        f"block {line['block']}: {line['text'][:100]}" for line in cut[:10]
    )
    wrapped_code = [line for line in lines if line["code"] and len(line["tops"]) > 1]
    assert not wrapped_code, [line["text"] for line in wrapped_code[:10]]
    # Nothing makes the page itself scroll sideways.
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_repl_blocks_render_as_a_python_console(visit):
    page = visit.goto(f"/{publish.ALIAS}/en/troubleshooting/errors/")
    found = page.evaluate(
        """() => {
      const blocks = document.querySelectorAll(".md-typeset .highlight");
      const repl = Array.from(blocks).filter((b) => /^>>>/m.test(b.textContent));
      const prompt = document.querySelector(".language-pycon .gp");
      const name = document.querySelector(".language-pycon .n");
      const output = document.querySelector(".language-pycon .repl-output");
      const coloured = Array.from(document.querySelectorAll(".language-pycon .repl-output"))
        .filter((line) => line.querySelector(".k, .kn, .kc, .nb, .ow, .mi, .mf, .s1, .s2"));
      return {
        repl: repl.length,
        notConsole: repl.filter((b) => !b.classList.contains("language-pycon")).length,
        promptSelect: getComputedStyle(prompt).userSelect,
        promptColour: getComputedStyle(prompt).color,
        codeColour: getComputedStyle(name).color,
        outputRule: getComputedStyle(output).boxShadow,
        colouredOutputs: coloured.map((line) => line.textContent.trim()).slice(0, 5),
      };
    }"""
    )
    assert found["repl"] > 100 and found["notConsole"] == 0, found
    assert found["promptSelect"] == "none", found
    assert found["promptColour"] != found["codeColour"], found
    assert found["outputRule"] != "none", found
    assert found["colouredOutputs"] == [], found  # an error message is text, not Python keywords


def test_copy_button_of_a_block_with_a_class_pastes_into_the_python_repl(visit):
    page = visit.goto(f"/{publish.ALIAS}/en/autograd/custom-function/")
    index = page.evaluate(
        "() => Array.from(document.querySelectorAll('.md-typeset pre'))"
        ".findIndex((pre) => pre.textContent.includes('>>> class Cube('))"
    )
    assert index >= 0
    shown = page.locator(".md-typeset pre > code").nth(index).text_content()
    copied = copy_block(page, index)
    assert copied == copy_text(shown)
    assert "\n\nx = torch.tensor(" in copied  # the class ends with an empty line before the next statement
    assert ">>>" not in copied and "tensor([ 1.,  8., 27.]" not in copied
    assert paste_errors(copied) == []


@pytest.mark.parametrize(
    "path", ["en/troubleshooting/errors/", "autograd/custom-function/", "en/models/modules/", "io/checkpoints/"]
)
def test_copy_script_does_what_sitekit_repl_copy_does(visit, path):
    """The browser's copy (docs/assets/copy-repl.js) and sitekit/repl_copy.py are one algorithm:
    tests/test_repl_copy.py pastes the Python one's text of every block into the REPL."""
    page = visit.goto(f"/{publish.ALIAS}/{path}")
    pairs = page.evaluate(
        "() => Array.from(document.querySelectorAll('.md-typeset pre > code'))"
        ".map((code) => [code.textContent, window.sitekitReplToCode(code.textContent)])"
    )
    repl = [(shown, copied) for shown, copied in pairs if copied is not None]
    assert len(repl) >= 3, path
    for shown, copied in pairs:
        assert copied == copy_text(shown), shown


@pytest.mark.parametrize("path", ["", "en/", "troubleshooting/errors/", "en/autograd/basics/"])
def test_phone_header_shows_the_whole_site_title(visit, published, path):
    page = visit.page
    page.set_viewport_size(PHONE)
    visit.goto(f"/{publish.ALIAS}/{path}")
    page.wait_for_selector(".md-version__current")
    title = page.evaluate(
        """() => {
      const el = document.querySelector(".md-header__topic:first-child > .md-ellipsis");
      const box = el.getBoundingClientRect();
      const range = document.createRange();
      range.selectNodeContents(el);
      const text = range.getBoundingClientRect();
      const version = document.querySelector(".md-version__current").getBoundingClientRect();
      return {
        text: el.textContent.trim(),
        clipped: el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1,
        inside: text.left >= box.left - 1 && text.right <= box.right + 1,
        beforeVersion: box.right <= version.left + 1,
        onScreen: box.left >= 0 && box.top >= 0 && box.bottom <= 48,
      };
    }"""
    )
    assert title["text"] in ("PyTorch 核心概念", "PyTorch Core Concepts"), title
    assert not title["clipped"] and title["inside"] and title["beforeVersion"] and title["onScreen"], title


FIRST_FAMILY = "(el) => getComputedStyle(el).fontFamily.split(',')[0].trim().replace(/[\"']/g, '')"
CJK_FONT_WORDS = ("CJK", "Han", "PingFang", "YaHei", "WenQuanYi", "Hei", "Song", "Kai")


def rendered_fonts(page, selector: str) -> dict[str, int]:
    """The fonts Chromium really drew the text of ``selector`` with, and how many glyphs each."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return {font["familyName"]: font["glyphCount"] for font in fonts}


def test_english_pages_read_in_a_latin_face_and_chinese_pages_in_a_cjk_face_with_loose_leading(visit):
    page = visit.goto(f"/{publish.ALIAS}/en/autograd/basics/")
    paragraph = page.locator("article p").first
    assert not any(word in paragraph.evaluate(FIRST_FAMILY) for word in CJK_FONT_WORDS)
    fonts = rendered_fonts(page, "article p")
    main = max(fonts, key=fonts.get)
    assert not any(word in main for word in CJK_FONT_WORDS), fonts
    english_leading = paragraph.evaluate("(p) => parseFloat(getComputedStyle(p).lineHeight)")

    page = visit.goto(f"/{publish.ALIAS}/autograd/basics/")
    paragraph = page.locator("article p").first
    assert "CJK" in paragraph.evaluate(FIRST_FAMILY)
    fonts = rendered_fonts(page, "article p")
    assert "CJK" in max(fonts, key=fonts.get), fonts
    size, leading = paragraph.evaluate(
        "(p) => [parseFloat(getComputedStyle(p).fontSize), parseFloat(getComputedStyle(p).lineHeight)]"
    )
    assert leading / size == pytest.approx(1.75, abs=0.03), (size, leading)
    assert leading > english_leading


@pytest.mark.parametrize("path", ["autograd/basics/", "en/autograd/basics/"])
def test_headings_are_not_in_a_thin_weight(visit, path):
    page = visit.goto(f"/{publish.ALIAS}/{path}")
    weights = page.evaluate(
        "() => Array.from(document.querySelectorAll('article h1, article h2, article h3'))"
        ".map((h) => Number(getComputedStyle(h).fontWeight))"
    )
    assert weights and min(weights) >= 500, weights
