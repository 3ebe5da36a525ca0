"""Delivered patches (卫片执法图斑 from the ministry) open clues like a diff run; the same land delivered
again in a later batch is linked to the open case, not opened twice."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import geopandas as gpd

from gengbao.adapters import layer_store
from gengbao.domain.access import Actor, Role
from gengbao.scenario.make import make_scenario
from gengbao.services.cases.clues import open_from_run
from gengbao.services.cases.queries import show
from gengbao.services.monitoring.delivered import read_delivered
from gengbao.services.monitoring.run import run_monitor
from gengbao.services.workspace import open_workspace

COUNTY = "360203"


def deliver(tmp: Path, name: str, ids: list[str], geoms: list[object]) -> Path:
    frame = gpd.GeoDataFrame({"监测编号": ids, "前时相": ["2023-01-05"] * len(ids), "后时相": ["2023-06-30"] * len(ids),
                              "监测地类": [""] * len(ids)}, geometry=geoms, crs="EPSG:4490")
    path = tmp / f"{name}.gpkg"
    frame.to_file(path, driver="GPKG")
    return path


def test_delivered_batches(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    make_scenario(root, [COUNTY], 1500, [2021, 2022], 7, workers=1)
    ctx = open_workspace(root, actor=Actor("wang", Role.COUNTY_FILLER, COUNTY))
    parcels = layer_store.read_dataset(ctx.layout.layers, "parcels", 2022, columns=["DLBM"])
    farm = parcels[parcels["DLBM"].isin(["0101", "0102", "0103"])].geometry
    big = farm.iloc[farm.area.argsort().to_numpy()[::-1]].to_numpy()  # the largest fields
    a, b = big[0].buffer(-0.0001), big[1].buffer(-0.0001)
    first = run_monitor(ctx, delivered=read_delivered(deliver(tmp_path, "b1", ["WP-1", "WP-2"], [a, b]), None),
                        delivered_source="b1")
    opened = open_from_run(ctx, first.run_id, date(2023, 7, 10))
    assert len(opened.opened) == 2 and opened.linked == ()
    refs = sorted(show(ctx, n).clues[0]["reference"] for n in opened.opened)
    assert refs == ["WP-1", "WP-2"]
    again = run_monitor(ctx, delivered=read_delivered(deliver(tmp_path, "b2", ["WP-9"], [a.buffer(-0.00002)]), None),
                        delivered_source="b2")
    second = open_from_run(ctx, again.run_id, date(2023, 8, 10))
    assert second.opened == () and len(second.linked) == 1
    case = show(ctx, second.linked[0][1])
    assert [c["reference"] for c in case.clues] == ["WP-1", "WP-9"] and case.clues[1]["linked"] is True
