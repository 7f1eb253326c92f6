"""REPL blocks: what the copy button copies pastes into the standard ``python`` REPL, and the
build renders them as a console session (sitekit/repl_copy.py, sitekit/repl_render.py).

The browser's copy script runs the same algorithm: tests/test_browser_reading.py compares both."""

from __future__ import annotations

import pytest

from sitekit import DOCS_DIR
from sitekit.blocks import iter_pages, read_page
from sitekit.repl_copy import copy_text, paste_errors
from sitekit.repl_render import mark_output_lines, pycon_fences

PAGES = [path for path in iter_pages(DOCS_DIR) if any(f.is_doctest for f in read_page(path).python_fences)]


def test_prompts_and_outputs_are_left_out():
    assert copy_text(">>> x = 1\n>>> x\n1\n") == "x = 1\nx\n"
    assert copy_text("x = 1\nprint(x)\n") is None  # a script block copies as it is


def test_an_indented_block_ends_with_an_empty_line_before_the_next_statement():
    shown = ">>> with torch.no_grad():\n...     w = x * 2\n>>> w\ntensor([0.])\n"
    assert copy_text(shown) == "with torch.no_grad():\n    w = x * 2\n\nw\n"
    assert copy_text(">>> for i in range(2): print(i)\n0\n1\n>>> i\n1\n") == "for i in range(2): print(i)\n\ni\n"
    # a block at the end is run too, by its empty line
    assert copy_text(">>> for i in range(2):\n...     print(i)\n...\n0\n1\n") == "for i in range(2):\n    print(i)\n\n"


def test_empty_lines_inside_a_statement_are_dropped():
    shown = (
        ">>> class A:\n...     def f(self):\n...         return 1\n...\n...     def g(self):\n...         return 2\n"
        ">>> A().g()\n2\n"
    )
    copied = copy_text(shown)
    assert copied == "class A:\n    def f(self):\n        return 1\n    def g(self):\n        return 2\n\nA().g()\n"
    assert paste_errors(copied) == []
    # What doctest accepts, the REPL does not: an empty line ends the class before g.
    as_doctest_reads_it = "class A:\n    def f(self):\n        return 1\n\n    def g(self):\n        return 2\n\n"
    assert paste_errors(as_doctest_reads_it)


def test_a_traceback_ellipsis_is_output_not_code():
    shown = ">>> torch.tensor(rows)\nTraceback (most recent call last):\n...\nValueError: only one\n>>> x\n"
    assert copy_text(shown) == "torch.tensor(rows)\nx\n"


def test_the_repl_check_sees_syntax_errors_only():
    assert paste_errors("undefined_name + 1\n1 / 0\n") == []
    assert paste_errors("for i in range(2):\n    pass\ni\n")  # no empty line after the block
    assert paste_errors("x = (\n") == []  # unfinished, not wrong


@pytest.mark.parametrize("path", PAGES, ids=lambda path: str(path.relative_to(DOCS_DIR)))
def test_every_repl_block_pastes_into_the_python_repl_without_a_syntax_error(path):
    failures = []
    for fence in read_page(path).python_fences:
        if fence.is_doctest:
            copied = copy_text(fence.source)
            errors = paste_errors(copied)
            if errors:
                failures.append(f"line {fence.line}: {errors[0]}\n{copied}")
    assert not failures, f"{len(failures)} blocks:\n" + "\n".join(failures)


def test_repl_fences_render_as_pycon_and_the_source_fence_is_untouched():
    markdown = (
        "Text\n\n```python\n>>> 1 + 1\n2\n```\n\n```python\nx = 1\nassert x\n```\n\n"
        '=== "CPU"\n\n    ```python\n    >>> torch.ones(1)\n    tensor([1.])\n    ```\n\n'
        "````text\n```python\n>>> shown as text\n```\n````\n"
    )
    rendered = pycon_fences(markdown)
    assert rendered.count("```pycon") == 2
    assert "```python\nx = 1" in rendered  # a script block stays Python
    assert "    ```pycon\n    >>> torch.ones(1)" in rendered  # inside a content tab
    assert "````text\n```python\n>>> shown as text" in rendered  # an example inside another block
    assert pycon_fences(rendered) == rendered


def test_output_lines_of_a_console_block_are_marked():
    html = (
        '<div class="language-pycon highlight"><pre><span></span><code>'
        '<span id="__span-0-1"><a id="__codelineno-0-1" name="__codelineno-0-1" href="#__codelineno-0-1"></a>'
        '<span class="gp">&gt;&gt;&gt; </span><span class="n">x</span>\n</span>'
        '<span id="__span-0-2"><a id="__codelineno-0-2" name="__codelineno-0-2" href="#__codelineno-0-2"></a>'
        '<span class="go">1</span>\n</span></code></pre></div>'
        '<div class="language-python highlight"><pre><span></span><code>'
        '<span id="__span-1-1"><a id="__codelineno-1-1"></a><span class="n">x</span>\n</span></code></pre></div>'
    )
    marked = mark_output_lines(html)
    assert '<span id="__span-0-1">' in marked  # code: not marked
    assert '<span id="__span-0-2" class="repl-output">' in marked
    assert '<span id="__span-1-1">' in marked  # a script block: not marked
