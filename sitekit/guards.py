"""Site rules that a reader cannot see but must be able to trust.

Each function returns a list of problems, each naming ``file:line`` and what is
wrong; ``tests/test_guards.py`` asserts that the real pages have none, and that
a page breaking each rule is caught.
"""

from __future__ import annotations

from pathlib import Path

from .blocks import read_page
from .engine import BlockParser, PageDocument
from .parity import Problem


def uncollected_fences(path: Path) -> list[Problem]:
    """Python fences the engine would silently not run (``python title="x"``, ``py``, ``pycon``)."""
    problems = []
    for fence in read_page(path).fences:
        if fence.unclosed:
            problems.append(Problem(fence.where, "this fence is never closed: everything after it is code"))
        elif fence.is_python and fence.info != "python":
            problems.append(
                Problem(
                    fence.where,
                    f"fence info '{fence.info}' is not run as a test (only a bare ```python fence is); "
                    "write ```python and put titles or options in the prose",
                )
            )
    return problems


def engine_disagrees(path: Path) -> list[Problem]:
    """The engine must collect exactly the ```python fences this reader finds (e.g. no unclosed fence)."""
    text = path.read_text(encoding="utf-8")
    expected = [f.line for f in read_page(path, text).python_fences if f.info == "python"]
    document = PageDocument(text, str(path))
    collected = [text.count("\n", 0, region.start) + 1 for region in BlockParser()(document)]
    if collected != expected:
        first = sorted(set(expected) ^ set(collected)) or [1]
        return [
            Problem(
                f"{path}:{first[0]}",
                f"engine collected blocks at lines {collected}, the page has python fences at {expected}",
            )
        ]
    return []


def skips_without_reason(path: Path) -> list[Problem]:
    """Every ``skip`` that can skip a block gives a reason a reader understands."""
    problems = []
    page = read_page(path)
    for directive in page.directives:
        if directive.name == "skip" and directive.action in {"next", "start"}:
            if not directive.reason:
                problems.append(
                    Problem(
                        f"{path}:{directive.line}", f"skip without a reason: '{directive.args}' (add reason=\"...\")"
                    )
                )
    return problems


def blocks_without_assert(path: Path) -> list[Problem]:
    """Every python block checks something: an expected output or an ``assert``."""
    return [
        Problem(fence.where, "block asserts nothing: show the expected output (>>> style) or end it with assert")
        for fence in read_page(path).python_fences
        if not fence.asserts_something()
    ]
