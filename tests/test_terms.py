"""Terms: no page uses a variant its language's glossary says not to write (``sitekit.terms``)."""

import pytest

from sitekit import DOCS_DIR, terms

from .sandbox import make_site

GLOSSARY_ZH = """\
# 术语表

| 术语 | English | 不要写成 | 说明 |
| --- | --- | --- | --- |
| 前向传播 | forward pass | 前向计算 | 从输入算到输出 |
| 迭代周期（epoch） | epoch | 轮次, epoch | 完整地过一遍训练数据 |
| 张量 | tensor |  | 多维数组 |
"""
GLOSSARY_EN = """\
# Glossary

| Term | 中文 | Avoid | Notes |
| --- | --- | --- | --- |
| forward pass | 前向传播 | forward computation | from the input to the output |
| epoch | 迭代周期（epoch） |  | one pass over the training data |
| tensor | 张量 |  | a multi-dimensional array |
"""


def _fail_on(problems):
    if problems:
        pytest.fail("\n".join(str(problem) for problem in problems), pytrace=False)


def check(tmp_path, pages):
    """The problems of a throwaway site holding the two small glossaries above and ``pages``."""
    glossaries = {"reference/glossary.zh.md": GLOSSARY_ZH, "reference/glossary.en.md": GLOSSARY_EN}
    root = make_site(tmp_path, {**glossaries, **pages}, git=False)
    return [str(problem) for problem in terms.check_docs(root / "docs")]


def test_the_pages_use_the_glossary_terms():
    _fail_on(terms.check_docs(DOCS_DIR))


def test_the_glossary_has_the_terms_of_the_site():
    entries = {entry.term: entry for entry in terms.read_glossary(terms.glossary_path(DOCS_DIR, "zh"), "zh")}
    assert 40 <= len(entries) <= 70
    assert "前向计算" in entries["前向传播"].variants
    assert "批大小" in entries["批量大小"].variants
    assert {"小批量", "迭代周期（epoch）", "自动求导", "叶子节点", "检查点"} <= set(entries)


# --- the check itself catches what it promises to catch ---------------------------------------


def test_a_variant_in_prose_is_reported_with_file_and_line(tmp_path):
    problems = check(tmp_path, {"training/loop.zh.md": "# 训练\n\n先做一次前向计算，再反向传播。\n"})
    assert problems == [
        "docs/training/loop.zh.md:3: '前向计算' is discouraged; the glossary says '前向传播' "
        "(docs/reference/glossary.zh.md)"
    ]


def test_a_variant_in_code_is_not_prose(tmp_path):
    page = """\
        # 训练

        行内代码 `前向计算` 和 ``x = "前向计算"`` 都不算。

        ```text
        前向计算
        ```

        === "CPU"

            ```python
            >>> "前向计算"
            '前向计算'
            ```
        """
    assert check(tmp_path, {"training/loop.zh.md": page}) == []


def test_an_allow_comment_keeps_one_line(tmp_path):
    page = """\
        # 训练

        <!-- terms: allow 前向计算 -->
        常见的写法是“前向计算”。

        “前向计算”这个说法也很常见。<!-- terms: allow 前向计算 -->

        下一行不受上面的注释保护：前向计算。
        """
    assert [p.split(": ", 1)[0] for p in check(tmp_path, {"a.zh.md": page})] == ["docs/a.zh.md:8"]


def test_an_allow_comment_that_allows_nothing_is_reported(tmp_path):
    page = "# 训练\n\n<!-- terms: allow 前向计算 -->\n这一行没有它。\n"
    [problem] = check(tmp_path, {"a.zh.md": page})
    assert problem.startswith("docs/a.zh.md:4: 'terms: allow 前向计算' allows nothing")


def test_the_term_with_its_gloss_is_not_its_variant(tmp_path):
    page = "# 训练\n\n训练 3 个迭代周期（epoch），每个迭代周期打乱一次。\n\n每个 epoch 结束时评估。\n"
    [problem] = check(tmp_path, {"a.zh.md": page})
    assert problem.startswith("docs/a.zh.md:5: 'epoch' is discouraged; the glossary says '迭代周期（epoch）'")


def test_an_english_variant_on_an_english_page_is_caught(tmp_path):
    pages = {
        "a.en.md": "# Training\n\nThe Forward computation comes first\nand `forward computation` in code is fine.\n",
        "a.zh.md": "# 训练\n\nforward computation 在中文页面上不归英文术语表管。\n",
    }
    assert check(tmp_path, pages) == [
        "docs/a.en.md:3: 'forward computation' is discouraged; the glossary says 'forward pass' "
        "(docs/reference/glossary.en.md)"
    ]


def test_the_glossaries_must_list_the_same_terms(tmp_path):
    make_site(tmp_path, {"reference/glossary.zh.md": GLOSSARY_ZH, "reference/glossary.en.md": GLOSSARY_EN})
    en = tmp_path / "docs/reference/glossary.en.md"
    en.write_text(GLOSSARY_EN.replace("| tensor | 张量 |", "| tensors | 张量 |"), encoding="utf-8")
    [problem] = terms.glossary_problems(tmp_path / "docs")
    assert str(problem).startswith("docs/reference/glossary.en.md:7: row 3")


def test_the_command_exits_1_on_a_variant_and_0_without(tmp_path, capsys):
    check(tmp_path, {"a.zh.md": "# 训练\n\n前向计算\n"})
    assert terms.main([str(tmp_path)]) == 1
    assert "docs/a.zh.md:3: '前向计算'" in capsys.readouterr().out
    (tmp_path / "docs/a.zh.md").write_text("# 训练\n\n前向传播\n", encoding="utf-8")
    assert terms.main([str(tmp_path / "docs")]) == 0
    assert capsys.readouterr().out.startswith("terms: 1 zh and 0 en page(s)")
