"""What the survey layers say about a case's land: areas on farmland / PBF / other agricultural land /
unused land / ecological redline for a geometry (sub-patches, manual clues), and the construction
area under many cases at once on a later epoch (closure and relapse checks).

Areas are ellipsoidal (``gengbao.spatial.area``), rounded to 2 dp as the survey stores them.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

from gengbao.adapters import layer_store
from gengbao.domain import land_classes
from gengbao.domain.land_classes import LegalCategory
from gengbao.spatial.area import ellipsoidal_area, round_m2

PARCELS, PBF, REDLINE = "parcels", "pbf", "redline"


def dec(x: float) -> Decimal:
    return Decimal(f"{float(round_m2(x)):.2f}")


def _class_flags(codes: npt.NDArray[np.object_]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    uniq, inv = np.unique(codes.astype(str), return_inverse=True)
    found = [land_classes.find(c) for c in uniq]
    farm = np.array([bool(c and c.is_farmland) for c in found])
    built = np.array([bool(c and c.counts_as_construction) for c in found])
    agr = np.array([bool(c and c.legal_category is LegalCategory.AGRICULTURAL and not c.is_farmland) for c in found])
    unused = np.array([bool(c and c.legal_category is LegalCategory.UNUSED) for c in found])
    return farm[inv], built[inv], agr[inv], unused[inv]


def _overlap(layer: np.ndarray, geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(geometry index, layer index, intersection area m²) of every intersecting pair."""
    if len(layer) == 0 or len(geoms) == 0:
        return np.empty(0, int), np.empty(0, int), np.empty(0)
    gi, li = shapely.STRtree(layer).query(geoms, predicate="intersects")
    inter = shapely.intersection(geoms[gi], layer[li])
    odd = np.flatnonzero(~np.isin(shapely.get_type_id(inter), (3, 6)))
    for k in odd:  # touching pairs give lines or collections: keep their areal part only
        inter[k] = _polygonal(inter[k])
    return gi, li, ellipsoidal_area(inter)


def _polygonal(g: BaseGeometry) -> BaseGeometry:
    if g.geom_type in ("Polygon", "MultiPolygon"):
        return g
    polys = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(polys) if polys else shapely.Polygon()


def _read(layers: Path, kind: str, epoch: int | None, county: str, columns: list[str]) -> tuple[np.ndarray, dict]:
    if epoch is None or county not in layer_store.counties(layers, kind, epoch):
        return np.empty(0, dtype=object), {c: np.empty(0, dtype=object) for c in columns}
    frame = layer_store.read_dataset(layers, kind, epoch, columns=columns, only=[county])
    return frame.geometry.to_numpy(), {c: frame[c].to_numpy() for c in columns}


def latest_epoch(layers: Path, kind: str, before: int | None = None, after: int | None = None) -> int | None:
    root = layers / kind
    years = sorted(int(p.name) for p in root.iterdir() if p.is_dir() and p.name.isdigit()) if root.is_dir() else []
    if before is not None:
        years = [y for y in years if y <= before]
    if after is not None:
        years = [y for y in years if y > after]
        return years[0] if years else None
    return years[-1] if years else None


def areas_for(layers: Path, county: str, geoms: list[BaseGeometry], epoch: int | None) -> list[dict[str, Decimal]]:
    """Areas of each polygon on the land of ``epoch`` (the survey before the change)."""
    arr = np.array(geoms, dtype=object)
    total = ellipsoidal_area(arr)
    out = {k: np.zeros(len(arr)) for k in ("farmland_m2", "pbf_m2", "agricultural_m2", "unused_m2", "redline_m2")}
    pg, attrs = _read(layers, PARCELS, epoch, county, ["DLBM"])
    gi, li, a = _overlap(pg, arr)
    if len(gi):
        farm, _built, agr, unused = _class_flags(attrs["DLBM"])
        for key, flag in (("farmland_m2", farm), ("agricultural_m2", agr), ("unused_m2", unused)):
            np.add.at(out[key], gi, np.where(flag[li], a, 0.0))
    for key, kind in (("pbf_m2", PBF), ("redline_m2", REDLINE)):
        ep = latest_epoch(layers, kind, before=epoch) if epoch is not None else latest_epoch(layers, kind)
        lg, _ = _read(layers, kind, ep, county, [])
        gi2, _li2, a2 = _overlap(lg, arr)
        np.add.at(out[key], gi2, a2)
    return [{"area_m2": dec(total[i]), **{k: dec(v[i]) for k, v in out.items()}} for i in range(len(arr))]


def built_areas(layers: Path, epoch: int, county: str, geoms: np.ndarray) -> np.ndarray:
    """Construction area (m²) under each geometry on the parcels of ``epoch``."""
    result = np.zeros(len(geoms))
    pg, attrs = _read(layers, PARCELS, epoch, county, ["DLBM"])
    if len(pg) == 0 or len(geoms) == 0:
        return result
    _farm, built, _agr, _unused = _class_flags(attrs["DLBM"])
    keep = np.flatnonzero(built)
    gi, li, a = _overlap(pg[keep], geoms)
    np.add.at(result, gi, a)
    return np.asarray(round_m2(result))


def built_under_patches(patches: gpd.GeoDataFrame, geom: BaseGeometry) -> float:
    """Area (m²) of ``geom`` covered by delivered patches whose class after is construction or unknown
    (a delivered patch without a class is suspected construction)."""
    codes = patches["to_class"].astype(str).to_numpy()
    unknown = np.array([c in ("", "None", "nan") for c in codes])
    _farm, built, _agr, _unused = _class_flags(np.where(unknown, "0101", codes).astype(object))
    chosen = patches.geometry.to_numpy()[built | unknown]
    if not len(chosen):
        return 0.0
    union = shapely.union_all(chosen)
    return float(round_m2(ellipsoidal_area(np.array([_polygonal(union.intersection(geom))], dtype=object))[0]))
