"""Fixtures shared by the site-level tests."""

from pathlib import Path

import pytest

from sitekit import DOCS_DIR
from sitekit.blocks import iter_pages

pytest_plugins = ["pytester"]

PAGES = iter_pages(DOCS_DIR)


def page_id(path: Path) -> str:
    return str(path.relative_to(DOCS_DIR))


@pytest.fixture
def docs_pytester(pytester: pytest.Pytester):
    """A throwaway site: write pages into ``docs/`` and run the real engine over them."""
    pytester.makeconftest(
        "from sitekit.engine import make_sybil\n"
        "import pathlib\n"
        "pytest_plugins = ['sitekit.pytest_plugin']\n"
        "pytest_collect_file = make_sybil(path=str(pathlib.Path(__file__).parent / 'docs')).pytest()\n"
    )
    pytester.makeini("[pytest]\naddopts = -p no:doctest -p no:cacheprovider\ntimeout_method = signal\n")
    (pytester.path / "docs").mkdir()
    return pytester
