"""Guards 1 and 3: every python fence runs (or is skipped with a reason), and every block asserts."""

import textwrap

import pytest

from sitekit import guards

from .conftest import PAGES, page_id


def _fail_on(problems):
    if problems:
        pytest.fail("\n".join(str(problem) for problem in problems), pytrace=False)


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_python_fence_is_collected(page):
    _fail_on(guards.uncollected_fences(page) + guards.engine_disagrees(page))


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_skip_has_a_reason(page):
    _fail_on(guards.skips_without_reason(page))


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_block_asserts(page):
    _fail_on(guards.blocks_without_assert(page))


def test_there_are_pages():
    assert len(PAGES) >= 4


# --- the guards themselves catch what they promise to catch ---------------------------------


def write(tmp_path, text):
    page = tmp_path / "bad.zh.md"
    page.write_text(textwrap.dedent(text), encoding="utf-8")
    return page


def test_fence_with_attributes_is_reported(tmp_path):
    page = write(
        tmp_path,
        """\
        # t

        ```python title="x.py"
        assert 1 == 1
        ```
        """,
    )
    [problem] = guards.uncollected_fences(page)
    assert problem.where.endswith("bad.zh.md:3")
    assert "python title=" in problem.message


def test_pycon_fence_is_reported(tmp_path):
    page = write(tmp_path, "```pycon\n>>> 1\n1\n```\n")
    [problem] = guards.uncollected_fences(page)
    assert problem.where.endswith("bad.zh.md:1")


def test_unclosed_fence_is_reported(tmp_path):
    page = write(tmp_path, "```python\nassert True\n```\n\ntext\n\n```python\nassert True\n")
    [problem] = guards.uncollected_fences(page)
    assert problem.where.endswith("bad.zh.md:7") and "never closed" in problem.message


def test_skip_without_reason_is_reported(tmp_path):
    page = write(
        tmp_path,
        """\
        <!-- skip: next if(not torch.cuda.is_available()) -->
        ```python
        assert True
        ```
        """,
    )
    [problem] = guards.skips_without_reason(page)
    assert problem.where.endswith("bad.zh.md:1")


def test_block_without_assert_is_reported(tmp_path):
    page = write(
        tmp_path,
        """\
        ```python
        x = 1
        ```

        ```python
        >>> import torch
        ```

        ```python
        >>> y = 2
        >>> y
        2
        ```
        """,
    )
    assert [p.where.rsplit(":", 1)[1] for p in guards.blocks_without_assert(page)] == ["1", "5"]
