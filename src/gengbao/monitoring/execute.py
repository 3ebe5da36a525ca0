"""Where a run's county tasks run: in this process, on a ``dask.distributed.LocalCluster`` gengbao starts
(``local:N``, workers forked on Linux), or on a running scheduler. Each task carries the approvals in its
county's extent only; results are reported as counties finish and returned in task order."""

from __future__ import annotations

import gc
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import replace

from gengbao.domain.errors import UsageError
from gengbao.monitoring.model import ApprovalTable, CountyResult, CountyTask
from gengbao.monitoring.worker import run_county

WORKER_MODULE = "gengbao.monitoring.worker"


def worker_start_method(chosen: str = "") -> str:
    """How a LocalCluster starts its workers: ``fork`` on Linux (a worker is ready in ~0.1 s, with gengbao
    already imported), else ``spawn`` (a fresh interpreter imports everything, ~1.2 s a worker);
    ``chosen`` (the setting ``GENGBAO_WORKER_START=spawn|forkserver|fork``) decides when given."""
    if chosen:
        if chosen not in ("fork", "spawn", "forkserver"):
            raise UsageError(f"GENGBAO_WORKER_START 须为 fork、spawn 或 forkserver，而不是“{chosen}”",
                             code="monitor.cluster")
        return chosen
    return "fork" if sys.platform == "linux" else "spawn"


def _reachable(address: str, timeout: float = 3.0) -> None:
    """Refuse a scheduler address that is malformed or that nothing answers, in seconds (Dask itself would
    wait 30 s and then fail with its own error)."""
    host, _, port = address.removeprefix("tcp://").rpartition(":")
    if not host or not port.isdigit():
        raise UsageError(f"--scheduler 须写成 tcp://主机:端口（如 tcp://10.0.0.5:8786），而不是“{address}”",
                         code="monitor.scheduler_address")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
    except OSError as exc:
        raise UsageError(f"无法连接 Dask 调度器 {address}（{exc.strerror or exc}）：请确认调度器已启动、地址和端口正确",
                         code="monitor.scheduler_unreachable") from exc


def execute(tasks: list[CountyTask], approvals: ApprovalTable, cluster: str | None, scheduler: str | None,
            timings: dict[str, float], done: Callable[[CountyResult], None], worker_start: str = "") -> list[CountyResult]:
    """Run the tasks; ``done`` hears of each result as it comes; results in task order."""
    if cluster is None and scheduler is None:
        results = []
        for t in tasks:
            results.append(run_county(t, approvals.near(t.extent)))
            done(results[-1])
        return results
    t0 = time.perf_counter()
    import dask
    from dask.distributed import Client, LocalCluster, as_completed

    local = None
    if scheduler is None:
        assert cluster is not None
        kind, _, n = cluster.partition(":")
        if kind != "local" or not n.isdigit() or int(n) < 1:
            raise UsageError(f"--cluster 须写成 local:N（N 为工作进程数），而不是“{cluster}”", code="monitor.cluster")
        gc.freeze()  # a forked worker's collector leaves the parent's objects alone (fewer copied pages)
        try:
            with dask.config.set({"distributed.worker.multiprocessing-method": worker_start_method(worker_start),
                                  "distributed.worker.profile.enabled": False}):
                local = LocalCluster(n_workers=int(n), threads_per_worker=1, processes=True, dashboard_address=None,
                                     preload=[WORKER_MODULE])  # workers import it while starting, not on a task
        finally:
            gc.unfreeze()
    else:
        _reachable(scheduler)
    client = Client(local if local is not None else scheduler)
    timings["cluster_start"] = time.perf_counter() - t0
    try:
        t1 = time.perf_counter()
        one_thread = [replace(t, io_threads=1) for t in tasks]  # the cluster gives each task its own core
        near = [approvals.near(t.extent) for t in tasks]  # each task gets the approvals in its county's extent
        futures = client.map(run_county, one_thread, near, pure=False)
        finished = {}
        for future, result in as_completed(futures, with_results=True):  # results come as counties finish
            finished[future.key] = result
            done(result)
        results = [finished[f.key] for f in futures]
        timings["cluster_compute"] = time.perf_counter() - t1
        return results
    finally:
        t2 = time.perf_counter()
        client.close()
        if local is not None:
            local.close()
        timings["cluster_close"] = time.perf_counter() - t2
