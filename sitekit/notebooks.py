"""Notebook pairs (``x.zh.ipynb`` / ``x.en.ipynb``): their code cells and stored outputs, and their pages.

``clean_html`` and ``figure_alt_texts`` turn mkdocs-jupyter's rendering into a page of the site
(``hooks/notebooks.py``): no inlined JupyterLab stylesheet, code blocks and heading ids as on the
Markdown pages, figures described by their titles and axes."""

from __future__ import annotations

import io
import itertools
import json
import re
import tokenize
from html import escape
from pathlib import Path

from .blocks import strip_comments

# A code cell tagged "labels" holds the words a figure shows (titles, axes, legends), which are
# in the page's language: twins may differ there in their strings' values, nothing else.
LABELS_TAG = "labels"


def words_blanked(code: str) -> str:
    """The code with every string that is not a dict key replaced by "…": keys and structure remain."""
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(code).readline) if t.type != tokenize.COMMENT]
    significant = [t for t in tokens if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT)]
    keys = {id(t) for t, n in itertools.pairwise(significant) if t.type == tokenize.STRING and n.string == ":"}
    return " ".join('"…"' if t.type == tokenize.STRING and id(t) not in keys else t.string for t in significant)


def code_cells(path: Path) -> list[str]:
    """Each code cell's source with comments and blank lines removed (a "labels" cell: its words blanked)."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code":
            source = cell.get("source", "")
            code = "".join(source) if isinstance(source, list) else source
            if LABELS_TAG in cell.get("metadata", {}).get("tags", []):
                cells.append(f"[{LABELS_TAG}] " + words_blanked(code))
            else:
                cells.append(strip_comments(code))
    return cells


def stored_outputs(path: Path) -> list[int]:
    """Indexes of code cells that carry outputs (notebooks are committed without them)."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in notebook.get("cells", []) if c.get("cell_type") == "code"]
    return [i for i, cell in enumerate(code) if cell.get("outputs") or cell.get("execution_count")]


# --- a notebook page as the site shows it (hooks/notebooks.py) ---------------------------------------

# nbconvert's page parts that the site replaces: JupyterLab's stylesheet (570 KB, inlined in every
# notebook page), its copy buttons and their scripts, MathJax and Mermaid loaders (the notebooks use
# neither; MathJax's src was empty, a request for the page itself), the cell-tag toolbar.
_STYLE = re.compile(r"<style\b[^>]*>.*?</style>\s*", re.S)
_SCRIPT = re.compile(r"<script\b(?![^>]*widget-state)[^>]*>.*?</script>\s*", re.S)
_MERMAID_COMMENT = re.compile(r"<!-- (?:Load|End of) mermaid[^>]*-->\s*")
_COPY_BUTTON = re.compile(r'<div class="zeroclipboard-container">.*?</clipboard-copy>\s*</div>\s*', re.S)
_COPY_TEXT = re.compile(r'<div class="clipboard-copy-txt"[^>]*>.*?</div>\s*', re.S)
_TAG_TOOLBAR = re.compile(
    r'<div class="celltoolbar">(?:\s*<div class="button_container[^"]*">.*?</div>)*\s*</div>\s*', re.S
)
# A code cell's source, highlighted by Pygments: made a code block as Material renders one (its
# colours in both schemes, its copy button, which does not cover the code).
_CODE = re.compile(r'<div class="highlight-ipynb hl-(?P<lang>[\w+-]+)[^"]*"><pre>(?P<code>.*?)</pre></div>', re.S)
_HEADING = re.compile(
    r'<h(?P<level>[1-6]) id="[^"]*">(?P<text>.*?)<a class="anchor-link" href="#[^"]*">¶</a></h(?P=level)>', re.S
)
_NO_ALT = re.compile(r'<img alt="No description has been provided for this image"')
FIGURE_ALT = {
    "zh": {"figure": "图：{title}。", "axes": "横轴：{x}，纵轴：{y}。", "legend": "图例：{items}。", "sep": "；"},
    "en": {
        "figure": "Figure: {title}.",
        "axes": " x axis: {x}; y axis: {y}.",
        "legend": " Legend: {items}.",
        "sep": "; ",
    },
}


def _plain(html: str) -> str:
    from html import unescape

    return unescape(re.sub(r"<[^>]+>", "", html)).strip()


def _code_block(match: re.Match) -> str:
    return f'<div class="language-{match["lang"]} highlight"><pre><code>{match["code"]}</code></pre></div>'


def clean_html(html: str, slugify, alts: list[str]) -> tuple[str, list[tuple[int, str, str]]]:
    """A notebook page's HTML (mkdocs-jupyter) as the site shows it, and its headings ``(level, text, id)``.

    Headings get the ids the site's Markdown gives them (``slugify`` from the toc extension:
    nbconvert's are empty for Chinese titles) and Material's permalink; figures get ``alts``."""
    html = _STYLE.sub("", html)
    html = _SCRIPT.sub("", html)
    html = _MERMAID_COMMENT.sub("", html)
    html = _COPY_BUTTON.sub("", html)
    html = _COPY_TEXT.sub("", html)
    html = _TAG_TOOLBAR.sub("", html)
    html = _CODE.sub(
        lambda m: f'<div class="language-{m["lang"]} highlight"><pre><code>{m["code"]}</code></pre></div>', html
    )
    headings: list[tuple[int, str, str]] = []
    used: dict[str, int] = {}

    def heading(match: re.Match) -> str:
        text = _plain(match["text"])
        slug = slugify(text, "-") or "section"
        used[slug] = used.get(slug, 0) + 1
        if used[slug] > 1:
            slug = f"{slug}_{used[slug] - 1}"
        level = int(match["level"])
        headings.append((level, text, slug))
        link = f'<a class="headerlink" href="#{slug}" title="Permanent link">¶</a>'
        return f'<h{level} id="{slug}">{match["text"]}{link}</h{level}>'

    html = _HEADING.sub(heading, html)
    remaining = iter(alts)

    def alt(match: re.Match) -> str:
        text = next(remaining, None) or (headings[-1][1] if headings else "")
        return f'<img alt="{escape(text, quote=True)}"'

    return _NO_ALT.sub(alt, html), headings


def _labels(cells: list[dict]) -> dict:
    import ast

    for cell in cells:
        if LABELS_TAG in cell.get("metadata", {}).get("tags", []):
            tree = ast.parse(_source(cell))
            for node in tree.body:
                if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
                    return ast.literal_eval(node.value)
    return {}


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def figure_alt_texts(path: Path, lang: str) -> list[str]:
    """One alt text per figure the notebook draws (each cell that calls ``plt.show()``), in order:
    its title, axis labels and legend, read from the code and the "labels" cell."""
    import ast

    cells = [c for c in json.loads(path.read_text(encoding="utf-8")).get("cells", []) if c.get("cell_type") == "code"]
    labels = _labels(cells)
    words = FIGURE_ALT[lang]

    def value(node):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "LABELS":
            key = node.slice.value if isinstance(node.slice, ast.Constant) else None
            found = labels.get(key)
            return found if isinstance(found, str) else None
        return None

    alts = []
    for cell in cells:
        source = _source(cell)
        if "plt.show()" not in source:
            continue
        parts: dict[str, str] = {}
        legend: list[str] = []
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            name = node.func.attr
            if name in ("set_title", "title", "set_xlabel", "xlabel", "set_ylabel", "ylabel") and node.args:
                text = value(node.args[0])
                if text:
                    parts.setdefault(name.removeprefix("set_"), text)
            for keyword in node.keywords:
                text = value(keyword.value) if keyword.arg == "label" else None
                if text and text not in legend:
                    legend.append(text)
        alt = words["figure"].format(title=parts.get("title", ""))
        if "xlabel" in parts and "ylabel" in parts:
            alt += words["axes"].format(x=parts["xlabel"], y=parts["ylabel"])
        if legend:
            alt += words["legend"].format(items=words["sep"].join(legend))
        alts.append(alt)
    return alts
