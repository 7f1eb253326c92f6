"""What each built page carries besides its text: downloads, helper modules, the install line,
description, edit link, last update, canonical address; and the notebook pages read like the others.

Checked on the mike-deployed site (tests/published_site.py), built as the docs workflow builds it:
with ``SITE_URL`` and ``SITE_REPO_URL`` set.
"""

from __future__ import annotations

import gzip
import json
import posixpath
import re
from html import unescape
from pathlib import Path

import pytest

from sitekit import DOCS_DIR, REPO_ROOT, downloads, page_meta, parity, versions

from .published_site import PUBLISHED_ENV

pytestmark = [pytest.mark.site, pytest.mark.timeout(300)]

SOURCES = sorted(p for p in DOCS_DIR.rglob("*") if p.suffix in {".md", ".ipynb"} and ".zh." in p.name)
PAGES = [(path, lang) for source in SOURCES for path, lang in ((source, "zh"), (parity.twin_of(source), "en"))]
NOTEBOOK_PAGES = [(p, lang) for p, lang in PAGES if p.suffix == ".ipynb"]
SITE_URL, REPO_URL = PUBLISHED_ENV["SITE_URL"], PUBLISHED_ENV["SITE_REPO_URL"]


def url_of(path: Path) -> str:
    return downloads.page_url(path.relative_to(DOCS_DIR).as_posix())


def html_of(site: Path, path: Path) -> str:
    return (site / url_of(path) / "index.html").read_text(encoding="utf-8")


def plain(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


def page_id(item):
    path, lang = item
    return str(path.relative_to(DOCS_DIR))


@pytest.fixture(scope="module")
def site(published):
    return published.site


@pytest.mark.parametrize("item", PAGES, ids=page_id)
def test_every_page_links_its_notebook_and_script_published_next_to_it(published, item):
    path, lang = item
    html = html_of(published.site, path)
    line = re.search(r'<p class="page-downloads"[^>]*>(.*?)</p>', html)
    assert line, f"{path.name}: no download line"
    notebook_name, script_name = downloads.download_names(path)
    links = re.findall(r'<a href="([^"]+)"( download)?>', line[1])
    assert links[:2] == [(notebook_name, " download"), (script_name, " download")]
    assert plain(line[1]).startswith("下载：" if lang == "zh" else "Download: ")
    folder = published.site / url_of(path)
    notebook = json.loads((folder / notebook_name).read_text(encoding="utf-8"))
    assert notebook["nbformat"] == 4 and notebook["cells"]
    assert "# %%" in (folder / script_name).read_text(encoding="utf-8")
    # "Open in Colab" opens the notebook that mike published on gh-pages, in this version's folder
    colab = links[2][0]
    prefix = "https://colab.research.google.com/github/example/pytorch-core-concepts/blob/gh-pages/"
    assert colab == f"{prefix}{published.version}/{url_of(path)}{notebook_name}"
    assert (published.root / colab.removeprefix(prefix)).is_file()


def test_the_downloaded_notebooks_link_the_published_pages(site):
    notebook = json.loads((site / "en" / "tensors" / "basics" / "basics.en.ipynb").read_text(encoding="utf-8"))
    intro = notebook["cells"][1]["source"]
    assert f"({SITE_URL}{versions.latest()}/en/tensors/basics/)" in intro
    assert f"pip install torch=={versions.releases()[versions.latest()]}" in intro


def test_helper_modules_are_published_and_linked_before_their_first_import(site):
    pages = [(p, lang) for p, lang in PAGES if p.suffix == ".md" and downloads.snippets_used(p.read_text("utf-8"))]
    assert pages, "no page imports a helper module"
    for path, lang in pages:
        html = html_of(site, path)
        for module in downloads.snippets_used(path.read_text(encoding="utf-8")):
            note = re.search(rf'<p>[^\n]*?<a href="([^"]*snippets/{module}\.py)" download>[^\n]*?</p>', html)
            assert note, f"{path.name}: no note linking snippets/{module}.py"
            text = plain(note[0])
            assert ("辅助模块" if lang == "zh" else "helper module") in text
            target = posixpath.normpath(posixpath.join(url_of(path), note[1]))
            published = site / target
            assert published.read_bytes() == (REPO_ROOT / "snippets" / f"{module}.py").read_bytes()
            # before the first block that imports it
            first_import = re.search(rf"(?:from|import)(?:<[^>]+>|\s)+snippets\.{module}\b", html)
            assert first_import is None or note.start() < first_import.start()


def test_home_page_installs_the_torch_of_its_version(published):
    for version in (published.version, published.other):
        for home in ("index.html", "en/index.html"):
            text = plain((published.root / version / home).read_text(encoding="utf-8"))
            assert f"pip install torch=={versions.releases()[version]}" in text, (version, home)
            assert "<!-- install-line -->" not in text


@pytest.mark.parametrize("item", PAGES, ids=page_id)
def test_page_has_a_description_an_edit_link_its_last_update_and_canonical_address(published, item):
    path, lang = item
    html = html_of(published.site, path)
    description = re.search(r'<meta name="description" content="([^"<>]+)">', html)
    assert description, path
    text = unescape(description[1])
    config_descriptions = ("每一段代码都是测试", "PyTorch's core, taught with snippets")
    assert not text.startswith(config_descriptions), f"{path.name}: the site's description, not the page's"
    assert 10 < len(text) <= 200 and "<" not in text
    source = path.relative_to(DOCS_DIR).as_posix()
    assert f'<a href="{REPO_URL}/edit/main/docs/{source}" ' in html
    canonical = f"{SITE_URL}{published.version}/{url_of(path)}"
    assert f'<link rel="canonical" href="{canonical}">' in html
    date = page_meta.git_dates().get(f"docs/{source}")
    if date:  # committed: Material shows the date of its last commit
        assert re.search(rf'md-source-file__fact">.*?{date}', html, re.S), path


def test_the_repository_link_asks_no_other_host(site):
    """Material's repository widget would fetch its stars and release from api.github.com on every
    first visit (overrides/partials/source.html leaves that out): the link is there, the fetch is not."""
    html = (site / "index.html").read_text(encoding="utf-8")
    assert f'<a href="{REPO_URL}" title="' in html and 'class="md-source"' in html
    assert 'data-md-component="source"' not in html


def test_sitemap_names_the_published_pages(published):
    sitemap = (published.site / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert locations and all(loc.startswith(f"{SITE_URL}{published.version}/") for loc in locations)
    assert f"{SITE_URL}{published.version}/en/tensors/basics/" in locations


def test_publishing_needs_the_sites_address(monkeypatch):
    from sitekit import publish

    monkeypatch.delenv("SITE_URL", raising=False)
    with pytest.raises(SystemExit) as exit_status:
        publish.main(["deploy", "--push"])
    assert exit_status.value.code == 2


def test_local_builds_link_nothing_outside_the_site():
    assert not page_meta.published("http://127.0.0.1:8000/")
    assert not page_meta.published("http://127.0.0.1:8000/2.15")
    assert page_meta.published(SITE_URL)
    made = downloads.build(DOCS_DIR / "tensors" / "basics.zh.md", base_url=None)
    assert "](http" not in made.notebook and "（[在线阅读]" not in made.notebook


# --- notebook pages ---------------------------------------------------------------------------------


def test_each_versions_notebook_page_shows_what_its_torch_printed(published):
    """The loop notebook prints torch.__version__ first: each version's page shows its own."""
    for version in (published.version, published.other):
        html = (published.root / version / "training" / "loop" / "index.html").read_text(encoding="utf-8")
        first_output = re.search(r'data-mime-type="text/plain"[^>]*>\s*<pre>([^<]*)</pre>', html)[1]
        assert first_output.strip().startswith(versions.releases()[version].rsplit(".", 1)[0] + "."), (
            version,
            first_output,
        )


@pytest.mark.parametrize("item", NOTEBOOK_PAGES, ids=page_id)
def test_notebook_page_switches_language_to_the_same_notebook(site, item):
    path, lang = item
    html = html_of(site, path)
    other = "en" if lang == "zh" else "zh"
    link = re.search(rf'<a href="([^"]+)" hreflang="{other}" class="md-select__link">', html)[1]
    target = posixpath.normpath(posixpath.join(url_of(path), link)) + "/"
    assert target.lstrip("./") == url_of(parity.twin_of(path)), (link, target)


@pytest.mark.parametrize("item", NOTEBOOK_PAGES, ids=page_id)
def test_notebook_page_contents_and_skip_link_lead_to_its_headings(site, item):
    path, lang = item
    html = html_of(site, path)
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    toc = re.findall(r'<a href="#([^"]+)" class="md-nav__link">', html)
    skip = re.search(r'<a href="#([^"]*)" class="md-skip">', html)[1]
    headings = re.findall(r"<h[1-6] id=\"([^\"]*)\"", html)
    assert len(set(toc)) >= 4 and skip
    assert all(headings), "a heading without an id"
    missing = [anchor for anchor in [*toc, skip] if unescape(anchor) not in ids]
    assert not missing, f"links to no element: {missing}"
    assert skip == headings[0]


@pytest.mark.parametrize("item", NOTEBOOK_PAGES, ids=page_id)
def test_notebook_page_is_small_and_has_no_inlined_jupyter_stylesheet(site, item):
    path, lang = item
    raw = html_of(site, path).encode()
    text = raw.decode()
    assert "<style" not in text and "--jp-" not in text, "JupyterLab's stylesheet is inlined again"
    assert '<script src="">' not in text
    assert len(gzip.compress(raw)) < 300_000, f"{len(gzip.compress(raw))} bytes gzipped"
    assert len(raw) < 400_000, f"{len(raw)} bytes"  # mostly the figures: 895 kB before, with the stylesheet


@pytest.mark.parametrize("item", NOTEBOOK_PAGES, ids=page_id)
def test_notebook_figures_are_described_in_the_pages_language(site, item):
    path, lang = item
    alts = re.findall(r'<img alt="([^"]*)" [^>]*src="data:image/png', html_of(site, path))
    assert len(alts) >= 2
    for alt in alts:
        assert "No description" not in alt and len(alt) > 15, alt
        assert bool(re.search(r"[\u4e00-\u9fff]", alt)) == (lang == "zh"), alt


@pytest.mark.parametrize("item", NOTEBOOK_PAGES, ids=page_id)
def test_notebook_code_cells_are_the_sites_code_blocks(site, item):
    path, lang = item
    html = html_of(site, path)
    assert 'class="language-python highlight"><pre><code>' in html
    assert "clipboard-copy" not in html, "nbconvert's copy buttons are back"
    assert "In&nbsp;[" not in html and "In [1]:" not in html, "the In [n] gutter is back"
