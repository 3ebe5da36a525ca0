"""Use case: import a survey layer (parcels or PBF) into a workspace, all or nothing.

Steps: read (adapters) → CRS check and reprojection to EPSG:4490 (spatial) → field, code, geometry,
arithmetic, area and located-in checks (``survey_checks``) → if there is no error: geometry hash and
GeoParquet dataset partitioned by county, epoch record, import record and audit in one transaction.
A rejected import stores only its import record (what was tried and why it failed).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyproj
from sqlalchemy import select

from gengbao.adapters import layer_parts, layer_store
from gengbao.adapters.db.models import Epoch, ImportRecord
from gengbao.adapters.file_digest import sha256_of
from gengbao.adapters.vector_io import read_layer
from gengbao.domain.errors import ConflictError, CrsError, InputError, ValidationFailed
from gengbao.domain.findings import Finding, Severity
from gengbao.domain.survey import OPTIONAL_FIELDS, REQUIRED_FIELDS, AreaTolerance, LayerKind
from gengbao.services.context import Context
from gengbao.services.survey.checks import MAX_FINDINGS_PER_CODE, CheckResult, run_checks
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


def _ensure_new(ws: Context, epoch: int, kind: LayerKind, replace: bool) -> None:
    with ws.sessions() as s:
        exists = s.scalar(select(Epoch.id).where(Epoch.year == epoch, Epoch.kind == str(kind)))
    if exists is not None and not replace:
        raise ConflictError(
            f"工作空间已有 {epoch} 期{kind.label}。图层是不可变快照；确需替换请加 --replace。", code="survey.epoch_exists"
        )


def _reject(ws: Context, report: ImportReport, sha: str) -> ValidationFailed:
    _record(ws, report, sha)
    n = len(report.errors)
    first = report.errors[0].message if report.errors else ""
    return ValidationFailed(f"{report.source} 未通过检查：{n} 个错误，未导入任何要素。首个错误：{first}", report=report)


def _record(ws: Context, report: ImportReport, sha: str) -> None:
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


def _check_frame(ws: Context, frame: gpd.GeoDataFrame, kind: LayerKind, source: str, given: pyproj.CRS | None,
                 repair: bool, tolerance: AreaTolerance | None, undecodable: tuple[tuple[int, str], ...],
                 report: ImportReport, say: Progress) -> gpd.GeoDataFrame | None:
    """Every check of one frame; findings and counts are added to ``report``. → The frame to store (EPSG:4490,
    stored columns, area, geometry hash and county), or None where the frame has an error."""
    say("检查坐标系")
    try:
        geoms = _reproject(frame, given or (pyproj.CRS(frame.crs) if frame.crs is not None else None), source)
    except CrsError as exc:
        report.errors.append(Finding(exc.code, exc.message))
        return None
    say("检查字段、编码与几何")
    frame = _normalise_columns(frame)
    attrs = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    result: CheckResult
    result, county, num = run_checks(attrs, geoms, kind, source, ws.catalog, ws.region, repair,
                                     tolerance or AreaTolerance(), undecodable=dict(undecodable))
    listed = Counter(f.code for f in (*report.errors, *report.warnings))  # earlier parts' findings
    for f in (*result.errors, *result.warnings):
        if listed[f.code] < MAX_FINDINGS_PER_CODE:
            listed[f.code] += 1
            (report.errors if f.severity is Severity.ERROR else report.warnings).append(f)
    for code, n in result.counts.items():
        report.counts[code] = report.counts.get(code, 0) + n
    if result.errors:
        return None
    keep = [c for c in (*REQUIRED_FIELDS[kind], *OPTIONAL_FIELDS) if c in attrs.columns]
    out = attrs[keep].copy()
    for c in ("BSM", "DLBM", "ZLDWDM"):
        out[c] = out[c].astype("string").str.strip()
    for c, values in num.items():
        out[c] = values
    out["area_m2"] = np.round(result.area_m2, 2) if result.area_m2 is not None else 0.0
    out["geom_hash"] = geometry_hashes(result.geometry)
    out[layer_store.COUNTY_COLUMN] = county
    geometry = gpd.GeoSeries(result.geometry, index=out.index, crs="EPSG:4490")  # the part may not start at row 0
    return gpd.GeoDataFrame(out, geometry=geometry, crs="EPSG:4490")


def _store_epoch(ws: Context, report: ImportReport, path: Path, count: int, counties: list[str], *, source: str,
                 source_sha256: str, source_crs: str, replace: bool) -> None:
    """Epoch record, import record and audit in one transaction; the stored dataset is removed if it fails."""
    epoch, kind = report.epoch, report.kind
    report.ok, report.imported, report.counties = True, count, counties
    try:
        with ws.transaction() as s:
            old = s.scalars(select(Epoch).where(Epoch.year == epoch, Epoch.kind == kind)).first()
            if old is not None:
                s.delete(old)
                s.flush()
            s.add(Epoch(
                year=epoch, kind=kind, layer_path=str(path.relative_to(ws.root)), feature_count=count,
                counties=counties, source_file=source, source_sha256=source_sha256, source_crs=source_crs,
                imported_at=datetime.now(UTC),
            ))
            s.add(ImportRecord(
                what=f"survey.{kind}", source_file=source, source_sha256=source_sha256, ok=True,
                imported=count, error_count=0, warning_count=len(report.warnings),
                summary={"epoch": epoch, "counts": report.counts, "counties": counties}, at=datetime.now(UTC),
            ))
            ws.audit(s, "survey.import", f"{kind}/{epoch}",
                         {"source": source, "sha256": source_sha256, "features": count, "replace": replace})
    except BaseException:
        layer_store.remove_dataset(ws.layout.layers, kind, epoch)
        raise


def _begin(ws: Context, epoch: int, kind: LayerKind, replace: bool, source: str, notes: tuple[str, ...],
           crs: str | int | None) -> tuple[ImportReport, pyproj.CRS | None]:
    """What both imports do first: refuse an existing epoch, start the report, read the CRS the user gave."""
    _ensure_new(ws, epoch, kind, replace)
    report = ImportReport(ok=False, imported=0, epoch=epoch, kind=str(kind), source=source)
    report.warnings.extend(Finding("input.note", n, Severity.WARNING) for n in notes)
    return report, pyproj.CRS.from_user_input(crs) if crs is not None else None


def _note_override(report: ImportReport, source: str, layer_crs: Any, given: pyproj.CRS | None) -> None:
    """Warn once that the user's CRS replaces the one the layer carries."""
    if given is None or layer_crs is None or pyproj.CRS(layer_crs) == given or any(
            w.code == "crs.overridden" for w in report.warnings):
        return
    report.warnings.append(Finding("crs.overridden", f"{source}：图层自带坐标系 {layer_crs.name}，已按指定的 {given.name} 处理",
                                   Severity.WARNING))


def import_survey_frame(
    ws: Context, frame: gpd.GeoDataFrame, epoch: int, kind: LayerKind | str = LayerKind.PARCELS, *,
    source: str, repair: bool = False, replace: bool = False, crs: str | int | None = None,
    tolerance: AreaTolerance | None = None, progress: Progress | None = None, source_sha256: str = "",
    notes: tuple[str, ...] = (), undecodable: tuple[tuple[int, str], ...] = (),
) -> ImportReport:
    """Validate and store a layer given as a GeoDataFrame (the same checks as a file import)."""
    kind = LayerKind(kind)
    say = progress or (lambda _msg: None)
    report, given = _begin(ws, epoch, kind, replace, source, notes, crs)
    if len(frame) == 0:
        report.errors.append(Finding("survey.empty_layer", f"{source}：图层中没有任何要素"))
        raise _reject(ws, report, source_sha256)
    layer_crs = frame.crs
    _note_override(report, source, layer_crs, given)
    stored = _check_frame(ws, frame, kind, source, given, repair, tolerance, undecodable, report, say)
    if stored is None:
        raise _reject(ws, report, source_sha256)
    say("写入图层")
    path = layer_store.write_dataset(ws.layout.layers, str(kind), epoch, stored, replace=replace)
    counties = sorted(set(stored[layer_store.COUNTY_COLUMN].tolist()))
    _store_epoch(ws, report, path, len(stored), counties, source=source, source_sha256=source_sha256,
                 source_crs=str(given or layer_crs or ""), replace=replace)
    return report


def _first_rows(frame: gpd.GeoDataFrame, offset: int) -> tuple[np.ndarray, np.ndarray]:
    """Each non-blank BSM of a part once (UTF-8 bytes: 16–18 bytes a parcel, not a string object) and its
    row number in the whole layer (0-based)."""
    col = next((c for c in frame.columns if c != frame.geometry.name and str(c).upper() == "BSM"), None)
    if col is None:
        return np.empty(0, dtype="S1"), np.empty(0, dtype=np.int64)
    bsm = frame[col].astype("string").str.strip()
    first = (~bsm.duplicated() & (bsm != "")).to_numpy(dtype=bool, na_value=False)
    keys = pa.array(bsm[first].array).cast(pa.large_binary()).to_numpy(zero_copy_only=False)
    return np.array(keys, dtype=bytes), np.flatnonzero(first) + offset


def _repeated_across_parts(firsts: list[tuple[np.ndarray, np.ndarray]], source: str, report: ImportReport) -> None:
    """BSM values found in more than one part (a repeat inside one part is reported by its own checks)."""
    if len(firsts) < 2:
        return
    keys = np.concatenate([k for k, _ in firsts])
    rows = np.concatenate([r for _, r in firsts])
    order = np.argsort(keys, kind="stable")
    same = keys[order][1:] == keys[order][:-1]
    repeated = np.zeros(len(keys), dtype=bool)
    repeated[order[1:][same]] = repeated[order[:-1][same]] = True
    for i in np.flatnonzero(repeated)[np.argsort(rows[repeated], kind="stable")]:
        bsm = keys[i].decode()
        n = report.counts.get("survey.duplicate_bsm", 0) + 1
        report.counts["survey.duplicate_bsm"] = n
        if n <= MAX_FINDINGS_PER_CODE:
            report.errors.append(Finding("survey.duplicate_bsm", f"{source}：标识码 BSM“{bsm}”重复（第{rows[i] + 1}行）",
                                         feature=bsm, field="BSM", value=bsm))


def import_survey_parts(
    ws: Context, parts: Iterable[gpd.GeoDataFrame], epoch: int, kind: LayerKind | str = LayerKind.PARCELS, *,
    source: str, repair: bool = False, replace: bool = False, crs: str | int | None = None,
    tolerance: AreaTolerance | None = None, progress: Progress | None = None, source_sha256: str = "",
    notes: tuple[str, ...] = (),
) -> ImportReport:
    """Validate and store ONE layer given as several GeoDataFrames, read one after another (one per county,
    or chunks of a layer too large to hold at once): every part gets the checks of ``import_survey_frame``
    (findings name the part: ``<source> 第N部分``), a BSM may not repeat across parts, and the layer is
    stored all or nothing — one error in any part and nothing is stored. One part is held at a time."""
    kind = LayerKind(kind)
    say = progress or (lambda _msg: None)
    report, given = _begin(ws, epoch, kind, replace, source, notes, crs)
    writer = layer_parts.DatasetParts(ws.layout.layers, str(kind), epoch, replace=replace)
    rows, counties, firsts, layer_crs = 0, set(), [], None
    try:
        for i, frame in enumerate(parts, 1):
            if len(frame) == 0:
                continue
            layer_crs = layer_crs or frame.crs
            _note_override(report, source, frame.crs, given)
            firsts.append(_first_rows(frame, rows))
            stored = _check_frame(ws, frame, kind, f"{source} 第{i}部分", given, repair, tolerance, (), report, say)
            rows += len(frame)
            if stored is not None and not report.errors:
                say(f"写入第{i}部分")
                writer.write(stored)
                counties.update(stored[layer_store.COUNTY_COLUMN].tolist())
            del frame, stored
        if rows == 0:
            report.errors.append(Finding("survey.empty_layer", f"{source}：图层中没有任何要素"))
        _repeated_across_parts(firsts, source, report)
        if report.errors:
            writer.abort()
            raise _reject(ws, report, source_sha256)
        path = writer.commit()
    except BaseException:
        writer.abort()
        raise
    _store_epoch(ws, report, path, rows, sorted(counties), source=source, source_sha256=source_sha256,
                 source_crs=str(given or layer_crs or ""), replace=replace)
    return report


def import_survey_file(
    ws: Context, path: Path, epoch: int, kind: LayerKind | str = LayerKind.PARCELS, *, layer: str | None = None,
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
