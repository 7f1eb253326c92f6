"""One step of data-parallel training with DistributedDataParallel, and the same step in one process.

Each rank is a process of its own: it builds the same model, takes its share of the batch,
and DDP averages the gradients across ranks during backward(), so every rank applies the
same update. gloo runs on CPUs; nccl runs on CUDA GPUs (one GPU per rank).
"""

import datetime
import multiprocessing
import os
import socket
import tempfile
import time

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP

BATCH_SIZE = 8


def make_model(seed: int = 0) -> nn.Module:
    """The same small network in every process: same seed, same initial parameters."""
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))


def make_batch() -> tuple[torch.Tensor, torch.Tensor]:
    """A fixed batch of BATCH_SIZE examples (its own generator: the global seed is untouched)."""
    g = torch.Generator().manual_seed(1)
    return torch.randn(BATCH_SIZE, 4, generator=g), torch.randn(BATCH_SIZE, 1, generator=g)


def sgd_step(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> None:
    """Forward, backward and one SGD update; the loss is the mean over the examples given."""
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    optimizer.zero_grad()
    nn.functional.mse_loss(model(x), y).backward()
    optimizer.step()


def train_one_step_single() -> list[torch.Tensor]:
    """The reference: one process, the full batch."""
    model = make_model()
    sgd_step(model, *make_batch())
    return [p.detach() for p in model.parameters()]


def ddp_step(rank: int, world_size: int, device: torch.device) -> list[torch.Tensor]:
    """What one rank does: its half (1/world_size) of the batch, gradients averaged by DDP."""
    model = make_model().to(device)
    ddp_model = DDP(model, device_ids=[device.index] if device.type == "cuda" else None)
    x, y = make_batch()
    per_rank = BATCH_SIZE // world_size
    mine = slice(rank * per_rank, (rank + 1) * per_rank)
    sgd_step(ddp_model, x[mine].to(device), y[mine].to(device))
    return [p.detach().cpu() for p in ddp_model.module.parameters()]


def free_port() -> int:
    """A TCP port that nobody is listening on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_method(device_type: str) -> str:
    """How to start the ranks. "spawn": a fresh Python per rank, which imports PyTorch from scratch;
    the safe choice for CUDA. On CPU, "forkserver" is much faster: one server process imports PyTorch
    once and forks every rank from it (not available on Windows)."""
    if device_type == "cpu" and "forkserver" in multiprocessing.get_all_start_methods():
        # What the server imports before forking; torch._dynamo is what DDP imports when constructed.
        # (It only takes effect if this process has not started its forkserver yet.)
        mp.set_forkserver_preload(["__main__", "torch", "torch._dynamo", __name__])
        return "forkserver"
    return "spawn"


def _run_rank(rank, worker, world_size, backend, device_type, port, out_dir):
    """Runs in each spawned process: join the group, do the work, save the result, leave."""
    os.environ["MASTER_ADDR"] = "127.0.0.1"  # where rank 0 waits for the others
    os.environ["MASTER_PORT"] = str(port)
    if device_type == "cuda":
        torch.cuda.set_device(rank)  # one GPU per rank: rank r uses cuda:r
        device = torch.device("cuda", rank)
    else:
        device = torch.device("cpu")
    dist.init_process_group(
        backend,
        rank=rank,
        world_size=world_size,
        timeout=datetime.timedelta(seconds=30),  # a rank that never arrives is an error, not a hang
        device_id=device if device_type == "cuda" else None,
    )
    try:
        result = worker(rank, world_size, device)
        torch.save(result, os.path.join(out_dir, f"rank{rank}.pt"))
    finally:
        dist.destroy_process_group()


def launch(worker, world_size: int, backend: str = "gloo", device_type: str = "cpu", timeout_s: float = 60.0):
    """Run worker(rank, world_size, device) in world_size processes; return what each rank returned.

    A worker that raises makes this raise (torch.multiprocessing.ProcessRaisedException),
    and no process outlives this call.
    """
    port = free_port()
    with tempfile.TemporaryDirectory() as out_dir:
        # What torch.multiprocessing.spawn does, with a choice of start method.
        context = mp.start_processes(
            _run_rank,
            args=(worker, world_size, backend, device_type, port, out_dir),
            nprocs=world_size,
            join=False,
            start_method=start_method(device_type),
        )
        deadline = time.monotonic() + timeout_s
        try:
            # join() returns True once all ranks are done; it raises if one failed,
            # after terminating the others.
            while not context.join(timeout=0.5, grace_period=1.0):
                if time.monotonic() > deadline:
                    raise TimeoutError(f"the {world_size} ranks did not finish in {timeout_s} s")
        finally:
            for process in context.processes:
                if process.is_alive():
                    process.kill()
                process.join()
        return [torch.load(os.path.join(out_dir, f"rank{rank}.pt")) for rank in range(world_size)]


def train_one_step_ddp(
    world_size: int = 2, backend: str = "gloo", device_type: str = "cpu"
) -> list[list[torch.Tensor]]:
    """One DDP step in world_size processes; the parameters of every rank afterwards."""
    if BATCH_SIZE % world_size:
        raise ValueError(f"{BATCH_SIZE} examples cannot be split evenly over {world_size} ranks")
    return launch(ddp_step, world_size, backend, device_type)
