"""Time a tiny and a large matrix product on the CPU and, when there is one, on the GPU.

Run from the repository root:

    .venv/bin/python -m snippets.bench_matmul
    .venv/bin/python -m snippets.bench_matmul --sizes 4 512 2048 --repeat 20

What is measured, per device and matrix size n (two n x n float32 matrices):

- "first call": the very first product of that size on that device, which includes
  one-off work such as loading and initialising the math library (cuBLAS on a GPU);
- "median": the median over ``--repeat`` further products, each timed on its own.

On a GPU, ``torch.cuda.synchronize()`` is called before starting and before stopping
every clock: CUDA kernels run asynchronously, and without it the clock would only see
the launch, not the product. The start-up of CUDA itself (creating the context on the
first CUDA call of the process) is timed separately, before anything else touches the GPU.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from dataclasses import dataclass

import torch

DEFAULT_SIZES = (4, 2048)
DEFAULT_REPEAT = 10


@dataclass
class Timing:
    device: str
    n: int
    first_s: float  # the first product of this size on this device
    median_s: float  # median of the products after it

    @property
    def gflops(self) -> float:
        """Billions of floating-point operations per second (an n x n product takes 2·n³)."""
        return 2 * self.n**3 / self.median_s / 1e9 if self.median_s > 0 else float("inf")


def _cpu_model() -> str:
    """The CPU's model name where the system tells it (Linux), else what platform knows."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    info = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": _cpu_model(),
        "cpu count": str(os.cpu_count()),
        "torch threads": str(torch.get_num_threads()),
        "torch": torch.__version__,
        "cuda": "available" if torch.cuda.is_available() else "not available",
    }
    if torch.cuda.is_available():
        info["gpu"] = ", ".join(torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count()))
        info["cuda version"] = str(torch.version.cuda)
    return info


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def cuda_startup_seconds(device: str | torch.device = "cuda") -> float:
    """Time the first CUDA work of this process: creating the context and one tiny tensor.

    Only meaningful if nothing in the process has used CUDA before; call it first.
    """
    device = torch.device(device)
    start = time.perf_counter()
    torch.cuda.init()
    torch.empty(1, device=device)
    torch.cuda.synchronize(device)
    return time.perf_counter() - start


def time_matmul(n: int, device: str | torch.device = "cpu", repeat: int = DEFAULT_REPEAT) -> Timing:
    """Time the first and then ``repeat`` more products of two n x n float32 matrices."""
    if repeat < 1:
        raise ValueError("repeat must be at least 1")
    device = torch.device(device)
    generator = torch.Generator().manual_seed(0)
    # Random numbers are drawn on the CPU and copied, so the copy is not part of any timing.
    a = torch.rand(n, n, generator=generator).to(device)
    b = torch.rand(n, n, generator=generator).to(device)
    _sync(device)

    def one_product() -> float:
        _sync(device)
        start = time.perf_counter()
        c = a @ b
        _sync(device)
        elapsed = time.perf_counter() - start
        assert c.shape == (n, n)
        return elapsed

    first = one_product()
    times = [one_product() for _ in range(repeat)]
    return Timing(str(device), n, first, statistics.median(times))


def devices() -> list[torch.device]:
    """The CPU, and the first GPU if there is one."""
    found = [torch.device("cpu")]
    if torch.cuda.is_available():
        found.append(torch.device("cuda:0"))
    return found


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:.4f}" if seconds < 0.01 else f"{seconds * 1e3:.1f}"


def format_table(timings: list[Timing]) -> str:
    """A Markdown table of the timings, in milliseconds."""
    rows = [
        "| device | n | first call (ms) | median (ms) | GFLOP/s |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for t in timings:
        rows.append(f"| {t.device} | {t.n} | {_ms(t.first_s)} | {_ms(t.median_s)} | {t.gflops:.2f} |")
    return "\n".join(rows)


def run(sizes=DEFAULT_SIZES, repeat: int = DEFAULT_REPEAT, on=None) -> tuple[float | None, list[Timing]]:
    """CUDA start-up time (None without a GPU) and the timings for every device and size."""
    on = devices() if on is None else [torch.device(d) for d in on]
    startup = None
    cuda = [d for d in on if d.type == "cuda"]
    if cuda:
        startup = cuda_startup_seconds(cuda[0])
    timings = [time_matmul(n, device, repeat) for device in on for n in sizes]
    return startup, timings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES), help="matrix sizes n")
    parser.add_argument("--repeat", type=int, default=DEFAULT_REPEAT, help="timed products after the first")
    parser.add_argument("--cpu-only", action="store_true", help="do not use a GPU even if there is one")
    args = parser.parse_args(argv)

    on = [torch.device("cpu")] if args.cpu_only else devices()
    for key, value in machine().items():
        print(f"{key}: {value}")
    startup, timings = run(args.sizes, args.repeat, on)
    if startup is None:
        print("CUDA start-up: not measured (no GPU used)")
    else:
        print(f"CUDA start-up (first CUDA call of the process): {_ms(startup)} ms")
    print(f"repeat: {args.repeat} products after the first, each timed on its own")
    print()
    print(format_table(timings))


if __name__ == "__main__":
    main()
