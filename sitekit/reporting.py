"""How a failing block is reported: page and line, the code, expected vs. got as a diff."""

from __future__ import annotations

import difflib
import textwrap


def block_failure(path: str, line: int, code: str, want: str, got: str) -> str:
    """A report a contributor can act on without opening the page."""
    want = want.rstrip("\n")
    got = got.rstrip("\n")
    diff = difflib.unified_diff(
        want.splitlines(), got.splitlines(), fromfile="expected (page)", tofile="got (PyTorch)", lineterm=""
    )
    return "\n".join(
        [
            f"{path}:{line}: output differs",
            "Code:",
            textwrap.indent(code.rstrip("\n"), "    >>> ", lambda _: True),
            "Expected:",
            textwrap.indent(want or "<nothing>", "    ", lambda _: True),
            "Got:",
            textwrap.indent(got or "<nothing>", "    ", lambda _: True),
            "Diff (- expected, + got):",
            textwrap.indent("\n".join(diff), "    ", lambda _: True),
            "To accept what PyTorch prints now: make update-outputs PAGES=" + path,
        ]
    )


def block_exception(path: str, line: int, code: str, exception_text: str) -> str:
    return "\n".join(
        [
            f"{path}:{line}: raised an exception the page does not show",
            "Code:",
            textwrap.indent(code.rstrip("\n"), "    >>> ", lambda _: True),
            "Exception:",
            textwrap.indent(exception_text.rstrip("\n"), "    ", lambda _: True),
        ]
    )
