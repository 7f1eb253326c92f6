"""The test engine: every ```python fence of a page becomes one sybil example.

- A REPL block (starting with ``>>>``) runs as one doctest, example by example,
  with ``ELLIPSIS | NORMALIZE_WHITESPACE | NUMBER``; it stops at the first
  mismatch and reports the page, the line of that example, its code and a diff.
- A script block runs with ``exec`` and must ``assert`` what it shows.
- ``<!-- skip: ... -->`` and ``<!-- clear-namespace -->`` directives work as in sybil.
- Each page gets its own namespace, its own temporary working directory,
  ``torch.manual_seed(0)`` before its first block, and clean global state after.
"""

from __future__ import annotations

import doctest
import os
import re
import shutil
import sys
import tempfile
import traceback
import types
import unittest
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sybil import Document, Example, Region, Sybil
from sybil.evaluators.doctest import NUMBER, OutputChecker
from sybil.evaluators.python import PythonEvaluator
from sybil.evaluators.skip import Skipper
from sybil.parsers.markdown import ClearNamespaceParser, SkipParser
from sybil.parsers.markdown.lexers import FencedCodeBlockLexer

from . import REPO_ROOT, reporting, versions
from .blocks import INCLUDE_RE, read_page

OPTIONFLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE | NUMBER
CUDA_CONDITION = re.compile(r"cuda\.is_available\(\)")


class Settings:
    """Run-wide switches set by the pytest plugin."""

    require_gpu: bool = False
    # Paths in reports are written relative to this (pytest's rootdir).
    rootdir: str = str(REPO_ROOT)
    # When not None, the actual outputs are collected here instead of being asserted.
    recorder: OutputRecorder | None = None
    # The supported PyTorch version whose outputs are checked (versions.running() when None).
    torch_version: str | None = None

    @classmethod
    def version(cls) -> str:
        if cls.torch_version is None:
            cls.torch_version = versions.running()
        return cls.torch_version


@dataclass
class RecordedExample:
    index: int  # position among the block's examples
    want: str
    got: str
    matched: bool


@dataclass
class OutputRecorder:
    """Actual outputs by page and block line, for ``--update-outputs``."""

    pages: dict[str, dict[int, list[RecordedExample]]] = field(default_factory=dict)

    def add(self, path: str, block_line: int, item: RecordedExample) -> None:
        self.pages.setdefault(path, {}).setdefault(block_line, []).append(item)


def exception_as_want(got: str) -> str:
    """Turn doctest's captured traceback into the short form a page shows."""
    lines = got.splitlines()
    if "Traceback (most recent call last):" not in lines:
        return got
    start = lines.index("Traceback (most recent call last):")
    rest = lines[start + 1 :]
    while rest and (rest[0].startswith(" ") or not rest[0].strip()):
        rest = rest[1:]
    return "\n".join(["Traceback (most recent call last):", "..."] + rest) + "\n"


class RoundingOutputChecker(OutputChecker):
    """sybil's checker, with a stricter ``NUMBER``: a written number must be the actual value
    *rounded* to the digits written (``0.33`` accepts 0.334, not 0.336), and a number written
    as an integer-valued float (``2.``, ``7.``, as PyTorch prints whole floats) must be exactly
    that value (``tensor([2.])`` does not accept ``tensor([2.4000])``). sybil and pytest accept a
    whole unit of the last digit, which lets ``13.`` pass for 14."""

    def _remove_unwanted_precision(self, want: str, got: str) -> str:
        wants = list(self._number_re.finditer(want))
        gots = list(self._number_re.finditer(got))
        if len(wants) != len(gots):
            return got
        offset = 0
        for w, g in zip(wants, gots, strict=True):
            fraction = w.group("fraction")
            exponent = w.group("exponent1") or w.group("exponent2")
            if fraction is None and exponent is None:
                close = float(w.group()) == float(g.group())  # "2." is exactly two
            else:
                precision = (len(fraction) if fraction is not None else 0) - int(exponent or 0)
                close = abs(float(w.group()) - float(g.group())) <= 0.5 * 10**-precision * (1 + 1e-9)
            if close:
                got = got[: g.start() + offset] + w.group() + got[g.end() + offset :]
                offset += w.end() - w.start() - (g.end() - g.start())
        return got


class _Runner(doctest.DocTestRunner):
    """A doctest runner that keeps what happened instead of printing it."""

    def __init__(self, optionflags: int) -> None:
        super().__init__(verbose=False, optionflags=optionflags, checker=RoundingOutputChecker())
        self.outcomes: list[tuple[doctest.Example, str, str]] = []  # (example, kind, got)

    def report_start(self, out, test, example):  # noqa: D102 - doctest API
        pass

    def report_success(self, out, test, example, got):  # noqa: D102
        self.outcomes.append((example, "ok", got))

    def report_failure(self, out, test, example, got):  # noqa: D102
        if example.exc_msg is not None or "Traceback (most recent call last):" in got:
            got = exception_as_want(got)
        self.outcomes.append((example, "failed", got))

    def report_unexpected_exception(self, out, test, example, exc_info):  # noqa: D102
        text = "".join(traceback.format_exception(*exc_info))
        self.outcomes.append((example, "exception", text))


def _page_relative(path: str) -> str:
    """A page's path as contributors write it (``docs/...``), whatever the working directory."""
    try:
        return os.path.relpath(path, Settings.rootdir)
    except ValueError:
        return path


class DocTestBlockEvaluator:
    """Evaluates a whole REPL block (all its ``>>>`` examples) as one test."""

    def __call__(self, example: Example) -> str | None:
        __tracebackhide__ = True
        source: str = example.parsed
        examples = doctest.DocTestParser().get_examples(source)
        recorder = Settings.recorder
        runner = _Runner(OPTIONFLAGS | (0 if recorder else doctest.FAIL_FAST))
        namespace = example.namespace
        # A name unique to the block: doctest maps "<doctest NAME[i]>" frames back to examples by name,
        # and a function defined in an earlier block must not be looked up in this one.
        name = f"{example.path}:{example.line}"
        test = doctest.DocTest(examples, namespace, name, example.path, example.line, None)
        test.globs = namespace  # doctest copies globs; pages need one shared namespace
        runner.run(test, clear_globs=False, out=lambda _: None)
        page = _page_relative(example.path)
        for index, (ex, kind, got) in enumerate(runner.outcomes):
            line = example.line + 1 + ex.lineno
            if recorder is not None:
                # Exceptions that the page does not expect are still failures in update mode.
                if kind == "exception":
                    return reporting.block_exception(page, line, ex.source, got)
                recorder.add(example.path, example.line, RecordedExample(index, ex.want, got, kind == "ok"))
                continue
            if kind == "failed":
                want = ex.want if ex.exc_msg is None else exception_as_want(ex.want)
                return reporting.block_failure(page, line, ex.source, want, got)
            if kind == "exception":
                return reporting.block_exception(page, line, ex.source, got)
        return None


def _inside_a_fence(position: int, spans: list[tuple[int, int]]) -> bool:
    """True if ``position`` lies strictly inside one of the fenced blocks ``spans`` (start, end)."""
    return any(start < position < end for start, end in spans)


class OtherVersionEvaluator:
    """A block whose ``<!-- torch: ... -->`` spec excludes the running version: reported skipped."""

    def __init__(self, spec: str) -> None:
        self.spec = spec

    def __call__(self, example: Example) -> str | None:
        shown = versions.label(versions.parse_spec(self.spec))
        raise unittest.SkipTest(f"shows what torch {shown} prints; this run checks torch {Settings.version()}")


class BlockParser:
    """Yields one region per ```python fence: a REPL block or a script block.

    Fences with anything after ``python`` on the info line are *not* collected
    here (as in sybil); ``tests/test_guards.py`` fails on them so none is lost.
    A fence whose ``<!-- torch: ... -->`` spec leaves out the running version is
    collected but skipped, with a reason naming both versions.
    """

    def __init__(self) -> None:
        self.lexer = FencedCodeBlockLexer(language=r".+", mapping={"language": "language", "source": "source"})
        self.doctest_evaluator = DocTestBlockEvaluator()
        self.script_evaluator = PythonEvaluator()

    def __call__(self, document: Document) -> Iterable[Region]:
        regions = list(self.lexer(document))
        spans = [(region.start, region.end) for region in regions]
        specs = {
            fence.line: fence.torch.args for fence in read_page(document.path, document.text).fences if fence.torch
        }
        for region in regions:
            if region.lexemes["language"] != "python":
                continue
            if _inside_a_fence(region.start, spans):
                continue  # a fence shown inside another fence (e.g. a Markdown example) is text

            source = region.lexemes["source"]
            if INCLUDE_RE.match(str(source).strip()):
                continue  # shows a file from snippets/, tested where it lives
            region.parsed = source
            region.evaluator = self.doctest_evaluator if source.lstrip().startswith(">>>") else self.script_evaluator
            spec = specs.get(document.text.count("\n", 0, region.start) + 1)
            if spec is not None and Settings.version() not in versions.parse_spec(spec):
                region.evaluator = OtherVersionEvaluator(spec)
            yield region


class GpuAwareSkipper(Skipper):
    """sybil's skip, but under ``--require-gpu`` a "no CUDA" skip is a failure."""

    def install(self, example: Example, state, reason) -> None:
        if Settings.require_gpu and reason and CUDA_CONDITION.search(reason):
            namespace = example.document.namespace
            torch = namespace.get("torch") or sys.modules.get("torch")
            if torch is None or not torch.cuda.is_available():
                raise AssertionError(
                    f"{_page_relative(example.path)}:{example.line}: --require-gpu is set but this "
                    f"block would be skipped because CUDA is not available ({reason.strip()})"
                )
        super().install(example, state, reason)


def _outside_fences(parser, document: Document) -> Iterable[Region]:
    """A directive written inside a fenced block (a Markdown example) is text, not a directive."""
    lexer = FencedCodeBlockLexer(language=r".*", mapping={"language": "language"})
    spans = [(region.start, region.end) for region in lexer(document)]
    for region in parser(document):
        if not _inside_a_fence(region.start, spans):
            yield region


class GpuAwareSkipParser(SkipParser):
    def __init__(self) -> None:
        super().__init__()
        self.skipper = GpuAwareSkipper(self.directive)

    def __call__(self, document: Document) -> Iterable[Region]:
        return _outside_fences(super().__call__, document)


class ClearParser(ClearNamespaceParser):
    def __call__(self, document: Document) -> Iterable[Region]:
        return _outside_fences(super().__call__, document)


# --- one page = one namespace, one working directory -------------------------------------------


def _page_module_name(path: str) -> str:
    slug = re.sub(r"\W", "_", _page_relative(path))
    return f"page_{slug}"


def setup_page(namespace: dict[str, Any]) -> None:
    """Called by sybil once per page before its first block."""
    import torch

    path = namespace.get("__file__", "page")
    workdir = tempfile.mkdtemp(prefix="page-")
    namespace["_sitekit_state"] = {"cwd": os.getcwd(), "workdir": workdir}
    os.chdir(workdir)
    # Classes a page defines must be picklable (torch.save of a whole model):
    # give the page a module of its own that resolves names in its namespace.
    name = _page_module_name(path)
    module = types.ModuleType(name)

    def _lookup(attr: str) -> Any:
        try:
            return namespace[attr]
        except KeyError:
            raise AttributeError(attr) from None

    module.__getattr__ = _lookup  # type: ignore[method-assign]
    sys.modules[name] = module
    namespace["__name__"] = name
    namespace["_sitekit_state"]["module"] = name
    torch.manual_seed(0)


def teardown_page(namespace: dict[str, Any]) -> None:
    """Called by sybil after a page's last block: leave nothing behind."""
    import torch

    state = namespace.get("_sitekit_state", {})
    if "cwd" in state:
        os.chdir(state["cwd"])
    if "workdir" in state:
        shutil.rmtree(state["workdir"], ignore_errors=True)
    sys.modules.pop(state.get("module", ""), None)
    torch.set_printoptions(profile="default")
    torch.set_default_dtype(torch.float32)
    torch.set_grad_enabled(True)
    if torch.are_deterministic_algorithms_enabled():  # switching it costs ~2 s of imports
        torch.use_deterministic_algorithms(False)


class PageDocument(Document):
    """A sybil Document whose namespace knows which page it belongs to."""

    def __init__(self, text: str, path: str) -> None:
        super().__init__(text, path)
        self.namespace["__file__"] = path


def make_sybil(patterns: tuple[str, ...] = ("*.md",), path: str = ".") -> Sybil:
    return Sybil(
        path=path,
        parsers=[BlockParser(), GpuAwareSkipParser(), ClearParser()],
        patterns=list(patterns),
        setup=setup_page,
        teardown=teardown_page,
        document_types={".md": PageDocument},
    )
