"""Guard 4 and what readers get: `mkdocs build --strict` passes, in both languages, offline."""

import json
import re
from html import unescape
from pathlib import Path

import pytest

from sitekit import DOCS_DIR, REPO_ROOT, changes, variants

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


def test_versions_and_alias_are_published(published):
    versions = json.loads((published.root / "versions.json").read_text(encoding="utf-8"))
    assert versions == [
        {"version": published.version, "title": published.version, "aliases": ["latest"]},
        {"version": published.other, "title": published.other, "aliases": []},
    ]
    assert "latest/" in (published.root / "index.html").read_text(encoding="utf-8")


def test_each_version_shows_its_own_outputs(published):
    """A block with version variants shows, on each version's site, what that torch prints;
    the other versions' outputs are folded into a note after it."""
    entries = changes.entries(DOCS_DIR, "zh")
    assert entries, "no version variants on any page"
    for entry in entries:
        group = entry["group"]
        for version in (published.version, published.other):
            html = built_page(published.root / version, entry["path"], "zh").read_text(encoding="utf-8")
            assert f'id="{group.anchor}"' in html, (entry["path"], version)
            text = plain_text(html[html.index(f'id="{group.anchor}"') :])
            shown = group.for_version(version).fence
            others = [v.fence for v in group.variants if v.fence is not shown]
            mine = _distinctive_output(shown, others)
            assert mine in text, (entry["path"], version, mine)
            note_title = variants.NOTE_LEAD["zh"].split("{")[0]
            for other in others:
                theirs = _distinctive_output(other, [shown])
                # the other version's output comes only after the note's lead sentence
                assert text.index(mine) < text.index(note_title) < text.index(theirs), (entry["path"], version)


def _distinctive_output(fence, others) -> str:
    """The first output line of ``fence`` that no other variant prints."""
    theirs = {line.strip() for other in others for line in other.source.splitlines()}
    mine = [line.strip() for line in fence.source.splitlines() if line.strip() and not line.startswith(">>>")]
    return next(line for line in mine if line not in theirs)


def plain_text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


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


CJK = "\u3400-\u4dbf\u4e00-\u9fff"
CJK_PUNCTUATION = "\u3001\u3002\uff0c\uff1b\uff1a\uff01\uff1f\uff09\u300d\u300f"
STRAY_SPACE = re.compile(rf"[{CJK}{CJK_PUNCTUATION}]\s+[{CJK}]|[{CJK_PUNCTUATION}][ \n]+(?=\S)")


def test_no_stray_space_in_chinese_prose(site):
    """A line break in the Markdown source between two Chinese characters renders as a space: none may remain."""
    found = []
    for html in sorted(site.rglob("index.html")):
        if html.relative_to(site).parts[:1] == ("en",):
            continue
        text = html.read_text(encoding="utf-8")
        for block in re.findall(r"<(p|li|td)>(.*?)</\1>", text, re.S):
            prose = re.split(r"<(?:ul|ol|div|details|summary)\b", block[1])[0]  # a nested block starts anew
            prose = re.sub(r"<(code|pre)\b.*?</\1>", "`", prose, flags=re.S)
            prose = unescape(re.sub(r"<[^>]+>", "", prose))
            found += [f"{html.relative_to(site)}: …{m.group(0)!r}…" for m in STRAY_SPACE.finditer(prose)]
    assert not found, f"{len(found)} stray spaces:\n" + "\n".join(found[:30])
