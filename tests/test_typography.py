"""A line break inside Chinese prose does not become a space (sitekit.typography)."""

from sitekit.typography import join_cjk_lines


def test_lines_of_a_chinese_paragraph_are_joined_without_a_space():
    assert join_cjk_lines("梯度要花内存，\n所以只记录需要的。") == "梯度要花内存，所以只记录需要的。"
    assert join_cjk_lines("初始化、\n训练") == "初始化、训练"
    assert join_cjk_lines("结果；\nPyTorch 会报错") == "结果；PyTorch 会报错"
    assert join_cjk_lines("**梯度是多少？**\nPyTorch 回答") == "**梯度是多少？**PyTorch 回答"


def test_english_and_mixed_line_ends_keep_their_space():
    assert join_cjk_lines("use\nit") == "use\nit"
    assert join_cjk_lines("调用\n`backward()`") == "调用\n`backward()`"


def test_code_lists_headings_and_tabs_are_left_alone():
    text = (
        '```python\n# 中文注释\n# 第二行\n```\n- 第一项\n- 第二项\n## 标题\n正文\n\n=== "CPU"\n\n    缩进的\n    段落'
    )
    out = join_cjk_lines(text)
    assert "# 中文注释\n# 第二行" in out
    assert "- 第一项\n- 第二项" in out
    assert "## 标题\n正文" in out
    assert "    缩进的段落" in out
