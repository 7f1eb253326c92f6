"""Chinese/English twins: every ``x.zh.md`` has ``x.en.md`` and both carry the same blocks.

Compared, block by block and in order: the Python code with comments removed,
the expected outputs of REPL blocks, and the skip directives' conditions (their
reasons are in the page's language and may differ). Prose and comments may differ.
Figure directives (``figures``) must draw the same kind of figure of the same variable
after the same block; only their alt text, in the page's language, may differ.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

from .blocks import Fence, read_page
from .figures import FigureError, figure_specs

SUFFIXES = {".zh.md": ".en.md", ".en.md": ".zh.md", ".zh.ipynb": ".en.ipynb", ".en.ipynb": ".zh.ipynb"}


def twin_of(path: Path) -> Path | None:
    name = path.name
    for suffix, other in SUFFIXES.items():
        if name.endswith(suffix):
            return path.with_name(name[: -len(suffix)] + other)
    return None


@dataclass
class Problem:
    where: str  # "file:line"
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def missing_twins(paths: list[Path]) -> list[Problem]:
    problems = []
    for path in paths:
        twin = twin_of(path)
        if twin is None:
            if path.suffix == ".md":
                problems.append(Problem(f"{path}:1", "page name must end in .zh.md or .en.md"))
            continue
        if not twin.exists():
            problems.append(Problem(f"{path}:1", f"has no twin: {twin} is missing"))
    return problems


def _signature(fence: Fence) -> tuple[str, str]:
    skip = f"skip: {fence.skip.action} {fence.skip.condition}".strip() if fence.skip else ""
    if fence.torch:
        skip = (skip + f"\ntorch: {' '.join(fence.torch.args.split())}").strip()
    return (skip, fence.code_without_comments())


def side_by_side(left: str, right: str, left_title: str, right_title: str, width: int = 60) -> str:
    rows = [f"{left_title[:width]:<{width}} | {right_title[:width]}", "-" * width + "-+-" + "-" * width]
    for a, b in itertools.zip_longest(left.splitlines(), right.splitlines(), fillvalue=""):
        marker = " | " if a == b else " ≠ "
        rows.append(f"{a[:width]:<{width}}{marker}{b[:width]}")
    return "\n".join(rows)


def compare_pair(zh: Path, en: Path) -> list[Problem]:
    """Block-by-block differences between a Chinese page and its English twin."""
    zh_fences = read_page(zh).python_fences
    en_fences = read_page(en).python_fences
    problems = []
    for index, (a, b) in enumerate(itertools.zip_longest(zh_fences, en_fences)):
        if a is None or b is None:
            present = a or b
            missing = en if a is not None else zh
            problems.append(
                Problem(
                    present.where,
                    f"block {index + 1} has no counterpart in {missing} "
                    f"({len(zh_fences)} vs {len(en_fences)} python blocks)",
                )
            )
            continue
        sig_a, sig_b = _signature(a), _signature(b)
        if sig_a != sig_b:
            what = "skip or torch directive" if sig_a[0] != sig_b[0] else "code or expected output"
            left = (sig_a[0] + "\n" if sig_a[0] else "") + sig_a[1]
            right = (sig_b[0] + "\n" if sig_b[0] else "") + sig_b[1]
            problems.append(
                Problem(
                    a.where,
                    f"block {index + 1} differs from {b.where} ({what}):\n"
                    + side_by_side(left, right, a.where, b.where),
                )
            )
    return problems + compare_figures(zh, en)


def _figure_signatures(path: Path) -> list[tuple[str, str]]:
    """Each figure directive as (where, "autograd y after block 3"): everything but its alt text."""
    blocks = {fence.line: number for number, fence in enumerate(read_page(path).python_fences, 1)}
    return [
        (spec.where, f"{spec.kind} {spec.target} after block {blocks[spec.after.line]}") for spec in figure_specs(path)
    ]


def compare_figures(zh: Path, en: Path) -> list[Problem]:
    """Twins draw the same figures (kind, variable, block) in the same order; alt texts may differ."""
    try:
        mine, theirs = _figure_signatures(zh), _figure_signatures(en)
    except FigureError as error:
        where, _, message = str(error).partition(": ")  # "page:line: message"
        return [Problem(where, message)]
    problems = []
    for index, (a, b) in enumerate(itertools.zip_longest(mine, theirs)):
        if a is None or b is None:
            present, missing = (a, en) if a is not None else (b, zh)
            problems.append(Problem(present[0], f"figure {index + 1} ({present[1]}) has no counterpart in {missing}"))
        elif a[1] != b[1]:
            problems.append(
                Problem(
                    a[0],
                    f"figure {index + 1} draws {a[1]}, but {b[0]} draws {b[1]} (only the alt text may differ)",
                )
            )
    return problems


def compare_notebooks(zh: Path, en: Path) -> list[Problem]:
    """Notebook twins carry the same code cells (comments may differ)."""
    from .notebooks import code_cells

    problems = []
    for index, (a, b) in enumerate(itertools.zip_longest(code_cells(zh), code_cells(en))):
        if a != b:
            problems.append(
                Problem(
                    f"{zh}:cell {index + 1}",
                    f"code cell {index + 1} differs from {en}:\n" + side_by_side(a or "", b or "", str(zh), str(en)),
                )
            )
    return problems


def check_docs(docs_dir: Path) -> list[Problem]:
    """All parity problems under ``docs_dir``: lonely pages, then pairs whose blocks differ."""
    pages = sorted(p for p in docs_dir.rglob("*") if p.suffix in {".md", ".ipynb"} and p.is_file())
    problems = missing_twins(pages)
    for zh in pages:
        en = twin_of(zh)
        if en is None or not en.exists():
            continue
        if zh.name.endswith(".zh.md"):
            problems += compare_pair(zh, en)
        elif zh.name.endswith(".zh.ipynb"):
            problems += compare_notebooks(zh, en)
    return problems
