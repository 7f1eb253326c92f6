"""The test engine, run on a throwaway site: it fails where it must, and says where.

All throwaway pages run in one pytest subprocess (torch cannot be re-imported
in-process), and each test below reads its own part of that run's report.
"""

import re

import pytest
import torch

from .sandbox import make_site, run_pytest

PAGES = {
    "changed.en.md": """\
        # p

        ```python
        >>> import torch
        >>> torch.arange(3.0) * 2
        tensor([0., 2., 5.])
        ```
        """,
    "number.en.md": """\
        ```python
        >>> 1 / 3
        0.333
        ```

        ```python
        >>> 13.0
        14.0
        ```

        ```python
        >>> import torch
        >>> torch.tensor([2.4])
        tensor([2.])
        ```

        ```python
        >>> torch.tensor([7.0, 0.125])
        tensor([7.0000, 0.1250])
        >>> torch.tensor([7.0, 0.5])
        tensor([7., 0.5])
        ```
        """,
    "exception.en.md": """\
        ```python
        >>> import torch
        >>> torch.ones(2).item()
        Traceback (most recent call last):
        ...
        RuntimeError: a Tensor with 2 elements cannot be converted to Scalar
        ```

        ```python
        >>> torch.ones(2).item()
        Traceback (most recent call last):
        ...
        RuntimeError: something else
        ```
        """,
    "hang.en.md": """\
        ```python
        while True:
            pass
        ```

        ```python
        assert 1 + 1 == 2
        ```
        """,
    "seeded_a.en.md": """\
        ```python
        >>> import os, torch
        >>> os.path.basename(os.getcwd()).startswith("page-")
        True
        >>> torch.rand(2)
        tensor([0.4963, 0.7682])
        >>> open("x-file", "w").write("data")
        4
        ```
        """,
    "gpu.en.md": """\
        ```python
        >>> import torch
        >>> torch.zeros(1).device
        device(type='cpu')
        ```

        <!-- skip: next if(not torch.cuda.is_available(), reason="needs a CUDA GPU") -->
        ```python
        >>> torch.zeros(1, device="cuda").device
        device(type='cuda', index=0)
        ```
        """,
    "writer.en.md": """\
        ```python
        import pathlib
        (pathlib.Path(__file__).parent / "leaked.pt").write_text("x")
        assert True
        ```
        """,
}
PAGES["seeded_b.en.md"] = PAGES["seeded_a.en.md"]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = make_site(tmp_path_factory.mktemp("site"), PAGES)
    result = run_pytest(root, "docs", timeout=2)
    result.root = root
    return result


def outcomes(run, page):
    """{'line:N': 'PASSED' | 'FAILED' | 'SKIPPED' | ...} for one page, from the -rA summary."""
    found = {}
    for status, line in re.findall(
        rf"^(PASSED|FAILED|SKIPPED|ERROR) docs/{re.escape(page)}::(line:\d+)", run.stdout, re.M
    ):
        found[line] = status
    for line in re.findall(rf"^SKIPPED \[\d+\] docs/{re.escape(page)}:(\d+)", run.stdout, re.M):
        found[f"line:{line}"] = "SKIPPED"
    return found


def test_changed_output_fails_naming_page_line_and_diff(run):
    assert outcomes(run, "changed.en.md") == {"line:3": "FAILED"}
    for expected in [
        "docs/changed.en.md:5: output differs",
        ">>> torch.arange(3.0) * 2",
        "-tensor([0., 2., 5.])",
        "+tensor([0., 2., 4.])",
        "make update-outputs PAGES=docs/changed.en.md",
    ]:
        assert expected in run.stdout


def test_number_flag_rounds_but_does_not_round_away(run):
    assert outcomes(run, "number.en.md") == {
        "line:1": "PASSED",
        "line:6": "FAILED",
        "line:11": "FAILED",
        "line:17": "PASSED",
    }


def test_expected_exception_is_asserted(run):
    assert outcomes(run, "exception.en.md") == {"line:1": "PASSED", "line:9": "FAILED"}
    assert "-RuntimeError: something else" in run.stdout
    assert "+RuntimeError: a Tensor with 2 elements cannot be converted to Scalar" in run.stdout


def test_hanging_block_is_stopped_and_named_and_the_rest_still_runs(run):
    assert outcomes(run, "hang.en.md") == {"line:1": "FAILED", "line:6": "PASSED"}
    assert re.search(r"FAILED docs/hang.en.md::line:1,column:1 - Failed: Timeout", run.stdout)


def test_each_page_starts_seeded_in_its_own_directory(run):
    assert outcomes(run, "seeded_a.en.md") == {"line:1": "PASSED"}
    assert outcomes(run, "seeded_b.en.md") == {"line:1": "PASSED"}
    assert not list(run.root.rglob("x-file"))


def test_gpu_block_is_skipped_with_its_reason_on_cpu(run):
    expected = "PASSED" if torch.cuda.is_available() else "SKIPPED"
    assert outcomes(run, "gpu.en.md")["line:8"] == expected
    if not torch.cuda.is_available():
        assert re.search(r"SKIPPED \[1\] docs/gpu.en.md:8: needs a CUDA GPU", run.stdout)


def test_a_snippet_that_writes_into_the_repo_fails_the_run(run):
    assert run.returncode != 0
    assert "The test run changed the repository" in run.stdout
    assert "docs/leaked.pt" in run.stdout


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the refusal on a machine without CUDA")
def test_require_gpu_refuses_to_run_without_cuda(tmp_path):
    make_site(tmp_path, PAGES)
    result = run_pytest(tmp_path, "--require-gpu", "docs/gpu.en.md")
    assert result.returncode != 0
    assert "--require-gpu: no CUDA device" in result.stderr
