"""Fixtures shared by the site-level tests."""

from pathlib import Path

import pytest

from sitekit import DOCS_DIR
from sitekit.blocks import iter_pages

from . import published_site
from .browser_support import browser, server, visit, visit_with_search  # noqa: F401  (fixtures)
from .download_runner import Runner

PAGES = iter_pages(DOCS_DIR)


def page_id(path: Path) -> str:
    return str(path.relative_to(DOCS_DIR))


def _shared_base(config: pytest.Config) -> Path:
    """A folder all xdist workers of this run share: the controller's basetemp."""
    base = config._tmp_path_factory.getbasetemp()
    return base.parent if hasattr(config, "workerinput") else base


def pytest_collection_modifyitems(session, config, items):
    if any("published" in getattr(item, "fixturenames", ()) for item in items):
        published_site.start_in_background(_shared_base(config))


def pytest_sessionfinish(session):
    published_site.wait_for_background()


@pytest.fixture(scope="session")
def published(request):
    """The mike-deployed site, built once for all workers (see tests/published_site.py)."""
    site = published_site.get(_shared_base(request.config))
    if site.error:
        pytest.fail(site.error, pytrace=False)
    return site


@pytest.fixture(scope="module")
def runner():
    """The forking runner of downloaded notebooks and scripts (tests/download_runner.py), one per test file."""
    downloads = Runner()
    yield downloads
    downloads.close()
