"""The helpers in snippets/ work on the machine at hand, GPU or not."""

import torch

from snippets.devices import try_all_gpus, try_gpu


def test_try_gpu_falls_back_to_cpu_past_the_last_gpu():
    count = torch.cuda.device_count()
    assert try_gpu(count) == torch.device("cpu")
    if count:
        assert try_gpu(0) == torch.device("cuda:0")
    else:
        assert try_gpu() == torch.device("cpu")


def test_try_all_gpus_is_never_empty():
    devices = try_all_gpus()
    assert devices == ([torch.device(f"cuda:{i}") for i in range(torch.cuda.device_count())] or [torch.device("cpu")])
