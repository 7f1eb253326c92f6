"""snippets/ddp.py: a real two-process DDP step on CPU (gloo), and failures that end instead of hanging."""

import multiprocessing
import time

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp

from snippets.ddp import launch, make_model, train_one_step_ddp, train_one_step_single

# Spawned processes import torch from scratch: seconds each on a small, busy machine.
SLOW = pytest.mark.timeout(180)


def _rank_1_fails_rank_0_hangs(rank, world_size, device):
    """Rank 1 raises; rank 0 would wait for two minutes."""
    if rank == 1:
        raise ValueError("rank 1 failed on purpose")
    time.sleep(120)
    return []


def _rank_1_fails_rank_0_in_collective(rank, world_size, device):
    """Rank 1 raises; rank 0 waits in a collective that rank 1 never joins."""
    if rank == 1:
        raise ValueError("rank 1 failed on purpose")
    dist.all_reduce(torch.ones(1))
    return []


def _sleep(rank, world_size, device):
    time.sleep(120)
    return []


def assert_no_children_left():
    assert multiprocessing.active_children() == []


@SLOW
def test_gloo_step_matches_one_process_step():
    per_rank = train_one_step_ddp(world_size=2, backend="gloo", device_type="cpu")
    single = train_one_step_single()
    initial = [p.detach() for p in make_model().parameters()]
    assert len(per_rank) == 2
    for p0, p1, p, p_init in zip(per_rank[0], per_rank[1], single, initial, strict=True):
        assert torch.equal(p0, p1)  # the ranks agree bit for bit
        assert torch.allclose(p0, p, rtol=1e-5, atol=1e-7)  # ... and with the full-batch step
        assert not torch.equal(p, p_init)  # the step changed every parameter
    assert_no_children_left()


@SLOW
def test_a_failing_rank_raises_and_the_other_is_terminated():
    start = time.monotonic()
    with pytest.raises(mp.ProcessRaisedException, match="ValueError: rank 1 failed on purpose"):
        launch(_rank_1_fails_rank_0_hangs, world_size=2, backend="gloo", device_type="cpu")
    # Rank 0 would sleep for 120 s: it is terminated, not waited for.
    assert time.monotonic() - start < 100
    assert_no_children_left()


@SLOW
def test_a_failing_rank_does_not_leave_the_other_stuck_in_a_collective():
    start = time.monotonic()
    # Whichever rank is reported first (rank 1's ValueError, or rank 0's all_reduce losing its
    # peer), the call raises instead of waiting for the 30 s group timeout.
    with pytest.raises(mp.ProcessRaisedException, match="terminated with the following error"):
        launch(_rank_1_fails_rank_0_in_collective, world_size=2, backend="gloo", device_type="cpu")
    assert time.monotonic() - start < 100
    assert_no_children_left()


@SLOW
def test_ranks_that_never_finish_are_killed():
    with pytest.raises(TimeoutError, match="did not finish"):
        launch(_sleep, world_size=2, backend="gloo", device_type="cpu", timeout_s=1.0)
    assert_no_children_left()


def test_uneven_split_is_refused():
    with pytest.raises(ValueError, match="cannot be split evenly"):
        train_one_step_ddp(world_size=3)
