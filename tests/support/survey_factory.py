"""Small, hand-checkable survey layers for tests (synthetic), built independently of gengbao's code:
areas come from pyproj's geodesic area, not from gengbao.spatial.area."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import geopandas as gpd
import shapely
from pyproj import Geod

GEOD = Geod(ellps="GRS80")
# Real village codes (NBS 2023) in 景德镇市: two in 昌江区, one in 浮梁县, one in 乐平市.
VILLAGES = ("360202101200", "360202101201", "360222100201", "360281100201")
CLASSES = ("0101", "0102", "0103", "0301", "0702", "1003", "0201", "1104")
NAMES = {"0101": "水田", "0102": "水浇地", "0103": "旱地", "0301": "乔木林地", "0702": "农村宅基地",
         "1003": "公路用地", "0201": "果园", "1104": "坑塘水面"}


def r2(x: float | Decimal) -> Decimal:
    return Decimal(str(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class Parcel:
    bsm: str
    dlbm: str
    zldwdm: str
    geom: shapely.Polygon
    kcxs: Decimal

    @property
    def tbmj(self) -> Decimal:
        return r2(abs(GEOD.geometry_area_perimeter(self.geom)[0]))

    @property
    def kcmj(self) -> Decimal:
        return r2(self.tbmj * self.kcxs)

    @property
    def tbdlmj(self) -> Decimal:
        return self.tbmj - self.kcmj


def parcels(villages: tuple[str, ...] = VILLAGES, per_village: int = 8, lon0: float = 117.2, lat0: float = 29.3,
            size: float = 0.001) -> list[Parcel]:
    """``per_village`` parcels in a row for each village, classes cycling through CLASSES."""
    out = []
    n = 0
    for v_i, village in enumerate(villages):
        for j in range(per_village):
            x = lon0 + j * size
            y = lat0 + v_i * size * 1.5
            geom = shapely.box(x, y, x + size, y + size * (0.6 + 0.05 * j))
            cls = CLASSES[(v_i + j) % len(CLASSES)]
            kcxs = Decimal("0.08") if cls in ("0102", "0103") and j % 2 else Decimal("0")
            n += 1
            out.append(Parcel(f"3602{n:014d}", cls, village + "0000100", geom, kcxs))
    return out


def frame(items: list[Parcel]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "BSM": [p.bsm for p in items],
            "TBBH": [str(i + 1) for i in range(len(items))],
            "DLBM": [p.dlbm for p in items],
            "DLMC": [NAMES[p.dlbm] for p in items],
            "ZLDWDM": [p.zldwdm for p in items],
            "TBMJ": [float(p.tbmj) for p in items],
            "KCDLBM": ["1203" if p.kcxs else "" for p in items],
            "KCXS": [float(p.kcxs) for p in items],
            "KCMJ": [float(p.kcmj) for p in items],
            "TBDLMJ": [float(p.tbdlmj) for p in items],
            "GDPDJB": [2 if p.kcxs else 1 for p in items],
        },
        geometry=[p.geom for p in items],
        crs="EPSG:4490",
    )


def pbf_frame(items: list[Parcel]) -> gpd.GeoDataFrame:
    """A PBF layer made of the paddy (0101) and dry (0103) parcels among ``items``."""
    chosen = [p for p in items if p.dlbm in ("0101", "0103")]
    f = frame(chosen)
    f["BSM"] = [f"P{p.bsm}" for p in chosen]
    return f
