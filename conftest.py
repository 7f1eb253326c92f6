"""Turns every page under docs/ into tests. The logic lives in sitekit/."""

from sitekit import DOCS_DIR
from sitekit.engine import make_sybil

pytest_plugins = ["sitekit.pytest_plugin"]

pytest_collect_file = make_sybil(patterns=("*.md",), path=str(DOCS_DIR)).pytest()
