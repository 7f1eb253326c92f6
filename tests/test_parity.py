"""Guard 2: every page has its twin, and twins carry the same blocks in the same order."""

import textwrap

import pytest

from sitekit import DOCS_DIR, parity
from sitekit.blocks import iter_pages

from .conftest import PAGES, page_id

ZH_PAGES = [p for p in PAGES if p.name.endswith(".zh.md")]


def test_every_page_has_its_twin():
    problems = parity.missing_twins(iter_pages(DOCS_DIR))
    assert not problems, "\n".join(map(str, problems))


@pytest.mark.parametrize("zh", ZH_PAGES, ids=page_id)
def test_twins_match_block_for_block(zh):
    en = parity.twin_of(zh)
    if not en.exists():
        pytest.skip("reported by test_every_page_has_its_twin")
    problems = parity.compare_pair(zh, en)
    if problems:
        pytest.fail("\n\n".join(map(str, problems)), pytrace=False)


def pair(tmp_path, zh, en):
    (tmp_path / "p.zh.md").write_text(textwrap.dedent(zh), encoding="utf-8")
    (tmp_path / "p.en.md").write_text(textwrap.dedent(en), encoding="utf-8")
    return tmp_path / "p.zh.md", tmp_path / "p.en.md"


def test_missing_twin_is_named(tmp_path):
    (tmp_path / "a.zh.md").write_text("# a\n", encoding="utf-8")
    [problem] = parity.missing_twins([tmp_path / "a.zh.md"])
    assert "a.en.md is missing" in problem.message


def test_comments_and_prose_may_differ(tmp_path):
    zh, en = pair(
        tmp_path,
        "中文说明\n\n```python\n>>> x = 1  # 注释\n>>> x\n1\n```\n",
        "English prose\n\n```python\n>>> x = 1  # a comment\n>>> x\n1\n```\n",
    )
    assert parity.compare_pair(zh, en) == []


def test_different_output_is_shown_side_by_side(tmp_path):
    zh, en = pair(tmp_path, "```python\n>>> 1 + 1\n2\n```\n", "```python\n>>> 1 + 1\n3\n```\n")
    [problem] = parity.compare_pair(zh, en)
    assert problem.where.endswith("p.zh.md:1")
    assert "2" in problem.message and "≠" in problem.message and "p.en.md:1" in problem.message


def test_missing_block_is_reported(tmp_path):
    zh, en = pair(tmp_path, "```python\nassert 1\n```\n\n```python\nassert 2\n```\n", "```python\nassert 1\n```\n")
    [problem] = parity.compare_pair(zh, en)
    assert "block 2 has no counterpart" in problem.message


def test_skip_conditions_must_match_but_reasons_may_not(tmp_path):
    gpu = '<!-- skip: next if(not torch.cuda.is_available(), reason="{}") -->\n```python\nassert 1\n```\n'
    zh, en = pair(tmp_path, gpu.format("需要 CUDA GPU"), gpu.format("needs a CUDA GPU"))
    assert parity.compare_pair(zh, en) == []
    zh, en = pair(tmp_path, gpu.format("x"), "```python\nassert 1\n```\n")
    [problem] = parity.compare_pair(zh, en)
    assert "skip or torch directive" in problem.message


def test_figures_must_match_but_their_alt_text_may_not(tmp_path):
    block = "```python\n>>> import torch\n>>> y = torch.ones(1, requires_grad=True) * 2\n```\n"
    zh, en = pair(
        tmp_path,
        block + '<!-- figure: autograd y "y 的计算图" -->\n',
        block + '<!-- figure: autograd y "The graph of y" -->\n',
    )
    assert parity.compare_pair(zh, en) == []
    zh, en = pair(
        tmp_path, block + '<!-- figure: autograd y "y 的计算图" -->\n', block + '<!-- figure: modules y "y" -->\n'
    )
    [problem] = parity.compare_pair(zh, en)
    assert problem.where.endswith("p.zh.md:5")
    assert "draws autograd y after block 1, but" in problem.message and "modules y after block 1" in problem.message
    zh, en = pair(tmp_path, block + '<!-- figure: autograd y "y 的计算图" -->\n', block)
    [problem] = parity.compare_pair(zh, en)
    assert "figure 1 (autograd y after block 1) has no counterpart" in problem.message
