"""Pick devices without caring whether the machine has a GPU."""

import torch


def try_gpu(i: int = 0) -> torch.device:
    """Return cuda:i if that GPU exists, otherwise the CPU."""
    if torch.cuda.device_count() >= i + 1:
        return torch.device(f"cuda:{i}")
    return torch.device("cpu")


def try_all_gpus() -> list[torch.device]:
    """Return every GPU, or [cpu] if there is none."""
    devices = [torch.device(f"cuda:{i}") for i in range(torch.cuda.device_count())]
    return devices if devices else [torch.device("cpu")]
