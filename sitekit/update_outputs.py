"""Rewrite the expected outputs of REPL blocks with what PyTorch prints now.

Run through pytest so pages execute exactly as in ``make test``::

    make update-outputs PAGES="docs/autograd/basics.zh.md"
    .venv/bin/pytest -p no:xdist --update-outputs docs/autograd/basics.zh.md

Only the expected-output lines of ``>>>`` examples change, never prose or code.
The twin page (``.zh.md`` <-> ``.en.md``) gets the same outputs when its code
matches block for block. Left alone and reported: blocks that did not run here
(skipped, e.g. GPU tabs on a CPU machine) and outputs written with ``...``
(random or machine-specific parts, to be edited by hand).

With ``--record-variants`` (``make record-variants``, ``make drift-accept``) a block
whose output differs under the installed torch is not rewritten: it keeps its
outputs for the other supported versions and a ``<!-- torch: X.Y -->`` variant with
this version's outputs is added after it (see ``sitekit/versions.py``). A release
not yet supported is added to ``requirements/torch-versions.txt`` first.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable
from pathlib import Path

from . import versions
from .blocks import Fence, read_page
from .parity import twin_of

Edit = tuple[int, int, list[str]]  # replace lines[start:stop] (0-based) with these lines


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


def _apply_edits(lines: list[str], edits: list[Edit]) -> list[str]:
    lines = list(lines)
    for start, stop, new in sorted(edits, key=lambda edit: (edit[0], edit[1]), reverse=True):
        lines[start:stop] = new
    return lines


def _rewrite(path: Path, edits: list[Edit]) -> tuple[str, str]:
    old = path.read_text(encoding="utf-8")
    lines = _apply_edits(old.splitlines(), edits)
    new_text = "\n".join(lines) + ("\n" if old.endswith("\n") else "")
    return old, new_text


def _variant_edits(fence: Fence, lines: list[str], output_edits: list[Edit], version: str) -> list[Edit]:
    """Keep ``fence`` for the other versions and add a variant for ``version`` after it.

    With no output edits (the block printed what it shows) a stand-in run only adds the
    version to the block's spec."""
    spec = versions.parse_spec(fence.torch.args) if fence.torch else frozenset(versions.supported())

    def directive(chosen: frozenset[str]) -> str:
        return f"{fence.indent}<!-- torch: {versions.format_spec(chosen)} -->"

    def set_spec(chosen: frozenset[str]) -> Edit:
        if fence.torch is not None:
            return (fence.torch.line - 1, fence.torch.line, [directive(chosen)])
        return (fence.line - 1, fence.line - 1, [directive(chosen)])

    if not output_edits:
        return [] if version in spec else [set_spec(spec | {version})]
    if spec == {version}:
        return output_edits
    start = fence.line - 1
    shifted = [(a - start, b - start, new) for a, b, new in output_edits]
    new_fence = _apply_edits(lines[start : fence.end_line], shifted)
    skip = [lines[fence.skip.line - 1]] if fence.skip is not None and fence.skip.action == "next" else []
    added = ["", directive(frozenset({version})), *skip, *new_fence]
    edits = [(fence.end_line, fence.end_line, added)]
    if version in spec:  # the block keeps the other versions; a stand-in run's spec stays as it is
        edits.append(set_spec(spec - {version}))
    return edits


def _ensure_supported(release: str, report: Callable[[str], None]) -> str:
    """Add a new release to requirements/torch-versions.txt; return its ``X.Y``."""
    version = versions.minor_of(release)
    if version not in versions.supported():
        path = versions.VERSIONS_FILE
        text = path.read_text(encoding="utf-8")
        path.write_text(text + ("" if text.endswith("\n") else "\n") + release.split("+")[0] + "\n", encoding="utf-8")
        versions.releases.cache_clear()
        report(f"{path.relative_to(path.parents[1])}: added {release.split('+')[0]} to the supported versions")
    return version


def apply(recorder, report: Callable[[str], None] = print, variant_release: str | None = None) -> list[Path]:
    """Write the recorded outputs into the pages (and their twins); return the files changed.

    With ``variant_release`` (the installed torch), differing outputs become a version
    variant for that release instead of replacing the block's outputs."""
    changed: list[Path] = []
    version = _ensure_supported(variant_release, report) if variant_release else None
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
            lines = target.read_text(encoding="utf-8").splitlines()
            for source_fence, target_fence in zip(doctest_fences, fences, strict=False):
                if source_fence.line not in blocks:
                    if target is path and source_fence.torch is None:
                        reason = source_fence.skip.reason if source_fence.skip else "did not run"
                        notes.append(f"{target}:{target_fence.line}: not run here, left alone ({reason})")
                    continue
                fence_edits, fence_notes = _edits_for(target_fence, blocks[source_fence.line])
                if version is not None and not fence_notes:
                    fence_edits = _variant_edits(target_fence, lines, fence_edits, version)
                elif version is not None:
                    fence_edits = []  # a '...' output cannot be recorded as a variant automatically
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
