"""Translation status: pages without a twin, and pairs whose code differs, block by block.

    python -m sitekit.i18n_status [DOCS_DIR]     (make i18n-status)

Exits 1 when there is anything to fix, so it can gate a pull request.
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import DOCS_DIR, REPO_ROOT
from .parity import check_docs


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    docs = Path(argv[0]) if argv else DOCS_DIR
    pages = sorted(p for p in docs.rglob("*") if p.suffix in {".md", ".ipynb"})
    pairs = sum(1 for p in pages if ".zh." in p.name)
    problems = check_docs(docs)
    for problem in problems:
        where = problem.where
        try:
            where = str(Path(where.split(":")[0]).resolve().relative_to(REPO_ROOT)) + where[len(where.split(":")[0]) :]
        except ValueError:
            pass
        print(f"{where}: {problem.message}\n")
    if problems:
        print(f"i18n-status: {len(problems)} problem(s) in {pairs} zh/en pair(s)")
        return 1
    print(f"i18n-status: {pairs} zh/en pair(s), every page has its twin and every pair matches block for block")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
