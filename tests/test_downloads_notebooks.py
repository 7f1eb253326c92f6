"""Each page's downloaded notebook (Chinese) runs top to bottom and shows the outputs the page shows.

The cells run in order in one fresh ``__main__`` as a kernel runs them (tests/download_runner.py);
what each prints and displays is compared with its stored output as the page's tests compare.
The English notebooks carry the same code and outputs (tests/test_downloads.py).
"""

import pytest

from .download_runner import RUN_TIMEOUT, ZH, failure, page_id, written


@pytest.mark.timeout(RUN_TIMEOUT + 30)
@pytest.mark.parametrize("page", [p for p in ZH if p.suffix == ".md"], ids=page_id)
def test_notebook_runs_top_to_bottom_and_shows_the_pages_outputs(page, runner, tmp_path):
    made, folder = written(page, tmp_path)
    problem = failure(runner.run("notebook", folder / made.notebook_name, RUN_TIMEOUT), made.notebook_name)
    if problem:
        pytest.fail(problem, pytrace=False)
