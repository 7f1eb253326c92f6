"""Figures drawn from the code: computation graphs and module trees, made when the site is built.

A page asks for a figure with a directive right after a python block::

    ```python
    >>> y = (x * 2).relu().sum()
    ```
    <!-- figure: autograd y "y 的计算图：……" -->

``autograd NAME`` draws the graph behind the tensor ``NAME`` as it is after that block ran:
its ``grad_fn`` and every node reached through ``next_functions`` (the edges), each function
node with the tensors it saved for the backward pass, and each ``AccumulateGrad`` as the leaf
tensor it accumulates into. ``modules NAME`` draws the module tree of ``NAME`` (named children,
their parameters and buffers, parameter counts). The quoted text is the figure's alt text and
caption, in the page's language; twins differ only there (``parity``).

``figures_of_page`` runs the page's blocks in order, in a fresh namespace and working
directory (``engine.setup_page``), and reads each figure's graph at its directive; the build
(``hooks/figures.py``) draws it with Graphviz (``dot -Tsvg``) into the page, and
``tests/test_figures.py`` compares each graph's ``structure()`` with a committed expectation,
so a figure cannot drift from its code. Blocks with a ``skip:`` directive never run here (a
figure must not depend on the machine), nor do the variants of another torch version.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import html
import io
import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from . import REPO_ROOT, versions
from .blocks import Fence, read_page

DIRECTIVE = "figure"
KINDS = ("autograd", "modules")
ARGS_RE = re.compile(r'^(?P<kind>\S+)\s+(?P<target>\S+)\s+"(?P<alt>[^"]+)"$')
TARGET_RE = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$")
CACHE_DIR = REPO_ROOT / ".cache" / "figures"
# A figure scales down with the column, to this share of its natural size at most (then it scrolls sideways).
MIN_SCALE = 0.75
WRAP = 32  # characters per drawn line of details, at most (where commas allow)
# Words drawn inside a figure, in the page's language (everything else is code: class names, shapes).
WORDS = {
    "zh": {"saved": "保存", "freed": "已释放", "parameters": "{n} 个参数", "buffer": "缓冲区"},
    "en": {"saved": "saved", "freed": "freed", "parameters": "{n} parameters", "buffer": "buffer"},
}


class FigureError(ValueError):
    """A figure directive that cannot be drawn; the message starts with ``page:line``."""


# --- the graph ---------------------------------------------------------------------------------


@dataclass
class Node:
    key: str  # unique in its graph and readable: "MulBackward0", "MulBackward0 #2", "x", "net.hidden"
    kind: str  # "function", "leaf" (an AccumulateGrad, drawn as its tensor) or "module"
    title: str  # the first line drawn: class name, leaf name ("" if the page has no name for it), module
    details: list[str] = field(default_factory=list)  # a leaf's shape; saved tensors; parameters (``WORDS``)


@dataclass
class Graph:
    nodes: list[Node]  # in traversal order; the first is the root
    edges: list[tuple[str, str]]  # (from key, to key)


def structure(graph: Graph) -> str:
    """A stable text of the graph: its nodes, then its edges, each sorted. Tests compare it."""
    nodes = sorted(graph.nodes, key=lambda node: (node.kind, _natural(node.key)))
    edges = sorted(graph.edges, key=lambda edge: (_natural(edge[0]), _natural(edge[1])))
    return "\n".join(
        [f"{node.kind} {node.key}" + "".join(f" | {d}" for d in node.details) for node in nodes]
        + [f"{a} -> {b}" for a, b in edges]
    )


def _natural(text: str) -> list:
    """Sort key: "MulBackward0 #2" before "MulBackward0 #10"."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def _shape(tensor) -> str:
    return "(" + ", ".join(str(n) for n in tensor.shape) + ("," if tensor.dim() == 1 else "") + ")"


def _unique_keys(names: list[str]) -> list[str]:
    """``["Mul", "Add", "Mul"]`` -> ``["Mul", "Add", "Mul #2"]`` (numbered in traversal order)."""
    seen: dict[str, int] = {}
    keys = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        keys.append(name if seen[name] == 1 else f"{name} #{seen[name]}")
    return keys


def _saved_tensors(fn, names: dict[int, str]) -> list[str]:
    """``["other (5, 20)", "self = x"]``, or ``["freed"]`` once a backward pass has released them."""
    import torch

    attributes = sorted(a for a in dir(fn) if a.startswith("_saved_"))
    if isinstance(fn, torch.autograd.function.BackwardCFunction):  # a custom Function's node is its ctx
        attributes = ["saved_tensors"]
    found = []
    for attribute in attributes:
        try:
            value = getattr(fn, attribute)
        except RuntimeError:  # "... access saved tensors after they have already been freed"
            return ["freed"]
        values = value if attribute == "saved_tensors" else [value]
        label = attribute.removeprefix("_saved_")
        for index, tensor in enumerate(values):
            if not isinstance(tensor, torch.Tensor):
                continue
            name = label if attribute != "saved_tensors" else f"[{index}]"
            known = names.get(id(tensor))
            found.append(f"{name} = {known}" if known else f"{name} {_shape(tensor)}")
    return found


def autograd_graph(tensor, names: dict[int, str] | None = None) -> Graph:
    """The graph behind ``tensor``: its ``grad_fn`` and every node reached through ``next_functions``.

    Depth first from the root, following ``next_functions`` in order, so the numbering of nodes
    with the same class name is stable. ``names`` maps ``id(tensor)`` to the name a leaf is
    drawn with (the page's variables); an unnamed leaf is drawn by its shape alone (its key is
    ``leaf``)."""
    names = names or {}
    root = tensor.grad_fn
    if root is None:
        if not tensor.requires_grad:
            raise ValueError("this tensor has no graph: it does not require grad")
        name = names.get(id(tensor), "")
        return Graph([Node(name or "leaf", "leaf", name, [_shape(tensor)])], [])
    # Depth first, children in the order of next_functions (a loop in the code can make the graph deep).
    order: list[Any] = [root]
    index: dict[Any, int] = {root: 0}
    raw_edges: list[tuple[int, int]] = []
    stack = [(root, iter(root.next_functions))]
    while stack:
        fn, children = stack[-1]
        for child, _ in children:
            if child is None:
                continue
            if child not in index:
                index[child] = len(order)
                order.append(child)
                raw_edges.append((index[fn], index[child]))
                stack.append((child, iter(child.next_functions)))
                break
            raw_edges.append((index[fn], index[child]))
        else:
            stack.pop()
    titles, kinds, details = [], [], []
    for fn in order:
        variable = getattr(fn, "variable", None)
        if type(fn).__name__ == "AccumulateGrad" and variable is not None:
            titles.append(names.get(id(variable), ""))
            kinds.append("leaf")
            details.append([_shape(variable)])
        else:
            titles.append(type(fn).__name__)
            kinds.append("function")
            saved = _saved_tensors(fn, names)
            details.append(["saved: " + ", ".join(saved)] if saved else [])
    keys = _unique_keys([title or "leaf" for title in titles])
    nodes = [Node(keys[i], kinds[i], titles[i], details[i]) for i in range(len(order))]
    return Graph(nodes, [(keys[a], keys[b]) for a, b in raw_edges])


def module_tree(module, name: str = "model") -> Graph:
    """``module`` and its named children, recursively: class, own parameters and buffers (one line
    each, with shapes), and the number of parameters it holds in all (when it holds any)."""
    nodes: list[Node] = []
    edges: list[tuple[str, str]] = []

    def add(mod, key: str) -> None:
        details = [f"{n} {_shape(p)}" for n, p in mod.named_parameters(recurse=False)]
        details += [f"{n} {_shape(b)} buffer" for n, b in mod.named_buffers(recurse=False)]
        count = sum(p.numel() for p in mod.parameters())
        if count:
            details.append(f"{count} parameters")
        nodes.append(Node(key, "module", f"{key.rsplit('.', 1)[-1]}: {type(mod).__name__}", details))
        for child_name, child in mod.named_children():
            edges.append((key, f"{key}.{child_name}"))
            add(child, f"{key}.{child_name}")

    add(module, name)
    return Graph(nodes, edges)


# --- drawing -----------------------------------------------------------------------------------


def _localize(line: str, lang: str) -> str:
    """A detail line as drawn in ``lang``: "saved: freed" -> "保存：已释放", "7946 parameters" -> "7,946 个参数"."""
    words = WORDS[lang]
    colon = "：" if lang == "zh" else ": "
    if line == "saved: freed":
        return words["saved"] + colon + words["freed"]
    if line.startswith("saved: "):
        return words["saved"] + colon + line.removeprefix("saved: ")
    count = re.fullmatch(r"(\d+) parameters", line)
    if count:
        return words["parameters"].format(n=f"{int(count.group(1)):,}")
    return re.sub(r" buffer\b", " " + words["buffer"], line)


def _wrap(line: str, width: int = WRAP) -> list[str]:
    """A long detail line broken after its commas, so that a figure stays narrow enough for a phone."""
    parts = line.split(", ")
    lines = [parts[0]]
    for part in parts[1:]:
        if len(lines[-1]) + 2 + len(part) > width:
            lines[-1] += ","
            lines.append(part)
        else:
            lines[-1] += ", " + part
    return lines


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(graph: Graph, lang: str = "en") -> str:
    """Graphviz source: top to bottom from the root; classes (``node function`` ...) carry the colours."""
    lines = [
        "digraph figure {",
        '  graph [bgcolor="transparent", rankdir=TB, nodesep=0.25, ranksep=0.25, pad=0.05];',
        '  node [shape=box, style="rounded", fontname="monospace", fontsize=11, height=0.3, margin="0.12,0.05"];',
        '  edge [arrowsize=0.6, class="next"];',
    ]
    ids = {node.key: f"n{i}" for i, node in enumerate(graph.nodes)}
    for i, node in enumerate(graph.nodes):
        if node.kind == "leaf":  # "x (4,)" over "AccumulateGrad": the leaf tensor and the node that fills its .grad
            shown = [f"{node.title} {node.details[0]}".strip(), "AccumulateGrad"]
        else:
            shown = [node.title] + [part for d in node.details for part in _wrap(_localize(d, lang))]
        label = "\\n".join(_quote(line)[1:-1] for line in shown)
        css = f"{node.kind}{' root' if i == 0 else ''}"
        lines.append(f'  {ids[node.key]} [label="{label}", class="{css}"];')
    for a, b in graph.edges:
        lines.append(f"  {ids[a]} -> {ids[b]};")
    lines.append("}")
    return "\n".join(lines) + "\n"


@cache
def graphviz_version() -> str:
    dot = shutil.which("dot")
    if dot is None:
        raise FigureError(
            "Graphviz is not installed: figures need its `dot` command (Debian/Ubuntu: apt-get install graphviz)"
        )
    result = subprocess.run([dot, "-V"], capture_output=True, text=True, check=True)
    return (result.stderr or result.stdout).strip()


def to_svg(dot: str) -> str:
    """``dot -Tsvg``, made fit to sit inline in a page: no prolog, comments, titles or ids; it scales
    to the width of the column, between ``MIN_SCALE`` and 1 times its natural size, and its colours
    come from CSS classes (docs/assets/site.css)."""
    graphviz_version()
    result = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        raise FigureError(f"dot -Tsvg failed: {result.stderr.strip()}")
    svg = result.stdout
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    svg = re.sub(r"<title>.*?</title>", "", svg, flags=re.S)
    svg = re.sub(r'\s(?:id|xmlns:xlink)="[^"]*"', "", svg)
    match = re.search(r'<svg width="(?P<w>[\d.]+)pt" height="(?P<h>[\d.]+)pt"', svg)
    if match:
        width = float(match.group("w")) * 4 / 3  # pt -> CSS px
        svg = svg.replace(
            match.group(0),
            f'<svg class="sitekit-graph" style="max-width: {width:.0f}px; min-width: {MIN_SCALE * width:.0f}px" '
            'preserveAspectRatio="xMidYMin meet" aria-hidden="true" focusable="false"',
            1,
        )
    svg = re.sub(r"\s*\n\s*", " ", svg)  # one line: the figure is one raw HTML line of the Markdown
    return re.sub(r">\s+<", "><", svg).strip()


def figure_html(svg: str, alt: str) -> str:
    """The figure as one line of HTML: the alt text labels it and is its caption. The drawing sits in
    a box of its own, which scrolls sideways where the column is too narrow (the caption stays put)."""
    alt = html.escape(alt, quote=True)
    return (
        f'<figure class="sitekit-figure" role="img" aria-label="{alt}">'
        f'<div class="sitekit-figure-drawing">{svg}</div><figcaption>{alt}</figcaption></figure>'
    )


# --- the directives of a page ------------------------------------------------------------------


@dataclass
class FigureSpec:
    path: Path
    line: int  # the directive's line
    kind: str  # "autograd" or "modules"
    target: str  # the variable drawn (dotted attributes allowed: net.hidden)
    alt: str
    after: Fence  # the python block it follows

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass
class Figure:
    spec: FigureSpec
    graph: Graph


def _runs(fence: Fence) -> bool:
    return fence.info == "python" and not fence.is_include


def figure_specs(path: Path | str, text: str | None = None) -> list[FigureSpec]:
    """The page's figure directives, each with the python block right before it (text only)."""
    path = Path(path)
    page = read_page(path, text)
    lines = (text if text is not None else path.read_text(encoding="utf-8")).splitlines()
    fences_by_end = {fence.end_line: fence for fence in page.fences}
    specs = []
    figure_lines = {d.line for d in page.directives if d.name == DIRECTIVE}
    for directive in page.directives:
        if directive.name != DIRECTIVE:
            continue
        where = f"{path}:{directive.line}"
        match = ARGS_RE.match(directive.args)
        if not match:
            raise FigureError(
                f'{where}: write <!-- figure: autograd|modules NAME "alt text" --> (got: {directive.args})'
            )
        kind, target, alt = match.group("kind"), match.group("target"), match.group("alt").strip()
        if kind not in KINDS:
            raise FigureError(f"{where}: unknown figure kind '{kind}' (one of: {', '.join(KINDS)})")
        if not TARGET_RE.match(target):
            raise FigureError(f"{where}: '{target}' is not a variable name (x, net, net.hidden)")
        previous = directive.line - 1  # back over blank lines and the block's other figures
        while previous >= 1 and (not lines[previous - 1].strip() or previous in figure_lines):
            previous -= 1
        fence = fences_by_end.get(previous)
        if fence is None or not _runs(fence):
            raise FigureError(f"{where}: a figure directive goes right after the ```python block it draws from")
        specs.append(FigureSpec(path, directive.line, kind, target, alt, fence))
    return specs


# --- running a page ----------------------------------------------------------------------------


def _skipped(fence: Fence, version: str) -> bool:
    """Blocks that never run for a figure: any ``skip:`` directive, another torch version's variant."""
    if fence.skip is not None:
        return True
    return fence.torch is not None and version not in versions.parse_spec(fence.torch.args)


def _run_block(fence: Fence, namespace: dict[str, Any]) -> None:
    name = f"{fence.path}:{fence.line}"
    if not fence.is_doctest:
        try:
            exec(compile(fence.source, name, "exec"), namespace)
        except Exception as error:
            raise FigureError(f"{name}: the block raised {type(error).__name__}: {error}") from error
        return
    for example in fence.examples():
        try:
            code = compile(example.source, name, "single")
            with contextlib.redirect_stdout(io.StringIO()):
                exec(code, namespace)
        except Exception as error:
            if example.exc_msg is None:  # the page does not show this exception
                line = fence.line + 1 + example.lineno
                raise FigureError(f"{fence.path}:{line}: the example raised {type(error).__name__}: {error}") from error


def _names(namespace: dict[str, Any]) -> dict[int, str]:
    """``id(tensor)`` -> the shortest name the page reaches it by: a variable, or a module's parameter."""
    import torch

    candidates: dict[int, list[str]] = {}
    for name, value in namespace.items():
        if name.startswith("_"):
            continue
        if isinstance(value, torch.Tensor):
            candidates.setdefault(id(value), []).append(name)
        elif isinstance(value, torch.nn.Module):
            for pname, parameter in value.named_parameters():
                candidates.setdefault(id(parameter), []).append(f"{name}.{pname}")
    return {key: min(found, key=lambda n: (len(n), n)) for key, found in candidates.items()}


def _resolve(spec: FigureSpec, namespace: dict[str, Any]):
    first, *rest = spec.target.split(".")
    if first not in namespace:
        raise FigureError(f"{spec.where}: no variable '{first}' after the block at line {spec.after.line}")
    value = namespace[first]
    for attribute in rest:
        if not hasattr(value, attribute):
            raise FigureError(f"{spec.where}: '{spec.target}' has no attribute '{attribute}'")
        value = getattr(value, attribute)
    return value


def _graph(spec: FigureSpec, namespace: dict[str, Any]) -> Graph:
    import torch

    value = _resolve(spec, namespace)
    if spec.kind == "modules":
        if not isinstance(value, torch.nn.Module):
            raise FigureError(f"{spec.where}: '{spec.target}' is a {type(value).__name__}, not an nn.Module")
        return module_tree(value, spec.target)
    if not isinstance(value, torch.Tensor):
        raise FigureError(f"{spec.where}: '{spec.target}' is a {type(value).__name__}, not a tensor")
    try:
        return autograd_graph(value, _names(namespace))
    except ValueError as error:
        raise FigureError(f"{spec.where}: '{spec.target}': {error}") from error


def figures_of_page(path: Path | str, text: str | None = None, version: str | None = None) -> list[Figure]:
    """Run the page's blocks in order and read each figure's graph right after its block.

    One namespace and one temporary working directory for the page, ``torch.manual_seed(0)``
    first, global state restored after (``engine.setup_page`` / ``teardown_page``, as the tests do)."""
    from . import engine

    path = Path(path)
    specs = figure_specs(path, text)
    if not specs:
        return []
    version = version or versions.running()
    page = read_page(path, text)
    pending = {spec.after.line: [] for spec in specs}
    for spec in specs:
        pending[spec.after.line].append(spec)
    last = max(pending)
    clears = sorted(d.line for d in page.directives if d.name == "clear-namespace")
    namespace: dict[str, Any] = {"__file__": str(path)}
    figures: list[Figure] = []
    engine.setup_page(namespace)
    try:
        for fence in page.fences:
            if fence.line > last:
                break
            if not _runs(fence):
                continue
            if clears and clears[0] < fence.line:  # <!-- clear-namespace -->, as sybil does
                clears = [line for line in clears if line > fence.line]
                kept = {key: namespace[key] for key in ("__file__", "__name__", "_sitekit_state")}
                namespace.clear()
                namespace.update(kept)
            if _skipped(fence, version):
                if fence.line in pending:
                    raise FigureError(f"{pending[fence.line][0].where}: the block before it does not run here")
                continue
            _run_block(fence, namespace)
            for spec in pending.get(fence.line, []):
                figures.append(Figure(spec, _graph(spec, namespace)))
    finally:
        engine.teardown_page(namespace)
    return figures


# --- the build: directives replaced by figures, cached -----------------------------------------


def _cache_key(path: Path, text: str, lang: str, version: str) -> str:
    page = read_page(path, text)
    digest = hashlib.sha256()
    for part in (
        Path(__file__).read_text(encoding="utf-8"),
        graphviz_version(),
        version,
        lang,
        *(
            f"{fence.info}\n{fence.source}\n{fence.skip and fence.skip.args}\n{fence.torch and fence.torch.args}"
            for fence in page.fences
        ),
        *(f"{d.name}: {d.args}" for d in page.directives),
    ):
        digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()[:32]


def render_page(text: str, path: Path | str, lang: str, cache_dir: Path | None = CACHE_DIR) -> str:
    """The page's Markdown with each figure directive replaced by its figure (inline SVG).

    SVGs are cached by a hash of the page's code and directives, of this module, of the torch
    version and of Graphviz's, so a rebuild of an unchanged page runs nothing."""
    path = Path(path)
    specs = figure_specs(path, text)
    if not specs:
        return text
    version = versions.running()
    svgs: list[str] | None = None
    cached = None
    if cache_dir is not None:
        # One entry per page, language and torch version: a new entry replaces that page's older ones.
        page = path.resolve().relative_to(REPO_ROOT) if path.resolve().is_relative_to(REPO_ROOT) else path.resolve()
        prefix = f"{re.sub(r'[^A-Za-z0-9]+', '-', page.as_posix()).strip('-')}.{version}."
        cached = Path(cache_dir) / f"{prefix}{_cache_key(path, text, lang, version)}.json"
        if cached.exists():
            svgs = json.loads(cached.read_text(encoding="utf-8"))["svgs"]
    if svgs is None:
        svgs = [to_svg(to_dot(figure.graph, lang)) for figure in figures_of_page(path, text, version)]
        if cached is not None:
            cached.parent.mkdir(parents=True, exist_ok=True)
            for stale in cached.parent.glob(f"{glob.escape(prefix)}*.json"):
                stale.unlink(missing_ok=True)
            cached.write_text(json.dumps({"page": str(path), "svgs": svgs}), encoding="utf-8")
    lines = text.split("\n")
    for spec, svg in zip(specs, svgs, strict=True):
        indent = re.match(r"^[ \t]*", lines[spec.line - 1]).group(0)
        lines[spec.line - 1] = f"\n{indent}{figure_html(svg, spec.alt)}\n"
    return "\n".join(lines)
