"""Version variants: a block that prints differently on some supported PyTorch versions.

A *group* is a run of consecutive python fences that each carry a ``<!-- torch: ... -->``
spec and share the same code (only their expected outputs differ). Under any supported
version exactly one block of a group runs (``engine``); the site built for a version shows
that block and folds the others into a note (``hooks/versions.py``).

``problems(path)`` is the guard: every group covers each supported version exactly once,
names only supported versions, and its blocks share their code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import versions
from .blocks import Fence, Page, read_page
from .parity import Problem


@dataclass
class Variant:
    fence: Fence
    versions: frozenset[str]


@dataclass
class Group:
    index: int  # 1-based position among the page's groups: the anchor is torch-variant-<index>
    variants: list[Variant]

    @property
    def anchor(self) -> str:
        return f"torch-variant-{self.index}"

    def for_version(self, version: str) -> Variant | None:
        return next((v for v in self.variants if version in v.versions), None)


def spec_of(fence: Fence) -> frozenset[str]:
    """The versions a fence's spec names (raises ``VersionError`` for an unknown one)."""
    return versions.parse_spec(fence.torch.args) if fence.torch else frozenset(versions.supported())


def groups(page: Page) -> list[Group]:
    """The page's variant groups, in order. Specs that do not parse raise ``VersionError``."""
    found: list[Group] = []
    previous: Fence | None = None
    for fence in page.python_fences:
        if fence.torch is None:
            previous = None
            continue
        variant = Variant(fence, spec_of(fence))
        same_group = previous is not None and previous.code_only() == fence.code_only()
        if same_group:
            found[-1].variants.append(variant)
        else:
            found.append(Group(len(found) + 1, [variant]))
        previous = fence
    return found


def problems(path: Path) -> list[Problem]:
    """Version specs that leave a supported version uncovered, cover one twice, or name an unknown one."""
    page = read_page(path)
    found: list[Problem] = []
    for fence in page.python_fences:
        if fence.torch is not None:
            try:
                versions.parse_spec(fence.torch.args)
            except versions.VersionError as error:
                found.append(Problem(f"{path}:{fence.torch.line}", f"torch spec '{fence.torch.args}': {error}"))
    if found:
        return found
    everything = frozenset(versions.supported())
    for group in groups(page):
        first = group.variants[0].fence
        seen: dict[str, Fence] = {}
        for variant in group.variants:
            for version in sorted(variant.versions, key=versions.key):
                if version in seen:
                    found.append(
                        Problem(
                            f"{path}:{variant.fence.line}",
                            f"torch {version} is covered twice: by this block and by the block at line "
                            f"{seen[version].line}",
                        )
                    )
                seen.setdefault(version, variant.fence)
        missing = everything - set(seen)
        if missing:
            lines = ", ".join(str(v.fence.line) for v in group.variants)
            found.append(
                Problem(
                    f"{path}:{first.line}",
                    f"the version variants at line(s) {lines} leave torch {versions.label(missing)} uncovered "
                    "(each supported version needs exactly one block; variants of one block share the same code)",
                )
            )
    return found


# --- what a version's site shows ---------------------------------------------------------------

NOTE_TITLES = {
    "zh": {"newer": "PyTorch {label} 起有变化", "older": "PyTorch {label} 的输出不同"},
    "en": {"newer": "Changed in PyTorch {label}", "older": "PyTorch {label} prints something else"},
}
NOTE_LEAD = {"zh": "在 PyTorch {label} 上，这段代码打印：", "en": "On PyTorch {label}, this prints:"}


def differing_examples(variant: Fence, reference: Fence) -> str:
    """The REPL examples of ``variant`` whose output differs from ``reference``'s (all of a script block)."""
    if not variant.is_doctest:
        return variant.source
    mine, theirs = variant.examples(), reference.examples()
    shown = []
    for index, example in enumerate(mine):
        other = theirs[index].want if index < len(theirs) else None
        if example.want != other:
            source = "".join(
                ("... " if n else ">>> ") + line + "\n"
                for n, line in enumerate(example.source.rstrip("\n").split("\n"))
            )
            shown.append(source + example.want)
    return "".join(shown) or variant.source


def _note(variant: Variant, chosen: Variant, version: str, lang: str) -> list[str]:
    newer = all(versions.key(v) > versions.key(version) for v in variant.versions)
    label = versions.label(variant.versions)
    title = NOTE_TITLES[lang]["newer" if newer else "older"].format(label=label)
    indent = variant.fence.indent
    body = differing_examples(variant.fence, chosen.fence).rstrip("\n").split("\n")
    return [
        f'{indent}??? note "{title}"',
        "",
        f"{indent}    {NOTE_LEAD[lang].format(label=label)}",
        "",
        f"{indent}    ```python",
        *[f"{indent}    {line}" if line else "" for line in body],
        f"{indent}    ```",
    ]


def _first_line(fence: Fence) -> int:
    """1-based line where a variant starts: its directives, then its fence."""
    lines = [fence.line, fence.torch.line if fence.torch else fence.line]
    if fence.skip is not None and fence.skip.action == "next":
        lines.append(fence.skip.line)
    return min(lines)


def render(text: str, path: Path, version: str, lang: str) -> str:
    """The page as the site for ``version`` shows it: one block per group, the others in a note.

    Each group gets an anchor (``torch-variant-N``) that the changes page links to."""
    page = read_page(path, text)
    lines = text.split("\n")
    edits: list[tuple[int, int, list[str]]] = []
    for group in groups(page):
        chosen = group.for_version(version)
        if chosen is None:
            raise versions.VersionError(f"{path}:{group.variants[0].fence.line}: no block for torch {version}")
        first = min(_first_line(v.fence) for v in group.variants)
        indent = group.variants[0].fence.indent
        edits.append((first - 1, first - 1, [f'{indent}<span id="{group.anchor}"></span>', ""]))
        notes: list[str] = []
        for variant in group.variants:
            if variant is not chosen:
                edits.append((_first_line(variant.fence) - 1, variant.fence.end_line, []))
                notes += ["", *_note(variant, chosen, version, lang)]
        edits.append((chosen.fence.end_line, chosen.fence.end_line, notes))
    for start, stop, new in sorted(edits, key=lambda edit: (edit[0], edit[1]), reverse=True):
        lines[start:stop] = new
    return "\n".join(lines)
