"""Fixtures shared by the site-level tests."""

from pathlib import Path

import pytest

from sitekit import DOCS_DIR
from sitekit.blocks import iter_pages

from . import published_site

PAGES = iter_pages(DOCS_DIR)


def page_id(path: Path) -> str:
    return str(path.relative_to(DOCS_DIR))


@pytest.fixture(scope="session")
def published(tmp_path_factory, request):
    """The mike-deployed site, built once for all workers (see tests/published_site.py)."""
    base = tmp_path_factory.getbasetemp()
    site = published_site.get(base.parent if hasattr(request.config, "workerinput") else base)
    if site.error:
        pytest.fail(site.error, pytrace=False)
    return site
