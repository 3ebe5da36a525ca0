"""The same run on a real dask.distributed LocalCluster (2 worker processes) and in one process."""

from __future__ import annotations

from pathlib import Path

import pytest
import shapely

from gengbao.domain.errors import UsageError
from gengbao.monitoring.execute import WORKER_MODULE
from gengbao.services.monitoring.run import run_monitor
from gengbao.services.workspace import open_workspace
from tests.monitoring import builder as b
from tests.monitoring.conftest import build_workspace


def test_local_cluster_gives_identical_results(tmp_path: Path, scenario: b.Scenario, db_url: str | None) -> None:
    """On both back ends: forked workers inherit this process's pooled connections and must leave them be."""
    ws = build_workspace(tmp_path / "ws", scenario, db_url)
    heard: dict[str, list[str]] = {"one": [], "two": []}
    one = run_monitor(ws, 2021, 2022, progress=heard["one"].append)
    two = run_monitor(ws, 2021, 2022, cluster="local:2", progress=heard["two"].append)
    three = run_monitor(ws, 2021, 2022)  # the pool still works after the workers exited
    assert three.run_id == two.run_id + 1 and len(three.patches) == len(one.patches)
    assert sorted(set(one.patches["county"])) == ["360202", "360222", "360281"]  # three county partitions
    assert two.counts == one.counts and (two.slivers, two.sliver_area_m2) == (one.slivers, one.sliver_area_m2)
    a, c = one.patches, two.patches
    assert list(a.columns) == list(c.columns)
    assert a.drop(columns="geometry").equals(c.drop(columns="geometry"))
    assert (shapely.to_wkb(a.geometry.to_numpy()) == shapely.to_wkb(c.geometry.to_numpy())).all()
    assert [r.to_dict() for r in one.regions] == [r.to_dict() for r in two.regions]
    assert len(a) == len(scenario.expected)
    # progress: one line per county partition as it finishes, in order in one process, any order on a cluster
    counties = ["360202", "360222", "360281"]
    assert [m.split("（")[1][:6] for m in heard["one"]] == counties
    assert heard["one"][1].startswith("变化监测：2/3 个县级分区已完成（360222 浮梁县，")
    assert sorted(m.split("（")[1][:6] for m in heard["two"]) == counties
    assert [m.split("：")[1][:3] for m in heard["two"]] == ["1/3", "2/3", "3/3"]
    per_county = one.patches.groupby("county")["patch"].nunique()
    assert [int(m.split("，")[1].split(" ")[0]) for m in heard["one"]] == [per_county.get(c, 0) for c in counties]


def test_joining_an_existing_scheduler(tmp_path: Path, scenario: b.Scenario) -> None:
    from dask.distributed import LocalCluster

    ws = build_workspace(tmp_path / "ws", scenario)
    one = run_monitor(ws, 2021, 2022)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        joined = run_monitor(ws, 2021, 2022, scheduler=cluster.scheduler_address)
        assert len(cluster.scheduler_info["workers"]) == 2  # the run left the cluster running
    assert joined.patches.drop(columns="geometry").equals(one.patches.drop(columns="geometry"))
    assert [r.to_dict() for r in joined.regions] == [r.to_dict() for r in one.regions]


def test_workers_started_by_spawn_give_the_same_results(tmp_path: Path, scenario: b.Scenario,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """fork is the default on Linux; a fresh interpreter per worker (spawn) must agree with it."""
    ws = build_workspace(tmp_path / "ws", scenario)
    forked = run_monitor(ws, 2021, 2022, cluster="local:1")
    monkeypatch.setenv("GENGBAO_WORKER_START", "spawn")  # settings are read when a workspace is opened
    ws = open_workspace(ws.root)
    spawned = run_monitor(ws, 2021, 2022, cluster="local:1")
    assert spawned.patches.drop(columns="geometry").equals(forked.patches.drop(columns="geometry"))
    assert len(spawned.patches) == len(scenario.expected)
    monkeypatch.setenv("GENGBAO_WORKER_START", "threads")
    ws = open_workspace(ws.root)
    with pytest.raises(UsageError) as err:
        run_monitor(ws, 2021, 2022, cluster="local:1")
    assert err.value.code == "monitor.cluster" and "GENGBAO_WORKER_START" in err.value.message


def test_a_preloaded_worker_gives_arrow_one_thread_per_task_thread() -> None:
    import pyarrow as pa
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
                      preload=[WORKER_MODULE]) as cluster, Client(cluster) as client:
        assert list(client.run(pa.cpu_count).values()) == [1]
        assert list(client.run(pa.io_thread_count).values()) == [1]
