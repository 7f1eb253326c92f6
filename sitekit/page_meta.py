"""What each page tells browsers and search engines: its description and its last update.

- ``description``: the page's first paragraph, as plain text, cut at a sentence end (``<meta name=description>``).
- ``git_dates``: the date of the last commit that touched each file under ``docs/`` (one ``git log``).
- ``published``: whether ``site_url`` is a public address. ``mkdocs.yml`` reads it from ``SITE_URL``
  and falls back to where ``make serve`` serves (README, "Publishing"), so canonical links and the
  sitemap are right for the build at hand; links that leave the site (inside a downloaded
  notebook) are written only for a published build.
"""

from __future__ import annotations

import re
import subprocess
from functools import cache
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

from . import REPO_ROOT

LOCAL_HOSTS = {"127.0.0.1", "localhost", "0.0.0.0", "::1", None, ""}
DESCRIPTION_LENGTH = {"zh": 120, "en": 200}
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)  # a paragraph without attributes (not the download line)
_SENTENCE_END = {"zh": re.compile(r"[。！？]"), "en": re.compile(r"[.!?](?=\s|$)")}


def published(site_url: str | None) -> bool:
    return urlsplit(site_url or "").hostname not in LOCAL_HOSTS


def description(html: str, lang: str) -> str | None:
    """The first paragraph of the page's HTML as plain text, at most a few sentences long."""
    for match in _PARAGRAPH.finditer(html):
        text = unescape(re.sub(r"<[^>]+>", "", match.group(1)))
        text = re.sub(r"\s+", " ", text.replace("\u200b", "")).strip()
        if len(text) < 10:
            continue
        limit = DESCRIPTION_LENGTH[lang]
        if len(text) <= limit:
            return text
        ends = [m.end() for m in _SENTENCE_END[lang].finditer(text) if m.end() <= limit]
        if ends:
            return text[: ends[-1]].strip()
        cut = text[:limit].rsplit(" ", 1)[0] if lang == "en" else text[:limit]
        return cut.rstrip(",;:，、；：") + "…"
    return None


@cache
def git_dates(root: Path = REPO_ROOT, folder: str = "docs") -> dict[str, str]:
    """``{"docs/x.zh.md": "2026-12-04", ...}``: the last commit date of each file (empty outside git)."""
    try:
        log = subprocess.run(
            ["git", "log", "--format=%x00%cs", "--name-only", "--no-renames", "--", folder],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    dates: dict[str, str] = {}
    for entry in log.split("\0")[1:]:
        date, *names = entry.strip().split("\n")
        for name in names:
            if name.strip():
                dates.setdefault(name.strip(), date.strip())
    return dates
