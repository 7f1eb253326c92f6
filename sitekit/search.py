"""Search in the reader's language: one compact index per language, Chinese queries cut into words.

Material's search plugin writes one index, ``search/search_index.json``, and its JavaScript
loads that one path from every page. mkdocs-static-i18n (``reconfigure_search``) fills it
with the pages of every language, so a Chinese page found English pages and the other way
round. Here, after the build (``write_indexes``):

- the combined index is split by language (a page of a non-default language lives under
  ``<locale>/``): the default language keeps ``search/search_index.json``, every other
  language gets ``<locale>/search/search_index.json``. The 404 page, written in both
  languages, searches both (``search/search_index.all.json``);
- each index is written as UTF-8 (``ensure_ascii=False``: a Chinese character is 3 bytes,
  not a 6-byte ``\\uXXXX``), and of the zero-width spaces that Material puts around every
  word jieba cuts, only those between two words that nothing else separates are kept;
- Material's JavaScript is patched (``patch_bundle``, ``patch_worker``) and shipped under
  new names, so no cached copy of the unpatched files is used with the new pages:

  * the bundle loads the index of the page's language (``<html lang>``, or the page's
    ``<meta name="sitekit:search-index">``), and only once the reader opens the search or
    follows a search result (whose page highlights the terms). Material 9.8 loads and
    indexes it on every page view over http(s), and defers it only for ``file://`` pages;
  * the worker cuts a Chinese query into the fewest words of the index (which jieba cut).
    Material's own cutting never tries the last character of the query as part of a word,
    so 设备 became 设* (highlighting 设 alone) and 学习率 became 学习* (matching 可学习参数);
  * a query term of one or two letters or digits, or a number, matches whole words only
    (Material makes every term a prefix: ``t*``, ``1*`` matched hundreds of words).

The glossary's Chinese terms (学习率, 计算图, 叶子节点 ...) are added to jieba's
dictionary, so each is one word of the index instead of 学习/率.

Each patch finds exactly one place in Material's minified code or fails the build, naming
this module: a new Material release must be checked here (requirements pin 9.8.2).
tests/search_worker.js runs the patched worker in Node on the built indexes, as the browser
does, for the tests.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from . import DOCS_DIR
from .terms import GLOSS_RE, glossary_path, read_glossary

INDEX = "search/search_index.json"
ALL_INDEX = "search/search_index.all.json"  # every language: the 404 page's
META = "sitekit:search-index"  # <meta name=... content=index path>: a page that picks its index
ZWSP = "\u200b"
HAN = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$")


class PatchError(RuntimeError):
    """Material's JavaScript no longer has the code a patch expects."""


# ---------------------------------------------------------------------------------------------
# The index


def index_path(language: str, default: str) -> str:
    """Where the index of ``language`` lives, relative to the site (version) root."""
    return INDEX if language == default else f"{language}/{INDEX}"


def language_of(location: str, languages: list[str], default: str) -> str:
    """A non-default language's pages live under ``<locale>/``; everything else is the default's."""
    first, slash, _ = location.partition("/")
    return first if slash and first in languages and first != default else default


def separator_test(separator: str):
    """``test(text, i)``: True where the search separator matches a non-empty text at ``text[i]``."""
    pattern = re.compile(separator)

    def test(text: str, i: int) -> bool:
        match = pattern.match(text, i)
        return bool(match and match.end() > i)

    return test


def compact(text: str, is_separator) -> str:
    """Keep a zero-width space only between two characters that nothing else separates.

    Material surrounds every run of Chinese characters with U+200B and puts one between
    the words jieba cuts. Beside whitespace, punctuation that the separator matches, or
    markup (``<``/``>``: the tokenizer splits at tags) it separates nothing.
    """
    out: list[str] = []
    last = 0
    for match in re.finditer(ZWSP + "+", text):
        start, end = match.span()
        out.append(text[last:start])
        last = end
        if start == 0 or end == len(text):
            continue
        if text[start - 1] in "<>" or text[end] in "<>" or is_separator(text, start - 1) or is_separator(text, end):
            continue
        out.append(ZWSP)
    out.append(text[last:])
    return "".join(out)


def language_config(config: dict, languages: list[str]) -> dict:
    """The index config for pages in ``languages``.

    ``lang``: lunr's support (stop words) for those languages, and English: Chinese pages
    hold code, API names and error messages. ``pipeline``: Material appends ``*`` to a
    query term, and lunr never passes such a term through the search pipeline: it is
    matched as typed, so a stemmed index ("tensor" for "tensors") would not match it.
    Only stop words are left out of the index.
    """
    return dict(config, lang=list(dict.fromkeys([*languages, "en"])), pipeline=["stopWordFilter"])


def _merged(docs: list[dict]) -> list[dict]:
    """One entry per location: lunr keeps one document per reference, and Material one
    highlighting table; a section whose heading has no id shares its page's location."""
    by_location: dict[str, dict] = {}
    for doc in docs:
        first = by_location.get(doc["location"])
        if first is None:
            by_location[doc["location"]] = dict(doc)
        else:
            first["text"] = " ".join(part for part in (first["text"], doc["title"], doc["text"]) if part)
    return list(by_location.values())


def split_index(index: dict, languages: list[str], default: str) -> dict[str, dict]:
    """``{index path: index}``: one per language that has pages, and one of them all."""
    is_separator = separator_test(index["config"]["separator"])
    docs = _merged(
        [dict(d, title=compact(d["title"], is_separator), text=compact(d["text"], is_separator)) for d in index["docs"]]
    )
    by_language: dict[str, list[dict]] = {}
    for doc in docs:
        by_language.setdefault(language_of(doc["location"], languages, default), []).append(doc)
    indexes = {
        index_path(language, default): {"config": language_config(index["config"], [language]), "docs": entries}
        for language, entries in by_language.items()
    }
    indexes[ALL_INDEX] = {"config": language_config(index["config"], list(by_language)), "docs": docs}
    return indexes


def dumps(index: dict) -> str:
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"))


def write_indexes(site_dir: Path, languages: list[str], default: str) -> list[Path]:
    """Split ``search/search_index.json`` (every language, as Material and mkdocs-static-i18n
    wrote it) into one index per language, plus one of them all; return the files written."""
    combined = json.loads((site_dir / INDEX).read_text(encoding="utf-8"))
    written = []
    for path, index in split_index(combined, languages, default).items():
        target = site_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(dumps(index), encoding="utf-8")
        written.append(target)
    return written


# ---------------------------------------------------------------------------------------------
# Chinese words


def glossary_words(docs_dir: Path = DOCS_DIR, language: str = "zh") -> list[str]:
    """The glossary's Chinese terms, without glosses ("迭代周期（epoch）" -> "迭代周期")."""
    path = glossary_path(docs_dir, language)
    if not path.exists():
        return []
    words = (GLOSS_RE.sub("", entry.term).strip() for entry in read_glossary(path, language))
    return sorted({word for word in words if HAN.match(word)})


def add_words_to_jieba(words: list[str]) -> None:
    """jieba cuts 学习率 into 学习/率; a glossary term is one word of the index."""
    import jieba

    for word in words:
        jieba.add_word(word)


# ---------------------------------------------------------------------------------------------
# Material's JavaScript

# Bundle: the index URL (once, for http(s); file:// loads search/search_index.js).
_INDEX_URL = re.compile(r'new URL\("search/search_index\.json",(?P<base>[\w$.]+)\)')
# Bundle: the worker is set up at once unless the page is a file:// page ...
_EAGER_SETUP = re.compile(r'(?P<of>[\w$]+)\(location\.protocol!=="file:"\),(?P<toggle>[\w$]+)\("search"\)')
# ... and every page's highlighter subscribes to the index, ?h= or not.
_EAGER_HIGHLIGHT = re.compile(r'(?P<feature>[\w$]+)\("search\.highlight"\)\?(?P<fn>[\w$]+)\((?P<el>[\w$]+),\{index\$:')
# Worker: Material's segmentation of a run of Chinese characters (query/segment/index.ts).
_SEGMENT = re.compile(
    r"function (?P<name>[\w$]+)\((?P<run>[\w$]+),(?P<terms>[\w$]+)\)\{let [\w$]+=new Set,[\w$]+=new Uint16Array\("
    r"(?P=run)\.length\);.*?return [\w$]+\.has\(\"\"\)\?new Set\(\[(?P=run)\]\):[\w$]+\}"
)
# Worker: every query term gets a trailing wildcard (query/transform/index.ts).
_WILDCARD = re.compile(
    r"\.map\((?P<v>[\w$]+)=>/\(\^\[\+-\]\|\[~\^\]\\d\+\$\)/\.test\((?P=v)\)\?(?P=v):`\$\{(?P=v)\}\*`\)"
)

# The fewest words of the index that make up the run; a character that starts no word stands
# alone, and is dropped when it is no word itself (的, 了: stop words are not in the index),
# unless nothing else is left. Returns a Set, as Material's segment() does.
SEGMENT_JS = (
    "{const n=RUN.length,cost=[0],from=[0];"
    "for(let j=1;j<=n;j++){cost[j]=1/0;"
    "for(let i=0;i<j;i++){const w=RUN.slice(i,j);"
    "if((j-i===1||w in TERMS)&&cost[i]+1<cost[j]){cost[j]=cost[i]+1;from[j]=i}}}"
    "const words=[];for(let j=n;j>0;j=from[j])words.unshift(RUN.slice(from[j],j));"
    "const known=words.filter(w=>w in TERMS);"
    "return new Set(known.length?known:[RUN])}"
)


def _sub_once(pattern: re.Pattern, repl, text: str, what: str) -> str:
    result, count = pattern.subn(repl, text)
    if count != 1:
        raise PatchError(
            f"Material's JavaScript changed: {what} was found {count} times instead of once; "
            "update sitekit/search.py for this Material version"
        )
    return result


def patch_bundle(js: str, index_paths: dict[str, str]) -> str:
    """The page's language picks the index; the index is loaded when search is first used.

    ``index_paths``: the index path (``index_path``) of each language other than the
    default; a page in the default language loads ``search/search_index.json``, and a page
    with a ``<meta name="sitekit:search-index">`` the index it names.
    """
    table = json.dumps(index_paths, separators=(",", ":"))
    choose = (
        f"((document.querySelector('meta[name=\"{META}\"]')||{{}}).content"
        f"||{table}[document.documentElement.lang]||{json.dumps(INDEX)})"
    )
    js = _sub_once(_INDEX_URL, lambda m: f"new URL({choose},{m['base']})", js, "the search index URL")
    js = _sub_once(_EAGER_SETUP, lambda m: f'{m["of"]}(!1),{m["toggle"]}("search")', js, "the search worker setup")
    return _sub_once(
        _EAGER_HIGHLIGHT,
        lambda m: (
            f'{m["feature"]}("search.highlight")&&new URLSearchParams(location.search).has("h")'
            f"?{m['fn']}({m['el']},{{index$:"
        ),
        js,
        "the search highlighter",
    )


def patch_worker(js: str) -> str:
    """Chinese queries are cut into the words of the index (``SEGMENT_JS``), and a term of one
    or two letters or digits, or a number, matches whole words.

    Material makes every term a prefix (``term*``). In a pasted error message, ``1*``,
    ``in*``, ``t*`` match hundreds of words (16x1x1, input, tensor), and the entry whose
    title held most of them came before the message's own. Without the wildcard such a
    term goes through the search pipeline, where stop words (in, to, of) drop out.
    """

    def segment(match: re.Match) -> str:
        body = SEGMENT_JS.replace("RUN", match["run"]).replace("TERMS", match["terms"])
        return f"function {match['name']}({match['run']},{match['terms']}){body}"

    def wildcard(match: re.Match) -> str:
        v = match["v"]
        return f".map({v}=>/(^[+-]|[~^]\\d+$|^\\w{{1,2}}$|^\\d+$)/.test({v})?{v}:`${{{v}}}*`)"

    js = _sub_once(_SEGMENT, segment, js, "the Chinese query segmentation")
    return _sub_once(_WILDCARD, wildcard, js, "the query wildcard")


@dataclass
class PatchedAsset:
    original: str  # path relative to the site root, e.g. assets/javascripts/bundle.a5f9d56c.min.js
    patched: str  # the same folder, a name that carries the patched content's hash
    content: str


def _renamed(original: str, content: str) -> str:
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()[:8]
    folder, _, name = original.rpartition("/")
    return f"{folder}/{name.split('.', 1)[0]}.{digest}.min.js"


def _theme_file(theme_dirs: list[str], pattern: str) -> tuple[Path, str]:
    for folder in theme_dirs:
        found = sorted(Path(folder).glob(pattern))
        if len(found) == 1:
            return found[0], found[0].relative_to(folder).as_posix()
    raise PatchError(f"no single {pattern} in the theme ({theme_dirs}): update sitekit/search.py")


def patched_assets(theme_dirs: list[str], index_paths: dict[str, str]) -> list[PatchedAsset]:
    """Material's bundle and search worker, patched, each with its new name."""
    assets = []
    for pattern, patch in (
        ("assets/javascripts/bundle.*.min.js", lambda js: patch_bundle(js, index_paths)),
        ("assets/javascripts/workers/search.*.min.js", patch_worker),
    ):
        path, original = _theme_file(theme_dirs, pattern)
        content = patch(path.read_text(encoding="utf-8"))
        assets.append(PatchedAsset(original, _renamed(original, content), content))
    return assets


def rename_assets(html: str, assets: list[PatchedAsset]) -> str:
    """Point a page at the patched files (``<script src>`` and the worker URL in ``__config``)."""
    for asset in assets:
        html = html.replace(asset.original, asset.patched)
    return html


def write_assets(site_dir: Path, assets: list[PatchedAsset]) -> None:
    """Write the patched files and remove the originals (no page may load unpatched code)."""
    for asset in assets:
        (site_dir / asset.patched).write_text(asset.content, encoding="utf-8")
        (site_dir / asset.original).unlink(missing_ok=True)
