"""The matrix-product benchmark of the tensors chapter runs, with tiny sizes (no timing is asserted)."""

import pytest
import torch

from snippets import bench_matmul


def test_time_matmul_on_cpu_reports_positive_times():
    timing = bench_matmul.time_matmul(3, "cpu", repeat=2)
    assert (timing.device, timing.n) == ("cpu", 3)
    assert timing.first_s >= 0 and timing.median_s >= 0
    assert timing.gflops >= 0


def test_time_matmul_needs_at_least_one_repeat():
    with pytest.raises(ValueError, match="repeat"):
        bench_matmul.time_matmul(2, "cpu", repeat=0)


def test_run_covers_every_device_and_size():
    startup, timings = bench_matmul.run(sizes=(2, 5), repeat=1, on=["cpu"])
    assert startup is None
    assert [(t.device, t.n) for t in timings] == [("cpu", 2), ("cpu", 5)]


def test_table_has_a_row_per_timing():
    _, timings = bench_matmul.run(sizes=(2, 4), repeat=1, on=["cpu"])
    lines = bench_matmul.format_table(timings).splitlines()
    assert lines[0].startswith("| device | n | first call (ms) | median (ms)")
    assert len(lines) == 2 + len(timings)
    assert lines[2].startswith("| cpu | 2 |") and lines[3].startswith("| cpu | 4 |")


def test_main_prints_machine_version_and_table(capsys):
    bench_matmul.main(["--sizes", "2", "3", "--repeat", "1", "--cpu-only"])
    out = capsys.readouterr().out
    assert f"torch: {torch.__version__}" in out
    assert "cpu count: " in out and "processor: " in out
    assert "CUDA start-up: not measured" in out
    assert "| cpu | 3 |" in out


def test_devices_lists_the_cpu_first():
    found = bench_matmul.devices()
    assert found[0] == torch.device("cpu")
    assert len(found) == (2 if torch.cuda.is_available() else 1)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_run_on_gpu_measures_startup_and_products():
    startup, timings = bench_matmul.run(sizes=(2, 8), repeat=2, on=["cuda:0"])
    assert startup is not None and startup >= 0
    assert [(t.device, t.n) for t in timings] == [("cuda:0", 2), ("cuda:0", 8)]
    assert all(t.median_s >= 0 for t in timings)
