"""snippets/train_loop.py runs as the script the training chapter tells readers to run."""

import re
import subprocess
import sys

from sitekit import REPO_ROOT

SCRIPT = REPO_ROOT / "snippets" / "train_loop.py"
FINAL_LINE = re.compile(
    r"best epoch (?P<epoch>\d+): val loss (?P<loss>\d+\.\d{4}), val accuracy (?P<acc>\d\.\d{3}) \((?P<device>\w+)\)"
)


def test_the_script_trains_stops_early_and_reports_the_best_epoch():
    result = subprocess.run(
        [sys.executable, str(SCRIPT)], capture_output=True, text=True, timeout=120, cwd=REPO_ROOT, check=False
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    epochs = [line for line in lines if line.startswith("epoch ")]
    assert lines[-2] == "early stop: no improvement for 3 epochs"
    final = FINAL_LINE.fullmatch(lines[-1])
    assert final, lines[-1]
    best = int(final["epoch"])
    assert len(epochs) == best + 3  # stopped three epochs after the best one
    assert float(final["loss"]) < 0.5 and float(final["acc"]) > 0.8
    assert f"val loss {final['loss']}" in epochs[best - 1]
