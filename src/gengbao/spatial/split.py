"""Checking a split (拆分): sub-patches must cover their patch exactly and must not overlap.

A patch is cut into pieces that are each judged on their own; their areas are recomputed from the
geometry (:func:`gengbao.spatial.area.ellipsoidal_area`), never typed in. :func:`check_split` returns
findings instead of stopping at the first problem: an invalid or empty piece, pieces overlapping each
other, a piece reaching outside the patch, or part of the patch left uncovered; each with the area
involved in m². Tolerance: ``tolerance_m2`` (default 0.01 m², the survey's area precision), so
coordinates rounded when a file was written do not count as gaps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from gengbao.domain.findings import Finding
from gengbao.spatial.area import ellipsoidal_area, round_m2

DEFAULT_TOLERANCE_M2 = 0.01


@dataclass(frozen=True, slots=True)
class SplitCheck:
    findings: tuple[Finding, ...]
    piece_areas_m2: tuple[float, ...]
    patch_area_m2: float

    @property
    def ok(self) -> bool:
        return not self.findings


def _polygonal(g: BaseGeometry) -> BaseGeometry:
    """The areal part of a geometry (an intersection of touching pieces is a line: no area)."""
    if g.geom_type in ("Polygon", "MultiPolygon"):
        return g
    parts = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _area(g: BaseGeometry) -> float:
    return float(ellipsoidal_area(np.array([_polygonal(g)], dtype=object))[0])


def check_split(patch: BaseGeometry, pieces: Sequence[BaseGeometry],
                tolerance_m2: float = DEFAULT_TOLERANCE_M2) -> SplitCheck:
    """Check that ``pieces`` (EPSG:4490 polygons) partition ``patch``; areas in m² rounded to 2 dp."""
    findings: list[Finding] = []
    if len(pieces) < 2:
        findings.append(Finding("cases.split_too_few", f"拆分至少需要 2 个子图斑，收到 {len(pieces)} 个。"))
    arr = np.array(list(pieces), dtype=object)
    areas = np.array([_area(g) for g in pieces], dtype=np.float64)
    for i, g in enumerate(pieces, start=1):
        if g.is_empty or g.geom_type not in ("Polygon", "MultiPolygon"):
            findings.append(Finding("cases.split_piece_invalid", f"第 {i} 个子图斑不是面（{g.geom_type}）或为空。",
                                    feature=str(i)))
        elif not g.is_valid:
            findings.append(Finding("cases.split_piece_invalid",
                                    f"第 {i} 个子图斑几何无效：{shapely.is_valid_reason(g)}。", feature=str(i)))
    if findings:
        return SplitCheck(tuple(findings), tuple(round_m2(areas).tolist()), round(_area(patch), 2))
    for i in range(len(pieces)):
        for k in range(i + 1, len(pieces)):
            a, b = pieces[i], pieces[k]
            if not a.intersects(b):
                continue
            overlap = _area(a.intersection(b))
            if overlap > tolerance_m2:
                findings.append(Finding("cases.split_overlap",
                                        f"第 {i + 1} 与第 {k + 1} 个子图斑重叠 {overlap:.2f} m²。",
                                        feature=f"{i + 1},{k + 1}", value=f"{overlap:.2f}"))
    union = shapely.union_all(arr)
    outside = _area(union.difference(patch))
    if outside > tolerance_m2:
        findings.append(Finding("cases.split_outside", f"子图斑超出原图斑 {outside:.2f} m²。", value=f"{outside:.2f}"))
    gap = _area(patch.difference(union))
    if gap > tolerance_m2:
        findings.append(Finding("cases.split_gap", f"子图斑未覆盖原图斑的 {gap:.2f} m²。", value=f"{gap:.2f}"))
    return SplitCheck(tuple(findings), tuple(round_m2(areas).tolist()), round(_area(patch), 2))
