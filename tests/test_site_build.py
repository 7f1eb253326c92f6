"""Guard 4 and what readers get: `mkdocs build --strict` passes, in both languages, offline."""

import json
import re
from html import unescape
from pathlib import Path

import pytest

from sitekit import DOCS_DIR, REPO_ROOT, changes, figures, parity, variants

from . import search_support

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


SEARCH_INDEXES = {"zh": "search/search_index.json", "en": "en/search/search_index.json"}
# A zero-width space (jieba's word boundary) that separates nothing: at either end, or beside
# whitespace, Chinese punctuation or markup.
NEEDLESS_ZWSP = re.compile(r"^\u200b|\u200b$|[\s<>，。、；：！？（）“”]\u200b|\u200b[\s<>，。、；：！？（）“”]")


def _escaped_code_points(raw: bytes) -> set[int]:
    """The code points that the JSON text writes as \\uXXXX (not counting an escaped backslash)."""
    return {int(code, 16) for code in re.findall(rb"(?<!\\)(?:\\\\)*\\u([0-9a-fA-F]{4})", raw)}


def test_each_language_searches_its_own_pages_from_a_compact_index(site):
    """One index per language, in UTF-8, holding the same pages; Chinese cut into words by jieba
    (glossary terms whole), with no word boundary where a separator already is."""
    pages = {}
    for lang, path in SEARCH_INDEXES.items():
        raw = (site / path).read_bytes()
        index = json.loads(raw)
        locations = [doc["location"] for doc in index["docs"]]
        others = [loc for loc in locations if loc.startswith("en/") != (lang == "en")]
        assert not others, f"the {lang} index holds other languages' pages: {others[:5]}"
        assert index["config"]["lang"] == (["zh", "en"] if lang == "zh" else ["en"])
        assert len(set(locations)) == len(locations), "a location is indexed twice"
        non_ascii = {code for code in _escaped_code_points(raw) if code >= 0x80}
        assert not non_ascii, f"{path} escapes non-ASCII characters: {sorted(map(chr, non_ascii))[:10]}"
        text = "".join(doc["title"] + "\n" + doc["text"] + "\n" for doc in index["docs"])
        needless = [text[max(0, m.start() - 10) : m.end() + 10] for m in NEEDLESS_ZWSP.finditer(text)]
        assert not needless, f"{len(needless)} needless word boundaries in {path}: {needless[:5]}"
        pages[lang] = {loc.split("#")[0].removeprefix("en/") for loc in locations}
    assert pages["zh"] == pages["en"]
    chinese = json.loads((site / SEARCH_INDEXES["zh"]).read_text(encoding="utf-8"))
    text = " ".join(doc["title"] + " " + doc["text"] for doc in chinese["docs"])
    assert "\u200b梯度\u200b" in text, "jieba did not cut the Chinese index into words"
    assert "学习率" in text and "学习\u200b率" not in text, "the glossary term 学习率 is not one word"


def test_chinese_queries_match_words_not_characters(site):
    """设备 finds (and highlights) 设备, not every word that starts with 设; 学习率 does not
    find 可学习参数. Every highlighted word of every result starts with the query."""
    queries = ["设备", "学习率", "计算图", "反向传播", "梯度累加"]
    for query, groups in zip(queries, search_support.search(site, SEARCH_INDEXES["zh"], queries), strict=True):
        assert groups, query
        marks = {mark for group in groups for item in group for mark in item["marks"]}
        assert marks and all(mark.startswith(query) for mark in marks), (query, sorted(marks))


def test_search_finds_pages_in_the_language_of_the_page(site):
    """On a Chinese page, 梯度 and zero_grad find Chinese pages only; on an English page,
    gradient finds English pages only (the search runs as in the browser)."""
    for lang, queries in (("zh", ["梯度", "zero_grad", "gradient"]), ("en", ["gradient", "zero_grad"])):
        for query, groups in zip(queries, search_support.search(site, SEARCH_INDEXES[lang], queries), strict=True):
            locations = [item["location"] for group in groups for item in group]
            assert locations, (lang, query)
            assert all(loc.startswith("en/") == (lang == "en") for loc in locations), (lang, query, locations[:5])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pasting_an_error_message_brings_its_own_entry_first(site, lang):
    """Every entry of the errors page is headed by its message: pasted into the search of a page
    in that language, the message finds that entry first (as the browser's search ranks it)."""
    source = DOCS_DIR / "troubleshooting" / f"errors.{lang}.md"
    headings = re.findall(r"^### ", source.read_text(encoding="utf-8"), re.M)
    page = built_page(site, source, lang)
    entries = search_support.error_entries(page)
    assert len(entries) == len(headings) > 0
    prefix = "en/" if lang == "en" else ""
    answers = search_support.search(site, SEARCH_INDEXES[lang], [message for _, message in entries])
    wrong = [
        f"{message!r} -> {search_support.best(groups)}"
        for (anchor, message), groups in zip(entries, answers, strict=True)
        if search_support.best(groups) != f"{prefix}troubleshooting/errors/#{anchor}"
    ]
    assert not wrong, f"{len(wrong)} of {len(entries)} messages do not find their entry first:\n" + "\n".join(wrong)


def test_404_pages_are_bilingual_link_to_latest_and_search_both_languages(published):
    """GitHub Pages shows the root's 404.html for any missing address (sitekit.publish copies
    the latest version's there); each version has its own. In both languages, with links to
    the latest version, a language switch to this version's home pages, and a search (over
    both languages) that loads its index from the version, whatever the address."""
    root_page = published.root / "404.html"
    assert root_page.exists(), "no 404.html at the root of gh-pages"
    assert root_page.read_bytes() == (published.root / published.version / "404.html").read_bytes()
    for version in (published.version, published.other):
        html = (published.root / version / "404.html").read_text(encoding="utf-8")
        assert '<html lang="zh"' in html
        assert "页面不存在" in html and "Page not found" in html, version
        assert 'href="/latest/"' in html and 'href="/latest/en/"' in html, version
        assert f'href="/{version}/" hreflang="zh"' in html and f'href="/{version}/en/" hreflang="en"' in html
        config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', html, re.S)[1])
        assert config["base"] == f"/{version}/", "search would load its index from outside the version"
        index_path = re.search(r'<meta name="sitekit:search-index" content="([^"]+)">', html)[1]
        docs = json.loads((published.root / version / index_path).read_text(encoding="utf-8"))["docs"]
        assert {doc["location"].startswith("en/") for doc in docs} == {True, False}, "not both languages"


def test_pages_load_the_patched_search_scripts(site):
    """Every page loads Material's bundle and search worker as patched (sitekit/search.py)."""
    assets = site / "assets" / "javascripts"
    bundles = sorted(p.name for p in assets.glob("bundle.*.min.js"))
    workers = sorted(p.name for p in (assets / "workers").glob("search.*.min.js"))
    assert len(bundles) == len(workers) == 1, (bundles, workers)
    bundle = (assets / bundles[0]).read_text(encoding="utf-8")
    assert '{"en":"en/search/search_index.json"}[document.documentElement.lang]' in bundle
    for html in [site / "index.html", site / "en" / "autograd" / "basics" / "index.html", site / "404.html"]:
        text = html.read_text(encoding="utf-8")
        assert f"assets/javascripts/{bundles[0]}" in text and f"workers/{workers[0]}" in text, html


def test_notebook_pages_show_figures_made_at_build(site):
    for source in [p for p in PAGE_SOURCES if p.suffix == ".ipynb"]:
        for lang in ("zh", "en"):
            html = built_page(site, source, lang).read_text(encoding="utf-8")
            assert "data:image/png;base64," in html, f"{source} ({lang}) has no figure: was it executed?"


def test_figures_are_drawn_into_both_languages_of_each_version(published):
    """A figure directive becomes an inline SVG with its alt text, in zh and en, on each version's site."""
    pages = [p for p in PAGE_SOURCES if p.suffix == ".md" and figures.figure_specs(p)]
    assert pages, "no page has a figure"
    for source in pages:
        for lang, path in (("zh", source), ("en", parity.twin_of(source))):
            specs = figures.figure_specs(path)
            for version in (published.version, published.other):
                html = built_page(published.root / version, source, lang).read_text(encoding="utf-8")
                found = re.findall(
                    r'<figure class="sitekit-figure" role="img" aria-label="([^"]*)">(.*?)</figure>', html
                )
                assert [unescape(label) for label, _ in found] == [spec.alt for spec in specs], (path, version)
                for _, inner in found:
                    assert "<svg" in inner and "<figcaption>" in inner and "<!-- figure:" not in html, (path, version)


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
