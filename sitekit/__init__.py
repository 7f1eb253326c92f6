"""Tooling for the PyTorch Core Concepts site.

Each module does one job and is named after it:

- ``blocks``: reads a Markdown page into its fenced code blocks and directives (text only).
- ``engine``: turns pages into sybil tests (one fenced block = one test).
- ``reporting``: the failure report of a block (page, line, code, expected/got diff).
- ``pytest_plugin``: options (``--require-gpu``) and the "repo stays clean" guard.
- ``guards``: site rules checked by ``tests/`` (collected fences, asserts, skip reasons).
- ``parity``: pairs ``*.zh.md`` / ``*.en.md`` and compares their blocks.
- ``figures``: computation graphs and module trees drawn from a page's code (``<!-- figure: ... -->``).
- ``terms``: the glossary's discouraged variants, found in the prose of the pages (``make lint``).
- ``i18n_status``, ``update_outputs``, ``scaffold``, ``bench``: command-line tools.
- ``repl_render``: REPL blocks render as a console session (``pycon``), their outputs wrap.
- ``repl_copy``: what a REPL block's copy button copies, and the check that it pastes into ``python``.
- ``downloads``: every page as a notebook and a script a reader runs (and the check that they reproduce it).
- ``page_meta``: a page's description and its last commit date; whether ``site_url`` is a published address.
- ``mkdocs_hooks``: build-time hooks referenced from ``mkdocs.yml``.
"""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DOCS_DIR = REPO_ROOT / "docs"
LANGUAGES = ("zh", "en")
