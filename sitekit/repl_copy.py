"""What the copy button of a REPL block puts on the clipboard: code that runs when pasted into ``python``.

A REPL block (``>>>`` prompts) shows code, prompts and outputs; the reader wants the code.
``copy_text`` keeps the statements and drops prompts and outputs, as sphinx-copybutton does,
and also makes the text paste cleanly into the standard interactive interpreter, which reads
one line at a time and is stricter than doctest:

- an empty line ends an indented block there, so empty lines inside a statement are dropped
  (doctest lets a class put an empty ``...`` line between its methods; the REPL does not);
- an indented block runs only after an empty line, so one follows every statement that
  continues over several lines or opens a block (``for x in y: f(x)``), before the next
  statement and at the end.

docs/assets/copy-repl.js does the same in the browser (``window.sitekitReplToCode``);
tests/test_repl_copy.py checks that both agree and that every REPL block of every page
pastes into ``code.InteractiveConsole`` without a SyntaxError.
"""

from __future__ import annotations

import code
import re
import sys
import warnings

PROMPT = re.compile(r"^>>>( |$)")
CONTINUATION = re.compile(r"^\.\.\.( |$)")
# A one-line statement that opens a block (``if x: y``) also waits for an empty line in the REPL.
OPENS_BLOCK = re.compile(r"^(?:async\s+)?(?:if|elif|else|for|while|with|def|class|try|except|finally|match|case)\b")


def statements(text: str) -> list[list[str]] | None:
    """The code of each ``>>>`` statement, line by line, without prompts; None if ``text`` has no prompt."""
    lines = text.replace("\r\n", "\n").split("\n")
    if not any(PROMPT.match(line) for line in lines):
        return None
    found: list[list[str]] = []
    in_source = False
    for line in lines:
        if PROMPT.match(line):
            found.append([line[4:]])
            in_source = True
        elif in_source and CONTINUATION.match(line):
            found[-1].append(line[4:])
        else:
            in_source = False  # an output line
    return found


def copy_text(text: str) -> str | None:
    """The text the copy button copies for a REPL block, None for a block without ``>>>`` prompts."""
    found = statements(text)
    if found is None:
        return None
    out: list[str] = []
    for lines in found:
        code_lines = [line for line in lines if line.strip()]
        if not code_lines:
            continue  # a bare ">>>"
        out.extend(code_lines)
        if len(code_lines) > 1 or OPENS_BLOCK.match(code_lines[0]):
            out.append("")
    return "\n".join(out) + "\n"


class _SyntaxOnlyConsole(code.InteractiveConsole):
    """The standard interactive interpreter's line-by-line reading, without running anything."""

    def __init__(self):
        super().__init__(filename="<stdin>")
        self.syntax_errors: list[str] = []

    def runcode(self, code_object):
        pass  # only the syntax matters: NameError and friends would be the reader's own session

    def showsyntaxerror(self, filename=None, **kwargs):
        error = sys.exc_info()[1]
        self.syntax_errors.append(f"{type(error).__name__}: {error}")


def paste_errors(text: str) -> list[str]:
    """The SyntaxErrors the standard REPL reports when ``text`` is pasted into it, line by line."""
    console = _SyntaxOnlyConsole()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        for line in text.split("\n"):
            console.push(line)
        console.push("")
    return console.syntax_errors
