"""The GitHub workflows: pinned actions, least privilege, no fork code on the GPU runner, zizmor clean."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sitekit import REPO_ROOT

WORKFLOWS = sorted((REPO_ROOT / ".github" / "workflows").glob("*.yml"))


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as True
    return data


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_by_commit_sha(path):
    uses = re.findall(r"uses:\s*(\S+)", path.read_text(encoding="utf-8"))
    assert uses
    for action in uses:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", action), f"{path.name}: {action} is not pinned by SHA"


def test_ci_runs_make_test_on_both_pythons_read_only():
    ci = load(REPO_ROOT / ".github" / "workflows" / "ci.yml")
    assert ci["permissions"] == {"contents": "read"}
    assert set(ci["on"]) == {"pull_request", "push"}
    assert ci["jobs"]["test"]["strategy"]["matrix"]["python"] == ["3.11", "3.12"]
    assert any("make test" in step.get("run", "") for step in ci["jobs"]["test"]["steps"])


def test_gpu_job_never_runs_fork_code():
    gpu = load(REPO_ROOT / ".github" / "workflows" / "gpu.yml")
    assert set(gpu["on"]) == {"push", "workflow_dispatch", "merge_group"}
    assert gpu["on"]["push"] == {"branches": ["main"]}
    assert gpu["permissions"] == {"contents": "read"}
    job = gpu["jobs"]["test-gpu"]
    assert job["runs-on"] == ["self-hosted", "gpu"]
    assert any("make test-gpu" in step.get("run", "") for step in job["steps"])


def test_docs_deploy_has_write_access_only_in_its_job():
    docs = load(REPO_ROOT / ".github" / "workflows" / "docs.yml")
    assert docs["permissions"] == {}
    assert docs["jobs"]["deploy"]["permissions"] == {"contents": "write"}
    text = (REPO_ROOT / ".github" / "workflows" / "docs.yml").read_text(encoding="utf-8")
    assert "git fetch origin gh-pages" in text and "github-actions[bot]" in text
    assert "sitekit.publish deploy --push" in text


@pytest.mark.parametrize("persona", ["regular", "auditor"])
def test_zizmor_reports_nothing_high(persona):
    zizmor = shutil.which("zizmor", path=str(Path(sys.executable).parent)) or shutil.which("zizmor")
    if zizmor is None:
        pytest.skip("zizmor is not installed (make venv installs it)")
    result = subprocess.run(
        [zizmor, "--offline", f"--persona={persona}", "--min-severity=high", str(REPO_ROOT / ".github" / "workflows")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_matrix_workflow_runs_every_supported_version():
    from sitekit import versions

    matrix = load(REPO_ROOT / ".github" / "workflows" / "matrix.yml")
    assert matrix["permissions"] == {"contents": "read"}
    job = matrix["jobs"]["pages"]
    assert job["strategy"]["matrix"]["version"] == list(versions.supported())
    assert any("make test-matrix" in step.get("run", "") for step in job["steps"])
