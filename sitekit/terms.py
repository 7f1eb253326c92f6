"""Terms: a page never uses a variant that the glossary of its language says not to write.

    python -m sitekit.terms [ROOT_OR_DOCS_DIR]     (make lint)

The glossary pages are the one source. ``docs/reference/glossary.zh.md`` holds the
terms: a table 术语 | English | 不要写成 | 说明, whose third column lists the Chinese
variants (comma-separated) that no ``*.zh.md`` page may use; ``glossary.en.md`` holds
the same rows as Term | 中文 | Avoid | Notes, and its Avoid column is checked on the
``*.en.md`` pages. Only prose counts: fenced blocks, inline code, link targets and HTML
comments are left out, and the term itself with its gloss ("迭代周期（epoch）") never
counts as its variant ("epoch"); a term may name alternatives ("forward pass / forward
propagation"). English variants match whole words, plurals too, in any case.

A line may keep a variant on purpose: ``<!-- terms: allow 前向计算 -->`` at the end of
that line, or alone on the line before. The glossary pages themselves are not checked.
Exits 1 when there is anything to fix.
"""

from __future__ import annotations

import itertools
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from . import DOCS_DIR, LANGUAGES
from .blocks import read_page
from .parity import Problem

GLOSSARY = "reference/glossary.{language}.md"
# The columns of each glossary table: (term, the other language's term, variants to avoid).
COLUMNS = {"zh": ("术语", "English", "不要写成"), "en": ("Term", "中文", "Avoid")}
LIST_SEPARATOR = re.compile(r"\s*[,，、]\s*")
ALLOW_RE = re.compile(r"<!--+\s*terms:\s*allow\s+(?P<what>.*?)\s*--+>")
HTML_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
# `code` or ``code`` spans, possibly over a line break but never over a blank line.
INLINE_CODE_RE = re.compile(r"(?<!`)(?P<ticks>`+)(?!`)(?:[^\n]|\n(?![ \t]*\n))+?(?<!`)(?P=ticks)(?!`)")
LINK_TARGET_RE = re.compile(r"\]\([^)\n]*\)|^\s*\[[^\]\n]+\]:\s*\S.*$", re.MULTILINE)
GLOSS_RE = re.compile(r"\s*[（(][^（()）]*[)）]\s*$")
MASK = "\0"  # what hidden text becomes: no variant can match across it


@dataclass
class Entry:
    """One row of a glossary table."""

    term: str  # what to write, as the glossary writes it ("迭代周期（epoch）")
    other: str  # the same term in the other language
    variants: list[str]
    line: int  # the row's line in the glossary


def glossary_path(docs_dir: Path, language: str) -> Path:
    return docs_dir / GLOSSARY.format(language=language)


def _cells(row: str) -> list[str]:
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", row.strip().strip("|"))]


def read_glossary(path: Path, language: str) -> list[Entry]:
    """Every row of every table on ``path`` whose header has this language's columns."""
    term_column, other_column, variants_column = COLUMNS[language]
    lines = path.read_text(encoding="utf-8").splitlines()
    entries: list[Entry] = []
    columns: list[str] | None = None
    for number, line in enumerate(lines, start=1):
        if not line.lstrip().startswith("|"):
            columns = None
            continue
        cells = _cells(line)
        if columns is None:
            if {term_column, other_column, variants_column} <= set(cells):
                columns = cells
            continue
        if all(re.fullmatch(r":?-+:?", cell) for cell in cells):
            continue  # the |---|---| line under the header
        row = dict(zip(columns, cells, strict=False))
        variants = [v for v in LIST_SEPARATOR.split(row.get(variants_column, "")) if v]
        entries.append(Entry(row.get(term_column, ""), row.get(other_column, ""), variants, number))
    return entries


def _flexible(text: str) -> str:
    """A regex for ``text`` in which （ and ( (and ） and )) are the same, with spaces around them optional."""
    pattern = re.escape(text)
    pattern = re.sub(r"\\?[（(]", r"\\s*[（(]\\s*", pattern)
    return re.sub(r"\\?[)）]", r"\\s*[)）]", pattern)


def variant_pattern(variant: str) -> re.Pattern:
    """English words match whole (any case, plural too); Chinese matches wherever it occurs."""
    if variant.isascii():
        return re.compile(rf"(?<![A-Za-z0-9_]){_flexible(variant)}(?:e?s)?(?![A-Za-z0-9_])", re.IGNORECASE)
    return re.compile(_flexible(variant))


def term_pattern(term: str) -> re.Pattern | None:
    """The term as written, or its base followed by any gloss in brackets ("小批量（mini-batch）")."""
    forms = []
    for form in re.split(r"\s+/\s+", INLINE_CODE_RE.sub(MASK, term)):
        base = GLOSS_RE.sub("", form).strip()
        if base.strip(MASK):
            forms.append(rf"{_flexible(base)}(?:\s*[（(][^（()）\n]*[)）])?")
    if not forms:
        return None
    boundary = (r"(?<![A-Za-z0-9_])", r"(?![A-Za-z0-9_])") if term.isascii() else ("", "")
    return re.compile(boundary[0] + "(?:" + "|".join(forms) + ")" + boundary[1], re.IGNORECASE)


def _masked(match: re.Match) -> str:
    return MASK + "\n" * match.group(0).count("\n")


def _allows(line: str) -> set[str]:
    return {v.casefold() for m in ALLOW_RE.finditer(line) for v in LIST_SEPARATOR.split(m["what"]) if v}


def prose_lines(path: Path, text: str) -> tuple[list[str], list[set[str]]]:
    """The page's lines with everything but prose masked, and the variants each line allows."""
    lines = text.splitlines()
    for fence in read_page(path, text).fences:
        for index in range(fence.line - 1, min(fence.end_line, len(lines))):
            lines[index] = ""
    lines = INLINE_CODE_RE.sub(_masked, "\n".join(lines)).split("\n")
    allowed: list[set[str]] = [set() for _ in lines]
    for index, line in enumerate(lines):
        alone = ALLOW_RE.fullmatch(line.strip()) and index + 1 < len(lines)
        allowed[index + 1 if alone else index] |= _allows(line)  # alone on its line: for the next line
    text = LINK_TARGET_RE.sub(lambda m: "]" + MASK if m.group(0).startswith("]") else MASK, "\n".join(lines))
    return HTML_COMMENT_RE.sub(_masked, text).split("\n"), allowed


def checked_pages(docs_dir: Path, language: str) -> list[Path]:
    """The pages (and notebooks) of one language, the glossary itself left out."""
    glossary = glossary_path(docs_dir, language)
    pages = (p for p in docs_dir.rglob(f"*.{language}.*") if p.suffix in {".md", ".ipynb"} and p.is_file())
    return sorted(p for p in pages if p != glossary)


def _texts(path: Path) -> list[tuple[str, str]]:
    """(where-prefix, Markdown) pairs: the page itself, or each Markdown cell of a notebook."""
    if path.suffix != ".ipynb":
        return [("", path.read_text(encoding="utf-8"))]
    cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    return [
        (f"cell {number}, line ", "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"])
        for number, cell in enumerate(cells, start=1)
        if cell.get("cell_type") == "markdown"
    ]


def check_page(path: Path, entries: list[Entry], glossary: str, shown_as: str | None = None) -> list[Problem]:
    """Discouraged variants in the prose of one page, and allow comments that allow nothing."""
    shown_as = shown_as or str(path)
    checks = [(e, term_pattern(e.term), [(v, variant_pattern(v)) for v in e.variants]) for e in entries if e.variants]
    known = {v.casefold() for e in entries for v in e.variants}
    problems = []
    for prefix, text in _texts(path):
        lines, allowed = prose_lines(path, text)
        for number, (line, allows) in enumerate(zip(lines, allowed, strict=True), start=1):
            where = f"{shown_as}:{prefix}{number}"
            used = set()
            for entry, term, variants in checks:
                prose = term.sub(MASK, line) if term else line  # the term with its gloss is not its variant
                for variant, pattern in variants:
                    if not pattern.search(prose):
                        continue
                    if variant.casefold() in allows:
                        used.add(variant.casefold())
                        continue
                    problems.append(
                        Problem(where, f"'{variant}' is discouraged; the glossary says '{entry.term}' ({glossary})")
                    )
            for stale in sorted(allows - used):
                why = "is not a variant in the glossary" if stale not in known else "does not occur on this line"
                problems.append(Problem(where, f"'terms: allow {stale}' allows nothing: '{stale}' {why}"))
    return problems


def glossary_problems(docs_dir: Path) -> list[Problem]:
    """Both glossaries exist and have the same rows in the same order; no variant is listed twice or is the term."""
    base = docs_dir.parent
    paths = {language: glossary_path(docs_dir, language) for language in LANGUAGES}
    problems = [
        Problem(f"{p.relative_to(base)}:1", "the glossary page is missing") for p in paths.values() if not p.exists()
    ]
    if problems:
        return problems
    tables = {language: read_glossary(paths[language], language) for language in LANGUAGES}
    for language, entries in tables.items():
        where = paths[language].relative_to(base)
        if not entries:
            problems.append(Problem(f"{where}:1", "no glossary table (a header " + " | ".join(COLUMNS[language]) + ")"))
        first_line: dict[str, int] = {}
        for entry in entries:
            term = term_pattern(entry.term)
            for variant in entry.variants:
                if "`" in variant or (term and term.fullmatch(variant)):
                    problems.append(Problem(f"{where}:{entry.line}", f"'{variant}' is code or the term itself"))
                elif variant.casefold() in first_line:
                    line = first_line[variant.casefold()]
                    problems.append(Problem(f"{where}:{entry.line}", f"'{variant}' is also a variant on line {line}"))
                first_line.setdefault(variant.casefold(), entry.line)
    for index, (zh, en) in enumerate(itertools.zip_longest(tables["zh"], tables["en"]), start=1):
        if zh and en and (zh.term, zh.other) == (en.other, en.term):
            continue
        here = f"{paths['en'].relative_to(base)}:{en.line}" if en else f"{paths['zh'].relative_to(base)}:{zh.line}"
        zh_row = f"'{zh.term} | {zh.other}'" if zh else "no row"
        en_row = f"'{en.other} | {en.term}'" if en else "no row"
        problems.append(Problem(here, f"row {index}: glossary.zh.md has {zh_row}, glossary.en.md has {en_row}"))
        break  # one row out of step puts every later row out of step
    return problems


def check_docs(docs_dir: Path) -> list[Problem]:
    """Every problem under ``docs_dir``: the glossaries themselves, then each page of each language."""
    docs_dir = Path(docs_dir)
    base = docs_dir.parent
    problems = glossary_problems(docs_dir)
    for language in LANGUAGES:
        glossary = glossary_path(docs_dir, language)
        if not glossary.exists():
            continue
        entries = read_glossary(glossary, language)
        for page in checked_pages(docs_dir, language):
            problems += check_page(page, entries, str(glossary.relative_to(base)), str(page.relative_to(base)))
    return problems


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    docs = Path(argv[0]) if argv else DOCS_DIR
    if (docs / "docs").is_dir():
        docs = docs / "docs"
    problems = check_docs(docs)
    for problem in problems:
        print(problem)
    if problems:
        print(
            f"terms: {len(problems)} problem(s); the glossary is docs/{GLOSSARY.format(language='zh')} "
            "(keep one on purpose with <!-- terms: allow VARIANT -->)"
        )
        return 1
    counts = {language: len(checked_pages(docs, language)) for language in LANGUAGES}
    terms = len(read_glossary(glossary_path(docs, "zh"), "zh"))
    print(f"terms: {counts['zh']} zh and {counts['en']} en page(s) use none of the variants of {terms} glossary terms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
