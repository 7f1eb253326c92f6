"""Search as the browser runs it, without a browser: the built site's worker, in Node.

tests/search_worker.js loads the site's own search worker (Material's, patched by
sitekit/search.py) with the lunr language files beside it, sets it up with a built index
and sends it queries, as the search box does. A Python reimplementation of lunr's scoring,
Material's query transformation, its Chinese segmentation and our patches would have to be
kept equal to the JavaScript by hand; running the JavaScript itself cannot drift from it.
Where Node is missing these tests skip, except in CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest

NODE = shutil.which("node")
WORKER_JS = Path(__file__).with_name("search_worker.js")
HOW_TO_INSTALL = "apt-get install nodejs (Debian/Ubuntu)"


def need_node() -> str:
    if NODE is None:
        if os.environ.get("CI"):
            pytest.fail(f"the search tests must run in CI, but node is missing: {HOW_TO_INSTALL}")
        pytest.skip(f"no node: {HOW_TO_INSTALL}")
    return NODE


def worker_of(site: Path) -> Path:
    (worker,) = (site / "assets" / "javascripts" / "workers").glob("search.*.min.js")
    return worker


def run_worker(worker: Path, index: Path, queries: list[str]) -> list[list[list[dict]]]:
    """For each query, the result groups (one per page, in the order shown), each a list of
    ``{location, title, score, marks}`` with the best first."""
    result = subprocess.run(
        [need_node(), str(WORKER_JS), str(worker), str(index)],
        input=json.dumps(queries),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def search(site: Path, index: str, queries: list[str]) -> list[list[list[dict]]]:
    """``index``: relative to ``site``, e.g. ``search/search_index.json``."""
    return run_worker(worker_of(site), site / index, queries)


def best(groups: list[list[dict]]) -> str | None:
    """The location of the best result: the first item of the first group."""
    return groups[0][0]["location"] if groups else None


def error_entries(page: Path) -> list[tuple[str, str]]:
    """``(anchor, message)`` of every entry of a built errors page: its ``###`` headings, as
    the reader sees (and copies) them."""
    html = page.read_text(encoding="utf-8")
    return [
        (match["id"], unescape(re.sub(r"<[^>]+>", "", match["title"])).replace("¶", "").strip())
        for match in re.finditer(r'<h3 id="(?P<id>[^"]+)">(?P<title>.*?)</h3>', html, re.S)
    ]
