"""The same run on a real dask.distributed LocalCluster (2 worker processes) and in one process."""

from __future__ import annotations

from pathlib import Path

import shapely

from gengbao.services.monitor import run_monitor
from tests.monitoring import builder as b
from tests.monitoring.conftest import build_workspace


def test_local_cluster_gives_identical_results(tmp_path: Path, scenario: b.Scenario) -> None:
    ws = build_workspace(tmp_path / "ws", scenario)
    one = run_monitor(ws, 2021, 2022)
    two = run_monitor(ws, 2021, 2022, cluster="local:2")
    assert sorted(set(one.patches["county"])) == ["360202", "360222", "360281"]  # three county partitions
    assert two.counts == one.counts and (two.slivers, two.sliver_area_m2) == (one.slivers, one.sliver_area_m2)
    a, c = one.patches, two.patches
    assert list(a.columns) == list(c.columns)
    assert a.drop(columns="geometry").equals(c.drop(columns="geometry"))
    assert (shapely.to_wkb(a.geometry.to_numpy()) == shapely.to_wkb(c.geometry.to_numpy())).all()
    assert [r.to_dict() for r in one.regions] == [r.to_dict() for r in two.regions]
    assert len(a) == len(scenario.expected)


def test_joining_an_existing_scheduler(tmp_path: Path, scenario: b.Scenario) -> None:
    from dask.distributed import LocalCluster

    ws = build_workspace(tmp_path / "ws", scenario)
    one = run_monitor(ws, 2021, 2022)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        joined = run_monitor(ws, 2021, 2022, scheduler=cluster.scheduler_address)
        assert len(cluster.scheduler_info["workers"]) == 2  # the run left the cluster running
    assert joined.patches.drop(columns="geometry").equals(one.patches.drop(columns="geometry"))
    assert [r.to_dict() for r in joined.regions] == [r.to_dict() for r in one.regions]
