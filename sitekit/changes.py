"""The "what changed between versions" page, generated from the pages' version variants.

``docs/reference/versions.{zh,en}.md`` carry the marker ``<!-- torch-changes -->``; the
build replaces it with one entry per variant group of that language's pages: the page
and section, a link to the block, and what each version prints. Nothing is typed by hand,
so the page cannot drift from the variants that the tests check.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from pathlib import Path

from . import versions
from .blocks import read_page
from .variants import differing_examples, groups

MARKER = "<!-- torch-changes -->"
TEXT = {
    "zh": {
        "summary": "共 {count} 处输出随版本而变，分布在 {pages} 个页面中。"
        "与最新版 {latest} 不同的输出数：{per_version}。",
        "none": "目前所有受支持的版本（{versions}）打印的内容都相同。",
        "link": "查看代码块",
        "prints": "PyTorch {label} 打印：",
    },
    "en": {
        "summary": "{count} outputs differ between versions, on {pages} pages. Outputs that differ from the latest, "
        "{latest}, per version: {per_version}.",
        "none": "Every supported version ({versions}) prints the same.",
        "link": "See the block",
        "prints": "PyTorch {label} prints:",
    },
}
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def _title_and_sections(path: Path) -> tuple[str, list[tuple[int, str]]]:
    title, sections, fence = path.stem, [], False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        match = None if fence else HEADING.match(line)
        if match and len(match.group(1)) == 1 and title == path.stem:
            title = match.group(2)
        elif match and len(match.group(1)) == 2:
            sections.append((number, match.group(2)))
    return title, sections


def entries(docs_dir: Path, lang: str) -> list[dict]:
    """Every variant group of the ``lang`` pages: page, section, anchor and the variants."""
    found = []
    for path in sorted(docs_dir.rglob(f"*.{lang}.md")):
        page = read_page(path)
        page_groups = groups(page)
        if not page_groups:
            continue
        title, sections = _title_and_sections(path)
        for group in page_groups:
            line = group.variants[0].fence.line
            section = next((name for number, name in reversed(sections) if number < line), title)
            found.append({"path": path, "title": title, "section": section, "group": group})
    return found


def render(docs_dir: Path, page_path: Path, lang: str) -> str:
    """The Markdown that replaces the marker on the changes page at ``page_path``."""
    text = TEXT[lang]
    found = entries(docs_dir, lang)
    if not found:
        return text["none"].format(versions=", ".join(versions.supported()))
    latest = versions.latest()
    per_version = Counter(
        version
        for entry in found
        for variant in entry["group"].variants
        if latest not in variant.versions
        for version in variant.versions
    )
    summary = text["summary"].format(
        count=len(found),
        pages=len({e["path"] for e in found}),
        latest=latest,
        per_version=", ".join(f"{v}: {per_version.get(v, 0)}" for v in versions.supported() if v != latest),
    )
    out = [summary, ""]
    for entry in found:
        group = entry["group"]
        target = posixpath.relpath(
            entry["path"].relative_to(docs_dir).as_posix().replace(f".{lang}.md", ".md"),
            posixpath.dirname(page_path.relative_to(docs_dir).as_posix()) or ".",
        )
        out += [f"### {entry['title']} · {entry['section']}", "", f"[{text['link']}]({target}#{group.anchor})", ""]
        ordered = sorted(group.variants, key=lambda v: versions.key(min(v.versions, key=versions.key)))
        reference = ordered[-1]
        for variant in ordered:
            body = differing_examples(variant.fence, (ordered[0] if variant is reference else reference).fence)
            out += [f"**{text['prints'].format(label=versions.label(variant.versions))}**", "", "```python"]
            out += body.rstrip("\n").split("\n") + ["```", ""]
    return "\n".join(out)


def replace_marker(markdown: str, docs_dir: Path, page_path: Path, lang: str) -> str:
    return markdown.replace(MARKER, render(docs_dir, page_path, lang)) if MARKER in markdown else markdown
