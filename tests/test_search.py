"""sitekit/search.py without a site build: the index split and compaction, the glossary words,
and Material's worker as patched, run in Node on a small index."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import material
import pytest
import yaml

from sitekit import REPO_ROOT, search

from . import search_support

THEME = Path(material.__file__).parent / "templates"
ZW = "\u200b"


def _separator() -> str:
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)  # !relative, !!python/...
    config = yaml.load((REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    (options,) = [p["search"] for p in config["plugins"] if isinstance(p, dict) and "search" in p]
    return options["separator"]


SEPARATOR = _separator()
CONFIG = {"lang": ["zh", "en"], "separator": SEPARATOR, "pipeline": ["stemmer"], "fields": {}}


def test_the_patches_find_their_place_in_the_pinned_material():
    bundle, worker = search.patched_assets([str(THEME)], {"en": "en/search/search_index.json"})
    assert bundle.original == "assets/javascripts/bundle.a5f9d56c.min.js" != bundle.patched
    assert '{"en":"en/search/search_index.json"}[document.documentElement.lang]' in bundle.content
    assert worker.original.startswith("assets/javascripts/workers/search.") and worker.patched != worker.original
    with pytest.raises(search.PatchError, match="found 0 times"):
        search.patch_worker(worker.content)  # already patched: the original code is gone


def test_word_boundaries_stay_only_between_two_words():
    is_separator = search.separator_test(SEPARATOR)
    text = f"<p>{ZW}梯度{ZW}累加{ZW}，{ZW}用{ZW}<code>zero_grad</code>{ZW}清零 {ZW}PyTorch{ZW}。{ZW}"
    assert search.compact(text, is_separator) == f"<p>梯度{ZW}累加，用<code>zero_grad</code>清零 PyTorch。"
    assert search.compact(f"{ZW}把{ZW}x{ZW}移{ZW}到", is_separator) == f"把{ZW}x{ZW}移{ZW}到"


def test_the_index_is_split_by_language_and_kept_whole_for_the_404_page():
    combined = {
        "config": CONFIG,
        "docs": [
            {"location": "", "title": "首页", "text": f"{ZW}梯度{ZW}"},
            {"location": "autograd/basics/", "title": "自动求导", "text": "a"},
            {"location": "training/loop/", "title": "循环", "text": "b"},
            {"location": "training/loop/", "title": "图", "text": "c"},  # a heading without id
            {"location": "en/", "title": "Home", "text": "gradient"},
            {"location": "en/autograd/basics/", "title": "Autograd", "text": "a"},
            {"location": "english/", "title": "not a language folder", "text": ""},
        ],
    }
    indexes = search.split_index(combined, ["zh", "en"], "zh")
    assert set(indexes) == {"search/search_index.json", "en/search/search_index.json", search.ALL_INDEX}
    zh, en, every = (indexes[p] for p in ("search/search_index.json", "en/search/search_index.json", search.ALL_INDEX))
    assert [d["location"] for d in zh["docs"]] == ["", "autograd/basics/", "training/loop/", "english/"]
    assert zh["docs"][0]["text"] == "梯度" and zh["docs"][2]["text"] == "b 图 c"
    assert [d["location"] for d in en["docs"]] == ["en/", "en/autograd/basics/"]
    assert len(every["docs"]) == 6
    assert (zh["config"]["lang"], en["config"]["lang"], every["config"]["lang"]) == (["zh", "en"], ["en"], ["zh", "en"])
    assert zh["config"]["pipeline"] == ["stopWordFilter"] and zh["config"]["separator"] == SEPARATOR
    assert '"title":"首页","text":"梯度"' in search.dumps(zh)  # UTF-8, not \\u9996\\u9875


def test_glossary_terms_are_single_words_for_jieba():
    import jieba

    words = search.glossary_words()
    assert {"学习率", "计算图", "叶子节点", "迭代周期", "暂退法"} <= set(words)
    assert all(re.fullmatch(r"[\u4e00-\u9fff]+", word) for word in words)
    search.add_words_to_jieba(words)
    assert list(jieba.cut("学习率调度器按迭代周期调整学习率")) == ["学习率调度器", "按", "迭代周期", "调整", "学习率"]


@pytest.fixture(scope="module")
def patched_worker(tmp_path_factory) -> Path:
    """The patched worker, with the lunr language files where it looks for them (../lunr)."""
    search_support.need_node()
    root = tmp_path_factory.mktemp("assets")
    shutil.copytree(THEME / "assets" / "javascripts" / "lunr", root / "lunr")
    (root / "workers").mkdir()
    _, worker = search.patched_assets([str(THEME)], {})
    (root / "workers" / "search.js").write_text(worker.content, encoding="utf-8")
    return root / "workers" / "search.js"


def _index(tmp_path: Path, docs: list[dict]) -> Path:
    config = dict(CONFIG, fields={"title": {"boost": 1000.0}, "text": {"boost": 1.0}, "tags": {"boost": 1e6}})
    index = search.split_index({"config": config, "docs": docs}, ["zh", "en"], "zh")["search/search_index.json"]
    path = tmp_path / "index.json"
    path.write_text(search.dumps(index), encoding="utf-8")
    return path


def test_a_chinese_query_is_cut_into_words_of_the_index(patched_worker, tmp_path):
    """Material tried every cut of the query but the one with its last character: 设备 became 设*
    (设 is a word here) and found 设为; 学习率 became 学习* and found 可学习参数."""
    docs = [
        {"location": "a/", "title": "学习率", "text": f"学习率{ZW}决定{ZW}每{ZW}一步{ZW}走{ZW}多远"},
        {"location": "b/", "title": f"带{ZW}可{ZW}学习{ZW}参数{ZW}的{ZW}激活{ZW}函数", "text": ""},
        {"location": "c/", "title": "默认值", "text": f"把{ZW}它{ZW}设{ZW}为{ZW}零"},
        {"location": "d/", "title": "设备", "text": f"把{ZW}张量{ZW}移到{ZW}设备{ZW}上"},
    ]
    queries = ["学习率", "设备", "把张量移到设备上", "学习率的"]
    answers = search_support.run_worker(patched_worker, _index(tmp_path, docs), queries)
    found = [sorted(group[0]["location"] for group in groups) for groups in answers]
    assert found == [["a/"], ["d/"], ["d/"], ["a/"]]  # 把, 上 and 的 are stop words
    marks = {mark for group in answers[1] for item in group for mark in item["marks"]}
    assert marks == {"设备"}


def test_short_terms_and_numbers_match_whole_words(patched_worker, tmp_path):
    docs = [
        {"location": "a/", "title": "Given input size: (16x1x1)", "text": "too small"},
        {"location": "b/", "title": "got 2 and 1", "text": "tensors"},
    ]
    answers = search_support.run_worker(patched_worker, _index(tmp_path, docs), ["1", "in", "tensor", "inp"])
    found = [sorted(group[0]["location"] for group in groups) for groups in answers]
    assert found == [["b/"], [], ["b/"], ["a/"]]
    assert json.dumps(answers)  # plain data
