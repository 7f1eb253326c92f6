"""make new-page, make update-outputs and make i18n-status, each on a throwaway copy."""

import shutil
import subprocess
import sys

import pytest

from sitekit import REPO_ROOT, guards, parity, scaffold
from sitekit.i18n_status import main as i18n_status

from .sandbox import make_site, run_pytest

# --- make new-page ----------------------------------------------------------------------------


@pytest.fixture
def site_copy(tmp_path):
    shutil.copy(REPO_ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(REPO_ROOT / "docs" / "autograd", tmp_path / "docs" / "autograd")
    return tmp_path


def test_new_page_creates_a_pair_in_the_nav_that_passes(site_copy):
    before = (site_copy / "mkdocs.yml").read_text(encoding="utf-8")
    zh, en = scaffold.new_page("autograd", "hooks", root=site_copy)
    assert zh.name == "hooks.zh.md" and en.name == "hooks.en.md"
    after = (site_copy / "mkdocs.yml").read_text(encoding="utf-8")
    added = [line for line in after.splitlines() if line not in before.splitlines()]
    assert [line.strip() for line in added] == ["- autograd/hooks.md"]
    assert parity.compare_pair(zh, en) == []
    for page in (zh, en):
        assert guards.uncollected_fences(page) == guards.blocks_without_assert(page) == []
    make_site(site_copy, {}, git=False)
    result = run_pytest(site_copy, "docs/autograd/hooks.zh.md", "docs/autograd/hooks.en.md", timeout=60)
    assert result.returncode == 0, result.stdout[-2000:]
    assert "2 passed" in result.stdout


@pytest.mark.parametrize(
    ("chapter", "name", "message"),
    [
        ("autograd", "basics", "page already exists: docs/autograd/basics.zh.md, docs/autograd/basics.en.md"),
        ("no-such-chapter", "x", "no chapter 'no-such-chapter' under docs/"),
        ("autograd", "Bad Name", "must be lower-case words"),
    ],
)
def test_new_page_refuses_and_changes_nothing(site_copy, chapter, name, message):
    snapshot = {p: p.read_bytes() for p in site_copy.rglob("*") if p.is_file()}
    with pytest.raises(scaffold.ScaffoldError, match=message.replace("(", r"\(").replace(")", r"\)")):
        scaffold.new_page(chapter, name, root=site_copy)
    assert {p: p.read_bytes() for p in site_copy.rglob("*") if p.is_file()} == snapshot


def test_make_new_page_reports_errors_clearly():
    result = subprocess.run(
        [sys.executable, "-m", "sitekit.scaffold", "autograd", "basics"], cwd=REPO_ROOT, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "page already exists" in result.stderr and "nothing was changed" in result.stderr


# --- make update-outputs ----------------------------------------------------------------------

PAGE = """\
        # {title}

        {prose}

        ```python
        >>> import torch
        >>> torch.arange(3) * 2  # {comment}
        tensor([0, 2, 5])
        >>> print("a\\n\\nb")
        a
        c
        ```

        ```python
        >>> torch.rand(1)
        tensor([0.12...])
        ```

        <!-- skip: next if(not torch.cuda.is_available(), reason="{reason}") -->
        ```python
        >>> torch.ones(1, device="cuda").device
        device(type='cuda', index=7)
        ```
        """
PAIR = {
    "p.zh.md": PAGE.format(title="页", prose="说明文字保持不变。", comment="注释", reason="需要 CUDA GPU"),
    "p.en.md": PAGE.format(title="Page", prose="Prose stays as it is.", comment="a comment", reason="needs a CUDA GPU"),
}


def test_update_outputs_rewrites_both_pages_and_nothing_else(tmp_path):
    import torch

    site = make_site(tmp_path, PAIR, git=False)
    result = run_pytest(site, "--update-outputs", "docs/p.zh.md", timeout=60)
    assert result.returncode == 0, result.stdout[-3000:]
    zh = (site / "docs" / "p.zh.md").read_text(encoding="utf-8")
    en = (site / "docs" / "p.en.md").read_text(encoding="utf-8")
    for text, prose, comment in ((zh, "说明文字保持不变。", "# 注释"), (en, "Prose stays as it is.", "# a comment")):
        assert "tensor([0, 2, 4])" in text and "tensor([0, 2, 5])" not in text
        assert "a\n<BLANKLINE>\nb" in text
        assert prose in text and comment in text
        assert "tensor([0.12...])" in text  # random output written with ... is left alone
        if not torch.cuda.is_available():
            assert "index=7" in text  # the GPU block did not run here: left alone
    assert "-tensor([0, 2, 5])" in result.stdout and "+tensor([0, 2, 4])" in result.stdout
    assert "left alone" in result.stdout
    # The rewritten blocks now pass; only the hand-written random block still fails.
    rerun = run_pytest(site, "docs", timeout=60).stdout
    failed = sorted(line.split(" ")[1] for line in rerun.splitlines() if line.startswith("FAILED "))
    assert failed == ["docs/p.en.md::line:15,column:1", "docs/p.zh.md::line:15,column:1"], rerun[-2000:]


# --- make i18n-status -------------------------------------------------------------------------


def test_i18n_status_reports_a_missing_twin_and_a_differing_block(tmp_path, capsys):
    docs = tmp_path / "docs"
    (docs / "a").mkdir(parents=True)
    (docs / "a" / "x.zh.md").write_text("```python\n>>> 1\n1\n```\n", encoding="utf-8")
    (docs / "a" / "x.en.md").write_text("```python\n>>> 1\n2\n```\n", encoding="utf-8")
    (docs / "a" / "y.zh.md").write_text("# y\n", encoding="utf-8")
    assert i18n_status([str(docs)]) == 1
    out = capsys.readouterr().out
    assert "y.en.md is missing" in out
    assert "x.zh.md:1: block 1 differs" in out
    assert "2 problem(s)" in out


def test_i18n_status_is_clean_for_the_site(capsys):
    assert i18n_status([]) == 0


def test_make_serve_rebuilds_dirty_without_strict_mode_failing():
    """`make serve` passes --dirty; MkDocs's warning about it must not count as a strict-mode warning,
    while every other warning still does (sitekit/hooks/live_preview.py)."""
    import importlib.util
    import logging

    assert "--dirty" in (REPO_ROOT / "Makefile").read_text(encoding="utf-8").split("\nserve:")[1].split("\n\n")[0]
    spec = importlib.util.spec_from_file_location("live_preview", REPO_ROOT / "sitekit/hooks/live_preview.py")
    spec.loader.exec_module(importlib.util.module_from_spec(spec))
    seen: list[tuple[int, str]] = []

    class Collect(logging.Handler):
        def emit(self, record):
            seen.append((record.levelno, record.getMessage()))

    handler = Collect(level=logging.INFO)
    logging.getLogger("mkdocs").addHandler(handler)
    try:
        build_log = logging.getLogger("mkdocs.commands.build")
        build_log.warning("A 'dirty' build is being performed, this will likely lead to inaccurate navigation")
        build_log.warning("Doc file 'x.md' contains a link 'y.md', but the target is not found")
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)
    assert seen[0][0] == logging.INFO and "dirty" in seen[0][1]
    assert seen[1][0] == logging.WARNING
