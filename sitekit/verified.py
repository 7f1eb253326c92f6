"""The "verified on" record: which suite ran on which PyTorch version and machine.

Each run that counts is a JSON file in ``verified/`` written by the tool that ran it
(``make test-matrix RECORD=1`` for CPU, ``make test-gpu`` / ``make test-gpu-wheels`` for a
GPU machine, then copied from ``test-artifacts/``), never typed by hand. The home pages
carry ``<!-- verified-on -->``; the build replaces it with a table of versions × CPU/GPU,
and names the GPU blocks that no recorded GPU run has executed on a version.
"""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

from . import DOCS_DIR, REPO_ROOT, versions
from .blocks import iter_pages, read_page

RECORDS_DIR = REPO_ROOT / "verified"
MARKER = "<!-- verified-on -->"
FIELDS = ("kind", "version", "torch", "machine", "python", "date", "commit", "scope", "passed", "failed", "skipped")
TEXT = {
    "zh": {
        "head": "| PyTorch | CPU | GPU |\n| --- | --- | --- |",
        "run": "{passed} 通过、{failed} 失败、{skipped} 跳过（{machine}，{date}，提交 {commit}）",
        "none": "尚未运行",
        "gpu_missing": "尚未在 GPU 上运行：{count} 个 GPU 代码块未经验证",
        "unverified": "在尚无 GPU 运行记录的版本上，以下 GPU 代码块（每种语言）未经验证；在有记录的版本上，"
        "记录所在提交之后新增或修改的 GPU 代码块同样未经验证：",
        "separator": "、",
        "latest": "（最新）",
    },
    "en": {
        "head": "| PyTorch | CPU | GPU |\n| --- | --- | --- |",
        "run": "{passed} passed, {failed} failed, {skipped} skipped ({machine}, {date}, commit {commit})",
        "none": "not run yet",
        "gpu_missing": "not run on a GPU yet: {count} GPU blocks unverified",
        "unverified": "On versions without a recorded GPU run, these GPU blocks (per language) are unverified; on a "
        "version with one, GPU blocks added or changed after the recorded commit are unverified too:",
        "separator": ", ",
        "latest": " (latest)",
    },
}


def git_commit(root: Path = REPO_ROOT) -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def make_record(kind: str, release: str, machine: str, python: str, scope: str, counts: dict, note: str = "") -> dict:
    record = {
        "kind": kind,
        "version": versions.minor_of(release),
        "torch": release,
        "machine": machine,
        "python": python,
        "date": date.today().isoformat(),
        "commit": git_commit(),
        "scope": scope,
        **{key: int(counts.get(key, 0)) for key in ("passed", "failed", "skipped")},
    }
    if note:
        record["note"] = note
    return record


def write(record: dict, directory: Path = RECORDS_DIR) -> Path:
    directory.mkdir(exist_ok=True)
    path = directory / f"{record['version']}-{record['kind']}.json"
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def load(directory: Path = RECORDS_DIR) -> dict[tuple[str, str], dict]:
    """{(version, kind): record}; a malformed record raises, naming its file."""
    found = {}
    for path in sorted(directory.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        missing = [key for key in FIELDS if key not in record]
        if missing:
            raise ValueError(f"{path}: missing {', '.join(missing)}")
        found[(record["version"], record["kind"])] = record
    return found


def gpu_blocks(docs_dir: Path, lang: str) -> list[str]:
    """``page:line`` of every block skipped for lack of CUDA, in one language (paths relative to ``docs_dir``)."""
    found = []
    for path in iter_pages(docs_dir):
        if not path.name.endswith(f".{lang}.md"):
            continue
        for fence in read_page(path).python_fences:
            if fence.skip is not None and "cuda" in fence.skip.condition:
                found.append(f"{path.relative_to(docs_dir).as_posix()}:{fence.line}")
    return found


def table(lang: str, docs_dir: Path = DOCS_DIR, directory: Path = RECORDS_DIR) -> str:
    text = TEXT[lang]
    records = load(directory)
    blocks = gpu_blocks(docs_dir, lang)
    rows = [text["head"]]
    missing_gpu = []
    for version in reversed(versions.supported()):
        cells = []
        for kind in ("cpu", "gpu"):
            record = records.get((version, kind))
            if record is None:
                cells.append(text["gpu_missing"].format(count=len(blocks)) if kind == "gpu" else text["none"])
                if kind == "gpu":
                    missing_gpu.append(version)
                continue
            cell = text["run"].format(**record)
            note = record.get("note")
            note = note.get(lang) if isinstance(note, dict) else note
            if note:
                cell += f"<br>{note}"
            cells.append(cell)
        name = version + (text["latest"] if version == versions.latest() else "")
        rows.append(f"| {name} | {cells[0]} | {cells[1]} |")
    out = "\n".join(rows)
    if missing_gpu and blocks:
        per_page: dict[str, int] = {}
        for block in blocks:
            page = block.rsplit(":", 1)[0]
            per_page[page] = per_page.get(page, 0) + 1
        lang_suffix = f".{lang}.md"
        listed = text["separator"].join(
            f"[{page.removesuffix(lang_suffix)}]({page.removesuffix(lang_suffix)}.md) × {count}"
            for page, count in per_page.items()
        )
        out += f"\n\n{text['unverified']}{'' if lang == 'zh' else ' '}{listed}"
    return out


def replace_marker(markdown: str, lang: str) -> str:
    return markdown.replace(MARKER, table(lang)) if MARKER in markdown else markdown
