"""Hand-built epochs 2020, 2021, 2022 for findings without a class change and for the reference layers
(synthetic data). Every expected part of the 2021 → 2022 run is listed with its judgement.

Row 0 (昌江区, village 0): planting attribute (ZZSXDM), and farm roads on PBF (col 2: a 4.9 m road is a
farm road, a 19.4 m one is not). Row 1 (昌江区, village 1): temporary-use land, 1301 in 2021 and 2022,
with permits. Row 2 (浮梁县): homesteads and the village construction boundary.
PBF (2021): the lower half of row 0 col 3 and of row 2 col 4, all of row 0 col 2.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shapely.geometry.base import BaseGeometry

from tests.monitoring import builder as b
from tests.monitoring.builder import Event, Expected, Land, cell

V0, V1, V2 = b.VILLAGES[0], b.VILLAGES[1], b.VILLAGES[2]
NA, FI, NG = "non_agricultural_conversion", "farmland_internal", "non_grain_conversion"
AB, CROP, UNR = "abandonment", "non_grain_crop", "temporary_unrestored"
EXC, ILL, OK, TEMP = "lawful_exception", "suspected_illegal", "not_applicable", "temporary_expired"


@dataclass
class StatusScenario:
    epochs: dict[int, list[Land]]
    pbf: list[BaseGeometry]
    approvals: list[dict[str, object]]
    village: list[BaseGeometry]
    redline: list[BaseGeometry]
    expected: list[Expected] = field(default_factory=list)


def _grid(rows: dict[int, list[tuple[str, str]]]) -> list[Land]:
    return [Land(f"B{r}{c:03d}", cls, b.VILLAGES[r] + "0000100", cell(r, c), zzsx)
            for r, items in rows.items() for c, (cls, zzsx) in enumerate(items)]


def _permit(no: str, issued: str, until: str, geom: BaseGeometry, kind: str = "temporary") -> dict[str, object]:
    return {"批准文号": no, "批准日期": issued, "有效期至": until or None, "备案面积": None, "kind": kind,
            "geometry": geom}


def status_scenario() -> StatusScenario:
    e2020 = _grid({
        0: [("0101", "LS"), ("0103", "LS"), ("0101", "FLS"), ("0102", "LS"), ("0101", "LS"), ("0101", "WG"),
            ("0103", "LS"), ("0201", "JKHF")],
        1: [("0101", "LS"), ("0102", "LS"), ("0101", "LS"), ("0103", "LS"), ("0101", "LS"), ("1206", ""),
            ("0103", "LS")],
        2: [("0103", "LS"), ("0103", "LS"), ("0103", "LS"), ("0103", "LS"), ("0101", "LS"), ("0101", "LS"),
            ("0103", "LS")],
    })
    # 2021: all of row 1 is temporary-use land (1301); the rest as in 2020
    e2021 = [Land(p.bsm, "1301", p.zldwdm, p.geom) if p.bsm.startswith("B1") else p for p in e2020]
    attrs = {"B0000": "WG", "B0003": "FLS", "B0004": "FLS", "B0007": "GCHF"}  # same parcel, attribute changed
    kept = [Land(p.bsm, p.dlbm, p.zldwdm, p.geom, attrs.get(p.bsm, p.zzsx)) for p in e2021]
    e2022 = b.apply(kept, [
        Event("aband_part", cell(0, 1, w=0.5), "0103", V0, "WG"),  # part of a parcel re-drawn, abandoned
        Event("internal_wg", cell(0, 6), "0101", V0, "WG"),  # class changed as well: the class change wins
        Event("narrow_road", cell(0, 2, w=0.05, h=1.0, dx=0.1), "1006", V0),
        Event("wide_road", cell(0, 2, w=0.2, h=1.0, dx=0.4), "1006", V0),
        Event("redrawn", cell(1, 4, w=0.5), "1301", V1),  # 1301 re-drawn into two parcels
        Event("home_in", cell(2, 0), "0702", V2),
        Event("home_span", cell(2, 1.5, w=1.0), "0702", V2),
        Event("home_out", cell(2, 3), "0702", V2),
        Event("home_pbf", cell(2, 4), "0702", V2),
        Event("industry_in", cell(2, 5), "0601", V2),
        Event("home_approved", cell(2, 6), "0702", V2),
    ])
    approvals = [
        _permit("临用〔2021〕1号", "2021-03-01", "2022-02-28", cell(1, 0)),  # expired in the period
        _permit("临用〔2021〕2号", "2021-04-01", "2023-06-30", cell(1, 1)),  # still valid
        _permit("临用〔2020〕3号", "2020-03-01", "2021-06-30", cell(1, 2)),  # expired before the period
        _permit("临用〔2021〕4号", "2021-02-01", "2022-01-31", cell(1, 3)),  # expired, right half renewed:
        _permit("临用〔2022〕5号", "2022-02-01", "2024-01-31", cell(1, 3, w=0.5, dx=0.5)),
        _permit("临用〔2021〕6号", "2021-05-01", "2022-05-31", cell(1, 4)),
        _permit("临用〔2021〕7号", "2021-03-15", "2022-03-14", cell(1, 5)),  # land was 1206 before
        _permit("临用〔2019〕8号", "2019-05-01", "2022-04-30", cell(1, 6)),  # no epoch before its issue
        _permit("赣政土批〔2022〕20号", "2022-05-01", "", cell(2, 6), "conversion"),
    ]
    pbf = [cell(0, 3, h=0.5), cell(2, 4, h=0.5), cell(0, 2)]  # PBF of village 0, of row 2's village, of village 0
    village = [cell(2, 0, w=2.0), cell(2, 4, w=3.0)]
    redline = [cell(0, 0, w=0.5), cell(2, 3, w=0.5)]
    x = [
        Expected("aband_whole@" + V0, cell(0, 0), "0101", "0101", AB, OK),
        Expected("aband_part@" + V0, cell(0, 1, w=0.5), "0103", "0103", AB, OK),
        Expected("crop_pbf@" + V0, pbf[0], "0102", "0102", CROP, OK, pbf=pbf[0]),
        Expected("internal_wg@" + V0, cell(0, 6), "0103", "0101", FI, OK),
        Expected("narrow_road@" + V0, cell(0, 2, w=0.05, h=1.0, dx=0.1), "0101", "1006", NG, EXC, pbf=pbf[2]),
        Expected("wide_road@" + V0, cell(0, 2, w=0.2, h=1.0, dx=0.4), "0101", "1006", NG, ILL, pbf=pbf[2]),
        Expected("unrestored@" + V1, cell(1, 0), "1301", "1301", UNR, TEMP, "临用〔2021〕1号", took_farmland=True),
        Expected("renewed_half@" + V1, cell(1, 3, w=0.5), "1301", "1301", UNR, TEMP, "临用〔2021〕4号",
                 took_farmland=True),
        Expected("redrawn_left@" + V1, cell(1, 4, w=0.5), "1301", "1301", UNR, TEMP, "临用〔2021〕6号",
                 took_farmland=True),
        Expected("redrawn_right@" + V1, cell(1, 4, w=0.5, dx=0.5), "1301", "1301", UNR, TEMP, "临用〔2021〕6号",
                 took_farmland=True),
        Expected("origin_unused@" + V1, cell(1, 5), "1301", "1301", UNR, TEMP, "临用〔2021〕7号", took_farmland=False),
        Expected("no_origin@" + V1, cell(1, 6), "1301", "1301", UNR, TEMP, "临用〔2019〕8号", took_farmland=False),
        Expected("home_in@" + V2, cell(2, 0), "0103", "0702", NA, EXC),
        Expected("span_in@" + V2, cell(2, 1.5, w=0.5), "0103", "0702", NA, EXC),
        Expected("span_out@" + V2, cell(2, 2, w=0.5), "0103", "0702", NA, ILL),
        Expected("home_out@" + V2, cell(2, 3), "0103", "0702", NA, ILL),
        Expected("home_pbf_on@" + V2, pbf[1], "0101", "0702", NA, ILL, pbf=pbf[1]),
        Expected("home_pbf_off@" + V2, cell(2, 4, h=0.5, dy=0.5), "0101", "0702", NA, EXC, pbf=pbf[1]),
        Expected("industry_in@" + V2, cell(2, 5), "0101", "0601", NA, ILL),
        Expected("home_approved@" + V2, cell(2, 6), "0103", "0702", NA, "lawful", "赣政土批〔2022〕20号"),
    ]
    return StatusScenario({2020: e2020, 2021: e2021, 2022: e2022}, pbf, approvals, village, redline, x)


def pbf_lands(sc: StatusScenario) -> list[Land]:
    return [Land("P0000", "0102", V0 + "0000100", sc.pbf[0]), Land("P0001", "0101", V2 + "0000100", sc.pbf[1]),
            Land("P0002", "0101", V0 + "0000100", sc.pbf[2])]
