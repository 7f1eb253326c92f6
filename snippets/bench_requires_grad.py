"""Time backward() with requires_grad on the whole dataset vs. on each batch.

    .venv/bin/python -m snippets.bench_requires_grad [--samples N] [--batch B] [--steps S]
        [--rounds R] [--threads T] [--device cpu|cuda]

Both ways compute the same gradients for the model and for the inputs of the
batch; the only difference is where requires_grad_() is called.
"""

import argparse
import os
import platform
import statistics
import time
from dataclasses import dataclass

import torch
from torch import nn


@dataclass
class Result:
    seconds: list[float]  # one backward() time per measured step
    input_grad_numel: int  # size of the .grad that holds the input gradients


def run(mode, n_samples=1_000_000, dim=3, batch_size=1024, steps=50, warmup=5, device="cpu"):
    """Train-like steps on random data; time only loss.backward().

    mode="dataset": data.requires_grad_() once, batches are data[idx].
    mode="batch":   batches are data[idx].requires_grad_().
    """
    if mode not in ("dataset", "batch"):
        raise ValueError(f"mode must be 'dataset' or 'batch', not {mode!r}")
    gen = torch.Generator().manual_seed(0)
    data = torch.rand(n_samples, dim, generator=gen).to(device)
    model = nn.Sequential(nn.Linear(dim, 64), nn.Tanh(), nn.Linear(64, 1)).to(device)
    if mode == "dataset":
        data.requires_grad_()
    seconds = []
    for step in range(warmup + steps):
        idx = torch.randint(n_samples, (batch_size,), generator=gen).to(device)
        xb = data[idx] if mode == "dataset" else data[idx].requires_grad_()
        loss = model(xb).pow(2).mean()
        model.zero_grad()
        if device != "cpu":
            torch.cuda.synchronize()
        start = time.perf_counter()
        loss.backward()
        if device != "cpu":
            torch.cuda.synchronize()
        if step >= warmup:
            seconds.append(time.perf_counter() - start)
    grad = data.grad if mode == "dataset" else xb.grad
    return Result(seconds, grad.numel())


def cpu_name():
    """platform.processor() is often empty on Linux; /proc/cpuinfo has the model name."""
    name = platform.processor()
    if not name and os.path.exists("/proc/cpuinfo"):
        with open("/proc/cpuinfo") as f:
            name = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
    return name or "unknown CPU"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=1_000_000)
    parser.add_argument("--dim", type=int, default=3)
    parser.add_argument("--batch", type=int, default=1024)
    parser.add_argument("--steps", type=int, default=20, help="measured steps per round")
    parser.add_argument("--rounds", type=int, default=5, help="the two ways alternate, round after round")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: keep the default)")
    args = parser.parse_args(argv)
    default_threads = torch.get_num_threads()
    if args.threads:
        torch.set_num_threads(args.threads)
    try:
        return measure(args)
    finally:
        torch.set_num_threads(default_threads)


def measure(args):
    print(f"machine: {platform.machine()} {cpu_name()}, {os.cpu_count()} CPUs")
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, device {args.device}")
    print(f"dataset {args.samples} x {args.dim}, batch {args.batch}, {args.rounds} rounds of {args.steps} steps")
    seconds = {"dataset": [], "batch": []}
    numel = {}
    for _ in range(args.rounds):
        for mode in seconds:
            result = run(mode, args.samples, args.dim, args.batch, args.steps, device=args.device)
            seconds[mode] += result.seconds
            numel[mode] = result.input_grad_numel
    medians = {}
    for mode, times in seconds.items():
        medians[mode] = statistics.median(times)
        print(
            f"requires_grad on {mode:7s}: backward median {medians[mode] * 1e3:7.3f} ms, "
            f"min {min(times) * 1e3:7.3f} ms, input .grad numel {numel[mode]}"
        )
    print(
        f"ratio dataset/batch: {medians['dataset'] / medians['batch']:.1f}x (medians), "
        f"{min(seconds['dataset']) / min(seconds['batch']):.1f}x (minimums)"
    )
    return medians


if __name__ == "__main__":
    main()
