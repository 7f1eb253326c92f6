"""Versioned truth: the supported list, version variants on pages, and the tools around them."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from sitekit import REPO_ROOT, changes, parity, update_outputs, variants, verified, versions
from sitekit.blocks import read_page

from .conftest import PAGES, page_id
from .sandbox import make_site, run_pytest

RUNNING = versions.running()
OTHERS = [v for v in versions.supported() if v != RUNNING]


def others_spec() -> str:
    return versions.format_spec(frozenset(OTHERS))


def variant_page(mine: str, theirs: str, spec_mine: str | None = None, spec_theirs: str | None = None) -> str:
    """A page with one block in two variants: this run's version prints ``mine``."""
    return textwrap.dedent(
        f"""\
        # p

        ```python
        >>> import torch
        ```

        <!-- torch: {spec_theirs or others_spec()} -->
        ```python
        >>> print("hello")
        {theirs}
        ```

        <!-- torch: {spec_mine or RUNNING} -->
        ```python
        >>> print("hello")
        {mine}
        ```
        """
    )


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# --- the declaration ----------------------------------------------------------------------------


def test_supported_versions_are_declared_once_and_the_pin_is_the_latest():
    assert versions.supported() == ("2.11", "2.12", "2.13", "2.14", "2.15")
    assert versions.latest() == "2.15"
    assert versions.pinned_release() == versions.releases()[versions.latest()], (
        "requirements/torch.txt must pin the newest release of requirements/torch-versions.txt"
    )


def test_specs_parse_format_and_refuse_unknown_versions():
    assert versions.parse_spec("2.11-2.13, 2.15") == {"2.11", "2.12", "2.13", "2.15"}
    assert versions.format_spec({"2.11", "2.12", "2.13", "2.15"}) == "2.11-2.13, 2.15"
    assert versions.label({"2.11", "2.12", "2.14"}) == "2.11–2.12, 2.14"
    with pytest.raises(versions.VersionError, match=r"2\.10 is not a supported version \(2\.11, "):
        versions.parse_spec("2.10-2.12")
    with pytest.raises(versions.VersionError, match="runs backwards"):
        versions.parse_spec("2.14-2.12")


def test_an_unsupported_torch_is_refused_unless_drift_runs_it(monkeypatch):
    monkeypatch.setattr(versions, "installed_release", lambda: "2.16.0")
    monkeypatch.delenv(versions.DRIFT_ENV, raising=False)
    with pytest.raises(versions.VersionError, match=r"torch 2\.16\.0 is not a supported version .*make drift"):
        versions.running()
    monkeypatch.setenv(versions.DRIFT_ENV, "1")
    assert versions.running() == versions.latest()


# --- the guard ---------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_variant_group_covers_each_supported_version_once(page):
    problems = variants.problems(page)
    assert not problems, "\n".join(map(str, problems))


def test_guard_names_an_uncovered_version(tmp_path):
    page = write(tmp_path, "p.en.md", variant_page("hello", "hello", spec_theirs=OTHERS[0]))
    [problem] = variants.problems(page)
    assert problem.where == f"{page}:8"
    missing = versions.label(frozenset(OTHERS[1:]))
    assert f"leave torch {missing} uncovered" in problem.message


def test_guard_names_a_version_covered_twice(tmp_path):
    page = write(
        tmp_path, "p.en.md", variant_page("hello", "hello", spec_theirs=versions.format_spec(set(OTHERS) | {RUNNING}))
    )
    problems = variants.problems(page)
    assert any(f"torch {RUNNING} is covered twice" in p.message and p.where == f"{page}:14" for p in problems)


def test_guard_names_an_unsupported_version(tmp_path):
    page = write(tmp_path, "p.en.md", variant_page("hello", "hello", spec_theirs="2.9-2.14"))
    [problem] = variants.problems(page)
    assert problem.where == f"{page}:7" and "2.9 is not a supported version" in problem.message


def test_variants_whose_code_differs_are_not_one_group(tmp_path):
    text = variant_page("hello", "hello").replace('print("hello")\nhello\n```\n', 'print("hi")\nhello\n```\n', 1)
    page = write(tmp_path, "p.en.md", text)
    assert len(variants.groups(read_page(page))) == 2
    assert len(variants.problems(page)) == 2  # each half leaves versions uncovered


def test_twins_must_carry_the_same_version_specs(tmp_path):
    zh = write(tmp_path, "p.zh.md", variant_page("hello", "hello"))
    en = write(
        tmp_path,
        "p.en.md",
        variant_page("hello", "hello").replace(f"<!-- torch: {RUNNING} -->", f"<!-- torch: {RUNNING}, {OTHERS[0]} -->"),
    )
    [problem] = parity.compare_pair(zh, en)
    assert "skip or torch directive" in problem.message


# --- the engine ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def engine_run(tmp_path_factory):
    pages = {
        "right.en.md": variant_page("hello", "something else"),
        "wrong.en.md": variant_page("something else", "hello"),
    }
    root = make_site(tmp_path_factory.mktemp("versions"), pages)
    return run_pytest(root, "docs", timeout=30)


def test_only_the_running_versions_block_is_checked(engine_run):
    out = engine_run.stdout
    assert "PASSED docs/right.en.md::line:14" in out
    assert f"SKIPPED [1] docs/right.en.md:8: shows what torch {versions.label(frozenset(OTHERS))} prints; " in out
    assert f"this run checks torch {RUNNING}" in out
    assert "FAILED docs/wrong.en.md::line:14" in out
    assert "docs/wrong.en.md:15: output differs" in out


# --- recording variants (make drift-accept, make record-variants) ---------------------------------


def test_a_differing_block_becomes_a_variant_for_this_version(tmp_path):
    plain = """\
        # p

        ```python
        >>> import torch
        >>> print("hello")
        goodbye
        ```
        """
    root = make_site(tmp_path, {"p.zh.md": plain, "p.en.md": plain.replace("# p", "# p (en)")})
    result = run_pytest(root, "--update-outputs", "--record-variants", "docs/p.zh.md", timeout=30)
    assert result.returncode == 0, result.stdout[-3000:]
    for name in ("p.zh.md", "p.en.md"):
        page = root / "docs" / name
        text = page.read_text(encoding="utf-8")
        assert f'<!-- torch: {others_spec()} -->\n```python\n>>> import torch\n>>> print("hello")\ngoodbye\n```' in text
        assert f'<!-- torch: {RUNNING} -->\n```python\n>>> import torch\n>>> print("hello")\nhello\n```' in text
        assert variants.problems(page) == []
    assert parity.compare_pair(root / "docs" / "p.zh.md", root / "docs" / "p.en.md") == []
    rerun = run_pytest(root, "docs", timeout=30)
    assert rerun.returncode == 0 and "2 passed, 2 skipped" in rerun.stdout, rerun.stdout[-2000:]


def test_a_new_release_is_added_to_the_list_when_accepted(tmp_path, monkeypatch):
    listing = tmp_path / "torch-versions.txt"
    listing.write_text("# list\n2.14.1\n2.15.0\n", encoding="utf-8")
    monkeypatch.setattr(versions, "VERSIONS_FILE", listing)
    versions.releases.cache_clear()
    monkeypatch.setattr(versions.releases, "__defaults__", (listing,), raising=False)
    try:
        assert update_outputs._ensure_supported("2.16.0+cu132", report=lambda _: None) == "2.16"
        assert listing.read_text(encoding="utf-8").splitlines()[-1] == "2.16.0"
    finally:
        versions.releases.cache_clear()


# --- drift and matrix refuse clearly ------------------------------------------------------------


def test_drift_refuses_a_malformed_release():
    result = subprocess.run(
        [sys.executable, "-m", "sitekit.drift", "2.16"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2 and "TORCH='2.16' is not a release like 2.16.0" in result.stderr


@pytest.mark.timeout(180)
def test_drift_names_a_release_that_cannot_be_installed(tmp_path):
    env = {"SITEKIT_ENVS": str(tmp_path), "PATH": subprocess.os.environ["PATH"], "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "sitekit.drift", "0.0.1"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=170,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "drift: torch==0.0.1 cannot be installed" in result.stderr
    assert not list(REPO_ROOT.glob("torch-*")), "drift wrote into the repository"


def test_matrix_refuses_an_unsupported_version():
    result = subprocess.run(
        [sys.executable, "-m", "sitekit.matrix", "--versions", "2.10"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "not supported: 2.10" in result.stderr


# --- what readers see -----------------------------------------------------------------------------


def test_a_versions_site_shows_its_block_and_folds_the_others(tmp_path):
    page = write(tmp_path, "p.zh.md", variant_page("hello", "something else"))
    text = page.read_text(encoding="utf-8")
    shown = variants.render(text, page, RUNNING, "zh")
    assert shown.count("```python") == 3  # import, this version's block, the note's block
    assert shown.index('<span id="torch-variant-1"></span>') < shown.index("hello") < shown.index("??? note")
    assert f"PyTorch {versions.label(frozenset(OTHERS))}" in shown and "something else" in shown.split("??? note")[1]
    other = variants.render(text, page, OTHERS[0], "en")
    assert "prints something else" in other or "Changed in PyTorch" in other
    assert other.index("something else") < other.index("??? note") < other.rindex("hello")


def test_the_changes_page_lists_every_variant_with_a_link(tmp_path):
    docs = tmp_path / "docs"
    (docs / "a").mkdir(parents=True)
    (docs / "reference").mkdir()
    write(docs / "a", "p.zh.md", variant_page("hello", "something else").replace("# p", "# 页面\n\n## 小节"))
    out = changes.render(docs, docs / "reference" / "versions.zh.md", "zh")
    assert "### 页面 · 小节" in out
    assert "[查看代码块](../a/p.md#torch-variant-1)" in out
    assert f"**PyTorch {RUNNING} 打印：**" in out and "something else" in out and "hello" in out
    assert "共 1 处输出随版本而变" in out


def test_the_changes_page_shows_the_real_variants():
    found = changes.entries(REPO_ROOT / "docs", "en")
    assert found, "the pages record no version variants: the changes page would be empty"
    out = changes.render(REPO_ROOT / "docs", REPO_ROOT / "docs" / "reference" / "versions.en.md", "en")
    for entry in found:
        assert f"#{entry['group'].anchor})" in out


def test_verified_on_table_comes_from_records(tmp_path):
    record = verified.make_record("cpu", "2.15.0", "x86_64, 2 CPUs", "3.11.7", "docs", {"passed": 5, "failed": 0})
    verified.write(record, tmp_path)
    table = verified.table("en", directory=tmp_path)
    assert "| 2.15 (latest) | 5 passed, 0 failed, 0 skipped (x86_64, 2 CPUs, " in table and ", commit " in table
    assert "| 2.11 | not run yet | not run on a GPU yet:" in table
    assert "these GPU blocks (per language) are unverified;" in table


def test_the_recorded_gpu_run_is_shown_as_it_was():
    table = verified.table("en")
    assert "801 passed, 2 failed, 7 skipped (NVIDIA H200, CUDA 13.0, 16 CPUs, 2026-12-04, commit 0b82869)" in table
