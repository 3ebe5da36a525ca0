"""Use case: import a survey layer (parcels or PBF) into a workspace, all or nothing.

Steps: read (adapters) → CRS check and reprojection to EPSG:4490 (spatial) → field, code, geometry,
arithmetic, area and located-in checks (``survey_checks``) → if there is no error: geometry hash and
GeoParquet dataset partitioned by county, epoch record, import record and audit in one transaction.
A rejected import stores only its import record (what was tried and why it failed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
from sqlalchemy import select

from gengbao.adapters import layer_store
from gengbao.adapters.db.models import Epoch, ImportRecord
from gengbao.adapters.file_digest import sha256_of
from gengbao.adapters.vector_io import read_layer
from gengbao.domain.errors import ConflictError, CrsError, InputError, ValidationFailed
from gengbao.domain.findings import Finding, Severity
from gengbao.domain.survey import OPTIONAL_FIELDS, REQUIRED_FIELDS, AreaTolerance, LayerKind
from gengbao.services import audit
from gengbao.services.survey_checks import CheckResult, run_checks
from gengbao.services.workspace import Workspace
from gengbao.spatial.crs import check_coordinates, classify_crs, to_cgcs2000
from gengbao.spatial.geometry_hash import geometry_hashes

Progress = Callable[[str], None]


@dataclass
class ImportReport:
    ok: bool
    imported: int
    epoch: int
    kind: str
    source: str
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    counties: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "imported": self.imported,
            "epoch": self.epoch,
            "kind": self.kind,
            "source": self.source,
            "counties": self.counties,
            "counts": self.counts,
            "errors": [f.to_dict() for f in self.errors],
            "warnings": [f.to_dict() for f in self.warnings],
        }


def _ensure_new(ws: Workspace, epoch: int, kind: LayerKind, replace: bool) -> None:
    with ws.sessions() as s:
        exists = s.scalar(select(Epoch.id).where(Epoch.year == epoch, Epoch.kind == str(kind)))
    if exists is not None and not replace:
        raise ConflictError(
            f"工作空间已有 {epoch} 期{kind.label}。图层是不可变快照；确需替换请加 --replace。", code="survey.epoch_exists"
        )


def _reject(ws: Workspace, report: ImportReport, sha: str) -> ValidationFailed:
    _record(ws, report, sha)
    n = len(report.errors)
    first = report.errors[0].message if report.errors else ""
    return ValidationFailed(f"{report.source} 未通过检查：{n} 个错误，未导入任何要素。首个错误：{first}", report=report)


def _record(ws: Workspace, report: ImportReport, sha: str) -> None:
    with ws.transaction() as s:
        s.add(ImportRecord(
            what=f"survey.{report.kind}", source_file=report.source, source_sha256=sha, ok=report.ok,
            imported=report.imported, error_count=len(report.errors), warning_count=len(report.warnings),
            summary={"epoch": report.epoch, "counts": report.counts}, at=datetime.now(UTC),
        ))


def _normalise_columns(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    rename = {c: c.upper() for c in frame.columns if c != frame.geometry.name and c.upper() != c}
    return frame.rename(columns=rename)


def _reproject(frame: gpd.GeoDataFrame, crs: pyproj.CRS | None, source: str) -> np.ndarray:
    info = classify_crs(crs)
    geoms = frame.geometry.to_numpy()
    check_coordinates(frame.geometry.total_bounds, info, source=source)
    return to_cgcs2000(geoms, info)


def import_survey_frame(
    ws: Workspace, frame: gpd.GeoDataFrame, epoch: int, kind: LayerKind | str = LayerKind.PARCELS, *,
    source: str, repair: bool = False, replace: bool = False, crs: str | int | None = None,
    tolerance: AreaTolerance | None = None, progress: Progress | None = None, source_sha256: str = "",
    notes: tuple[str, ...] = (), undecodable: tuple[tuple[int, str], ...] = (),
) -> ImportReport:
    """Validate and store a layer given as a GeoDataFrame (the same checks as a file import)."""
    kind = LayerKind(kind)
    say = progress or (lambda _msg: None)
    _ensure_new(ws, epoch, kind, replace)
    report = ImportReport(ok=False, imported=0, epoch=epoch, kind=str(kind), source=source)
    report.warnings.extend(Finding("input.note", n, Severity.WARNING) for n in notes)
    if len(frame) == 0:
        report.errors.append(Finding("survey.empty_layer", f"{source}：图层中没有任何要素"))
        raise _reject(ws, report, source_sha256)
    given = pyproj.CRS.from_user_input(crs) if crs is not None else None
    layer_crs = frame.crs
    if given is not None and layer_crs is not None and pyproj.CRS(layer_crs) != given:
        report.warnings.append(Finding("crs.overridden", f"{source}：图层自带坐标系 {layer_crs.name}，已按指定的 {given.name} 处理",
                                       Severity.WARNING))
    say("检查坐标系")
    try:
        geoms = _reproject(frame, given or (pyproj.CRS(layer_crs) if layer_crs is not None else None), source)
    except CrsError as exc:
        report.errors.append(Finding(exc.code, exc.message))
        raise _reject(ws, report, source_sha256) from exc
    say("检查字段、编码与几何")
    frame = _normalise_columns(frame)
    attrs = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    result: CheckResult
    result, county, num = run_checks(attrs, geoms, kind, source, ws.catalog, ws.region, repair,
                                     tolerance or AreaTolerance(), undecodable=dict(undecodable))
    report.errors.extend(result.errors)
    report.warnings.extend(result.warnings)
    report.counts = dict(result.counts)
    if report.errors:
        raise _reject(ws, report, source_sha256)
    say("写入图层")
    keep = [c for c in (*REQUIRED_FIELDS[kind], *OPTIONAL_FIELDS) if c in attrs.columns]
    out = attrs[keep].copy()
    for c in ("BSM", "DLBM", "ZLDWDM"):
        out[c] = out[c].astype("string").str.strip()
    for c, values in num.items():
        out[c] = values
    out["area_m2"] = np.round(result.area_m2, 2) if result.area_m2 is not None else 0.0
    out["geom_hash"] = geometry_hashes(result.geometry)
    out[layer_store.COUNTY_COLUMN] = county
    stored = gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(result.geometry, crs="EPSG:4490"), crs="EPSG:4490")
    path = layer_store.write_dataset(ws.layout.layers, str(kind), epoch, stored, replace=replace)
    counties = sorted(set(county.tolist()))
    report.ok, report.imported, report.counties = True, len(stored), counties
    try:
        with ws.transaction() as s:
            old = s.scalars(select(Epoch).where(Epoch.year == epoch, Epoch.kind == str(kind))).first()
            if old is not None:
                s.delete(old)
                s.flush()
            s.add(Epoch(
                year=epoch, kind=str(kind), layer_path=str(path.relative_to(ws.root)), feature_count=len(stored),
                counties=counties, source_file=source, source_sha256=source_sha256,
                source_crs=str(given or layer_crs or ""), imported_at=datetime.now(UTC),
            ))
            s.add(ImportRecord(
                what=f"survey.{kind}", source_file=source, source_sha256=source_sha256, ok=True,
                imported=len(stored), error_count=0, warning_count=len(report.warnings),
                summary={"epoch": epoch, "counts": report.counts, "counties": counties}, at=datetime.now(UTC),
            ))
            audit.append(s, "system", "survey.import", f"{kind}/{epoch}",
                         {"source": source, "sha256": source_sha256, "features": len(stored), "replace": replace})
    except BaseException:
        layer_store.remove_dataset(ws.layout.layers, str(kind), epoch)
        raise
    return report


def import_survey_file(
    ws: Workspace, path: Path, epoch: int, kind: LayerKind | str = LayerKind.PARCELS, *, layer: str | None = None,
    crs: str | int | None = None, repair: bool = False, replace: bool = False, tolerance: AreaTolerance | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Read a file (GPKG, SHP, GDB, GeoJSON) and import it with ``import_survey_frame``."""
    kind = LayerKind(kind)
    say = progress or (lambda _msg: None)
    _ensure_new(ws, epoch, kind, replace)
    say(f"读取 {Path(path).name}")
    try:
        frame, src = read_layer(Path(path), layer, str(kind))
    except InputError as exc:
        report = ImportReport(ok=False, imported=0, epoch=epoch, kind=str(kind), source=Path(path).name,
                              errors=[Finding(exc.code, exc.message)], counts={exc.code: 1})
        raise _reject(ws, report, "") from exc
    return import_survey_frame(
        ws, frame, epoch, kind, source=Path(path).name, repair=repair, replace=replace, crs=crs,
        tolerance=tolerance, progress=progress, source_sha256=sha256_of(Path(path)), notes=src.notes,
        undecodable=src.undecodable,
    )
