"""Every event in the truth is visible as the described change between its epochs, with exact areas."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pandas as pd
import pytest
import shapely

from gengbao.scenario.frame import geodesic_area
from gengbao.scenario.records import EVENT_TYPES
from tests.scenario.conftest import EPOCHS, Scenario

FARMLAND = {"0101", "0102", "0103"}
NO_CHANGE = {"fake_rectification", "temporary_expired"}


@pytest.fixture(scope="module")
def events(rich: Scenario) -> pd.DataFrame:
    return rich.truth("events")


def _same(a: object, b: object) -> bool:
    return (pd.isna(a) and pd.isna(b)) or a == b


def _at(layer, point: shapely.Point) -> pd.DataFrame:
    return layer[shapely.contains_xy(layer.geometry.to_numpy(), point.x, point.y)]


def test_every_kind_of_event_occurs(events) -> None:
    assert set(events["type"]) == set(EVENT_TYPES)
    assert events["event_id"].is_unique
    assert set(events["epoch"]) == set(EPOCHS[1:])


def test_event_parcel_is_the_event_polygon(rich_layers, events) -> None:
    for ev in events.itertuples():
        layer = rich_layers[ev.epoch]
        row = layer[layer["BSM"] == ev.bsm]
        assert len(row) == 1, ev.event_id
        row = row.iloc[0]
        assert row["DLBM"] == ev.to_class, ev.event_id
        assert _same(row["ZZSXDM"], ev.to_zzsxdm), ev.event_id
        assert shapely.equals_exact(row.geometry, ev.geometry, tolerance=0), ev.event_id
        assert row["TBMJ"] == pytest.approx(ev.area_m2, abs=1e-9)


def test_before_the_event_the_land_was_from_class(rich_layers, events) -> None:
    for ev in events.itertuples():
        before = rich_layers[ev.epoch - 1]
        under = _at(before, shapely.point_on_surface(ev.geometry))
        assert len(under) == 1, ev.event_id
        parent = under.iloc[0]
        assert parent["DLBM"] == ev.from_class, ev.event_id
        assert parent["BSM"] == ev.parent_bsm, ev.event_id
        # the event polygon is part of that one parcel
        outside = shapely.difference(ev.geometry, parent.geometry)
        assert (geodesic_area(outside) if not outside.is_empty else 0.0) < 0.01, ev.event_id
        if ev.type in NO_CHANGE:
            assert ev.from_class == ev.to_class and ev.bsm == ev.parent_bsm
        elif ev.type == "abandonment":
            assert ev.from_class == ev.to_class in FARMLAND and ev.to_zzsxdm == "WG"
        else:
            assert ev.from_class != ev.to_class and ev.bsm != ev.parent_bsm


def test_restored_events_are_farmland_again(rich_layers, events) -> None:
    restorers = events[events["type"].isin(["demolition", "temporary_restoration"])]
    for ev in events[events["restored"]].itertuples():
        after = _at(rich_layers[int(ev.restored_epoch)], shapely.point_on_surface(ev.geometry))
        assert after["DLBM"].tolist() == [ev.from_class]
        by = restorers[restorers["related_event"] == ev.event_id]
        assert by["epoch"].tolist() == [ev.restored_epoch]
    still = events[(events["type"] == "illegal_construction") & ~events["restored"]]
    assert len(still) > 0
    for ev in still.itertuples():
        now = _at(rich_layers[EPOCHS[-1]], shapely.point_on_surface(ev.geometry))
        assert now["DLBM"].tolist() == [ev.to_class]


def test_area_on_farmland_and_on_pbf(rich: Scenario, events) -> None:
    pbf = rich.pbf()
    pbf_geoms = pbf.geometry.to_numpy()
    tree = shapely.STRtree(pbf_geoms)
    for ev in events.itertuples():
        assert ev.area_m2 == pytest.approx(geodesic_area(ev.geometry), abs=0.011)
        assert ev.farmland_m2 == (ev.area_m2 if ev.from_class in FARMLAND else 0.0)
        hits = tree.query(ev.geometry, predicate="intersects")
        on_pbf = sum(geodesic_area(g) for g in shapely.intersection(pbf_geoms[hits], ev.geometry) if g.area > 0)
        assert ev.pbf_m2 == pytest.approx(on_pbf, abs=0.05), ev.event_id
    assert events["pbf_m2"].gt(0).any() and events["pbf_m2"].eq(0).any()


@pytest.mark.parametrize("epoch", EPOCHS[1:])
def test_farmland_change_equals_inflow_minus_outflow(rich_layers, events, epoch: int) -> None:
    def farmland(layer) -> float:
        return float(layer.loc[layer["DLBM"].isin(FARMLAND), "TBMJ"].sum())

    ev = events[events["epoch"] == epoch]
    inflow = ev.loc[~ev["from_class"].isin(FARMLAND) & ev["to_class"].isin(FARMLAND), "area_m2"].sum()
    outflow = ev.loc[ev["from_class"].isin(FARMLAND) & ~ev["to_class"].isin(FARMLAND), "farmland_m2"].sum()
    change = farmland(rich_layers[epoch]) - farmland(rich_layers[epoch - 1])
    # a cut parcel's two rounded areas may differ from its old TBMJ by a cent
    assert change == pytest.approx(inflow - outflow, abs=0.02 * len(ev) + 0.01)
    assert outflow > 0 and inflow > 0


def test_legality_approvals_filings_and_permits(rich: Scenario, events) -> None:
    approvals = rich.truth("approvals").set_index("approval_id")
    by_id = events.set_index("event_id")
    for ev in events.itertuples():
        if ev.type == "illegal_construction":
            assert not ev.lawful and pd.isna(ev.approval_id)
        elif ev.type == "approved_construction":
            a = approvals.loc[ev.approval_id]
            assert ev.lawful and a["kind"] == "conversion" and a["event_id"] == ev.event_id
            assert a["filed_area_m2"] == ev.area_m2 and shapely.equals_exact(a.geometry, ev.geometry, 0)
            assert date.fromisoformat(a["issue_date"]) < date.fromisoformat(ev.date)
            assert date.fromisoformat(ev.date).year == ev.epoch
        elif ev.type == "facility":
            a = approvals.loc[ev.approval_id]
            assert a["kind"] == "facility" and ev.lawful == (a["filed_area_m2"] >= ev.area_m2)
        elif ev.type in ("orchard", "pond", "forest"):
            assert ev.lawful == (ev.pbf_m2 == 0)
        elif ev.type == "temporary_expired":
            a = approvals.loc[ev.approval_id]
            assert not ev.lawful and date.fromisoformat(a["valid_until"]) <= date(ev.epoch, 12, 31)
            assert by_id.loc[ev.related_event, "type"] == "temporary_use"
            assert not by_id.loc[ev.related_event, "restored"]
        elif ev.type == "temporary_restoration":
            assert by_id.loc[ev.related_event, "type"] == "temporary_use"
            assert by_id.loc[ev.related_event, "restored_epoch"] == ev.epoch
        elif ev.type == "demolition":
            earlier = by_id.loc[ev.related_event]
            assert earlier["type"] == "illegal_construction" and earlier["restored_epoch"] == ev.epoch
        elif ev.type == "fake_rectification":
            earlier = by_id.loc[ev.related_event]
            assert not ev.lawful and ev.declared_restored and earlier["type"] == "illegal_construction"
            assert earlier["epoch"] < ev.epoch and (not earlier["restored"] or earlier["restored_epoch"] > ev.epoch)
    filings = rich.truth("filings")
    assert (filings["understated"] == (filings["filed_area_m2"] < filings["used_area_m2"])).all()
    assert filings["understated"].any() and not filings["understated"].all()
    permits = rich.truth("temporary_permits")
    assert permits["valid_until"].notna().all() and "kind" not in permits


def test_projects_match_their_inflow_events(rich: Scenario, rich_layers, events) -> None:
    projects = rich.truth("supplementary_projects").set_index("project_id")
    inflow = events[events["type"].isin(["restoration", "supplementary"])]
    assert set(inflow["approval_id"]) == set(projects.index)
    for ev in inflow.itertuples():
        p = projects.loc[ev.approval_id]
        assert p["event_id"] == ev.event_id and p["epoch"] == ev.epoch
        assert p["kind"] == ("restoration" if ev.type == "restoration" else "reclamation")
        layer = rich_layers[ev.epoch]
        row = layer[layer["BSM"] == ev.bsm].iloc[0]
        assert p["new_farmland_m2"] == pytest.approx(row["TBDLMJ"], abs=1e-9)
        assert p["paddy_m2"] == (p["new_farmland_m2"] if ev.to_class == "0101" else 0.0)
        assert 1 <= p["quality_grade"] <= 10
        assert date.fromisoformat(ev.date) < date.fromisoformat(p["accepted_date"]) <= date(ev.epoch, 12, 31)


def test_unbuilt_approvals_lie_on_farmland(rich: Scenario, rich_layers) -> None:
    approvals = rich.truth("approvals")
    unbuilt = approvals[approvals["event_id"].isna()]
    assert len(unbuilt) > 0 and (unbuilt["kind"] == "conversion").all()
    for a in unbuilt.itertuples():
        year = date.fromisoformat(a.issue_date).year
        under = _at(rich_layers[year - 1], shapely.point_on_surface(a.geometry))
        assert under["DLBM"].isin(FARMLAND).all() and len(under) == 1


def test_summary(rich: Scenario, events) -> None:
    summary = json.loads((rich.root / "truth" / "summary.json").read_text(encoding="utf-8"))
    assert summary["synthetic"] is True
    county = summary["counties"]["360202"]
    counts = events["type"].value_counts().to_dict()
    assert {k: v["count"] for k, v in county["events"].items()} == counts
    areas = events.groupby("type")["farmland_m2"].sum().round(2).to_dict()
    assert {k: v["farmland_m2"] for k, v in county["events"].items()} == pytest.approx(areas, abs=0.011)
    assert summary["arguments"] == {"regions": ["360202"], "parcels": 4000, "epochs": EPOCHS, "seed": 11,
                                    "targets": None}
    assert np.isclose(county["calibration"]["farmland_m2"], county["target"]["farmland_m2"], rtol=0.005)
