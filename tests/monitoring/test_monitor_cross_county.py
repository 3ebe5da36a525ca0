"""Land whose located-in county changed between the epochs is still diffed (the cross-county pass)."""

from __future__ import annotations

from pathlib import Path

import shapely

from gengbao.services.monitoring.run import run_monitor
from tests.monitoring import builder as b
from tests.monitoring.conftest import build_workspace

V2, V3 = b.VILLAGES[2], b.VILLAGES[3]  # 浮梁县, 乐平市


def test_parcels_recoded_to_another_county(tmp_path: Path, scenario: b.Scenario) -> None:
    baseline = run_monitor(build_workspace(tmp_path / "base", scenario, approvals=False), 2021, 2022)
    after = []
    for p in scenario.after:
        if p.bsm == "B2003":  # whole 0103 parcel of 浮梁县: now 乐平市 and built on
            p = b.Land(p.bsm, "0601", V3 + "0000100", p.geom)
        if p.bsm == "B2002":  # 0102 parcel of 浮梁县: west half stays, east half now 乐平市 and 0701
            west, east = b.cell(2, 2, w=0.5), b.cell(2, 2.5, w=0.5)
            after.append(b.Land("X0001", "0701", V3 + "0000100", east))
            p = b.Land(p.bsm, p.dlbm, p.zldwdm, west)
        if p.bsm == "B3000":  # 0103 parcel of 乐平市 recoded to 浮梁县, class unchanged: no change
            p = b.Land(p.bsm, p.dlbm, V2 + "0000100", p.geom)
        after.append(p)
    scenario.after = after
    ws = build_workspace(tmp_path / "ws", scenario, approvals=False)
    report = run_monitor(ws, 2021, 2022)
    cross = report.patches[report.patches["id"].str.contains("-X")]
    got = {(r.from_class, r.to_class): r for r in cross.itertuples()}
    assert set(got) == {("0103", "0601"), ("0102", "0701")}
    for (_f, _t), want in ((("0103", "0601"), b.cell(2, 3)), (("0102", "0701"), b.cell(2, 2.5, w=0.5))):
        r = got[(_f, _t)]
        assert abs(r.area_m2 - b.geod_area(want)) <= 0.02 and r.region.startswith(V2) and r.county == "360222"
        assert r.legality == "suspected_illegal" and r.change_type == "non_agricultural_conversion"
        assert shapely.equals_exact(shapely.normalize(r.geometry), shapely.normalize(want), tolerance=1e-9)
    # nothing else changes: every other patch is exactly what the unmodified epochs give
    rest = report.patches[~report.patches["id"].str.contains("-X")].drop(columns="geometry").reset_index(drop=True)
    assert rest.equals(baseline.patches.drop(columns="geometry").reset_index(drop=True))
    fuliang = next(r for r in report.regions if r.region == "360222")
    built = sum(x.farmland for x in scenario.expected if x.village == V2 and x.change_type == "non_agricultural_conversion")
    extra = b.geod_area(b.cell(2, 3)) + b.geod_area(b.cell(2, 2.5, w=0.5))
    assert abs(float(fuliang.new_construction_farmland_m2) - built - extra) <= 0.05
