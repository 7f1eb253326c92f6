"""Measure the targets of the design (never asserted by a test): `make bench`.

- ``import torch`` alone, in a fresh interpreter;
- the floor: one process that imports torch and runs every block of one language once;
- the whole ``make test`` (``.venv`` present) and its ratio to the floor;
- one page's tests (a few representative pages);
- ``mkdocs build`` (both languages, notebooks executed);
- the bytes a first visit to a chapter page transfers (Chromium, when installed).

    python -m sitekit.bench [--skip-suite] [--lang zh]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import DOCS_DIR, REPO_ROOT

PAGES = ["autograd/basics", "training/step-by-step", "io/checkpoints", "gpu/multi-device"]
CHAPTER_PAGE = "autograd/graph/"


def _env() -> dict[str, str]:
    return dict(
        os.environ, NO_MKDOCS_2_WARNING="1", MPLBACKEND="Agg", OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1")
    )


def timed(command: list[str], cwd: Path = REPO_ROOT) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=_env(), capture_output=True, text=True)
    return time.perf_counter() - start, result


FLOOR_SCRIPT = """
import sys, time
sys.path.insert(0, sys.argv[3])
start = time.perf_counter()
import torch
from sitekit.engine import make_sybil
sybil = make_sybil()
from pathlib import Path
blocks = 0
for path in sorted(Path(sys.argv[1]).rglob("*." + sys.argv[2] + ".md")):
    document = sybil.parse(path)
    sybil.setup(document.namespace)
    try:
        for example in document.examples():
            try:
                example.evaluate()
            except Exception as error:  # skipped GPU blocks raise SkipTest
                if type(error).__name__ not in ("SkipTest", "NotEvaluated"):
                    raise
            blocks += 1
    finally:
        sybil.teardown(document.namespace)
print(blocks, time.perf_counter() - start)
"""


def floor(lang: str) -> tuple[float, int]:
    seconds, result = timed([sys.executable, "-c", FLOOR_SCRIPT, str(DOCS_DIR), lang, str(REPO_ROOT)])
    if result.returncode != 0:
        raise SystemExit("floor run failed:\n" + result.stderr[-3000:])
    blocks, _ = result.stdout.split()
    return seconds, int(blocks)


def page_weight(site_dir: Path, path: str) -> tuple[int, int, list[str]] | None:
    """(bytes transferred, requests, foreign hosts) for a first visit, or None without Chromium."""
    chromium = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    if not chromium.exists():
        return None
    import http.server
    import threading
    from functools import partial

    from playwright.sync_api import sync_playwright

    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(site_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    sizes: dict[str, int] = {}
    foreign: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(chromium),
                args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page()

            def on_response(response):
                if not response.url.startswith(base):
                    foreign.append(response.url)
                    return
                try:
                    sizes[response.url] = len(response.body())
                except Exception:
                    sizes[response.url] = 0

            page.on("response", on_response)
            page.goto(base + path, wait_until="networkidle")
            page.wait_for_timeout(1500)  # the search worker fetches its index after load
            browser.close()
    finally:
        server.shutdown()
    return sum(sizes.values()), len(sizes), foreign


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__.splitlines()[0])
    parser.add_argument("--skip-suite", action="store_true", help="do not time the whole make test")
    parser.add_argument("--lang", default="zh", help="language whose blocks make the floor (default zh)")
    args = parser.parse_args(argv)

    import torch

    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}")
    print(f"python {platform.python_version()}, torch {torch.__version__}, OMP_NUM_THREADS={_env()['OMP_NUM_THREADS']}")
    rows: list[tuple[str, str]] = []

    imports = [timed([sys.executable, "-c", "import torch"])[0] for _ in range(3)]
    torch_import = statistics.median(imports)
    rows.append(("python -c 'import torch' (median of 3)", f"{torch_import:.2f} s"))

    floor_seconds, blocks = floor(args.lang)
    rows.append((f"floor: import torch + {blocks} {args.lang} blocks, one process", f"{floor_seconds:.2f} s"))

    if not args.skip_suite:
        suite_seconds, result = timed(["make", "--no-print-directory", "test"])
        summary = next((line for line in reversed(result.stdout.splitlines()) if " passed" in line), "?")
        rows.append(("make test (whole suite, .venv present)", f"{suite_seconds:.1f} s  [{summary.strip('= ')}]"))
        rows.append(("make test / floor (target < 3)", f"{suite_seconds / floor_seconds:.2f}"))

    for page in PAGES:
        files = [f"docs/{page}.zh.md", f"docs/{page}.en.md"]
        seconds, result = timed([sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", files[0]])
        rows.append((f"one page: pytest {files[0]} (target < 5 s)", f"{seconds:.2f} s"))

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        seconds, result = timed(
            [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(REPO_ROOT / "mkdocs.yml"), "-d", str(site)],
            cwd=Path(tmp),
        )
        rows.append(("mkdocs build, both languages (target < 20 s)", f"{seconds:.1f} s"))
        weight = page_weight(site, CHAPTER_PAGE)
        if weight is None:
            rows.append((f"first visit to /{CHAPTER_PAGE}", "not measured: no Chromium"))
        else:
            total, requests, foreign = weight
            rows.append(
                (f"first visit to /{CHAPTER_PAGE} (target < 1.5 MB)", f"{total / 1e6:.2f} MB in {requests} requests")
            )
            rows.append(("requests to other hosts (target 0)", str(len(foreign))))

    width = max(len(name) for name, _ in rows)
    print()
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
