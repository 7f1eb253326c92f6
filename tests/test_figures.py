"""Figures drawn from the code (``sitekit.figures``): a figure cannot drift from its code.

Each ``<!-- figure: ... -->`` of the pages is read the way the build reads it (the page's
blocks run in order, the graph is taken right after its block) and its ``structure()`` must
equal the one committed below. Changing a figure's code changes its figure and fails this test
until the expected structure is updated: read the new structure in the failure report, check
that the figure still shows what the prose around it says, and copy it here.
"""

from __future__ import annotations

import difflib
import json
import textwrap
from pathlib import Path

import pytest
import torch
from torch import nn

from sitekit import DOCS_DIR, figures

from .conftest import PAGES, page_id

# "<page without .zh.md/.en.md>: <variable>" -> the figure's structure (both languages draw the same).
EXPECTED = {
    "autograd/basics: out": """
        function AddmmBackward0 | saved: mat1 = X
        function TBackward0
        leaf layer.bias | (1,)
        leaf layer.weight | (1, 4)
        AddmmBackward0 -> TBackward0
        AddmmBackward0 -> layer.bias
        TBackward0 -> layer.weight
    """,
    "autograd/basics: z": """
        function MulBackward0 | saved: freed
        leaf x | (4,)
        MulBackward0 -> x
    """,
    "autograd/graph: z": """
        function MulBackward0 | saved: other ()
        function MulBackward0 #2 | saved: other = x, self = x
        leaf x | (4,)
        MulBackward0 -> MulBackward0 #2
        MulBackward0 #2 -> x
        MulBackward0 #2 -> x
    """,
    "autograd/graph: loss": """
        function MulBackward0 | saved: freed
        function MulBackward0 #2 | saved: freed
        function MulBackward0 #3 | saved: freed
        function PowBackward0 | saved: freed
        function ReluBackward0 | saved: freed
        function SubBackward0
        leaf w1 | (1,)
        leaf w2 | (1,)
        leaf w3 | (1,)
        MulBackward0 -> ReluBackward0
        MulBackward0 -> w3
        MulBackward0 #2 -> MulBackward0 #3
        MulBackward0 #2 -> w2
        MulBackward0 #3 -> w1
        PowBackward0 -> SubBackward0
        ReluBackward0 -> MulBackward0 #2
        SubBackward0 -> MulBackward0
    """,
    "autograd/custom-function: y": """
        function AbsBackward0 | saved: freed
        function AddBackward0
        function ClampBackward1 | saved: freed
        function ExpBackward0 | saved: freed
        function Log1PBackward0 | saved: freed
        function NegBackward0
        leaf x | ()
        AbsBackward0 -> x
        AddBackward0 -> ClampBackward1
        AddBackward0 -> Log1PBackward0
        ClampBackward1 -> x
        ExpBackward0 -> NegBackward0
        Log1PBackward0 -> ExpBackward0
        NegBackward0 -> AbsBackward0
    """,
    "autograd/custom-function: y_custom": """
        function SoftplusBackward | saved: [0] = x
        leaf x | ()
        SoftplusBackward -> x
    """,
    "autograd/define-by-run: c": """
        function MulBackward0 | saved: freed
        function MulBackward0 #2 | saved: freed
        function MulBackward0 #3 | saved: freed
        function MulBackward0 #4 | saved: freed
        function MulBackward0 #5 | saved: freed
        function MulBackward0 #6 | saved: freed
        function MulBackward0 #7 | saved: freed
        function MulBackward0 #8 | saved: freed
        function MulBackward0 #9 | saved: freed
        function MulBackward0 #10 | saved: freed
        function MulBackward0 #11 | saved: freed
        leaf a | ()
        MulBackward0 -> MulBackward0 #2
        MulBackward0 #2 -> MulBackward0 #3
        MulBackward0 #3 -> MulBackward0 #4
        MulBackward0 #4 -> MulBackward0 #5
        MulBackward0 #5 -> MulBackward0 #6
        MulBackward0 #6 -> MulBackward0 #7
        MulBackward0 #7 -> MulBackward0 #8
        MulBackward0 #8 -> MulBackward0 #9
        MulBackward0 #9 -> MulBackward0 #10
        MulBackward0 #10 -> MulBackward0 #11
        MulBackward0 #11 -> a
    """,
    "models/custom-layers: out": """
        function AddBackward0
        function AddmmBackward0 | saved: mat1 (5, 10)
        function ExpBackward0 | saved: result (5, 20)
        function MulBackward0 | saved: other ()
        function MulBackward0 #2 | saved: other (5, 20), self ()
        function NegBackward0
        function ReciprocalBackward0 | saved: result (5, 20)
        function TBackward0
        leaf my_layer.custom_activation.a | ()
        leaf my_layer.linear.bias | (20,)
        leaf my_layer.linear.weight | (20, 10)
        AddBackward0 -> ExpBackward0
        AddmmBackward0 -> TBackward0
        AddmmBackward0 -> my_layer.linear.bias
        ExpBackward0 -> MulBackward0 #2
        MulBackward0 -> ReciprocalBackward0
        MulBackward0 #2 -> AddmmBackward0
        MulBackward0 #2 -> NegBackward0
        NegBackward0 -> my_layer.custom_activation.a
        ReciprocalBackward0 -> AddBackward0
        TBackward0 -> my_layer.linear.weight
    """,
    "models/modules: net": """
        module net | 7946 parameters
        module net.hidden | weight (256, 20) | bias (256,) | 5376 parameters
        module net.out | weight (10, 256) | bias (10,) | 2570 parameters
        net -> net.hidden
        net -> net.out
    """,
}

FIGURE_PAGES = [p for p in PAGES if "<!-- figure:" in p.read_text(encoding="utf-8")]


def page_key(path: Path) -> str:
    rel = path.relative_to(DOCS_DIR).as_posix()
    return rel.removesuffix(".zh.md").removesuffix(".en.md")


@pytest.mark.parametrize("path", FIGURE_PAGES, ids=page_id)
def test_each_figure_matches_its_expected_structure(path):
    problems = []
    for figure in figures.figures_of_page(path):
        key = f"{page_key(path)}: {figure.spec.target}"
        actual = figures.structure(figure.graph)
        if key not in EXPECTED:
            problems.append(
                f"{figure.spec.where}: no expected structure for '{key}' in {__file__}; it draws:\n{actual}"
            )
            continue
        expected = textwrap.dedent(EXPECTED[key]).strip()
        if actual != expected:
            diff = "\n".join(
                difflib.unified_diff(expected.split("\n"), actual.split("\n"), "expected", "drawn", lineterm="")
            )
            problems.append(
                f"{figure.spec.where}: the figure of '{figure.spec.target}' changed with its code. If it still shows "
                f"what the page says, update EXPECTED['{key}'] in {__file__} to:\n{actual}\n\n{diff}"
            )
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)


def test_every_expected_structure_has_its_figure():
    drawn = {f"{page_key(p)}: {spec.target}" for p in FIGURE_PAGES for spec in figures.figure_specs(p)}
    assert sorted(set(EXPECTED) - drawn) == [], "expected structures of figures that no page draws"


def test_the_required_figures_exist():
    """Learn by doing: the autograd chapter, one custom layer and one model's module tree have figures."""
    kinds = {(page_key(p), spec.kind) for p in FIGURE_PAGES for spec in figures.figure_specs(p)}
    for page, kind in [
        ("autograd/define-by-run", "autograd"),
        ("autograd/custom-function", "autograd"),
        ("models/custom-layers", "autograd"),
        ("models/modules", "modules"),
    ]:
        assert (page, kind) in kinds, (page, kind)


# --- the traversal and the drawing -------------------------------------------------------------


def test_autograd_graph_follows_next_functions_to_named_leaves():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x * 2).relu().sum()
    graph = figures.autograd_graph(y, {id(x): "x"})
    assert figures.structure(graph) == textwrap.dedent(
        """\
        function MulBackward0 | saved: other ()
        function ReluBackward0 | saved: result (2,)
        function SumBackward0
        leaf x | (2,)
        MulBackward0 -> x
        ReluBackward0 -> MulBackward0
        SumBackward0 -> ReluBackward0"""
    )
    assert graph.nodes[0].key == "SumBackward0"  # the root comes first


def test_a_leaf_used_twice_is_one_node_with_two_edges_and_saved_tensors_are_named():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    graph = figures.autograd_graph(x * x, {id(x): "x"})
    assert figures.structure(graph).split("\n") == [
        "function MulBackward0 | saved: other = x, self = x",
        "leaf x | (2,)",
        "MulBackward0 -> x",
        "MulBackward0 -> x",
    ]
    y = x * x
    y.sum().backward()
    assert "function MulBackward0 | saved: freed" in figures.structure(figures.autograd_graph(y))


def test_unnamed_leaves_and_deep_graphs():
    x = torch.ones(3, requires_grad=True)
    y = x
    for _ in range(3000):  # deeper than Python's recursion limit
        y = y * 1.0
    graph = figures.autograd_graph(y)
    assert len(graph.nodes) == 3001 and graph.nodes[-1].key == "leaf" and graph.nodes[-1].title == ""
    assert graph.nodes[-2].key == "MulBackward0 #3000"
    with pytest.raises(ValueError, match="does not require grad"):
        figures.autograd_graph(torch.ones(2))


def test_module_tree_names_children_parameters_and_buffers():
    net = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.BatchNorm1d(3))
    assert figures.structure(figures.module_tree(net, "net")).split("\n") == [
        "module net | 21 parameters",
        "module net.0 | weight (3, 4) | bias (3,) | 15 parameters",
        "module net.1",
        "module net.2 | weight (3,) | bias (3,) | running_mean (3,) buffer | running_var (3,) buffer"
        " | num_batches_tracked () buffer | 6 parameters",
        "net -> net.0",
        "net -> net.1",
        "net -> net.2",
    ]


def test_dot_and_svg_of_a_tiny_graph_contain_its_nodes():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    graph = figures.autograd_graph((x * 2).sum(), {id(x): "x"})
    dot = figures.to_dot(graph, "zh")
    assert '"SumBackward0"' in dot and "MulBackward0\\n保存：other ()" in dot and "x (2,)\\nAccumulateGrad" in dot
    assert 'class="function root"' in dot and 'class="leaf"' in dot
    svg = figures.to_svg(dot)
    assert svg.startswith('<svg class="sitekit-graph"') and "\n" not in svg
    for text in ("SumBackward0", "MulBackward0", "保存：other ()", "x (2,)", "AccumulateGrad"):
        assert f">{text}</text>" in svg, text
    assert svg.count('<g class="node') == 3 and svg.count('<g class="edge') == 2
    assert "<?xml" not in svg and "<title>" not in svg and ' id="' not in svg and 'width="' not in svg.split(">")[0]
    assert "saved: other ()" in figures.to_dot(graph, "en")


def test_long_details_wrap_at_commas():
    assert figures._wrap("saved: input (3, 2), result1 (2,), result2 (2,)", 24) == [
        "saved: input (3, 2),",
        "result1 (2,),",
        "result2 (2,)",
    ]


# --- directives on a page ----------------------------------------------------------------------


def write_page(tmp_path, body: str) -> Path:
    path = tmp_path / "p.zh.md"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def test_figures_are_read_after_their_block(tmp_path):
    path = write_page(
        tmp_path,
        """\
        # p

        ```python
        >>> import torch
        >>> x = torch.tensor([1.0, 2.0], requires_grad=True)
        >>> y = x * 3
        ```

        <!-- figure: autograd y "y 的计算图" -->

        ```python
        >>> y = y.sum()
        >>> y.backward()
        >>> x.grad
        tensor([3., 3.])
        ```
        <!-- figure: autograd y "y 求和之后" -->
        <!-- figure: autograd x "叶子节点本身" -->
        """,
    )
    first, second, leaf = figures.figures_of_page(path)
    assert first.spec.alt == "y 的计算图" and first.spec.line == 9 and first.spec.after.line == 3
    assert figures.structure(first.graph).split("\n")[0] == "function MulBackward0 | saved: other ()"
    assert figures.structure(second.graph).split("\n")[:2] == [
        "function MulBackward0 | saved: freed",
        "function SumBackward0",
    ]
    assert figures.structure(leaf.graph) == "leaf x | (2,)"


def test_a_missing_variable_is_named_with_page_and_line(tmp_path):
    path = write_page(tmp_path, '```python\n>>> import torch\n```\n\n<!-- figure: autograd yy "alt" -->\n')
    with pytest.raises(figures.FigureError, match=rf"^{path}:5: no variable 'yy' after the block at line 1"):
        figures.figures_of_page(path)


def test_a_variable_of_the_wrong_kind_is_refused(tmp_path):
    path = write_page(
        tmp_path, '```python\n>>> import torch\n>>> t = torch.ones(2)\n```\n<!-- figure: modules t "alt" -->\n'
    )
    with pytest.raises(figures.FigureError, match=rf"^{path}:5: 't' is a Tensor, not an nn.Module"):
        figures.figures_of_page(path)


def test_a_directive_inside_a_code_fence_is_text(tmp_path):
    path = write_page(
        tmp_path,
        """\
        ```markdown
        <!-- figure: autograd nowhere "an example of the syntax" -->
        ```
        """,
    )
    assert figures.figure_specs(path) == [] and figures.figures_of_page(path) == []
    assert figures.render_page(path.read_text(encoding="utf-8"), path, "zh", cache_dir=None) == path.read_text(
        encoding="utf-8"
    )


def test_a_directive_must_follow_a_python_block_and_be_well_formed(tmp_path):
    path = write_page(tmp_path, 'Text.\n\n<!-- figure: autograd y "alt" -->\n')
    with pytest.raises(figures.FigureError, match=rf"^{path}:3: a figure directive goes right after"):
        figures.figure_specs(path)
    for args, message in [("autograd y", "write <!-- figure:"), ('graph y "alt"', "unknown figure kind 'graph'")]:
        path = write_page(tmp_path, f"```python\n>>> y = 1\n```\n<!-- figure: {args} -->\n")
        with pytest.raises(figures.FigureError, match=message):
            figures.figure_specs(path)


def test_skipped_blocks_do_not_run_for_figures(tmp_path):
    path = write_page(
        tmp_path,
        """\
        ```python
        >>> import torch
        >>> x = torch.ones(2, requires_grad=True)
        >>> y = x * 2
        ```

        <!-- skip: next -->
        ```python
        >>> y = y.cuda()
        ```

        ```python
        >>> z = y.sum()
        ```
        <!-- figure: autograd z "z" -->
        """,
    )
    [figure] = figures.figures_of_page(path)
    assert "SumBackward0 -> MulBackward0" in figures.structure(figure.graph)
    skipped = write_page(tmp_path, '<!-- skip: next -->\n```python\n>>> y = 1\n```\n<!-- figure: autograd y "y" -->\n')
    with pytest.raises(figures.FigureError, match="the block before it does not run here"):
        figures.figures_of_page(skipped)


def test_an_unexpected_exception_fails_with_its_line(tmp_path):
    path = write_page(
        tmp_path,
        """\
        ```python
        >>> 1 / 0
        Traceback (most recent call last):
        ...
        ZeroDivisionError: division by zero
        >>> undefined_name
        ```
        <!-- figure: autograd y "y" -->
        """,
    )
    with pytest.raises(figures.FigureError, match=rf"^{path}:6: the example raised NameError"):
        figures.figures_of_page(path)


def test_render_page_inserts_the_figure_and_caches_it(tmp_path, monkeypatch):
    body = textwrap.dedent(
        """\
        ```python
        >>> import torch
        >>> x = torch.ones(2, requires_grad=True)
        >>> y = (x * 2).sum()
        ```
        <!-- figure: autograd y "y 的计算图：SumBackward0 <- MulBackward0 & 叶子节点 x" -->
        Next paragraph.
        """
    )
    path = write_page(tmp_path, body)
    cache = tmp_path / "cache"
    rendered = figures.render_page(body, path, "zh", cache_dir=cache)
    alt = "y 的计算图：SumBackward0 &lt;- MulBackward0 &amp; 叶子节点 x"
    figure_line = next(line for line in rendered.split("\n") if line.startswith("<figure"))
    assert figure_line.startswith(f'<figure class="sitekit-figure" role="img" aria-label="{alt}">')
    assert "<svg" in figure_line and figure_line.endswith(f"<figcaption>{alt}</figcaption></figure>")
    assert "<!-- figure:" not in rendered and "\n\n<figure" in rendered and "</figure>\n\nNext paragraph." in rendered
    [entry] = cache.glob("*.json")
    assert json.loads(entry.read_text(encoding="utf-8"))["svgs"][0] in figure_line

    def must_not_run(*args, **kwargs):
        raise AssertionError("the page ran again although its code did not change")

    monkeypatch.setattr(figures, "figures_of_page", must_not_run)
    assert figures.render_page(body, path, "zh", cache_dir=cache) == rendered
    with pytest.raises(AssertionError, match="ran again"):  # changed code: a new key, the page runs
        figures.render_page(body.replace("x * 2", "x * 3"), path, "zh", cache_dir=cache)


def test_changing_a_figures_code_changes_its_structure(tmp_path):
    """What the expectations above guard: one more loop iteration is one more node, and the test sees it."""
    text = (DOCS_DIR / "autograd" / "define-by-run.zh.md").read_text(encoding="utf-8")
    assert text.count("a = torch.tensor(0.5, requires_grad=True)") == 1
    changed = tmp_path / "define-by-run.zh.md"
    changed.write_text(text.replace("torch.tensor(0.5, requires_grad=True)", "torch.tensor(0.25, requires_grad=True)"))
    [figure] = [f for f in figures.figures_of_page(changed) if f.spec.target == "c"]
    drawn = figures.structure(figure.graph)
    assert drawn != textwrap.dedent(EXPECTED["autograd/define-by-run: c"]).strip()
    assert "MulBackward0 #12 -> a" in drawn
