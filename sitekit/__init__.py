"""Tooling for the PyTorch Core Concepts site.

Each module does one job and is named after it:

- ``blocks``: reads a Markdown page into its fenced code blocks and directives (text only).
- ``engine``: turns pages into sybil tests (one fenced block = one test).
- ``reporting``: the failure report of a block (page, line, code, expected/got diff).
- ``pytest_plugin``: options (``--require-gpu``) and the "repo stays clean" guard.
- ``guards``: site rules checked by ``tests/`` (collected fences, asserts, skip reasons).
- ``parity``: pairs ``*.zh.md`` / ``*.en.md`` and compares their blocks.
- ``versions``: the supported PyTorch versions (``requirements/torch-versions.txt``) and ``<!-- torch: ... -->`` specs.
- ``variants``: blocks that print differently per version: the coverage guard, and what each version's site shows.
- ``changes``: the "what changed between versions" page, generated from the variants.
- ``verified``: the "verified on" records (``verified/*.json``) and the home page's table made from them.
- ``matrix``, ``drift``, ``publish``: every page under each supported torch, a new release checked against
  the pages, one mike site per version (each in its own environment outside the repository).
- ``notebooks``: notebook pairs' code cells (a ``labels`` cell compared by structure) and outputs.
- ``search``: one compact search index per language, Chinese queries cut into words.
- ``typography``: a line break inside Chinese prose does not render as a space.
- ``figures``: computation graphs and module trees drawn from a page's code (``<!-- figure: ... -->``).
- ``terms``: the glossary's discouraged variants, found in the prose of the pages (``make lint``).
- ``i18n_status``, ``update_outputs``, ``scaffold``, ``bench``: command-line tools.
- ``repl_render``: REPL blocks render as a console session (``pycon``), their outputs wrap.
- ``repl_copy``: what a REPL block's copy button copies, and the check that it pastes into ``python``.
- ``downloads``: every page as a notebook and a script a reader runs (and the check that they reproduce it).
- ``page_meta``: a page's description and its last commit date; whether ``site_url`` is a published address.
- ``hooks/``: thin MkDocs hooks, one file per concern, referenced from ``mkdocs.yml`` (see its docstring).
"""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DOCS_DIR = REPO_ROOT / "docs"
LANGUAGES = ("zh", "en")
