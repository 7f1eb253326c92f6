"""Each page's downloaded script (English) runs and prints the outputs written in it, the page's.

The script runs as ``python <file>`` runs it (a ``__main__`` with a ``__file__``, the file's
folder first on ``sys.path``), cell by cell, so each printed output is compared with the
``# -> `` comment under its cell (tests/download_runner.py). A notebook page's script must run.
The Chinese scripts carry the same code and outputs (tests/test_downloads.py).
"""

import pytest

from .download_runner import EN, RUN_TIMEOUT, failure, page_id, written


@pytest.mark.timeout(RUN_TIMEOUT + 30)
@pytest.mark.parametrize("page", EN, ids=page_id)
def test_script_runs_and_prints_the_outputs_written_in_it(page, runner, tmp_path):
    made, folder = written(page, tmp_path)
    problem = failure(runner.run("script", folder / made.script_name, RUN_TIMEOUT), made.script_name)
    if problem:
        pytest.fail(problem, pytrace=False)
