"""Rewrite the expected outputs of REPL blocks with what PyTorch prints now.

Run through pytest so pages execute exactly as in ``make test``::

    make update-outputs PAGES="docs/autograd/basics.zh.md"
    .venv/bin/pytest -p no:xdist --update-outputs docs/autograd/basics.zh.md

Only the expected-output lines of ``>>>`` examples change, never prose or code.
The twin page (``.zh.md`` <-> ``.en.md``) gets the same outputs when its code
matches block for block. Left alone and reported: blocks that did not run here
(skipped, e.g. GPU tabs on a CPU machine) and outputs written with ``...``
(random or machine-specific parts, to be edited by hand).
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable
from pathlib import Path

from .blocks import Fence, read_page
from .parity import twin_of


def want_lines(got: str) -> list[str]:
    lines = [line.rstrip() for line in got.rstrip("\n").splitlines()]
    return [line if line else "<BLANKLINE>" for line in lines]


def _edits_for(fence: Fence, recorded) -> tuple[list[tuple[int, int, list[str]]], list[str]]:
    """(start, stop, new lines) edits for one fence, plus notes for what was left alone."""
    edits, notes = [], []
    examples = fence.examples()
    for item in recorded:
        if item.matched or item.index >= len(examples):
            continue
        example = examples[item.index]
        line = fence.line + 1 + example.lineno
        if "..." in example.want and example.exc_msg is None:
            notes.append(f"{fence.path}:{line}: left alone (its expected output uses '...'): edit by hand")
            continue
        start = fence.line + example.lineno + example.source.count("\n")  # 0-based index of first want line
        stop = start + example.want.count("\n")
        edits.append((start, stop, [fence.indent + text for text in want_lines(item.got)]))
    return edits, notes


def _rewrite(path: Path, edits: list[tuple[int, int, list[str]]]) -> tuple[str, str]:
    old = path.read_text(encoding="utf-8")
    lines = old.splitlines()
    for start, stop, new in sorted(edits, reverse=True):
        lines[start:stop] = new
    new_text = "\n".join(lines) + ("\n" if old.endswith("\n") else "")
    return old, new_text


def apply(recorder, report: Callable[[str], None] = print) -> list[Path]:
    """Write the recorded outputs into the pages (and their twins); return the files changed."""
    changed: list[Path] = []
    ran = {Path(p).resolve() for p in recorder.pages}
    for page_path, blocks in sorted(recorder.pages.items()):
        path = Path(page_path)
        page = read_page(path)
        doctest_fences = [f for f in page.python_fences if f.is_doctest]
        targets = [(path, doctest_fences)]
        twin = twin_of(path)
        if twin is not None and twin.exists() and twin.resolve() not in ran:
            twin_fences = [f for f in read_page(twin).python_fences if f.is_doctest]
            if [f.code_without_comments() for f in twin_fences] == [f.code_without_comments() for f in doctest_fences]:
                targets.append((twin, twin_fences))
            else:
                report(f"{twin}: not updated: its blocks differ from {path} (run `make i18n-status`)")
        for target, fences in targets:
            edits, notes = [], []
            for source_fence, target_fence in zip(doctest_fences, fences, strict=False):
                if source_fence.line not in blocks:
                    if target is path:
                        reason = source_fence.skip.reason if source_fence.skip else "did not run"
                        notes.append(f"{target}:{target_fence.line}: not run here, left alone ({reason})")
                    continue
                fence_edits, fence_notes = _edits_for(target_fence, blocks[source_fence.line])
                edits += fence_edits
                notes += fence_notes
            for note in notes:
                report(note)
            if not edits:
                continue
            old, new = _rewrite(target, edits)
            if old != new:
                target.write_text(new, encoding="utf-8")
                changed.append(target)
                rel = os.path.relpath(target)
                report("".join(difflib.unified_diff(old.splitlines(True), new.splitlines(True), rel, rel)))
    report(f"update-outputs: {len(changed)} file(s) changed")
    return changed
