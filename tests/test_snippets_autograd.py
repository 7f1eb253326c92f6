"""snippets/bench_requires_grad.py runs and measures what it says, at tiny sizes (no timing asserts)."""

import pytest

from snippets import bench_requires_grad as bench


@pytest.mark.parametrize(("mode", "numel"), [("dataset", 200 * 3), ("batch", 8 * 3)])
def test_run_reports_the_input_gradient_size_of_each_way(mode, numel):
    result = bench.run(mode, n_samples=200, batch_size=8, steps=3, warmup=1)
    assert result.input_grad_numel == numel
    assert len(result.seconds) == 3
    assert all(s >= 0 for s in result.seconds)


def test_run_rejects_an_unknown_mode():
    with pytest.raises(ValueError, match="mode must be"):
        bench.run("everything", n_samples=10, batch_size=2, steps=1)


def test_main_prints_machine_torch_version_and_ratio(capsys):
    medians = bench.main(["--samples", "200", "--batch", "8", "--steps", "2", "--rounds", "2", "--threads", "1"])
    out = capsys.readouterr().out
    assert set(medians) == {"dataset", "batch"}
    assert "machine: " in out and "CPUs" in out
    assert f"torch {bench.torch.__version__}" in out and "device cpu" in out
    assert "input .grad numel 600" in out and "input .grad numel 24" in out
    assert "ratio dataset/batch: " in out
