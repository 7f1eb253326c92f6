"""Chinese typography in the source: a line break inside a Chinese paragraph is not a space.

Markdown turns a line break inside a paragraph into a space, which is right between
English words and wrong between Chinese characters ("初始化、 训练"). ``join_cjk_lines``
joins such lines before Markdown sees them (the source stays easy to diff); code fences
and lines that start a new block are left alone.
"""

from __future__ import annotations

import re

from .blocks import FENCE_RE

CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
ENDS_CJK = re.compile(rf"[{CJK}]$")
STARTS_CJK = re.compile(rf"^[{CJK}]")
CJK_PUNCTUATION_END = re.compile(r"[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]$")
# A line that starts a block of its own (list item, heading, table, quote, admonition, tab, HTML, fence).
BLOCK_START = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|#|\||>|!!!|\?\?\?|===|<|`{3,}|~{3,}|\[\^|\*\*\*|---)")


def join_cjk_lines(markdown: str) -> str:
    lines = markdown.split("\n")
    out: list[str] = []
    fence: str | None = None
    for line in lines:
        match = FENCE_RE.match(line)
        if match:
            marker = match.group("fence")
            if fence is None:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence) and not match.group("info").strip():
                fence = None
            out.append(line)
            continue
        if fence is None and out and _continues(out[-1], line):
            out[-1] = out[-1] + line.lstrip()
            continue
        out.append(line)
    return "\n".join(out)


def _continues(previous: str, line: str) -> bool:
    """True if ``line`` continues the paragraph ending in ``previous`` with no space between."""
    if not previous.strip() or not line.strip() or previous.endswith("  ") or BLOCK_START.match(line):
        return False
    if FENCE_RE.match(previous) or previous.lstrip().startswith(("#", "|", "<", "!!!", "???", "===")):
        return False
    head = line.lstrip().lstrip("*_")
    tail = previous.rstrip("*_")  # emphasis closing after the last character: "…多少？**"
    return bool(ENDS_CJK.search(tail) and STARTS_CJK.match(head)) or bool(CJK_PUNCTUATION_END.search(tail))
