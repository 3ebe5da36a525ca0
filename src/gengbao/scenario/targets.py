"""Farmland and PBF targets a synthetic county is calibrated to.

Built in: 景德镇市's counties from seed 001 附件2 and 中卫市 (city level, DOMAIN.md §8). A target table
file (CSV/XLSX/notice text, read by ``gengbao.adapters.target_tables``) overrides them. A city figure
without county rows is shared among its counties in proportion to their area, after the counties that
do have figures. A county with no figure at all gets its palette's plausible farmland share.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import shapely

from gengbao.adapters.target_tables import read_target_tables
from gengbao.domain.area_units import AreaUnit
from gengbao.domain.regions import RegionCatalog, RegionLevel
from gengbao.domain.targets import FARMLAND, PBF, collect_values, group_values
from gengbao.scenario.boundaries import county_outline
from gengbao.scenario.frame import frame_for
from gengbao.scenario.landscape import palette_for

WAN_MU_M2 = float(Fraction(*AreaUnit.WAN_MU.square_metres))  # 1 万亩 in m² (the generator steers in floats)
SEED_001 = "seed 001 附件2（景德镇市耕地保有量和永久基本农田保护目标）"
# 万亩: farmland target, PBF target.
BUILTIN: dict[str, tuple[Decimal, Decimal, str]] = {
    "360281": (Decimal("80.4127"), Decimal("73.5215"), SEED_001),
    "360222": (Decimal("31.9999"), Decimal("27.8362"), SEED_001),
    "360202": (Decimal("7.3041"), Decimal("5.0704"), SEED_001),
    "360203": (Decimal("0.5707"), Decimal("0.0822"), SEED_001),
    "3602": (Decimal("120.2873"), Decimal("106.5103"), SEED_001),
    "6405": (Decimal("440.12"), Decimal("343.45"), "DOMAIN.md §8（中卫市）"),
}

Table = Mapping[str, tuple[Decimal, Decimal, str]]


@dataclass(frozen=True)
class CountyTarget:
    farmland_m2: float
    pbf_m2: float
    source: str  # where the figures come from, or "default" (palette share)

    def to_dict(self) -> dict[str, float | str]:
        return {"farmland_m2": round(self.farmland_m2, 2), "pbf_m2": round(self.pbf_m2, 2),
                "farmland_wan_mu": round(self.farmland_m2 / WAN_MU_M2, 4),
                "pbf_wan_mu": round(self.pbf_m2 / WAN_MU_M2, 4), "source": self.source}


def read_table(path: Path, catalog: RegionCatalog, within: str) -> dict[str, tuple[Decimal, Decimal, str]]:
    """Farmland and PBF figures (万亩) per region code from a target table file."""
    values = group_values(collect_values(read_target_tables(Path(path)), catalog, within))
    return {code: (v[FARMLAND], v[PBF], Path(path).name) for code, v in values.items() if FARMLAND in v and PBF in v}


def planar_area(code: str) -> float:
    outline = county_outline(code).geometry
    return float(shapely.area(frame_for(outline).to_planar(outline)))


def _apportion(code: str, catalog: RegionCatalog, table: Table) -> tuple[float, float, str] | None:
    region = catalog.find(code)
    if region is None or region.parent is None or region.parent not in table:
        return None
    farm, pbf, source = table[region.parent]
    siblings = [r.code for r in catalog.descendants(region.parent, RegionLevel.COUNTY)]
    given = [s for s in siblings if s in table]
    rest = [s for s in siblings if s not in table]
    farm_left = float(farm - sum((table[s][0] for s in given), Decimal(0)))
    pbf_left = float(pbf - sum((table[s][1] for s in given), Decimal(0)))
    areas = {s: planar_area(s) for s in rest}
    share = areas[code] / sum(areas.values())
    return farm_left * share, pbf_left * share, f"{source}（按面积分摊）"


def county_targets(counties: list[str], catalog: RegionCatalog, table: Table | None = None) -> dict[str, CountyTarget]:
    merged: dict[str, tuple[Decimal, Decimal, str]] = {**BUILTIN, **(table or {})}
    out: dict[str, CountyTarget] = {}
    for code in counties:
        if code in merged:
            farm, pbf, source = merged[code]
            out[code] = CountyTarget(float(farm) * WAN_MU_M2, float(pbf) * WAN_MU_M2, source)
            continue
        shared = _apportion(code, catalog, merged)
        if shared is not None:
            out[code] = CountyTarget(shared[0] * WAN_MU_M2, shared[1] * WAN_MU_M2, shared[2])
            continue
        palette = palette_for(code)
        farm_m2 = palette.farmland_share * planar_area(code)
        out[code] = CountyTarget(farm_m2, farm_m2 * palette.pbf_ratio, "default")
    return out
