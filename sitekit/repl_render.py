"""REPL blocks render as a Python console session, not as a Python script.

A ```` ```python ```` block whose first line is a ``>>>`` prompt is a doctest: the test engine
(sybil) reads it by that fence info, so the source keeps it. At build time
``pycon_fences`` hands MkDocs the same block as ```` ```pycon ````, so Pygments' console lexer
marks prompts (``.gp``) and outputs (``.go``, tracebacks) instead of colouring an error
message as keywords; ``mark_output_lines`` then gives every line of such a block that is not
code (it starts with no prompt) the class ``repl-output``, so docs/assets/site.css can wrap
long outputs and tracebacks while code lines stay exactly as written.
"""

from __future__ import annotations

import re
from pathlib import Path

from .blocks import FENCE_RE, read_page

SCRIPT_LANGS = {"python", "py", "python3"}
OUTPUT_CLASS = "repl-output"
PYCON_BLOCK = re.compile(r'(<div class="language-pycon highlight">.*?</code>)', re.S)
# One line of a highlighted block (pymdownx.highlight line_spans: "__span"), with its line anchor.
LINE_SPAN = re.compile(r'<span id="(__span-\d+-\d+)">((?:<a [^>]*></a>)?+)(?!<span class="gp">)')


def pycon_fences(markdown: str) -> str:
    """``markdown`` with the fence info of each REPL block changed from ``python`` to ``pycon``."""
    lines = markdown.splitlines(keepends=True)
    page = read_page(Path("page.md"), text=markdown)
    for fence in page.fences:
        if fence.language.lower() not in SCRIPT_LANGS or not fence.is_doctest or fence.is_include:
            continue
        line = lines[fence.line - 1]
        match = FENCE_RE.match(line.rstrip("\r\n"))
        if match is None:  # read_page and splitlines disagree on line numbers: leave the page as it is
            continue
        info = re.sub(r"^(\{?\.?)" + re.escape(fence.language), r"\1pycon", match.group("info").lstrip(), count=1)
        lines[fence.line - 1] = match.group("indent") + match.group("fence") + info + line[len(line.rstrip("\r\n")) :]
    return "".join(lines)


def mark_output_lines(html: str) -> str:
    """Give each output line of a rendered ``pycon`` block the class ``repl-output``."""

    def mark_block(block: re.Match) -> str:
        return LINE_SPAN.sub(rf'<span id="\1" class="{OUTPUT_CLASS}">\2', block.group(1))

    return PYCON_BLOCK.sub(mark_block, html)
