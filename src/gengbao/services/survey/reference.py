"""Use case: import a reference polygon layer — 生态保护红线 (``redline``) or 村庄建设边界
(``village_boundary``) — into a workspace, all or nothing.

Steps: read (``vector_io.read_layer``: Shapefile with GBK attributes, GeoPackage, GDB, GeoJSON) → CRS
check and reprojection to EPSG:4490 (the same CRS rules as the survey import) → geometry checks (every
feature a valid, non-empty polygon) → county partition: each feature goes to every county of the
workspace whose parcels it meets (parcels of the latest epoch up to the layer's), features meeting none
are left out with a warning, and a layer meeting no county at all is refused → GeoParquet dataset
``layers/<kind>/<epoch>/county=<code>/part-0.parquet`` (written to a temporary folder and renamed),
import record and audit entry. A rejected import stores only its import record.

The epoch is the year the layer is in force from: monitoring uses the latest one up to the later epoch
of a run (``monitor_io.epochs_of``). Without ``--epoch`` it is the earliest parcels epoch of the
workspace, so the layer applies to every run. Stable codes: ``layers.*``, ``file.*``, ``crs.*``,
``geometry.*``.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gengbao.adapters import layer_store, monitor_io
from gengbao.adapters.db import survey_store
from gengbao.domain.access import Action
from gengbao.domain.errors import ConflictError, UsageError
from gengbao.domain.findings import Finding
from gengbao.domain.legality import VILLAGE_BOUNDARY
from gengbao.domain.survey import check_epoch
from gengbao.services.context import Context
from gengbao.services.intake import ImportReport, Intake
from gengbao.spatial.boxes import meets_any

PROBE_DEG = 1e-7  # ≈ 1 cm: a feature meets a county where it overlaps its parcels by more than this
NAME_FIELDS = ("BSM", "名称", "MC", "NAME", "HXMC", "CZMC", "BH", "编号")


class ReferenceKind(StrEnum):
    REDLINE = "redline"
    VILLAGE_BOUNDARY = VILLAGE_BOUNDARY

    @property
    def label(self) -> str:
        return "生态保护红线" if self is ReferenceKind.REDLINE else "村庄建设边界"


def _parcel_epochs(ws: Context) -> list[int]:
    with ws.sessions() as s:
        return survey_store.epoch_years(s, "parcels")


def _epoch(ws: Context, epoch: int | None) -> int:
    if epoch is not None:
        return check_epoch(epoch, "起用年份")
    years = _parcel_epochs(ws)
    if not years:
        raise UsageError("工作空间中还没有地类图斑，无法确定图层的起用年份：请用 --epoch 指定", code="layers.epoch_required")
    return years[0]


def _geometry_findings(geoms: np.ndarray, names: list[str], source: str,
                       undecodable: dict[int, str]) -> list[Finding]:
    out = []
    for i, g in enumerate(geoms):
        where = f"{source} 第{i + 1}个要素（{names[i]}）"
        if i in undecodable:
            out.append(Finding("geometry.undecodable", f"{where}：几何图形无法解析（{undecodable[i]}）", feature=names[i]))
        elif g is None or shapely.is_empty(g) or shapely.get_type_id(g) not in (3, 6):
            out.append(Finding("geometry.wrong_type", f"{where}：须为非空的面（Polygon/MultiPolygon）", feature=names[i]))
        elif not shapely.is_valid(g):
            out.append(Finding("geometry.invalid", f"{where}：几何图形无效（{shapely.is_valid_reason(g)}），请在 GIS 中修复后再导入",
                               feature=names[i]))
    return out


def _counties(ws: Context, geoms: np.ndarray, epoch: int) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(feature index, county) for every county whose parcels a feature meets; and every county."""
    years = _parcel_epochs(ws)
    year = max([y for y in years if y <= epoch], default=years[0])
    layers = ws.layout.layers
    fi, cs = [], []
    counties = layer_store.counties(layers, "parcels", year)
    probe = shapely.buffer(geoms, -PROBE_DEG)  # sharing an edge, give or take reprojection noise, is not meeting
    boxes = shapely.bounds(geoms)
    for c in counties:
        own = monitor_io.read_bboxes(layers, "parcels", year, c)  # decode only parcels near the features
        rows = np.flatnonzero(meets_any(own, boxes)) if own is not None else None
        parcels = monitor_io.read_geometries(layers, "parcels", year, c, rows)
        hit, _ = shapely.STRtree(parcels).query(probe, predicate="intersects")
        rows = np.unique(hit)
        fi.append(rows)
        cs.append(np.full(rows.size, c, dtype=object))
    return np.concatenate(fi or [np.empty(0, np.int64)]), np.concatenate(cs or [np.empty(0, object)]), counties


def _facts(kind: ReferenceKind, year: int) -> dict[str, Any]:
    return {"kind": str(kind), "epoch": year, "counties": [], "outside": 0}


def import_reference_frame(ws: Context, frame: gpd.GeoDataFrame, kind: ReferenceKind | str, epoch: int | None = None,
                           *, source: str, crs: str | int | None = None, replace: bool = False,
                           source_sha256: str = "", notes: tuple[str, ...] = (),
                           undecodable: tuple[tuple[int, str], ...] = ()) -> ImportReport:
    """Validate and store a reference layer given as a GeoDataFrame (the checks of a file import)."""
    ws.authorise(Action.IMPORT)
    kind = ReferenceKind(kind)
    year = _epoch(ws, epoch)
    with layer_store.epoch_lock(ws.layout.layers, str(kind), year, what=kind.label):
        return _import_frame(ws, frame, kind, year, source=source, crs=crs, replace=replace,
                             source_sha256=source_sha256, notes=notes, undecodable=undecodable)


def _import_frame(ws: Context, frame: gpd.GeoDataFrame, kind: ReferenceKind, year: int, *, source: str,
                  crs: str | int | None, replace: bool, source_sha256: str, notes: tuple[str, ...],
                  undecodable: tuple[tuple[int, str], ...]) -> ImportReport:
    if layer_store.has_dataset(ws.layout.layers, str(kind), year) and not replace:
        raise ConflictError(f"工作空间已有 {year} 年的{kind.label}图层；确需替换请加 --replace", code="layers.exists")
    intake = Intake(ws, f"layers.{kind}", source, action="layers.import", sha256=source_sha256, notes=notes,
                    **_facts(kind, year))
    if len(frame) == 0:
        intake.error("layers.empty", f"{source}：图层中没有任何要素")
        raise intake.reject()
    geoms = intake.to_cgcs2000(frame, intake.given_crs(crs))
    if geoms is None:
        raise intake.reject()
    attrs = pd.DataFrame(frame.drop(columns=frame.geometry.name)).astype("string")
    upper = {str(a).upper(): a for a in attrs.columns}
    name_col = next((upper[n.upper()] for n in NAME_FIELDS if n.upper() in upper), None)
    values = attrs[name_col].tolist() if name_col is not None else [None] * len(attrs)
    names = [f"{name_col}={v}" if v is not None and pd.notna(v) else f"第{i + 1}行" for i, v in enumerate(values)]
    intake.add(_geometry_findings(geoms, names, source, dict(undecodable)))
    if not _parcel_epochs(ws):
        intake.error("layers.no_parcels", "工作空间中还没有地类图斑，无法按县分区：请先导入地类图斑")
    intake.check()
    fi, cs, counties = _counties(ws, geoms, year)
    outside = int(len(geoms) - np.unique(fi).size)
    intake.facts["outside"] = outside
    if fi.size == 0:
        intake.error("layers.no_county_coverage", f"{source}：{len(geoms)} 个要素都不在工作空间的县"
                     f"（{'、'.join(counties)}）范围内，坐标或所选文件可能有误")
        raise intake.reject()
    if outside:
        intake.warn("layers.outside_counties", f"{source}：{outside} 个要素不在工作空间的任何县内，未导入")
    covered = sorted(set(cs.tolist()))
    intake.facts["counties"] = covered
    for c in sorted(set(counties) - set(covered)):
        intake.warn("layers.county_uncovered", f"县 {c} 范围内没有任何{kind.label}要素")
    attrs = attrs.rename(columns={a: f"{a}_src" for a in attrs.columns if str(a).lower() == layer_store.COUNTY_COLUMN})
    stored = gpd.GeoDataFrame(attrs.iloc[fi].reset_index(drop=True).assign(**{layer_store.COUNTY_COLUMN: cs}),
                              geometry=gpd.GeoSeries(geoms[fi], crs="EPSG:4490"), crs="EPSG:4490")
    version = layer_store.write_version(ws.layout.layers, str(kind), year, stored)
    imported = int(np.unique(fi).size)
    report = intake.commit(imported, subject=f"{kind}/{year}", audit={"features": imported, "counties": covered},
                           undo=lambda: layer_store.discard(version))
    layer_store.publish(version)
    return report


def import_reference_file(ws: Context, path: Path, kind: ReferenceKind | str, epoch: int | None = None, *,
                          layer: str | None = None, crs: str | int | None = None,
                          replace: bool = False) -> ImportReport:
    """Read a file (Shapefile, GeoPackage, GDB, GeoJSON) and import it with ``import_reference_frame``."""
    ws.authorise(Action.IMPORT)
    kind = ReferenceKind(kind)
    year = _epoch(ws, epoch)
    read, frame = Intake.read(ws, Path(path), f"layers.{kind}", action="layers.import", layer=layer,
                              **_facts(kind, year))
    return import_reference_frame(ws, frame, kind, year, source=read.source, crs=crs, replace=replace,
                                  source_sha256=read.sha256, notes=tuple(w.message for w in read.warnings),
                                  undecodable=tuple(read.facts["undecodable"].items()))


def reference_layers(ws: Context) -> list[dict[str, Any]]:
    """The reference layers of a workspace: kind, epoch and counties."""
    layers = ws.layout.layers
    return [{"kind": str(k), "label": k.label, "epoch": e, "counties": layer_store.counties(layers, str(k), e)}
            for k in ReferenceKind for e in monitor_io.epochs_of(layers, str(k))]
