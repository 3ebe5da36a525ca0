"""Cases on a generated scenario against its ground truth (one county, three epochs).

Judgements are taken from the truth. Every illegal event becomes exactly one case (no duplicate, no
miss) at each epoch step; after rectification is declared for the truth's demolitions and fake
rectifications, closure against the next epoch closes exactly the demolitions and refuses (and
flags) exactly the fake rectifications; statistics equal the truth's sums.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from gengbao.domain.access import Actor, Role
from gengbao.domain.cases.closure import ClosureRefused
from gengbao.domain.cases.judgement import Category, Judgement
from gengbao.domain.cases.rectification import Way
from gengbao.scenario.make import make_scenario
from gengbao.services.cases import rectify, workflow
from gengbao.services.cases.clues import open_from_run
from gengbao.services.cases.evidence import add_evidence
from gengbao.services.cases.queries import list_cases, show
from gengbao.services.cases.reports import statistics
from gengbao.services.monitoring.run import run_monitor
from gengbao.services.workspace import open_workspace
from tests.cases import photos

COUNTY = "360203"
FILLER = Actor("wang", Role.COUNTY_FILLER, COUNTY)
COUNTY_REVIEWER = Actor("zhao", Role.COUNTY_REVIEWER, COUNTY)
CITY, PROVINCE = Actor("li", Role.CITY_REVIEWER, "3602"), Actor("chen", Role.PROVINCE_REVIEWER, "36")


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cases_scenario") / "ws"
    make_scenario(path, [COUNTY], 3000, [2020, 2021, 2022], 5, workers=1)
    return path


def owner(case_geoms: list[shapely.Geometry], events: gpd.GeoDataFrame) -> list[str | None]:
    """The event holding more than half of each case's land."""
    out: list[str | None] = []
    for g in case_geoms:
        share = shapely.area(shapely.intersection(events.geometry.to_numpy(), g)) / shapely.area(g)
        k = int(np.argmax(share)) if len(share) else -1
        out.append(str(events["event_id"].iloc[k]) if k >= 0 and share[k] > 0.5 else None)
    return out


def views(ctx, number: str, tmp: Path, seed: int, taken: datetime) -> None:  # type: ignore[no-untyped-def]
    g = shape_of(ctx, number)
    p = g.representative_point()
    for kind, k in (("远景", 0), ("近景", 1)):
        f = tmp / f"{number}-{k}-{taken:%Y%m%d}.jpg"
        f.write_bytes(photos.jpeg(seed * 2 + k, lon=p.x, lat=p.y, taken=taken))
        add_evidence(ctx, number, [f], kind, taken.date())


def shape_of(ctx, number: str) -> shapely.Geometry:  # type: ignore[no-untyped-def]
    from gengbao.adapters.db import case_store
    with ctx.sessions() as s:
        return shapely.from_wkb(case_store.get_case(s, number).geometry)


def judgement(event: dict[str, object]) -> Judgement:
    built = date.fromisoformat(str(event["date"])[:10])
    if str(event["to_class"])[:2] in ("02", "03", "04") or str(event["to_class"]) in ("1104", "1104A", "1202"):
        return Judgement(Category.ILLEGAL_NON_GRAIN, "non_grain", builder="某合作社", build_date=built)
    return Judgement(Category.ILLEGAL_NON_AGRICULTURAL, "industry_commerce", project="厂房", builder="某公司",
                     build_date=built)


def test_cases_against_truth(root: Path, tmp_path: Path) -> None:
    ctx = open_workspace(root, actor=FILLER)
    truth = gpd.read_parquet(root / "truth" / "events.parquet")
    run1 = run_monitor(ctx, 2020, 2021)
    opened = open_from_run(ctx, run1.run_id, date(2022, 1, 15))
    assert open_from_run(ctx, run1.run_id, date(2022, 1, 16)).skipped == len(opened.opened)  # idempotent
    illegal = truth[(truth["epoch"] == 2021) & ~truth["lawful"].astype(bool)].reset_index(drop=True)
    numbers = list(opened.opened)
    owners = owner([shape_of(ctx, n) for n in numbers], truth[truth["epoch"] == 2021])
    assert sorted(o for o in owners if o in set(illegal["event_id"])) == sorted(illegal["event_id"])
    assert None not in owners  # every case is a real event's land
    by_event = dict(zip(owners, numbers, strict=True))
    events = {str(e["event_id"]): e for e in illegal.to_dict("records")}
    for i, (eid, number) in enumerate(sorted(by_event.items())):
        e = events.get(eid)
        if e is None:
            continue  # prejudged illegal but lawful in the truth (approval issued earlier): not judged here
        views(ctx, number, tmp_path, i, datetime(2022, 1, 20, 10, 0))
        workflow.judge(ctx, number, judgement(e), date(2022, 1, 25))
        workflow.submit(ctx, number, date(2022, 1, 25))
        workflow.review(ctx.acting_as(CITY), number, date(2022, 2, 1))
        workflow.review(ctx.acting_as(PROVINCE), number, date(2022, 2, 8))
        rectify.plan(ctx, number, Way.DEMOLISH, date(2022, 2, 10))
        if e["type"] == "illegal_construction":
            assert abs(float(show(ctx, number).areas["area_m2"]) - float(e["area_m2"])) <= 0.1
    follow = truth[(truth["epoch"] == 2022) & truth["type"].isin(["demolition", "fake_rectification"])]
    declared = {str(r["related_event"]): str(r["type"]) for r in follow.to_dict("records")}
    assert declared, "the scenario must hold a demolition or a fake rectification"
    closed, refused = set(), set()
    for eid in sorted(declared):
        number = by_event[eid]
        rectify.report(ctx, number, date(2022, 6, 1), demolished_m2=show(ctx, number).areas["area_m2"])
        views(ctx, number, tmp_path, 100 + len(closed) + len(refused), datetime(2022, 6, 2, 9, 0))
        try:
            rectify.close(ctx.acting_as(COUNTY_REVIEWER), number, date(2023, 1, 10))
            closed.add(eid)
        except ClosureRefused as exc:
            assert exc.code == "cases.fake_rectification"
            assert "cases.fake_rectification" in {f.code for f in show(ctx, number).findings}
            refused.add(eid)
    assert closed == {k for k, v in declared.items() if v == "demolition"}
    assert refused == {k for k, v in declared.items() if v == "fake_rectification"}
    [st] = statistics(ctx, date(2023, 1, 10), 2022)
    construction = illegal[illegal["type"] == "illegal_construction"]
    assert abs(st.illegal_non_agricultural_farmland_m2 - Decimal(str(round(construction["farmland_m2"].sum(), 2)))) \
        <= Decimal("0.1") * len(construction)
    assert abs(st.illegal_pbf_m2 - Decimal(str(round(illegal["pbf_m2"].sum(), 2)))) <= Decimal("0.1") * len(illegal)
    assert st.cases_by_state == {"closed": len(closed), "rectifying": len(events) - len(closed)}
    assert st.violations == len(events) and st.overdue == len(events) - len(declared)  # not declared done by the deadline
    # next step: new illegal events become exactly one case each (opened, or linked to an open case)
    run2 = run_monitor(ctx, 2021, 2022)
    second = open_from_run(ctx, run2.run_id, date(2023, 1, 15))
    new_illegal = truth[(truth["epoch"] == 2022) & ~truth["lawful"].astype(bool) &
                        (truth["from_class"] != truth["to_class"])]
    owners2 = owner([shape_of(ctx, n) for n in second.opened], truth[truth["epoch"] == 2022])
    assert sorted(o for o in owners2 if o is not None) == sorted(new_illegal["event_id"])
    assert {n for _, n in second.linked} <= set(numbers)  # a later clue on open land is linked to it
    assert len(list_cases(ctx)) == len(numbers) + len(second.opened)
