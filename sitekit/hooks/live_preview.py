"""MkDocs hooks: `make serve` rebuilds only the pages saved since the last build (``mkdocs serve --dirty``).

MkDocs warns once per rebuild that a dirty build may leave navigation and links stale; in strict
mode that warning would abort every rebuild, so this hook lets it through as an information line.
A page added, moved or renamed needs a fresh `make serve`; `make build` is always a full build.

Listed under ``hooks:`` in mkdocs.yml; one file per concern (see sitekit/hooks/__init__.py).
"""

from __future__ import annotations

import logging

DIRTY_WARNING = "A 'dirty' build is being performed"


class _DirtyBuildIsExpected(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.WARNING and record.getMessage().startswith(DIRTY_WARNING):
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.msg, record.args = "Rebuilding only the pages saved since the last build (dirty build)", ()
        return True


_logger = logging.getLogger("mkdocs.commands.build")
if not any(isinstance(f, _DirtyBuildIsExpected) for f in _logger.filters):  # hooks load again on every rebuild
    _logger.addFilter(_DirtyBuildIsExpected())
