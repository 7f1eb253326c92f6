"""Read a Markdown page into its fenced code blocks and HTML-comment directives.

Text only: nothing here runs code. The guards, the parity check, the output
updater and the i18n report all look at pages through this one reader, so they
agree on what a "block" is and on its line number.
"""

from __future__ import annotations

import ast
import doctest
import io
import re
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

# An opening or closing fence, possibly indented (content tabs, admonitions).
FENCE_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)$")
# <!-- skip: next if(...) -->, <!-- clear-namespace -->, ...
DIRECTIVE_RE = re.compile(r"^[ \t]*<!--+\s*(?P<name>[\w-]+):?\s*(?P<args>.*?)\s*--+>\s*$")
SKIP_ARGS_RE = re.compile(r"^(?P<action>\w+)(?:\s+(?P<rest>.+))?$")
REASON_RE = re.compile(r"""reason\s*=\s*(?P<q>["'])(?P<reason>.*?)(?P=q)""")
# A fence that only includes a file from snippets/ (pymdownx.snippets) shows that file's code;
# the file is tested where it lives (tests/test_snippets.py) and by the page's next blocks.
INCLUDE_RE = re.compile(r'^\s*--8<--\s+"snippets/[^"]+\.py"\s*$')
PYTHON_LANGS = {"python", "py", "python3", "pycon", "pyodide"}


@dataclass
class Directive:
    """An HTML-comment directive such as ``<!-- skip: next if(...) -->``."""

    line: int
    name: str
    args: str

    @property
    def action(self) -> str:
        match = SKIP_ARGS_RE.match(self.args)
        return match.group("action") if match else ""

    @property
    def condition(self) -> str:
        """The skip condition without its (language-specific) reason."""
        match = SKIP_ARGS_RE.match(self.args)
        rest = (match.group("rest") or "") if match else ""
        return REASON_RE.sub("reason=…", rest).strip()

    @property
    def reason(self) -> str | None:
        match = REASON_RE.search(self.args)
        return match.group("reason") if match else None


@dataclass
class Fence:
    """One fenced code block of a page."""

    path: Path
    line: int  # 1-based line of the opening fence
    end_line: int  # 1-based line of the closing fence
    indent: str
    info: str  # everything after the backticks, stripped
    source: str  # the block's text, indentation removed
    skip: Directive | None = field(default=None)  # a skip directive that applies to it
    torch: Directive | None = field(default=None)  # <!-- torch: 2.11-2.14 -->: the versions whose output it shows
    unclosed: bool = False  # the page ends before the closing fence

    @property
    def language(self) -> str:
        return self.info.split()[0].strip("{}.") if self.info.split() else ""

    @property
    def is_python(self) -> bool:
        return self.language.lower() in PYTHON_LANGS

    @property
    def is_include(self) -> bool:
        return bool(INCLUDE_RE.match(self.source.strip()))

    @property
    def is_doctest(self) -> bool:
        return self.source.lstrip().startswith(">>>")

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"

    def examples(self) -> list[doctest.Example]:
        """The doctest examples of a REPL block (empty for a script block)."""
        if not self.is_doctest:
            return []
        return doctest.DocTestParser().get_examples(self.source)

    def code_only(self) -> str:
        """The code without comments and without expected outputs: what version variants share."""
        if self.is_doctest:
            return "\n".join(">>> " + strip_comments(example.source) for example in self.examples())
        return strip_comments(self.source)

    def code_without_comments(self) -> str:
        """The block's code with comments and blank lines removed: what must match across languages."""
        if self.is_doctest:
            parts = []
            for example in self.examples():
                parts.append(">>> " + strip_comments(example.source))
                if example.want:
                    parts.append(example.want.rstrip("\n"))
            return "\n".join(parts)
        return strip_comments(self.source)

    def asserts_something(self) -> bool:
        """True if the block checks an outcome: a doctest expected output or an assert."""
        if self.is_doctest:
            examples = self.examples()
            if any(example.want.strip() for example in examples):
                return True
            return any(_has_assert(example.source) for example in examples)
        return _has_assert(self.source)


@dataclass
class Page:
    path: Path
    fences: list[Fence]
    directives: list[Directive]

    @property
    def python_fences(self) -> list[Fence]:
        """The fences that run as tests (includes of snippets/ files show code, they don't run here)."""
        return [fence for fence in self.fences if fence.is_python and not fence.is_include]


def strip_comments(code: str) -> str:
    """Remove comments and blank lines from Python code, keep everything else as written."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return "\n".join(line for line in code.splitlines() if line.strip())
    comment_spans = {(tok.start[0], tok.start[1]) for tok in tokens if tok.type == tokenize.COMMENT}
    lines = code.splitlines()
    for row, col in sorted(comment_spans, reverse=True):
        lines[row - 1] = lines[row - 1][:col]
    return "\n".join(line.rstrip() for line in lines if line.strip())


def _has_assert(code: str) -> bool:
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return "assert " in code
    return any(isinstance(node, ast.Assert) for node in ast.walk(tree))


def _dedent(lines: list[str], indent: str) -> str:
    out = []
    for line in lines:
        out.append(line[len(indent) :] if line.startswith(indent) else line.lstrip())
    return "\n".join(out) + ("\n" if out else "")


def read_page(path: Path | str, text: str | None = None) -> Page:
    """Parse a Markdown page into fences and directives, with 1-based line numbers."""
    path = Path(path)
    if text is None:
        text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    fences: list[Fence] = []
    directives: list[Directive] = []
    pending_skip: Directive | None = None
    pending_torch: Directive | None = None
    skip_block: Directive | None = None  # an open "skip: start"
    i = 0
    while i < len(lines):
        match = FENCE_RE.match(lines[i])
        if match:
            indent, marker, info = match.group("indent"), match.group("fence"), match.group("info").strip()
            # Closed by the same character, at least as long, at the same indentation (as sybil does):
            # a fence nested deeper inside this one is content, not its end.
            close_re = re.compile(rf"^{re.escape(indent)}{re.escape(marker[0])}{{{len(marker)},}}[ \t]*$")
            j = i + 1
            while j < len(lines) and not close_re.match(lines[j]):
                j += 1
            fence = Fence(
                path=path,
                line=i + 1,
                end_line=j + 1,
                indent=indent,
                info=info,
                source=_dedent(lines[i + 1 : j], indent),
                unclosed=j >= len(lines),
            )
            if fence.is_python:
                fence.skip = pending_skip or skip_block
                fence.torch = pending_torch
                pending_skip = pending_torch = None
            fences.append(fence)
            i = j + 1
            continue
        directive = DIRECTIVE_RE.match(lines[i])
        if directive:
            found = Directive(line=i + 1, name=directive.group("name"), args=directive.group("args"))
            directives.append(found)
            if found.name == "torch":
                pending_torch = found
            elif found.name == "skip":
                if found.action == "next":
                    pending_skip = found
                elif found.action == "start":
                    skip_block = found
                elif found.action == "end":
                    skip_block = None
        i += 1
    return Page(path=path, fences=fences, directives=directives)


def iter_pages(docs_dir: Path) -> list[Path]:
    """Every Markdown page under ``docs_dir``, sorted for stable reports."""
    return sorted(p for p in docs_dir.rglob("*.md") if p.is_file())
