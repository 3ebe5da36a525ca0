"""Delivered patches (卫片执法图斑 from the ministry) open clues like a diff run; the same land delivered
again in a later batch is linked to the open case, not opened twice."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from gengbao.adapters import layer_store
from gengbao.domain.access import Actor, Role
from gengbao.domain.cases.closure import ClosureRefused
from gengbao.domain.cases.judgement import Category, Judgement
from gengbao.domain.cases.rectification import Way
from gengbao.domain.errors import UsageError
from gengbao.scenario.make import make_scenario
from gengbao.services.cases import rectify, workflow
from gengbao.services.cases.clues import open_from_run
from gengbao.services.cases.evidence import add_evidence
from gengbao.services.cases.queries import show
from gengbao.services.monitoring.delivered import read_delivered
from gengbao.services.monitoring.run import run_monitor
from gengbao.services.workspace import open_workspace
from tests.cases import photos

COUNTY = "360203"


def deliver(tmp: Path, name: str, ids: list[str], geoms: list[object], cls: str = "") -> Path:
    frame = gpd.GeoDataFrame({"监测编号": ids, "前时相": ["2023-01-05"] * len(ids), "后时相": ["2023-06-30"] * len(ids),
                              "监测地类": [cls] * len(ids)}, geometry=geoms, crs="EPSG:4490")
    path = tmp / f"{name}.gpkg"
    frame.to_file(path, driver="GPKG")
    return path


def test_delivered_batches(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    make_scenario(root, [COUNTY], 1500, [2021, 2022], 7, workers=1)
    ctx = open_workspace(root, actor=Actor("wang", Role.COUNTY_FILLER, COUNTY))
    parcels = layer_store.read_dataset(ctx.layout.layers, "parcels", 2022, columns=["DLBM"])
    farm = parcels[parcels["DLBM"].isin(["0101", "0102", "0103"])].geometry.to_numpy()
    big = farm[np.argsort(shapely.area(farm))[::-1]]  # the largest fields (ordering only: degrees will do)
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

    # closure checked against a later delivered batch: the land still built is refused as 虚假整改
    number = next(n for n in opened.opened if show(ctx, n).clues[0]["reference"] == "WP-1")
    p = a.representative_point()
    for k, (kind, when) in enumerate((("远景", datetime(2023, 7, 20, 9)), ("近景", datetime(2023, 7, 20, 9)),
                                      ("近景", datetime(2023, 9, 2, 9)))):
        f = tmp_path / f"p{k}.jpg"
        f.write_bytes(photos.jpeg(20 + k, lon=p.x, lat=p.y, taken=when))
        add_evidence(ctx, number, [f], kind, when.date())
        if k == 1:
            workflow.judge(ctx, number, Judgement(Category.ILLEGAL_NON_AGRICULTURAL, "enclosure_storage",
                                                  builder="某人", build_date=date(2023, 3, 1)), date(2023, 7, 21))
            workflow.submit(ctx, number, date(2023, 7, 21))
            workflow.review(ctx.acting_as(Actor("li", Role.CITY_REVIEWER, "3602")), number, date(2023, 7, 25))
            workflow.review(ctx.acting_as(Actor("chen", Role.PROVINCE_REVIEWER, "36")), number, date(2023, 7, 28))
            rectify.plan(ctx, number, Way.DEMOLISH, date(2023, 7, 30))
            rectify.report(ctx, number, date(2023, 9, 1), demolished_m2=show(ctx, number).areas["area_m2"])
    still = run_monitor(ctx, delivered=read_delivered(deliver(tmp_path, "b3", ["WP-20"], [a], "0601"), None),
                        delivered_source="b3")
    reviewer = ctx.acting_as(Actor("zhao", Role.COUNTY_REVIEWER, COUNTY))
    with pytest.raises(ClosureRefused) as exc:
        rectify.close(reviewer, number, date(2023, 12, 1), run_id=still.run_id)
    assert exc.value.code == "cases.fake_rectification" and "下发图斑" in exc.value.message
    elsewhere = run_monitor(ctx, delivered=read_delivered(deliver(tmp_path, "b4", ["WP-30"], [b], "0601"), None),
                            delivered_source="b4")
    with pytest.raises(UsageError) as exc2:
        rectify.close(reviewer, number, date(2023, 12, 2), run_id=999)
    assert exc2.value.code == "cases.run_not_delivered"
    done = rectify.close(reviewer, number, date(2023, 12, 2), run_id=elsewhere.run_id)
    assert str(done.cases[0].state) == "closed" and done.extra == {"run": elsewhere.run_id, "built_m2": "0.00"}
