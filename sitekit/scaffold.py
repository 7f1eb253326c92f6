"""Create a Chinese/English page pair from the template and add it to the navigation.

    python -m sitekit.scaffold CHAPTER NAME [--title TITLE]    (make new-page CHAPTER=... NAME=...)

The chapter must be an existing folder of ``docs/`` with a navigation section in
``mkdocs.yml``; the name must be new. On any error nothing is changed.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from . import LANGUAGES, REPO_ROOT

TEMPLATES = Path(__file__).parent / "templates"
NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class ScaffoldError(Exception):
    pass


def _nav_insert_at(lines: list[str], chapter: str) -> tuple[int, str]:
    """Index after the chapter's last nav entry, and that entry's indentation."""
    entry = re.compile(rf"^(?P<indent>\s*)- (?:[^:\n]+:\s*)?{re.escape(chapter)}/[^/\s]+\.(?:md|ipynb)\s*$")
    in_nav, last, indent = False, None, ""
    for index, line in enumerate(lines):
        if re.match(r"^nav:\s*$", line):
            in_nav = True
            continue
        if in_nav and line and not line.startswith((" ", "#")):
            break
        match = entry.match(line) if in_nav else None
        if match:
            last, indent = index, match.group("indent")
    if last is None:
        raise ScaffoldError(f"chapter '{chapter}' has no section in the nav of mkdocs.yml")
    return last + 1, indent


def new_page(chapter: str, name: str, title: str | None = None, root: Path = REPO_ROOT) -> list[Path]:
    docs = root / "docs"
    if not chapter or not (docs / chapter).is_dir() or chapter.startswith(("assets", ".")):
        known = sorted(p.name for p in docs.iterdir() if p.is_dir() and p.name != "assets")
        raise ScaffoldError(f"no chapter '{chapter}' under docs/ (chapters: {', '.join(known)})")
    if not NAME_RE.match(name or ""):
        raise ScaffoldError(f"page name '{name}' must be lower-case words joined by '-', e.g. 'hooks' or 'custom-ops'")
    targets = [docs / chapter / f"{name}.{lang}.md" for lang in LANGUAGES]
    existing = [str(p.relative_to(root)) for p in targets if p.exists()]
    if existing:
        raise ScaffoldError(f"page already exists: {', '.join(existing)}")
    config = root / "mkdocs.yml"
    lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
    at, indent = _nav_insert_at(lines, chapter)
    title = title or name.replace("-", " ").capitalize()
    for target, lang in zip(targets, LANGUAGES, strict=True):
        template = (TEMPLATES / f"page.{lang}.md").read_text(encoding="utf-8")
        target.write_text(template.replace("{title}", title), encoding="utf-8")
    lines.insert(at, f"{indent}- {chapter}/{name}.md\n")
    config.write_text("".join(lines), encoding="utf-8")
    return targets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make new-page", description=__doc__.splitlines()[0])
    parser.add_argument("chapter", help="an existing folder of docs/, e.g. autograd")
    parser.add_argument("name", help="the new page's file name without suffix, e.g. hooks")
    parser.add_argument("--title", help="the page title (default: from the name)")
    args = parser.parse_args(argv)
    try:
        created = new_page(args.chapter, args.name, args.title)
    except ScaffoldError as error:
        print(f"new-page: {error}; nothing was changed", file=sys.stderr)
        return 2
    for path in created:
        print(f"created {path.relative_to(REPO_ROOT)}")
    print(f"added {args.chapter}/{args.name}.md to the nav of mkdocs.yml (both languages)")
    print(f"next: write both pages, then .venv/bin/pytest {' '.join(str(p.relative_to(REPO_ROOT)) for p in created)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
