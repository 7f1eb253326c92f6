"""Every page as a notebook and a script that a reader downloads and runs.

The build (``hooks/downloads.py``) writes ``<name>.<lang>.ipynb`` and ``<name>.<lang>.py``
next to each built page and links them at the top of it. Both are made from the page, for
the PyTorch version the site is built with:

- prose becomes Markdown cells (admonitions and tabs become bold titles, links point at
  the published site or become plain text, directives disappear);
- each REPL block becomes code cells, one per output, whose stored output is what the page
  shows (an expression's value as a result, printed text as a stream); a line the page
  shows failing is wrapped in ``try``/``except`` and prints the error, so the notebook
  runs top to bottom;
- script blocks become code cells as they are (they end in ``assert``s);
- of a group of version variants only the block for this version is kept;
- a block that the page skips on this machine (a GPU tab on a CPU machine) is kept as a
  commented cell that says why;
- ``--8<-- "snippets/x.py"`` includes show the file's code; the page's imports of
  ``snippets`` need that folder next to the notebook (``snippets_used``; the site
  publishes the files and says so before the first block that imports one).

The script is the notebook in the "percent" format (``# %%`` cells, understood by
VS Code, PyCharm, Spyder and jupytext): Markdown as comments, each output-bearing
expression printed, the expected output below it as a comment. ``run_notebook`` executes
a notebook's cells as Jupyter would and compares what they print and display with the
stored outputs (``tests/test_downloads.py`` runs every page's notebook and script).

    python -m sitekit.downloads build docs/tensors/basics.zh.md OUT_DIR   # write both files
    python -m sitekit.downloads run-notebook OUT_DIR/basics.zh.ipynb      # execute and compare
    python -m sitekit.downloads run-script OUT_DIR/basics.zh.py           # the same for the script
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import json
import os
import posixpath
import re
import sys
import textwrap
import tokenize
import types
from dataclasses import dataclass, field
from pathlib import Path

from . import DOCS_DIR, REPO_ROOT, changes, variants, verified, versions
from .blocks import INCLUDE_RE, Fence, read_page
from .typography import join_cjk_lines

TEXT = {
    "zh": {
        "downloads": "下载",
        "notebook": "notebook",
        "script": "Python 脚本",
        "colab": "在 Colab 中打开",
        "intro": "这个 notebook 由网站上的《{title}》一页生成{link}：正文是页面的文字，代码单元格是页面上的代码，"
        "存下的输出就是页面上写出、并由测试断言过的输出（PyTorch {version}）。运行前先安装 PyTorch："
        "`{install}`。",
        "intro_link": "（[在线阅读]({url})）",
        "intro_snippets": "本页的代码会导入本站的辅助模块 {files}：运行前把{it}下载到这个 notebook 旁边的 "
        "`snippets/` 文件夹里。",
        "seed": "与网站的测试一样，从固定的随机数种子开始",
        "skipped": "页面的测试跳过这段代码（{reason}）：去掉注释再运行",
        "raises": "页面上这一行会报错：这里捕获它，打印出同样的报错信息",
        "snippet_note": "这段代码用到本站的辅助模块 {modules}，{links}（放在代码旁边的 `snippets/` 文件夹里）。",
        "snippet_download": "下载",
        "script_intro": "由网站上的《{title}》一页生成（PyTorch {version}）。运行：python {name}",
        "guard": "本页的代码会启动子进程，子进程会重新导入这个文件：只在直接运行时执行",
        "sep": "、",
    },
    "en": {
        "downloads": "Download",
        "notebook": "notebook",
        "script": "Python script",
        "colab": "Open in Colab",
        "intro": "This notebook is made from the page “{title}”{link}: the text is the page's text, the code cells are "
        "the page's code, and the stored outputs are the outputs the page shows, asserted by its tests "
        "(PyTorch {version}). Install PyTorch before running it: `{install}`.",
        "intro_link": " ([read it online]({url}))",
        "intro_snippets": "The code imports the site's helper {modules} {files}: download {it} into a `snippets/` "
        "folder next to this notebook first.",
        "seed": "the same random seed as the site's tests",
        "skipped": "the page's tests skip this code ({reason}): uncomment it to run it",
        "raises": "this line fails on the page: the error is caught here and printed",
        "snippet_note": "This code uses the site's helper module {modules}: {links} (into a `snippets/` folder next "
        "to your code).",
        "snippet_download": "download",
        "script_intro": "Made from the page “{title}” (PyTorch {version}). Run: python {name}",
        "guard": "the code starts processes, which import this file again: run it only when run directly",
        "sep": ", ",
    },
}

# A line that imports one of the site's helper modules.
SNIPPET_IMPORT = re.compile(
    r"^\s*(?:>>>\s*|\.\.\.\s*)?(?:from\s+snippets\.(\w+)\s+import|import\s+snippets\.(\w+))", re.M
)
ADMONITION = re.compile(r'^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?)\s+[\w-]+(?:\s+"(?P<title>[^"]*)")?\s*$')
TAB = re.compile(r'^(?P<indent>[ \t]*)===\+?\s+"(?P<title>[^"]*)"\s*$')
HTML_COMMENT = re.compile(r"^\s*<!--.*?-->\s*$")
ATTR_LIST = re.compile(r"\s*\{:?\s*[#.][^}]*\}\s*$")
LINK = re.compile(r"(?P<image>!?)\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)(?P<title>\s+\"[^\"]*\")?\)")


def language_of(path: Path) -> str:
    return "en" if ".en." in path.name else "zh"


def download_names(source: Path) -> tuple[str, str]:
    """``basics.zh.md`` -> ``("basics.zh.ipynb", "basics.zh.py")``."""
    stem = source.name.rsplit(".", 1)[0]
    return f"{stem}.ipynb", f"{stem}.py"


def page_url(src_uri: str) -> str:
    """The URL (relative to the site root) of a page, as MkDocs with directory URLs and the suffix layout build it."""
    name = src_uri.rsplit(".", 1)[0]  # tensors/basics.zh
    stem, _, lang = name.rpartition(".")
    if lang not in ("zh", "en"):
        stem, lang = name, "zh"
    prefix = "" if lang == "zh" else f"{lang}/"
    if stem == "index" or stem.endswith("/index"):
        return prefix + stem[: -len("index")]
    return f"{prefix}{stem}/"


def install_line(version: str | None = None) -> str:
    """``pip install torch==2.15.0`` for the version the site is built with."""
    version = version or versions.running()
    return f"pip install torch=={versions.releases()[version]}"


def snippets_used(code: str) -> list[str]:
    """The helper modules (``devices``, ``ddp``) that ``code`` imports from ``snippets``."""
    found = []
    for match in SNIPPET_IMPORT.finditer(code):
        name = match.group(1) or match.group(2)
        if name not in found:
            found.append(name)
    return found


@dataclass
class Output:
    kind: str  # "result" (the value of the cell's last expression) or "stream" (printed text)
    text: str


@dataclass
class Cell:
    kind: str  # "markdown" or "code"
    source: str
    outputs: list[Output] = field(default_factory=list)
    commented: bool = False  # a block this machine skips, kept as comments
    script: str | None = None  # the code as the script writes it, when it differs from the cell's


@dataclass
class Converted:
    title: str
    cells: list[Cell]
    snippets: list[str]


# --- prose --------------------------------------------------------------------------------------


class _Prose:
    """Turns page Markdown into notebook Markdown, line by line, tracking admonitions and tabs."""

    def __init__(self, source_uri: str, lang: str, base_url: str | None, docs_dir: Path) -> None:
        self.source_uri = source_uri
        self.lang = lang
        self.base_url = base_url
        self.docs_dir = docs_dir
        self.containers: list[int] = []  # content indentation of each open admonition or tab
        self.lines: list[str] = []
        self.in_comment = False

    def _dedent(self, line: str) -> str:
        depth = self.containers[-1] if self.containers else 0
        stripped = len(line) - len(line.lstrip(" "))
        return line[min(depth, stripped) :]

    def close_containers(self, indent: int) -> None:
        while self.containers and indent < self.containers[-1]:
            self.containers.pop()

    def add(self, line: str) -> None:
        if self.in_comment:
            if "-->" in line:
                self.in_comment = False
            return
        if line.strip():
            self.close_containers(len(line) - len(line.lstrip(" ")))
        if HTML_COMMENT.match(line):
            return
        if line.lstrip().startswith("<!--") and "-->" not in line:
            self.in_comment = True
            return
        match = ADMONITION.match(line) or TAB.match(line)
        if match:
            title = LINK.sub(self._link, match.group("title") or "")
            self.lines.append(self._dedent(match.group("indent")) + (f"**{title}**" if title else ""))
            self.containers.append(len(match.group("indent")) + 4)
            return
        line = self._dedent(line)
        if line.lstrip().startswith("#"):
            line = ATTR_LIST.sub("", line)
        self.lines.append(LINK.sub(self._link, line))

    def add_block(self, text: str, indent: str) -> None:
        """A block shown as it is (a non-Python fence, an included file): kept at its container's depth."""
        self.close_containers(len(indent))
        for line in text.split("\n"):
            self.lines.append(self._dedent(line) if line.strip() else "")

    def _link(self, match: re.Match) -> str:
        text, target = match.group("text"), match.group("target")
        if match.group("image") or re.match(r"^[a-z][a-z0-9+.-]*:", target):
            return match.group(0)
        url = self.resolve(target)
        return f"[{text}]({url})" if url else text

    def resolve(self, target: str) -> str | None:
        """A link of the page, as an absolute URL of the published site (None when it is not known)."""
        if self.base_url is None:
            return None
        path, _, anchor = target.partition("#")
        if path:
            src = posixpath.normpath(posixpath.join(posixpath.dirname(self.source_uri), path))
            if src.endswith((".md", ".ipynb")):
                stem = src.rsplit(".", 1)[0]
                url = page_url(f"{stem}.{self.lang}.md")
            else:
                url = src
        else:
            url = page_url(self.source_uri)
        return self.base_url + url + (f"#{anchor}" if anchor else "")

    def flush(self) -> str | None:
        text = "\n".join(self.lines).strip("\n")
        self.lines = []
        text = re.sub(r"\n{3,}", "\n\n", text)
        if not text.strip():
            return None
        return join_cjk_lines(text) if self.lang == "zh" else text


# --- code ---------------------------------------------------------------------------------------


# Values whose str() is not their repr(): strings, NumPy arrays and dtypes, devices. The REPL shows the repr.
SHOWS_REPR = re.compile(r"^(?:[rbu]?['\"]|array\(|dtype\(|device\(|np\.|numpy\.)")
# Methods that return None: a REPL line calling one shows only what it prints (a hook, say).
RETURNS_NONE = {"backward", "step", "zero_grad", "simplefilter", "filterwarnings"}
# Code that starts processes: they import the script again, so the script guards its code.
STARTS_PROCESSES = re.compile(r"snippets\.ddp|\bmultiprocessing\b|\bmp\.spawn\b")


def _is_print(value: ast.expr) -> bool:
    return isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "print"


def _returns_none(value: ast.expr) -> bool:
    return isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr in RETURNS_NONE


def _displayed(source: str) -> tuple[ast.Expr, bool] | None:
    """The expression statement whose value a REPL line displays, and whether it ends the code at top level.

    The REPL displays every expression statement, also inside ``for``/``with``/``if`` blocks; the
    pages rely on the last one (earlier ones return None). None when it is a ``print`` call or
    a method that returns None: then the output is what the code prints."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    found: list[ast.Expr] = []

    def visit(statements: list[ast.stmt]) -> None:
        for node in statements:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            if isinstance(node, ast.Expr):
                found.append(node)
            for name in ("body", "orelse", "finalbody"):
                visit(getattr(node, name, None) or [])
            for handler in getattr(node, "handlers", None) or []:
                visit(handler.body)

    visit(tree.body)
    if not found or _is_print(found[-1].value) or _returns_none(found[-1].value):
        return None
    last = found[-1]
    return last, last is tree.body[-1]


def _printed(code: str, want: str) -> str:
    """``x.grad`` -> ``print(x.grad)``: printed as the page's REPL displays it."""
    if isinstance(ast.parse(code.strip()).body[0].value, ast.Tuple):
        code = f"({code})"  # print((a, b)) shows the tuple, as the REPL does
    if SHOWS_REPR.match(want.lstrip()):
        code = f"repr({code})"
    return f"print({code})"


def _print_displayed(source: str, node: ast.Expr, want: str) -> str:
    """``source`` with the expression ``node`` printed."""
    lines = source.rstrip("\n").split("\n")
    first, last = node.lineno - 1, node.end_lineno - 1
    head, tail = lines[first][: node.col_offset], lines[last][node.end_col_offset :]
    text = "\n".join(lines[first : last + 1])
    text = text[node.col_offset : len(text) - len(tail)]
    lines[first : last + 1] = [head + _printed(text, want) + tail]
    return "\n".join(lines) + "\n"


def _indent(code: str, prefix: str) -> str:
    """``textwrap.indent`` that leaves the inside of a multi-line string alone."""
    inside: set[int] = set()
    with contextlib.suppress(tokenize.TokenError, SyntaxError, IndentationError):
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            if token.type == tokenize.STRING and token.end[0] > token.start[0]:
                inside.update(range(token.start[0] + 1, token.end[0] + 1))
    return "\n".join(
        prefix + line if line.strip() and number not in inside else line
        for number, line in enumerate(code.split("\n"), 1)
    )


def _exception_name(exc_msg: str) -> str:
    return exc_msg.split(":", 1)[0].strip()


def _raising(source: str, exc_msg: str, lang: str) -> str:
    """A line the page shows failing, wrapped so that it prints the error and the notebook goes on."""
    name = _exception_name(exc_msg)
    caught = name if re.fullmatch(r"[A-Za-z_]\w*", name) else "Exception"  # torch.autograd.gradcheck.X: not a path
    body = _indent(source.rstrip("\n"), "    ")
    return f'try:  # {TEXT[lang]["raises"]}\n{body}\nexcept {caught} as error:\n    print(f"{name}: {{error}}")\n'


def _commented(code: str, reason: str, lang: str) -> str:
    lines = [f"# {TEXT[lang]['skipped'].format(reason=reason)}"]
    lines += [f"# {line}" if line else "#" for line in code.rstrip("\n").split("\n")]
    return "\n".join(lines) + "\n"


def _expected_comment(text: str) -> list[str]:
    out = text.rstrip("\n").split("\n")
    return [("# -> " if n == 0 else "#    ") + line for n, line in enumerate(out)]


def _skip_condition(fence: Fence) -> tuple[str, str] | None:
    """``(condition, reason)`` of the skip directive before ``fence`` (condition "" when unconditional)."""
    skip = fence.skip
    if skip is None or skip.action not in ("next", "start"):
        return None
    condition = re.sub(r"^if\s*\(", "", skip.args[len(skip.action) :].strip())
    condition = re.sub(r",?\s*reason\s*=\s*([\"']).*?\1\s*\)?\s*$", "", condition).strip()
    return condition, skip.reason or ""


def _skipped_here(condition: str) -> bool:
    import torch

    return bool(eval(condition, {"torch": torch}))  # noqa: S307 - the page's own skip condition


NEGATED = {ast.Lt: ">=", ast.LtE: ">", ast.Gt: "<=", ast.GtE: "<", ast.Eq: "!=", ast.NotEq: "=="}


def _guard(condition: str) -> str:
    """``not torch.cuda.is_available()`` -> ``if torch.cuda.is_available():``: run only where the page runs it."""
    tree = ast.parse(condition, mode="eval").body
    if isinstance(tree, ast.UnaryOp) and isinstance(tree.op, ast.Not):
        return f"if {condition.strip()[3:].strip()}:"
    if isinstance(tree, ast.Compare) and len(tree.ops) == 1 and type(tree.ops[0]) in NEGATED:
        left = ast.get_source_segment(condition, tree.left)
        right = ast.get_source_segment(condition, tree.comparators[0])
        return f"if {left} {NEGATED[type(tree.ops[0])]} {right}:"
    if isinstance(tree, (ast.Call, ast.Attribute, ast.Name)):
        return f"if not {condition}:"
    return f"if not ({condition}):"


def code_cells(fence: Fence, lang: str) -> list[Cell]:
    """The notebook cells of one Python block.

    A block that the page skips under a condition (a GPU tab, a CPU-only result) becomes one cell
    under ``if`` that condition's negation, so it runs where the page's tests run it; its outputs
    are stored when it runs here, and written as comments in it otherwise."""
    cells = _plain_cells(fence, lang)
    skip = _skip_condition(fence)
    if skip is None:
        return cells
    condition, reason = skip
    if not condition:
        code = "".join(cell.source for cell in cells)
        return [Cell("code", _commented(code, reason, lang), commented=True)]
    runs_here = not _skipped_here(condition)
    body: list[str] = []
    for cell in cells:
        body.append((cell.script if cell.script is not None else cell.source).rstrip("\n"))
        if not runs_here:
            body += [line for output in cell.outputs for line in _expected_comment(output.text)]
    code = f"{_guard(condition)}  # {reason}\n" + _indent("\n".join(body), "    ") + "\n"
    printed = "".join(output.text for cell in cells for output in cell.outputs)
    outputs = [Output("stream", printed)] if runs_here and printed else []
    return [Cell("code", code, outputs, script=code)]


def _plain_cells(fence: Fence, lang: str) -> list[Cell]:
    if not fence.is_doctest:
        return [Cell("code", fence.source.rstrip("\n") + "\n")]
    cells: list[Cell] = []
    pending: list[str] = []
    script: list[str] = []
    for example in fence.examples():
        source = example.source
        if example.exc_msg is not None:
            wrapped = _raising(source, example.exc_msg, lang)
            pending.append(wrapped)
            script.append(wrapped)
            cells.append(Cell("code", "".join(pending), [Output("stream", example.exc_msg)], script="".join(script)))
            pending, script = [], []
            continue
        if not example.want:
            pending.append(source)
            script.append(source)
            continue
        displayed = _displayed(source)
        if displayed is None:  # the output is what the code prints
            output = Output("stream", example.want)
            pending.append(source)
            script.append(source)
        else:
            node, ends_cell = displayed
            printed = _print_displayed(source, node, example.want)
            output = Output("result" if ends_cell else "stream", example.want)
            pending.append(source if ends_cell else printed)  # Jupyter displays only a cell's last expression
            script.append(printed)
        cells.append(Cell("code", "".join(pending), [output], script="".join(script)))
        pending, script = [], []
    if pending:
        cells.append(Cell("code", "".join(pending), script="".join(script)))
    return cells


# --- a page -------------------------------------------------------------------------------------


def _title(text: str, fallback: str) -> str:
    for line in text.split("\n"):
        if line.startswith("# "):
            return ATTR_LIST.sub("", line[2:]).strip()
    return fallback


def convert_page(
    path: Path,
    version: str | None = None,
    base_url: str | None = None,
    docs_dir: Path = DOCS_DIR,
    text: str | None = None,
) -> Converted:
    """The cells of a Markdown page as the site for ``version`` shows it.

    ``base_url`` is the published site's root (``https://host/2.15/``): links point there;
    without it, links become plain text."""
    version = version or versions.running()
    lang = language_of(path)
    text = path.read_text(encoding="utf-8") if text is None else text
    page = read_page(path, text)
    dropped: set[int] = set()
    for group in variants.groups(page):
        chosen = group.for_version(version)
        dropped |= {v.fence.line for v in group.variants if v is not chosen}
    fences = {fence.line: fence for fence in page.fences}
    source_uri = path.relative_to(docs_dir).as_posix() if path.is_relative_to(docs_dir) else path.name
    prose = _Prose(source_uri, lang, base_url, docs_dir)
    cells: list[Cell] = []
    used: list[str] = []

    def flush() -> None:
        markdown = prose.flush()
        if markdown:
            cells.append(Cell("markdown", markdown))

    lines = text.split("\n")
    number = 1
    while number <= len(lines):
        fence = fences.get(number)
        if fence is None:
            line = lines[number - 1]
            for marker, render in (
                (verified.MARKER, lambda: verified.replace_marker(verified.MARKER, lang)),
                (changes.MARKER, lambda: changes.replace_marker(changes.MARKER, docs_dir, path, lang)),
                (INSTALL_MARKER, lambda: install_block(version)),
            ):
                if line.strip() == marker:
                    prose.add_block(render(), "")
                    break
            else:
                prose.add(line)
            number += 1
            continue
        number = fence.end_line + 1
        if fence.is_python and fence.is_include:
            included = INCLUDE_RE.match(fence.source.strip())
            file = re.search(r'"(snippets/[^"]+)"', fence.source).group(1)
            code = (REPO_ROOT / file).read_text(encoding="utf-8") if included else fence.source
            prose.add_block(
                f"{fence.indent}```python\n{textwrap.indent(code.rstrip(), fence.indent)}\n{fence.indent}```",
                fence.indent,
            )
            continue
        if not fence.is_python:
            raw = "\n".join(lines[fence.line - 1 : fence.end_line])
            prose.add_block(raw, fence.indent)
            continue
        if fence.line in dropped:
            continue
        prose.close_containers(len(fence.indent))
        flush()
        for module in snippets_used(fence.source):
            if module not in used:
                used.append(module)
        cells.extend(code_cells(fence, lang))
    flush()
    return Converted(_title(text, path.name), cells, used)


def _setup_cell(lang: str) -> Cell:
    source = f"import torch\n\n_ = torch.manual_seed(0)  # {TEXT[lang]['seed']}\n"
    return Cell("code", source)


def _intro(converted: Converted, lang: str, version: str, online: str | None) -> str:
    text = TEXT[lang]
    link = text["intro_link"].format(url=online) if online else ""
    intro = text["intro"].format(title=converted.title, link=link, version=version, install=install_line(version))
    if converted.snippets:
        files = text["sep"].join(f"`snippets/{name}.py`" for name in converted.snippets)
        many = len(converted.snippets) > 1
        it = {"zh": ("它", "它们"), "en": ("it", "them")}[lang][many]
        modules = "modules" if many else "module"
        intro += "\n\n" + text["intro_snippets"].format(files=files, it=it, modules=modules)
    return intro


def assemble(converted: Converted, lang: str, version: str, online: str | None = None) -> list[Cell]:
    """The page's cells with the introduction after the title and the seed before the first code cell."""
    cells = list(converted.cells)
    intro = Cell("markdown", _intro(converted, lang, version, online))
    at = 1 if cells and cells[0].kind == "markdown" and cells[0].source.startswith("# ") else 0
    if at and "\n\n" in cells[0].source:  # the title's cell also holds the first paragraph: split it
        title, rest = cells[0].source.split("\n\n", 1)
        cells[0:1] = [Cell("markdown", title), Cell("markdown", rest)]
    cells.insert(at, intro)
    first_code = next((n for n, cell in enumerate(cells) if cell.kind == "code"), len(cells))
    cells.insert(first_code, _setup_cell(lang))
    return cells


def notebook_json(cells: list[Cell], lang: str) -> dict:
    """nbformat 4.5, outputs stored as the page shows them."""
    out = []
    count = 0
    for index, cell in enumerate(cells, 1):
        entry: dict = {"cell_type": cell.kind, "id": f"cell-{index}", "metadata": {}, "source": cell.source}
        if cell.kind == "code":
            outputs = []
            if cell.commented:
                entry["execution_count"] = None
            else:
                count += 1
                entry["execution_count"] = count
            for output in cell.outputs:
                if output.kind == "result":
                    outputs.append(
                        {
                            "output_type": "execute_result",
                            "execution_count": count,
                            "metadata": {},
                            "data": {"text/plain": output.text.rstrip("\n")},
                        }
                    )
                else:
                    outputs.append({"output_type": "stream", "name": "stdout", "text": output.text})
            entry["outputs"] = outputs
        out.append(entry)
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
            "language": lang,
        },
        "cells": out,
    }


def script_text(cells: list[Cell], header: str, guard: str | None = None) -> str:
    """The cells in the percent format: Markdown as comments, outputs printed and written below as comments.

    ``guard`` (a comment saying why) puts each code cell under ``if __name__ == "__main__":``, for a
    page whose code starts processes: they import the script again, and must not run it again."""
    parts = ["\n".join(f"# {line}".rstrip() for line in header.split("\n"))]
    for cell in cells:
        if cell.kind == "markdown":
            body = "\n".join(f"# {line}".rstrip() for line in cell.source.split("\n"))
            parts.append(f"# %% [markdown]\n{body}")
            continue
        code = (cell.script if cell.script is not None else cell.source).rstrip("\n")
        code = "\n".join(f"# {line}" if line.startswith("%") else line for line in code.split("\n"))  # magics
        if guard and not cell.commented:
            code = f'if __name__ == "__main__":  # {guard}\n' + _indent(code, "    ")
        lines = [code]
        if not cell.commented:
            for output in cell.outputs:
                lines += _expected_comment(output.text)
        parts.append("# %%\n" + "\n".join(lines))
    return "\n\n".join(parts) + "\n"


# --- notebook pages -----------------------------------------------------------------------------


def notebook_page_cells(path: Path) -> tuple[str, list[Cell]]:
    """The title and cells of a notebook page (``.ipynb``): its cells as they are, without outputs."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = []
    for cell in notebook.get("cells", []):
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        if cell.get("cell_type") in ("markdown", "code"):
            cells.append(Cell(cell["cell_type"], source))
    title = next((c.source[2:].split("\n")[0] for c in cells if c.kind == "markdown" and c.source.startswith("# ")), "")
    return title, cells


# --- what the build writes ----------------------------------------------------------------------


@dataclass
class Downloads:
    notebook_name: str
    script_name: str
    notebook: str | None  # None for a notebook page: its own .ipynb is published as it is
    script: str
    snippets: list[str]


def build(
    path: Path,
    version: str | None = None,
    base_url: str | None = None,
    docs_dir: Path = DOCS_DIR,
    text: str | None = None,
) -> Downloads:
    """The notebook and the script of the page at ``path``, for ``version`` (default: the installed torch)."""
    version = version or versions.running()
    lang = language_of(path)
    notebook_name, script_name = download_names(path)
    source_uri = path.relative_to(docs_dir).as_posix() if path.is_relative_to(docs_dir) else path.name
    online = base_url + page_url(source_uri) if base_url else None
    if path.suffix == ".ipynb":
        title, cells = notebook_page_cells(path)
        header = TEXT[lang]["script_intro"].format(title=title, version=version, name=script_name)
        code = "\n".join(c.source for c in cells if c.kind == "code")
        guard = TEXT[lang]["guard"] if STARTS_PROCESSES.search(code) else None
        return Downloads(notebook_name, script_name, None, script_text(cells, header, guard), snippets_used(code))
    converted = convert_page(path, version, base_url, docs_dir, text)
    cells = assemble(converted, lang, version, online)
    header = TEXT[lang]["script_intro"].format(title=converted.title, version=version, name=script_name)
    notebook = json.dumps(notebook_json(cells, lang), ensure_ascii=False, indent=1) + "\n"
    code = "\n".join(c.source for c in cells if c.kind == "code" and not c.commented)
    guard = TEXT[lang]["guard"] if STARTS_PROCESSES.search(code) else None
    return Downloads(notebook_name, script_name, notebook, script_text(cells, header, guard), converted.snippets)


# --- what the build adds to a page ---------------------------------------------------------------

INSTALL_MARKER = "<!-- install-line -->"
GITHUB = re.compile(r"^https://github\.com/(?P<repo>[\w.-]+/[\w.-]+?)(?:\.git)?/?$")


def colab_url(repo_url: str | None, version: str, url: str, notebook_name: str) -> str | None:
    """ "Open in Colab" for a notebook published by mike on the gh-pages branch of a GitHub repository."""
    match = GITHUB.match(repo_url or "")
    if not match:
        return None
    return (
        f"https://colab.research.google.com/github/{match.group('repo')}/blob/gh-pages/{version}/{url}{notebook_name}"
    )


def download_line(lang: str, notebook_name: str, script_name: str, colab: str | None = None) -> str:
    """The links at the top of a page (files next to the page: relative links)."""
    text = TEXT[lang]
    links = [
        f'<a href="{notebook_name}" download>{text["notebook"]}</a>',
        f'<a href="{script_name}" download>{text["script"]}</a>',
    ]
    if colab:
        links.append(f'<a href="{colab}">{text["colab"]}</a>')
    colon = "：" if lang == "zh" else ": "
    return f'<p class="page-downloads" data-search-exclude>{text["downloads"]}{colon}{" · ".join(links)}</p>'


def add_after_title(markdown: str, html: str) -> str:
    """``html`` as a block of its own right after the page's ``# `` title (at the top without one)."""
    lines = markdown.split("\n")
    at = next((n + 1 for n, line in enumerate(lines) if line.startswith("# ")), 0)
    lines[at:at] = ["", html, ""]
    return "\n".join(lines)


def snippet_href(module: str, url: str) -> str:
    """The published ``snippets/<module>.py`` (at the version's root), relative to the page at ``url``."""
    return "../" * url.count("/") + f"snippets/{module}.py"


def snippet_note(lang: str, modules: list[str], url: str) -> str:
    text = TEXT[lang]
    names = text["sep"].join(f"`snippets/{m}.py`" for m in modules)
    links = text["sep"].join(
        f'<a href="{snippet_href(m, url)}" download>{text["snippet_download"]}'
        + (f" {m}.py" if len(modules) > 1 else "")
        + "</a>"
        for m in modules
    )
    return text["snippet_note"].format(modules=names, links=links)


def add_snippet_notes(markdown: str, lang: str, url: str) -> str:
    """A note before the first block that imports each helper module, with its download link."""
    page = read_page(Path("page.md"), markdown)
    lines = markdown.split("\n")
    seen: set[str] = set()
    inserts: list[tuple[int, str, list[str]]] = []
    for fence in page.python_fences:
        new = [m for m in snippets_used(fence.source) if m not in seen]
        if not new:
            continue
        seen.update(new)
        starts = [fence.line] + [d.line for d in (fence.skip, fence.torch) if d is not None and d.line < fence.line]
        inserts.append((min(starts) - 1, fence.indent, new))
    for index, indent, modules in reversed(inserts):
        lines[index:index] = ["", f"{indent}{snippet_note(lang, modules, url)}", ""]
    return "\n".join(lines)


def install_block(version: str | None = None) -> str:
    return f"```bash\n{install_line(version)}\n```"


def replace_install_marker(markdown: str, version: str | None = None) -> str:
    return markdown.replace(INSTALL_MARKER, install_block(version)) if INSTALL_MARKER in markdown else markdown


# --- running a notebook as Jupyter would ---------------------------------------------------------


@dataclass
class Mismatch:
    cell: int  # 1-based position among the notebook's cells
    source: str
    want: str
    got: str

    def __str__(self) -> str:
        return f"cell {self.cell}:\n{self.source}\nexpected:\n{self.want}\ngot:\n{self.got}"


def _run_cell(source: str, namespace: dict, filename: str = "<cell>") -> str:
    """Execute a cell like IPython: what it prints, then the repr of a final expression's value."""
    tree = ast.parse(source, filename)
    last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    body = ast.Module(body=tree.body[:-1] if last else tree.body, type_ignores=[])
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        exec(compile(body, filename, "exec"), namespace)  # noqa: S102 - the page's own code
        if last is not None:
            value = eval(compile(ast.Expression(last.value), filename, "eval"), namespace)  # noqa: S307
            if value is not None:
                print(repr(value))
    return buffer.getvalue()


def _fresh_main(file: Path | None) -> dict:
    """A new ``__main__`` module, as a kernel (no ``__file__``) or ``python x.py`` (with it) has."""
    module = types.ModuleType("__main__")
    module.__builtins__ = builtins
    if file is not None:
        module.__file__ = str(file)
        sys.path.insert(0, str(file.parent))
        sys.argv = [str(file)]
    else:
        sys.path.insert(0, os.getcwd())
    sys.modules["__main__"] = module
    return module.__dict__


def _check(index: int, source: str, want: str, got: str, problems: list[Mismatch]) -> None:
    from .engine import OPTIONFLAGS, RoundingOutputChecker

    if not RoundingOutputChecker().check_output(want, got, OPTIONFLAGS):
        problems.append(Mismatch(index, source, want, got))


def run_notebook(notebook: dict) -> list[Mismatch]:
    """Run every code cell in order in a fresh ``__main__``, as a kernel does, and compare what
    each prints and displays with its stored outputs, as the page's tests compare them."""
    namespace = _fresh_main(None)
    problems: list[Mismatch] = []
    for index, cell in enumerate(notebook["cells"], 1):
        if cell["cell_type"] != "code" or cell.get("execution_count") is None:
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        got = _run_cell(source, namespace)
        want = ""
        for output in cell["outputs"]:
            if output["output_type"] == "stream":
                want += output["text"]
            else:
                want += output["data"]["text/plain"] + "\n"
        _check(index, source, want, got, problems)
    return problems


def script_cells(text: str) -> list[tuple[str, str | None]]:
    """The code cells of a script (``# %%``) with the output each one writes below its code (``# -> ``)."""
    cells = []
    for chunk in re.split(r"^# %%.*$", text, flags=re.M)[1:]:
        if chunk.lstrip("\n").startswith("# ") and not _has_code(chunk):
            continue  # Markdown, or a block this machine skips: comments only
        want, code = [], []
        for line in chunk.split("\n"):
            if line.startswith("# -> "):
                want.append(line[5:])
            elif line.startswith("#    ") and want:
                want.append(line[5:])
            else:
                code.append(line)
        cells.append(("\n".join(code).strip("\n") + "\n", "\n".join(want) + "\n" if want else None))
    return cells


def _has_code(chunk: str) -> bool:
    return any(line.strip() and not line.lstrip().startswith("#") for line in chunk.split("\n"))


def run_script(path: Path) -> list[Mismatch]:
    """Run a script cell by cell as ``python path`` would run it (``__main__`` with a ``__file__``),
    and compare what each cell prints with the output written below it, if any."""
    path = path.resolve()
    namespace = _fresh_main(path)
    problems: list[Mismatch] = []
    for index, (code, want) in enumerate(script_cells(path.read_text(encoding="utf-8")), 1):
        got = _run_cell(code, namespace, str(path))
        if want is not None:  # a cell without "# -> " lines may print anything (a notebook page's cells)
            _check(index, code, want, got, problems)
    return problems


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) == 3 and args[0] == "build":
        source, out = Path(args[1]).resolve(), Path(args[2])
        out.mkdir(parents=True, exist_ok=True)
        made = build(source)
        if made.notebook is not None:
            (out / made.notebook_name).write_text(made.notebook, encoding="utf-8")
        (out / made.script_name).write_text(made.script, encoding="utf-8")
        print(out / made.notebook_name, out / made.script_name)
        return 0
    if len(args) == 2 and args[0] in ("run-notebook", "run-script"):
        path = Path(args[1])
        if args[0] == "run-notebook":
            problems = run_notebook(json.loads(path.read_text(encoding="utf-8")))
        else:
            problems = run_script(path)
        for problem in problems:
            print(problem, end="\n\n")
        return 1 if problems else 0
    print(__doc__.split("\n\n")[-1], file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
