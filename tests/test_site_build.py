"""Guard 4 and what readers get: `mkdocs build --strict` passes, in both languages, offline."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sitekit import DOCS_DIR, REPO_ROOT

pytestmark = pytest.mark.site

EXTERNAL = re.compile(r"""(?:src|href)=["'](?:https?:)?//(?!127\.0\.0\.1|localhost)[^"']+""")
PAGE_SOURCES = sorted(p for p in DOCS_DIR.rglob("*") if p.suffix in {".md", ".ipynb"} and ".zh." in p.name)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(REPO_ROOT / "mkdocs.yml"), "-d", str(out)],
        cwd=out.parent,  # caches written relative to the working directory stay out of the repo
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    result.dir = out
    return result


def test_strict_build_passes_without_warnings(site):
    warnings = [
        line for line in site.stderr.splitlines() if "WARNING" in line and "Kernel is running over TCP" not in line
    ]
    assert site.returncode == 0, site.stderr[-3000:]
    assert not warnings, "\n".join(warnings)


def built_page(site_dir: Path, source: Path, lang: str) -> Path:
    rel = source.relative_to(DOCS_DIR)
    stem = rel.name.split(".")[0]
    parts = rel.parent.parts + (() if stem == "index" else (stem,))
    base = site_dir if lang == "zh" else site_dir / "en"
    return base.joinpath(*parts, "index.html")


@pytest.mark.parametrize("source", PAGE_SOURCES, ids=lambda p: str(p.relative_to(DOCS_DIR)))
def test_every_page_is_built_in_both_languages(site, source):
    for lang, marker in (("zh", 'lang="zh"'), ("en", 'lang="en"')):
        html = built_page(site.dir, source, lang)
        assert html.exists(), f"{source} was not built as {html}"
        assert marker in html.read_text(encoding="utf-8")[:500]


def test_no_request_leaves_the_site(site):
    offenders = []
    for html in site.dir.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        offenders += [f"{html.relative_to(site.dir)}: {m}" for m in EXTERNAL.findall(text) if "<a " not in m]
    # Links (<a href>) may point elsewhere; resources (scripts, styles, fonts, images) may not.
    resources = [o for o in offenders if not re.search(r"href=[\"']https?://", o)]
    assert not resources, "\n".join(resources[:20])
    for css in site.dir.rglob("*.css"):
        assert "fonts.googleapis" not in css.read_text(encoding="utf-8"), css


def test_search_index_holds_both_languages_and_chinese_is_segmented(site):
    index = json.loads((site.dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["zh", "en"]
    chinese = " ".join(d["title"] + d["text"] for d in index["docs"] if not d["location"].startswith("en/"))
    english = " ".join(d["title"] + d["text"] for d in index["docs"] if d["location"].startswith("en/"))
    assert "\u200b" in chinese, "jieba did not segment the Chinese index"
    assert "梯度" in chinese
    assert "gradient" in english.lower()


def test_notebook_pages_show_figures_made_at_build(site):
    for source in [p for p in PAGE_SOURCES if p.suffix == ".ipynb"]:
        for lang in ("zh", "en"):
            html = built_page(site.dir, source, lang).read_text(encoding="utf-8")
            assert "data:image/png;base64," in html, f"{source} ({lang}) has no figure: was it executed?"
