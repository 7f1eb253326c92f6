"""Every page downloads as a notebook and a script (``sitekit.downloads``): what they hold.

The Chinese notebooks and the English scripts are run by tests/test_downloads_notebooks.py and
tests/test_downloads_scripts.py (two files, so that pytest-xdist runs them side by side); here,
each twin's other file must carry the same code and outputs, so it runs the same; and the
conversion's rules, on small pages.
"""

from __future__ import annotations

import json
import textwrap

import pytest

from sitekit import DOCS_DIR, downloads, parity, versions
from sitekit.blocks import strip_comments

from .download_runner import ZH, page_id


def _code_and_outputs(notebook: dict) -> list:
    return [
        (strip_comments(cell["source"]), json.dumps(cell["outputs"]))
        for cell in notebook["cells"]
        if cell["cell_type"] == "code"
    ]


@pytest.mark.parametrize("page", ZH, ids=page_id)
def test_twins_download_the_same_code_and_outputs(page):
    """What is not run above (the English notebook, the Chinese script) matches its twin, which is."""
    zh, en = downloads.build(page), downloads.build(parity.twin_of(page))
    if zh.notebook is not None:
        assert _code_and_outputs(json.loads(zh.notebook)) == _code_and_outputs(json.loads(en.notebook))
    code = [(strip_comments(c), w) for c, w in downloads.script_cells(zh.script)]
    if page.suffix == ".ipynb":  # the twins' "labels" cells differ in their words
        code = [c for c in code if "LABELS" not in c[0]]
        assert len(downloads.script_cells(zh.script)) == len(downloads.script_cells(en.script))
        return
    assert code == [(strip_comments(c), w) for c, w in downloads.script_cells(en.script)]
    assert zh.snippets == en.snippets


def test_every_page_has_downloads():
    assert len(ZH) >= 20
    for page in ZH:
        made = downloads.build(page)
        assert made.script.count("# %%") > 1, page
        if page.suffix == ".md":
            notebook = json.loads(made.notebook)
            assert notebook["nbformat"] == 4 and any(c["cell_type"] == "code" for c in notebook["cells"]), page


# --- what the conversion does, on small pages -------------------------------------------------------


def convert(tmp_path, text, name="p.zh.md", base_url=None):
    page = tmp_path / name
    page.write_text(textwrap.dedent(text), encoding="utf-8")
    made = downloads.build(page, base_url=base_url, docs_dir=tmp_path)
    return json.loads(made.notebook), made.script


def sources(notebook, kind="code"):
    return [cell["source"] for cell in notebook["cells"] if cell["cell_type"] == kind]


def test_repl_block_becomes_one_cell_per_output_with_the_pages_output(tmp_path):
    notebook, script = convert(
        tmp_path,
        """\
        # 标题

        第一段。

        ```python
        >>> import torch
        >>> x = torch.arange(3)
        >>> x
        tensor([0, 1, 2])
        >>> print(x.shape)
        torch.Size([3])
        ```
        """,
    )
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert code[0]["source"].startswith("import torch") and "manual_seed(0)" in code[0]["source"]
    assert code[1]["source"] == "import torch\nx = torch.arange(3)\nx\n"
    assert code[1]["outputs"] == [
        {
            "output_type": "execute_result",
            "execution_count": 2,
            "metadata": {},
            "data": {"text/plain": "tensor([0, 1, 2])"},
        }
    ]
    assert code[2]["outputs"] == [{"output_type": "stream", "name": "stdout", "text": "torch.Size([3])\n"}]
    assert "print(x)\n# -> tensor([0, 1, 2])" in script
    assert notebook["cells"][0]["source"] == "# 标题"
    assert "PyTorch " + versions.running() in notebook["cells"][1]["source"]
    assert "第一段。" in sources(notebook, "markdown")[2]


def test_an_error_the_page_shows_is_caught_and_printed(tmp_path):
    notebook, script = convert(
        tmp_path,
        """\
        # t

        ```python
        >>> {}["k"]
        Traceback (most recent call last):
        ...
        KeyError: 'k'
        ```
        """,
    )
    cell = [c for c in notebook["cells"] if c["cell_type"] == "code"][1]
    assert "except KeyError as error:" in cell["source"]
    assert cell["outputs"][0]["text"] == "KeyError: 'k'\n"
    assert downloads._run_cell(cell["source"], {}) == "KeyError: 'k'\n"


def test_only_this_versions_variant_is_kept_and_skipped_blocks_run_where_the_page_runs_them(tmp_path):
    others = [v for v in versions.supported() if v != versions.running()]
    notebook, script = convert(
        tmp_path,
        f"""\
        # t

        <!-- torch: {versions.format_spec(frozenset(others))} -->
        ```python
        >>> print("x")
        theirs
        ```
        <!-- torch: {versions.running()} -->
        ```python
        >>> print("x")
        x
        ```

        === "GPU"

            <!-- skip: next if(torch.cuda.device_count() < 1000, reason="需要 1000 块 GPU") -->
            ```python
            >>> import torch
            >>> torch.ones(1, device="cuda").device
            device(type='cuda', index=0)
            ```
        """,
    )
    assert "theirs" not in json.dumps(notebook)
    cell = notebook["cells"][-1]
    assert cell["source"] == (
        "if torch.cuda.device_count() >= 1000:  # 需要 1000 块 GPU\n"
        "    import torch\n"
        '    print(repr(torch.ones(1, device="cuda").device))\n'
        "    # -> device(type='cuda', index=0)\n"
    )
    assert cell["outputs"] == [] and cell["execution_count"] is not None
    assert downloads._run_cell(cell["source"], {"torch": __import__("torch")}) == ""
    assert "**GPU**" in sources(notebook, "markdown")[-1]
    assert downloads._guard("not torch.cuda.is_available()") == "if torch.cuda.is_available():"
    assert downloads._guard("torch.accelerator.is_available()") == "if not torch.accelerator.is_available():"
    either = "torch.cuda.is_available() or x is None"
    assert downloads._guard(either) == f"if not ({either}):"


def test_admonitions_and_tabs_flatten_and_links_point_at_the_published_site(tmp_path):
    (tmp_path / "ch").mkdir()
    notebook, _ = convert(
        tmp_path,
        """\
        # t

        见[另一页](other.md#a-b)和[本页](#x)。

        ??? success "答案"

            缩进的文字。

            ```python
            >>> 1 + 1
            2
            ```
        """,
        name="ch/p.zh.md",
        base_url="https://example.test/2.15/",
    )
    prose = "\n".join(sources(notebook, "markdown"))
    assert "[另一页](https://example.test/2.15/ch/other/#a-b)" in prose
    assert "[本页](https://example.test/2.15/ch/p/#x)" in prose
    assert "**答案**\n\n缩进的文字。" in prose
    assert sources(notebook)[-1] == "1 + 1\n"
    notebook, _ = convert(tmp_path, "# t\n\nSee [the other page](other.md).\n", name="ch/q.en.md")
    assert "See the other page." in sources(notebook, "markdown")[-1]  # no site to link to: the text stays


def test_expressions_the_repl_shows_inside_blocks_are_printed(tmp_path):
    notebook, script = convert(
        tmp_path,
        """\
        # t

        ```python
        >>> import torch
        >>> for i in range(2):
        ...     i * 10
        0
        10
        >>> (a, b) = (1, "s")
        >>> a, b
        (1, 's')
        >>> b
        's'
        ```
        """,
    )
    code = sources(notebook)
    assert "    print(i * 10)" in code[1]
    assert "print((a, b))" in script and "print(repr(b))" in script
    namespace: dict = {}
    assert "".join(downloads._run_cell(c, namespace) for c in code[1:]) == "0\n10\n(1, 's')\n's'\n"


def test_a_page_that_starts_processes_guards_its_script(tmp_path):
    _, script = convert(
        tmp_path,
        '''\
        # t

        ```python
        >>> from snippets.ddp import launch
        >>> text = """
        ... a
        ... """
        ```
        ''',
    )
    assert 'if __name__ == "__main__":' in script
    assert '    text = """\na\n"""' in script  # the inside of a string is not indented
    cells = downloads.script_cells(script)
    assert all(compile(code, "s", "exec") for code, _ in cells)


def test_snippet_imports_are_named_and_noted():
    made = downloads.build(DOCS_DIR / "tensors" / "devices.zh.md")
    assert made.snippets == ["devices"]
    assert "snippets/devices.py" in json.loads(made.notebook)["cells"][1]["source"]


def test_the_home_pages_markers_are_filled_in():
    notebook = json.loads(downloads.build(DOCS_DIR / "index.zh.md").notebook)
    prose = "\n".join(sources(notebook, "markdown"))
    assert f"```bash\npip install torch=={versions.releases()[versions.running()]}\n```" in prose
    assert "| PyTorch | CPU | GPU |" in prose  # the "verified on" table


def test_page_urls():
    assert downloads.page_url("tensors/basics.zh.md") == "tensors/basics/"
    assert downloads.page_url("tensors/basics.en.md") == "en/tensors/basics/"
    assert downloads.page_url("index.zh.md") == ""
    assert downloads.page_url("index.en.md") == "en/"
    assert downloads.page_url("training/loop.en.ipynb") == "en/training/loop/"
    assert downloads.download_names(DOCS_DIR / "training" / "loop.zh.ipynb") == ("loop.zh.ipynb", "loop.zh.py")
