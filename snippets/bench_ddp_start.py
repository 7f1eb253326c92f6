"""How long one two-process DDP step on CPU (gloo) takes, by start method.

    .venv/bin/python -m snippets.bench_ddp_start

Each start method runs in a fresh Python process, which calls train_one_step_ddp twice:
the first call pays for starting the ranks (and, with forkserver, the server), the second
shows what later calls in the same process cost.
"""

import os
import platform
import subprocess
import sys
import time


def _one(method: str) -> None:
    import torch

    from snippets import ddp

    if method != ddp.start_method("cpu"):  # forkserver (with its preload) is the default on CPU
        ddp.start_method = lambda device_type: method  # launch() looks it up when called
    for call in ("first call", "second call"):
        start = time.perf_counter()
        per_rank = ddp.train_one_step_ddp(world_size=2, backend="gloo", device_type="cpu")
        seconds = time.perf_counter() - start
        assert all(torch.equal(p0, p1) for p0, p1 in zip(*per_rank, strict=True))
        print(f"{method:>10}  {call:<11}  {seconds:6.2f} s", flush=True)


def main() -> None:
    import torch

    print(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}, Python {platform.python_version()}, torch {torch.__version__}, "
        "device cpu (gloo), world_size 2"
    )
    methods = ["spawn"] + (["forkserver"] if sys.platform != "win32" else [])
    for method in methods:
        subprocess.run([sys.executable, "-m", "snippets.bench_ddp_start", "--one", method], check=True)
    print(f"load average afterwards {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        _one(sys.argv[2])
    else:
        main()
