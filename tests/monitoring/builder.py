"""Hand-built epochs with every expected figure known by construction (synthetic data).

Parcels are lon/lat boxes in rows (one row per village). Events are boxes that take a new class in the
later epoch: the later layer is the earlier one with each event box cut out of the parcels it covers
and added as a parcel of its own. Expected change patches are computed here with exact box set
operations and pyproj's geodesic area, independently of gengbao.spatial.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import geopandas as gpd
import shapely
from pyproj import Geod
from shapely.geometry.base import BaseGeometry

from gengbao.domain import land_classes

GEOD = Geod(ellps="GRS80")
SIZE = 0.001
LON0, LAT0 = 117.2, 29.3
# Real village codes (NBS 2023): 昌江区 ×2 (one township), 浮梁县, 乐平市.
VILLAGES = ("360202101200", "360202101201", "360222100201", "360281100201")


def geod_area(g: BaseGeometry) -> float:
    return abs(GEOD.geometry_area_perimeter(g)[0]) if not g.is_empty else 0.0


def cell(row: int, col: float, w: float = 1.0, h: float = 1.0, dx: float = 0.0, dy: float = 0.0) -> shapely.Polygon:
    """A box in grid units: row ``row`` (village), column ``col``; offsets and sizes in cells."""
    x = LON0 + (col + dx) * SIZE
    y = LAT0 + (row * 1.0 + dy) * SIZE
    return shapely.box(round(x, 9), round(y, 9), round(x + w * SIZE, 9), round(y + h * SIZE, 9))


@dataclass
class Land:
    bsm: str
    dlbm: str
    zldwdm: str
    geom: BaseGeometry
    zzsx: str = ""  # planting attribute (ZZSXDM); a layer gets the field when any parcel has one


@dataclass
class Event:
    name: str
    geom: BaseGeometry
    to_class: str
    village: str
    zzsx: str = ""


@dataclass
class Expected:
    """One expected patch part: where, classes, judgement and figures."""

    name: str
    geom: BaseGeometry
    from_class: str
    to_class: str
    change_type: str
    legality: str
    approval: str | None = None
    pbf: BaseGeometry | None = None
    took_farmland: bool | None = None  # farmland before a temporary use (None: judged by from_class)

    @property
    def area(self) -> float:
        return geod_area(self.geom)

    @property
    def farmland(self) -> float:
        if self.took_farmland is not None:
            return self.area if self.took_farmland else 0.0
        return self.area if self.from_class in land_classes.FARMLAND_CODES else 0.0

    @property
    def pbf_area(self) -> float:
        return geod_area(self.geom.intersection(self.pbf)) if self.pbf is not None else 0.0

    @property
    def village(self) -> str:
        return self.name.split("@")[1] if "@" in self.name else ""


@dataclass
class Scenario:
    before: list[Land]
    after: list[Land]
    pbf: list[BaseGeometry]
    approvals: list[dict[str, object]] = field(default_factory=list)
    expected: list[Expected] = field(default_factory=list)
    slivers: int = 0


def grid(rows: dict[int, list[str]]) -> list[Land]:
    out = []
    for r, classes in rows.items():
        for c, cls in enumerate(classes):
            out.append(Land(f"B{r}{c:03d}", cls, VILLAGES[r] + "0000100", cell(r, c)))
    return out


def apply(lands: list[Land], events: list[Event]) -> list[Land]:
    out = []
    for p in lands:
        g = p.geom
        for e in events:
            if g.intersection(e.geom).area > 0:
                g = g.difference(e.geom)
        if not g.is_empty:
            out.append(Land(p.bsm, p.dlbm, p.zldwdm, g, p.zzsx))
    for i, e in enumerate(events):
        out.append(Land(f"E{i:04d}", e.to_class, e.village + "0000100", e.geom, e.zzsx))
    return out


def r2(x: float) -> float:
    return float(f"{x + 1e-9:.2f}")


def frame(lands: list[Land]) -> gpd.GeoDataFrame:
    areas = [r2(geod_area(p.geom)) for p in lands]
    columns: dict[str, list[object]] = {
        "BSM": [p.bsm for p in lands], "DLBM": [p.dlbm for p in lands],
        "DLMC": [land_classes.get(p.dlbm).name for p in lands], "ZLDWDM": [p.zldwdm for p in lands],
        "TBMJ": list(areas), "KCXS": [0.0] * len(lands), "KCMJ": [0.0] * len(lands), "TBDLMJ": list(areas)}
    if any(p.zzsx for p in lands):
        columns["ZZSXDM"] = [p.zzsx or None for p in lands]
    return gpd.GeoDataFrame(columns, geometry=[p.geom for p in lands], crs="EPSG:4490")


def pbf_frame(polys: list[BaseGeometry], village: str = VILLAGES[0]) -> gpd.GeoDataFrame:
    lands = [Land(f"P{i:04d}", "0101", village + "0000100", g) for i, g in enumerate(polys)]
    return frame(lands)


def approvals_frame(rows: list[dict[str, object]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame([{k: v for k, v in r.items() if k != "geometry"} for r in rows],
                            geometry=[r["geometry"] for r in rows], crs="EPSG:4490")


def hand_scenario() -> Scenario:
    """One village row per behaviour; 2021 → 2022. Every expected part is listed with its judgement."""
    v0, v1, v2, v3 = VILLAGES
    before = grid({
        0: ["0101", "0103", "0103", "0102", "0201", "0301", "0103", "1206"],
        1: ["0102", "0103", "0101", "0101", "0103", "0103", "0101", "0103"],
        2: ["0101", "0103", "0102", "0103"],
        3: ["0103", "0101", "0102", "0301"],
    })
    pbf = [cell(1, 0, w=1.0, h=0.5), cell(0, 3, w=1.0, h=0.5)]
    ev = [
        Event("whole@0", cell(0, 0), "0601", v0),  # farmland → industry, whole parcel, no approval
        Event("span@0", cell(0, 1.5, w=1.0, h=0.5, dy=0.25), "0702", v0),  # over two 0103 parcels: one patch
        Event("orchard_pbf@0", cell(0, 3, w=0.5, h=1.0), "0201", v0),  # half on PBF
        Event("inflow@0", cell(0, 4), "0101", v0),  # orchard → paddy
        Event("forest_built@0", cell(0, 5, w=0.5, h=0.5), "0601", v0),  # agricultural, not farmland
        Event("internal@0", cell(0, 6), "0101", v0),  # 旱地 → 水田
        Event("unused_built@0", cell(0, 7, w=0.5, h=0.5, dx=0.25, dy=0.25), "0508", v0),
        Event("facility@1", cell(1, 1, w=0.6, h=0.6, dx=0.2, dy=0.2), "1202", v1),
        Event("temp_expired@1", cell(1, 2, w=0.5, h=0.5), "1301", v1),
        Event("temp_valid@1", cell(1, 3, w=0.5, h=0.5, dx=0.5, dy=0.5), "1301", v1),
        Event("half_approved@1", cell(1, 4), "0701", v1),
        Event("late_approval@1", cell(1, 5, w=0.5, h=0.5), "0601", v1),
        Event("road_pbf@1", cell(1, 0, w=0.05, h=1.0, dx=0.475), "1006", v1),  # 4.9 m farm road across PBF edge
        Event("pond@1", cell(1, 6), "1104A", v1),
        Event("built@2", cell(2, 0, w=0.5), "0702", v2),
        Event("lawful@2", cell(2, 1), "0601", v2),
        Event("built@3", cell(3, 1, w=0.5, h=0.5), "0601", v3),
    ]
    after = apply(before, ev)
    # A re-digitised boundary: between 0102 (v3 col 2) and 0301 (col 3), moved 5e-8° east: a ~0.5 m² sliver.
    shift = 5e-8
    for p in after:
        if p.bsm == "B3002":
            p.geom = shapely.box(*(p.geom.bounds[:2]), p.geom.bounds[2] + shift, p.geom.bounds[3])
        if p.bsm == "B3003":
            p.geom = shapely.box(p.geom.bounds[0] + shift, *(p.geom.bounds[1:]))
    g = {e.name: e.geom for e in ev}
    approvals = [
        {"批准文号": "赣政土批〔2022〕1号", "批准日期": "2022-03-01", "有效期至": None, "备案面积": None,
         "kind": "conversion", "geometry": g["span@0"]},
        {"批准文号": "乐设施备〔2022〕7号", "批准日期": "2022-02-01", "有效期至": None, "kind": "facility",
         "备案面积": round(geod_area(cell(1, 1, w=0.3, h=0.6, dx=0.2, dy=0.2)), 2),
         "geometry": cell(1, 1, w=0.3, h=0.6, dx=0.2, dy=0.2)},
        {"批准文号": "临用〔2021〕3号", "批准日期": "2021-06-01", "有效期至": "2022-06-30", "kind": "temporary",
         "备案面积": None, "geometry": g["temp_expired@1"]},
        {"批准文号": "临用〔2022〕5号", "批准日期": "2022-05-01", "有效期至": "2024-04-30", "kind": "temporary",
         "备案面积": None, "geometry": g["temp_valid@1"]},
        {"批准文号": "赣政土批〔2022〕9号", "批准日期": "2022-08-01", "有效期至": None, "kind": "conversion",
         "备案面积": None, "geometry": cell(1, 4, w=0.5)},
        {"批准文号": "赣政土批〔2023〕2号", "批准日期": "2023-02-01", "有效期至": None, "kind": "conversion",
         "备案面积": None, "geometry": g["late_approval@1"]},
        {"批准文号": "赣政土批〔2022〕12号", "批准日期": "2022-09-09", "有效期至": None, "kind": "conversion",
         "备案面积": None, "geometry": g["lawful@2"]},
    ]
    NA, NG, IN, FI, OT = ("non_agricultural_conversion", "non_grain_conversion", "inflow", "farmland_internal", "other")
    pbf0, pbf1 = pbf[1], pbf[0]
    x = [
        Expected("whole@" + v0, g["whole@0"], "0101", "0601", NA, "suspected_illegal"),
        Expected("span@" + v0, g["span@0"], "0103", "0702", NA, "lawful", "赣政土批〔2022〕1号"),
        Expected("orchard_pbf_on@" + v0, g["orchard_pbf@0"].intersection(pbf0), "0102", "0201", NG,
                 "suspected_illegal", pbf=pbf0),
        Expected("orchard_pbf_off@" + v0, g["orchard_pbf@0"].difference(pbf0), "0102", "0201", NG, "not_applicable",
                 pbf=pbf0),
        Expected("inflow@" + v0, g["inflow@0"], "0201", "0101", IN, "not_applicable"),
        Expected("forest_built@" + v0, g["forest_built@0"], "0301", "0601", OT, "suspected_illegal"),
        Expected("internal@" + v0, g["internal@0"], "0103", "0101", FI, "not_applicable"),
        Expected("unused_built@" + v0, g["unused_built@0"], "1206", "0508", OT, "suspected_illegal"),
        Expected("facility_in@" + v1, cell(1, 1, w=0.3, h=0.6, dx=0.2, dy=0.2), "0103", "1202", NG, "facility_filed",
                 "乐设施备〔2022〕7号"),
        Expected("facility_excess@" + v1, cell(1, 1, w=0.3, h=0.6, dx=0.5, dy=0.2), "0103", "1202", NG,
                 "facility_excess"),
        Expected("temp_expired@" + v1, g["temp_expired@1"], "0101", "1301", NA, "temporary_expired", "临用〔2021〕3号"),
        Expected("temp_valid@" + v1, g["temp_valid@1"], "0101", "1301", NA, "temporary_valid", "临用〔2022〕5号"),
        Expected("half_lawful@" + v1, cell(1, 4, w=0.5), "0103", "0701", NA, "lawful", "赣政土批〔2022〕9号"),
        Expected("half_illegal@" + v1, cell(1, 4, w=0.5, dx=0.5), "0103", "0701", NA, "suspected_illegal"),
        Expected("late_approval@" + v1, g["late_approval@1"], "0103", "0601", NA, "suspected_illegal"),
        Expected("road_pbf_on@" + v1, g["road_pbf@1"].intersection(pbf1), "0102", "1006", NG, "lawful_exception",
                 pbf=pbf1),
        Expected("road_pbf_off@" + v1, g["road_pbf@1"].difference(pbf1), "0102", "1006", OT, "not_applicable",
                 pbf=pbf1),
        Expected("pond@" + v1, g["pond@1"], "0101", "1104A", NG, "not_applicable"),
        Expected("built@" + v2, g["built@2"], "0101", "0702", NA, "suspected_illegal"),
        Expected("lawful@" + v2, g["lawful@2"], "0103", "0601", NA, "lawful", "赣政土批〔2022〕12号"),
        Expected("built@" + v3, g["built@3"], "0101", "0601", NA, "suspected_illegal"),
    ]
    return Scenario(before, after, pbf, approvals, x, slivers=1)


PERIOD_END = date(2022, 12, 31)
