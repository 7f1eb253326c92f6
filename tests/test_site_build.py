"""Guard 4 and what readers get: `mkdocs build --strict` passes, in both languages, offline."""

import json
import re
from pathlib import Path

import pytest

from sitekit import DOCS_DIR, REPO_ROOT

pytestmark = [pytest.mark.site, pytest.mark.timeout(300)]

EXTERNAL = re.compile(r"""(?:src|href)=["'](?:https?:)?//(?!127\.0\.0\.1|localhost)[^"']+""")
PAGE_SOURCES = sorted(p for p in DOCS_DIR.rglob("*") if p.suffix in {".md", ".ipynb"} and ".zh." in p.name)


@pytest.fixture(scope="module")
def site(published):
    return published.site


def test_strict_build_passes_without_warnings(published):
    # mike ran MkDocs with the `strict: true` of mkdocs.yml: a warning would have failed it.
    assert re.search(r"^strict: true$", (REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    warnings = [line for line in published.log.splitlines() if "WARNING" in line and "Kernel is running" not in line]
    assert not warnings, "\n".join(warnings)
    assert (published.site / "index.html").exists() and (published.site / "en" / "index.html").exists()


def test_version_and_alias_are_published(published):
    versions = json.loads((published.root / "versions.json").read_text(encoding="utf-8"))
    assert versions == [{"version": published.version, "title": published.version, "aliases": ["latest"]}]
    assert "latest/" in (published.root / "index.html").read_text(encoding="utf-8")


def built_page(site_dir: Path, source: Path, lang: str) -> Path:
    rel = source.relative_to(DOCS_DIR)
    stem = rel.name.split(".")[0]
    parts = rel.parent.parts + (() if stem == "index" else (stem,))
    base = site_dir if lang == "zh" else site_dir / "en"
    return base.joinpath(*parts, "index.html")


@pytest.mark.parametrize("source", PAGE_SOURCES, ids=lambda p: str(p.relative_to(DOCS_DIR)))
def test_every_page_is_built_in_both_languages(site, source):
    for lang, marker in (("zh", 'lang="zh"'), ("en", 'lang="en"')):
        html = built_page(site, source, lang)
        assert html.exists(), f"{source} was not built as {html}"
        assert marker in html.read_text(encoding="utf-8")[:500]


def test_no_request_leaves_the_site(site):
    offenders = []
    for html in site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        offenders += [f"{html.relative_to(site)}: {m}" for m in EXTERNAL.findall(text) if "<a " not in m]
    # Links (<a href>) may point elsewhere; resources (scripts, styles, fonts, images) may not.
    resources = [o for o in offenders if not re.search(r"href=[\"']https?://", o)]
    assert not resources, "\n".join(resources[:20])
    for css in site.rglob("*.css"):
        assert "fonts.googleapis" not in css.read_text(encoding="utf-8"), css


def test_search_index_holds_both_languages_and_chinese_is_segmented(site):
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["zh", "en"]
    chinese = " ".join(d["title"] + d["text"] for d in index["docs"] if not d["location"].startswith("en/"))
    english = " ".join(d["title"] + d["text"] for d in index["docs"] if d["location"].startswith("en/"))
    assert "\u200b" in chinese, "jieba did not segment the Chinese index"
    assert "梯度" in chinese
    assert "gradient" in english.lower()


def test_notebook_pages_show_figures_made_at_build(site):
    for source in [p for p in PAGE_SOURCES if p.suffix == ".ipynb"]:
        for lang in ("zh", "en"):
            html = built_page(site, source, lang).read_text(encoding="utf-8")
            assert "data:image/png;base64," in html, f"{source} ({lang}) has no figure: was it executed?"
