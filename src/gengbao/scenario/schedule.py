"""Run county jobs in worker processes within a memory budget.

A county's worker holds the county's whole working table (the events choose among all its parcels), so
its memory grows with its number of parcels: at most about 1 KB per parcel asked for, at its peak
(measured for 乐平市: 1.19 GiB for 10⁶ asked, 3.9 GiB for 5.2 × 10⁶ asked). Counties whose workers
would not fit side by side in the budget are run one after the other, while smaller counties fill the
other worker. Each job gets a fresh process, so the memory a
finished county leaves behind in its worker is returned. Results do not depend on the schedule.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from multiprocessing import get_context
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

WORKER_BYTES_PER_PARCEL = 1_000
WORKER_BYTES = 400 * 2**20  # a worker's libraries and region catalogue


def worker_bytes(parcels: int) -> int:
    """Estimated peak memory of a worker making a county of ``parcels`` parcels."""
    return WORKER_BYTES + WORKER_BYTES_PER_PARCEL * parcels


def memory_budget() -> int | None:
    """What the workers may use together: half of this machine's physical memory (None if unknown)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2
    except (AttributeError, OSError, ValueError):
        return None


def plan_next(pending: Sequence[int], running: Sequence[int], need: Sequence[int], workers: int,
              budget: int | None) -> list[int]:
    """Jobs to start now, largest first: while a worker is free and the job fits in what the running jobs
    leave of the budget (a job runs regardless when nothing else does)."""
    started: list[int] = []
    used = sum(need[i] for i in running)
    for i in pending:
        if len(running) + len(started) >= workers:
            break
        if (running or started) and budget is not None and used + need[i] > budget:
            continue
        started.append(i)
        used += need[i]
    return started


def run_jobs(fn: Callable[[T], R], jobs: Sequence[T], parcels: Sequence[int], workers: int,
             budget: int | None) -> list[R]:
    """``[fn(job) for job in jobs]``, in spawned worker processes (not forked: forking a process that
    runs threads, such as a progress display or a memory sampler, can deadlock)."""
    need = [worker_bytes(n) for n in parcels]
    pending = sorted(range(len(jobs)), key=lambda i: -parcels[i])
    results: dict[int, R] = {}
    context = get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context, max_tasks_per_child=1) as pool:
        running: dict[Future[R], int] = {}
        while pending or running:
            for i in plan_next(pending, list(running.values()), need, workers, budget):
                running[pool.submit(fn, jobs[i])] = i
                pending.remove(i)
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for f in done:
                results[running.pop(f)] = f.result()
    return [results[i] for i in range(len(jobs))]
