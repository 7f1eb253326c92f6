"""Runs downloaded notebooks and scripts (``sitekit.downloads``), each in a process of its own.

``python -m tests.download_runner`` imports torch once, then reads one job per line on stdin
(``{"kind": "notebook"|"script", "path": ..., "timeout": ...}``) and runs each in a child
forked from itself: a fresh ``__main__``, the file's folder as working directory and first
on ``sys.path``, the repository off it (the helper modules must come from the ``snippets/``
folder next to the file, as a reader's would). What the child writes lands in a file; the
answer (one JSON line) holds the exit status, the mismatches and the tail of that output.
Forking from a process that has imported torch (and ``torch._dynamo``, which the first optimizer a
page builds imports) saves each page the three seconds of those imports.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import traceback
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DOCS_DIR = REPO_ROOT / "docs"
ZH = sorted(p for p in DOCS_DIR.rglob("*.zh.*") if p.suffix in {".md", ".ipynb"})
EN = [p.with_name(p.name.replace(".zh.", ".en.")) for p in ZH]
RUN_TIMEOUT = 240  # the multi-device page starts processes; everything else takes seconds


def page_id(path: Path) -> str:
    return str(path.relative_to(DOCS_DIR))


def _child(kind: str, path: Path, report: Path) -> int:
    from sitekit import downloads

    os.chdir(path.parent)
    sys.path[:] = [p for p in sys.path if p not in ("", str(REPO_ROOT))]
    if kind == "notebook":
        problems = downloads.run_notebook(json.loads(path.read_text(encoding="utf-8")))
    else:
        problems = downloads.run_script(path)
    report.write_text("\n\n".join(map(str, problems)), encoding="utf-8")
    return 1 if problems else 0


def run(job: dict) -> dict:
    path = Path(job["path"])
    output, report = path.parent / ".runner-output.txt", path.parent / ".runner-report.txt"
    pid = os.fork()
    if pid == 0:  # the child: its own process group, so a timeout ends the processes it starts too
        code = 2
        try:
            os.setpgid(0, 0)
            fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            sys.stdin = open(os.devnull)  # noqa: SIM115 - the child exits with os._exit
            code = _child(job["kind"], path, report)
        except BaseException:  # noqa: BLE001 - reported through the output file
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    deadline = time.monotonic() + job["timeout"]
    status = None
    while status is None:
        done, raw = os.waitpid(pid, os.WNOHANG)
        if done:
            status = os.waitstatus_to_exitcode(raw)
        elif time.monotonic() > deadline:
            with_group = [pid]
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                with_group = []
            os.waitpid(pid, 0)
            status = f"timed out after {job['timeout']} s" + ("" if with_group else " (already gone)")
        else:
            time.sleep(0.02)
    return {
        "status": status,
        "report": report.read_text(encoding="utf-8") if report.exists() else "",
        "output": output.read_text(encoding="utf-8", errors="replace")[-4000:] if output.exists() else "",
    }


def serve() -> None:
    import torch  # noqa: F401 - the import every child shares
    import torch._dynamo  # noqa: F401 - every optimizer imports it on first use: another second per page

    import sitekit.downloads  # noqa: F401
    import sitekit.engine  # noqa: F401

    for line in sys.stdin:
        sys.stdout.write(json.dumps(run(json.loads(line))) + "\n")
        sys.stdout.flush()


def written(page: Path, tmp_path: Path):
    """The page's downloads (``sitekit.downloads.build``, as the build's hook makes them) in a folder
    of their own, with the helper modules they name copied into ``snippets/``, as a reader would."""
    from sitekit import downloads

    made = downloads.build(page)
    folder = tmp_path / "download"
    folder.mkdir()
    if made.notebook is not None:
        (folder / made.notebook_name).write_text(made.notebook, encoding="utf-8")
    (folder / made.script_name).write_text(made.script, encoding="utf-8")
    for name in made.snippets:
        (folder / "snippets").mkdir(exist_ok=True)
        shutil.copy(REPO_ROOT / "snippets" / f"{name}.py", folder / "snippets")
    return made, folder


def failure(result: dict, what: str) -> str | None:
    """None if the run passed, else what to report."""
    if result["status"] == 0 and not result["report"]:
        return None
    return f"{what}: exit status {result['status']}\n{result['report']}\n--- output (tail) ---\n{result['output']}"


class Runner:
    """The test side: one server per pytest worker."""

    def __init__(self) -> None:
        env = dict(os.environ, PYTHONPATH=str(REPO_ROOT), OMP_NUM_THREADS="1", MPLBACKEND="Agg")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.download_runner"],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(self, kind: str, path: Path, timeout: float) -> dict:
        self.process.stdin.write(json.dumps({"kind": kind, "path": str(path), "timeout": timeout}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the runner stopped (exit status {self.process.wait()})")
        return json.loads(line)

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


if __name__ == "__main__":
    serve()
