"""pytest wiring: command-line options and the "the repo stays clean" guard.

Loaded from the root ``conftest.py``; see ``engine`` for how pages run.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from . import REPO_ROOT, engine, update_outputs, versions


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("sitekit", "PyTorch Core Concepts site")
    group.addoption(
        "--require-gpu",
        action="store_true",
        default=False,
        help="fail (instead of skip) every block whose skip condition is 'no CUDA'; for GPU runners",
    )
    group.addoption(
        "--update-outputs",
        action="store_true",
        default=False,
        help="rewrite the expected outputs of REPL blocks with what PyTorch prints now "
        "(both pages of a pair); runs in one process",
    )
    group.addoption(
        "--record-variants",
        action="store_true",
        default=False,
        help="with --update-outputs: where the installed torch prints something else, keep the block for the "
        "other versions and add a <!-- torch: X.Y --> variant for this one (make drift-accept, make record-variants)",
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """A skipped block is reported at its page and line, not inside unittest/sybil."""
    report = yield
    example = getattr(item, "example", None)
    if report.skipped and example is not None and isinstance(report.longrepr, tuple):
        _, _, message = report.longrepr
        report.longrepr = (str(item.path), example.line, message)
    return report


def _is_controller(config: pytest.Config) -> bool:
    return not hasattr(config, "workerinput")


def pytest_configure(config: pytest.Config) -> None:
    engine.Settings.require_gpu = config.getoption("require_gpu")
    engine.Settings.rootdir = str(config.rootpath)
    try:
        engine.Settings.torch_version = versions.running()
    except versions.VersionError as error:
        raise pytest.UsageError(str(error)) from None
    if config.getoption("update_outputs"):
        engine.Settings.recorder = engine.OutputRecorder()
    if engine.Settings.require_gpu and _is_controller(config):
        import torch

        if not torch.cuda.is_available():
            raise pytest.UsageError(
                "--require-gpu: no CUDA device is visible to PyTorch "
                f"(torch {torch.__version__}, built with CUDA {torch.version.cuda}). "
                "This run is for GPU machines; use `make test` on a CPU machine."
            )


def pytest_unconfigure(config: pytest.Config) -> None:
    engine.Settings.require_gpu = False
    engine.Settings.recorder = None
    engine.Settings.torch_version = None
    engine.Settings.rootdir = str(REPO_ROOT)


def git_status(root: Path = REPO_ROOT) -> set[str] | None:
    """Paths git reports as changed or untracked (ignored files excluded); None outside a git checkout."""
    if not (root / ".git").exists():
        return None
    try:
        out = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=all"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return {line[3:] for line in out.splitlines() if line.strip()}


def new_changes(before: set[str] | None, after: set[str] | None) -> list[str]:
    if before is None or after is None:
        return []
    return sorted(after - before)


def pytest_sessionstart(session: pytest.Session) -> None:
    if _is_controller(session.config):
        session.config.stash[_BEFORE] = git_status(session.config.rootpath)


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    """Under --require-gpu: one summary line, and the run as a ``verified/`` record in ``test-artifacts/``
    (copy it into ``verified/`` to show it in the home page's "verified on" table)."""
    if not config.getoption("require_gpu"):
        return
    import os
    import platform

    import torch

    from . import verified

    counts = {key: len(terminalreporter.stats.get(key, [])) for key in ("passed", "failed", "skipped", "error")}
    counts["failed"] += counts.pop("error")
    gpu = torch.cuda.get_device_name(0)
    machine = f"{gpu}, CUDA {torch.version.cuda}, {os.cpu_count()} CPUs"
    scope = "pytest --require-gpu " + " ".join(str(arg) for arg in config.args)
    record = verified.make_record("gpu", torch.__version__, machine, platform.python_version(), scope, counts)
    terminalreporter.write_line(
        f"GPU run: {gpu}, PyTorch {torch.__version__}, CUDA {torch.version.cuda}: "
        f"{counts['passed']} passed, {counts['skipped']} skipped, {counts['failed']} failed",
        bold=True,
    )
    path = verified.write(record, config.rootpath / "test-artifacts")
    terminalreporter.write_line(f"recorded {path}: copy it into verified/ to list this run on the home page")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    recorder = engine.Settings.recorder
    if recorder is not None and recorder.pages:
        release = versions.installed_release() if config.getoption("record_variants") else None
        update_outputs.apply(recorder, report=print, variant_release=release)
    if not _is_controller(config) or _BEFORE not in config.stash or recorder is not None:
        return
    changed = new_changes(config.stash[_BEFORE], git_status(config.rootpath))
    if changed:
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        message = (
            "The test run changed the repository (a snippet wrote outside its page's "
            "temporary directory?):\n" + "\n".join(f"  {path}" for path in changed)
        )
        if reporter is not None:
            reporter.write_line("")
            reporter.write_line(message, red=True, bold=True)
        else:
            print(message)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


_BEFORE = pytest.StashKey[set[str] | None]()
