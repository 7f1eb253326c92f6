"""Measure the targets of the design (never asserted by a test): `make bench`.

Each figure is printed beside its target:

- ``import torch`` alone, in a fresh interpreter, and one page's tests as a multiple of it (≤ 1.5×);
- the whole ``make test`` with ``.venv`` present (≤ 60 s), and ``make test-pages``, its pages alone;
- ``mkdocs build`` (both languages, notebooks executed), and saving a page → the served page rebuilt (≤ 1.5 s);
- the bytes a first visit to a chapter page transfers, gzipped (≤ 200 KB), and requests to other hosts (0);
- ``--matrix``: ``make test-matrix`` warm, pages only, five versions (≤ 3 min), and the disk its environments take;
- ``--fresh``: a fresh clone's ``make test``, environment set-up included (≤ 4 min; downloads several GB).

    python -m sitekit.bench [--skip-suite] [--matrix] [--fresh] [--lang zh]
"""

from __future__ import annotations

import argparse
import gzip
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
# The options `make serve` passes to `mkdocs serve` (Makefile, serve target).
SERVE_ARGS = ["--livereload", "--dirty"]
CHAPTER_PAGE = "autograd/graph/"


def _env() -> dict[str, str]:
    return dict(
        os.environ, NO_MKDOCS_2_WARNING="1", MPLBACKEND="Agg", OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1")
    )


def timed(
    command: list[str], cwd: Path = REPO_ROOT, extra_env: dict[str, str] | None = None
) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=_env() | (extra_env or {}), capture_output=True, text=True)
    return time.perf_counter() - start, result


def make_test(target: str, cwd: Path = REPO_ROOT, extra_env: dict[str, str] | None = None) -> tuple[float, str, int]:
    """Seconds, pytest's summary line and the exit status of ``make <target>``."""
    seconds, result = timed(["make", "--no-print-directory", target], cwd, extra_env)
    summary = next((line for line in reversed(result.stdout.splitlines()) if " passed" in line), "?")
    return seconds, summary.strip("= "), result.returncode


FLOOR_SCRIPT = """
import sys, time
sys.path.insert(0, sys.argv[3])
start = time.perf_counter()
import torch
from sitekit.engine import make_sybil
sybil = make_sybil()
from pathlib import Path
blocks = 0
where = Path(sys.argv[1])
pages = [where] if where.suffix == ".md" else sorted(where.rglob("*." + sys.argv[2] + ".md"))
for path in pages:
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


def floor(lang: str, page: Path = DOCS_DIR) -> tuple[float, int]:
    """Seconds for one process to import torch and run every block (of ``page``, or of all pages), no pytest."""
    seconds, result = timed([sys.executable, "-c", FLOOR_SCRIPT, str(page), lang, str(REPO_ROOT)])
    if result.returncode != 0:
        raise SystemExit("floor run failed:\n" + result.stderr[-3000:])
    blocks, _ = result.stdout.split()
    return seconds, int(blocks)


def page_weight(site_dir: Path, path: str) -> tuple[int, int, list[str], int, float | None] | None:
    """(bytes, requests, foreign hosts, gzipped bytes, first contentful paint in ms) for a first visit,
    or None without Chromium."""
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
    gzipped: dict[str, int] = {}
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
                    body = response.body()
                except Exception:
                    body = b""
                sizes[response.url] = len(body)
                gzipped[response.url] = len(gzip.compress(body, 6)) if body else 0

            page.on("response", on_response)
            page.goto(base + path, wait_until="networkidle")
            page.wait_for_timeout(1500)  # anything fetched after load counts too
            paint = page.evaluate(
                "() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null"
            )
            browser.close()
    finally:
        server.shutdown()
    return sum(sizes.values()), len(sizes), foreign, sum(gzipped.values()), paint


def serve_reload(seconds_limit: float = 60.0) -> float | None:
    """Seconds from saving a page to `mkdocs serve` serving the new text (a copy of the site, never the repo)."""
    import shutil
    import socket
    import urllib.request

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name in ("docs", "sitekit", "snippets", "requirements", "overrides"):
            shutil.copytree(REPO_ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy(REPO_ROOT / "mkdocs.yml", root / "mkdocs.yml")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        command = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", *SERVE_ARGS]
        server = subprocess.Popen(command, cwd=root, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        url = f"http://127.0.0.1:{port}/autograd/basics/"

        def fetch() -> str:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    return response.read().decode("utf-8", "replace")
            except OSError:
                return ""

        try:
            deadline = time.perf_counter() + 180
            while "PyTorch" not in fetch():
                if time.perf_counter() > deadline or server.poll() is not None:
                    return None
                time.sleep(0.5)
            time.sleep(2)  # let the watcher settle after the first build
            page = root / "docs" / "autograd" / "basics.zh.md"
            marker = f"bench-marker-{time.time_ns()}"
            start = time.perf_counter()
            page.write_text(page.read_text(encoding="utf-8") + f"\n\n{marker}\n", encoding="utf-8")
            while marker not in fetch():
                if time.perf_counter() - start > seconds_limit:
                    return None
                time.sleep(0.05)
            return time.perf_counter() - start
        finally:
            server.terminate()
            server.wait(timeout=30)


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__.splitlines()[0])
    parser.add_argument("--skip-suite", action="store_true", help="do not time the whole make test")
    parser.add_argument("--matrix", action="store_true", help="also time make test-matrix (warm environments)")
    parser.add_argument("--fresh", action="store_true", help="also time a fresh clone's make test (downloads GBs)")
    parser.add_argument("--lang", default="zh", help="language whose blocks make the floor (default zh)")
    args = parser.parse_args(argv)

    import torch

    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}")
    print(f"python {platform.python_version()}, torch {torch.__version__}, OMP_NUM_THREADS={_env()['OMP_NUM_THREADS']}")
    rows: list[tuple[str, str, str]] = []  # (what, measured, target)

    imports = [timed([sys.executable, "-c", "import torch"])[0] for _ in range(3)]
    torch_import = statistics.median(imports)
    rows.append(("python -c 'import torch' (median of 3)", f"{torch_import:.2f} s", "-"))

    floor_seconds, blocks = floor(args.lang)
    rows.append((f"floor: import torch + {blocks} {args.lang} blocks, one process", f"{floor_seconds:.2f} s", "-"))

    if not args.skip_suite:
        seconds, summary, _ = make_test("test")
        rows.append(("make test, .venv present", f"{seconds:.1f} s  [{summary}]", "≤ 60 s"))
        seconds, summary, _ = make_test("test-pages")
        rows.append(("make test-pages (no site build, no browser)", f"{seconds:.1f} s  [{summary}]", "-"))

    for page in PAGES:
        file = f"docs/{page}.zh.md"
        seconds, result = timed([sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", file])
        alone, _ = floor(args.lang, REPO_ROOT / file)
        rows.append(
            (
                f"one page: pytest {file}",
                f"{seconds:.2f} s = {seconds / torch_import:.2f}× import; its blocks without pytest {alone:.2f} s",
                "≤ 1.5× import",
            )
        )

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        seconds, result = timed(
            [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(REPO_ROOT / "mkdocs.yml"), "-d", str(site)],
            cwd=Path(tmp),
        )
        rows.append(("mkdocs build, both languages (reference build)", f"{seconds:.1f} s", "-"))
        weight = page_weight(site, CHAPTER_PAGE)
        if weight is None:
            rows.append((f"first visit to /{CHAPTER_PAGE}", "not measured: no Chromium", "≤ 200 KB gzipped"))
        else:
            total, requests, foreign, packed, paint = weight
            measured = f"{packed / 1e3:.0f} KB gzipped ({total / 1e3:.0f} KB) in {requests} requests"
            rows.append((f"first visit to /{CHAPTER_PAGE}", measured, "≤ 200 KB gzipped"))
            rows.append(("requests to other hosts", str(len(foreign)), "0"))
            rows.append(("first contentful paint, localhost", f"{paint:.0f} ms" if paint else "not reported", "-"))

    reload_seconds = serve_reload()
    rows.append(
        (
            "save a page → mkdocs serve has rebuilt it",
            "did not finish" if reload_seconds is None else f"{reload_seconds:.2f} s",
            "≤ 1.5 s",
        )
    )

    if args.matrix:
        from . import matrix

        seconds, result = timed([sys.executable, "-m", "sitekit.matrix"])
        last = result.stdout.strip().splitlines()[-6:]
        rows.append(("make test-matrix, warm, five versions", f"{seconds:.0f} s", "≤ 180 s"))
        for line in last:
            rows.append(("  " + line, "", ""))
        envs = matrix.envs_dir()
        size = sum(dir_size(p.resolve()) for p in envs.glob("torch-*")) if envs.exists() else 0
        rows.append((f"disk of the version environments ({envs})", f"{size / 1e9:.1f} GB", "-"))

    if args.fresh:
        # As on a new machine: no .venv, no second-version environment (SITEKIT_ENVS empty). Package
        # downloads are cached by the installers (uv's and pip's caches): run it on a fresh machine to
        # measure the downloads too.
        with tempfile.TemporaryDirectory() as tmp:
            clone = Path(tmp) / "fresh"
            subprocess.run(["git", "clone", "-q", str(REPO_ROOT), str(clone)], check=True)
            seconds, _, code = make_test("test", clone, {"SITEKIT_ENVS": str(Path(tmp) / "envs")})
            status = "passed" if code == 0 else f"failed ({code})"
            rows.append(("fresh clone: make test, set-up included", f"{seconds:.0f} s, {status}", "≤ 240 s"))

    width = max(len(name) for name, _, _ in rows)
    measured_width = max(len(value) for _, value, _ in rows)
    print()
    print(f"{'what':<{width}}  {'measured':<{measured_width}}  target")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:<{measured_width}}  {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
