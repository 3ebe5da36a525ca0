"""Use case: import a survey layer (parcels or PBF) into a workspace, all or nothing.

Steps: read (adapters) → CRS check and reprojection to EPSG:4490 (spatial) → field, code, geometry,
arithmetic, area and located-in checks (``survey_checks``) → if there is no error: geometry hash and
GeoParquet dataset partitioned by county, epoch record, import record and audit in one transaction.
A rejected import stores only its import record (what was tried and why it failed).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyproj

from gengbao.adapters import layer_parts, layer_store
from gengbao.adapters.db import survey_store
from gengbao.domain.access import Action
from gengbao.domain.errors import ConflictError
from gengbao.domain.findings import Finding
from gengbao.domain.survey import OPTIONAL_FIELDS, REQUIRED_FIELDS, AreaTolerance, LayerKind, check_epoch
from gengbao.services.context import Context
from gengbao.services.intake import ImportReport, Intake
from gengbao.services.survey.checks import MAX_FINDINGS_PER_CODE, CheckResult, run_checks
from gengbao.spatial.geometry_hash import geometry_hashes

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

Progress = Callable[[str], None]


def _ensure_new(ws: Context, epoch: int, kind: LayerKind, replace: bool) -> None:
    """Who may import, and whether the epoch is free: asked before anything is read."""
    ws.authorise(Action.IMPORT)
    check_epoch(epoch)
    with ws.sessions() as s:
        exists = survey_store.epoch_exists(s, epoch, str(kind))
    if exists and not replace:
        raise ConflictError(
            f"工作空间已有 {epoch} 期{kind.label}。图层是不可变快照；确需替换请加 --replace。", code="survey.epoch_exists"
        )


def _facts(epoch: int, kind: LayerKind) -> dict[str, Any]:
    return {"epoch": epoch, "kind": str(kind), "counties": [], "counts": {}}


def _normalise_columns(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    rename = {c: c.upper() for c in frame.columns if c != frame.geometry.name and c.upper() != c}
    return frame.rename(columns=rename)


def _check_frame(ws: Context, frame: gpd.GeoDataFrame, kind: LayerKind, source: str, given: pyproj.CRS | None,
                 repair: bool, tolerance: AreaTolerance | None, undecodable: dict[int, str],
                 intake: Intake, say: Progress) -> gpd.GeoDataFrame | None:
    """Every check of one frame; findings and counts are added to ``intake``. → The frame to store (EPSG:4490,
    stored columns, area, geometry hash and county), or None where the frame has an error."""
    say("检查坐标系")
    geoms = intake.to_cgcs2000(frame, given, source)
    if geoms is None:
        return None
    say("检查字段、编码与几何")
    frame = _normalise_columns(frame)
    attrs = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    result: CheckResult
    result, county, num = run_checks(attrs, geoms, kind, source, ws.catalog, ws.region, repair,
                                     tolerance or AreaTolerance(), undecodable=undecodable)
    listed = Counter(f.code for f in (*intake.errors, *intake.warnings))  # earlier parts' findings
    for f in (*result.errors, *result.warnings):
        if listed[f.code] < MAX_FINDINGS_PER_CODE:
            listed[f.code] += 1
            intake.add([f])
    for code, n in result.counts.items():
        intake.count(code, n)
    if result.errors:
        return None
    keep = [c for c in (*REQUIRED_FIELDS[kind], *OPTIONAL_FIELDS) if c in attrs.columns]
    out = attrs[keep].copy()
    for c in ("BSM", "DLBM", "ZLDWDM"):
        out[c] = out[c].astype("string").str.strip()
    for c, values in num.items():
        out[c] = values
    out["area_m2"] = np.round(result.area_m2, 2) if result.area_m2 is not None else 0.0
    assert result.geometry is not None  # checks without an error always give the geometries
    out["geom_hash"] = geometry_hashes(result.geometry)
    out[layer_store.COUNTY_COLUMN] = county
    geometry = gpd.GeoSeries(result.geometry, index=out.index, crs="EPSG:4490")  # the part may not start at row 0
    return gpd.GeoDataFrame(out, geometry=geometry, crs="EPSG:4490")


def _store_epoch(ws: Context, intake: Intake, path: Path, count: int, counties: list[str], *, source_crs: str,
                 replace: bool) -> ImportReport:
    """Epoch record, import record and audit in one transaction, then the new version is published (and the
    previous one removed); if the transaction fails, only this import's own version is removed."""
    epoch, kind = intake.facts["epoch"], intake.facts["kind"]
    intake.facts["counties"] = counties

    def write(s: Session) -> None:
        if not replace and survey_store.epoch_exists(s, epoch, kind):
            raise ConflictError(f"工作空间已有 {epoch} 期{LayerKind(kind).label}（另一导入刚刚完成）。", code="survey.epoch_exists")
        survey_store.replace_epoch(s, year=epoch, kind=kind, layer_path=str(path.relative_to(ws.root)),
                                   feature_count=count, counties=counties, source_file=intake.source,
                                   source_sha256=intake.sha256, source_crs=source_crs)

    report = intake.commit(count, subject=f"{kind}/{epoch}", audit={"features": count, "replace": replace},
                           write=write, undo=lambda: layer_store.discard(path))
    layer_store.publish(path)
    return report


def _begin(ws: Context, epoch: int, kind: LayerKind, replace: bool, source: str, notes: tuple[str, ...],
           crs: str | int | None, sha256: str) -> tuple[Intake, pyproj.CRS | None]:
    """What both imports do first: refuse an existing epoch, start the intake, read the CRS the user gave."""
    _ensure_new(ws, epoch, kind, replace)
    intake = Intake(ws, f"survey.{kind}", source, action="survey.import", sha256=sha256, notes=notes,
                    **_facts(epoch, kind))
    return intake, intake.given_crs(crs)


def import_survey_frame(
    ws: Context, frame: gpd.GeoDataFrame, epoch: int, kind: LayerKind | str = LayerKind.PARCELS, *,
    source: str, repair: bool = False, replace: bool = False, crs: str | int | None = None,
    tolerance: AreaTolerance | None = None, progress: Progress | None = None, source_sha256: str = "",
    notes: tuple[str, ...] = (), undecodable: tuple[tuple[int, str], ...] = (),
) -> ImportReport:
    """Validate and store a layer given as a GeoDataFrame (the same checks as a file import)."""
    kind = LayerKind(kind)
    with layer_store.epoch_lock(ws.layout.layers, str(kind), epoch, what=kind.label):
        say = progress or (lambda _msg: None)
        intake, given = _begin(ws, epoch, kind, replace, source, notes, crs, source_sha256)
        if len(frame) == 0:
            intake.error("survey.empty_layer", f"{source}：图层中没有任何要素")
            raise intake.reject()
        stored = _check_frame(ws, frame, kind, source, given, repair, tolerance, dict(undecodable), intake, say)
        if stored is None:
            raise intake.reject()
        say("写入图层")
        path = layer_store.write_version(ws.layout.layers, str(kind), epoch, stored)
        counties = sorted(set(stored[layer_store.COUNTY_COLUMN].tolist()))
        return _store_epoch(ws, intake, path, len(stored), counties, source_crs=str(given or frame.crs or ""),
                            replace=replace)


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


def _repeated_across_parts(firsts: list[tuple[np.ndarray, np.ndarray]], source: str, intake: Intake) -> None:
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
        intake.count("survey.duplicate_bsm")
        if intake.facts["counts"]["survey.duplicate_bsm"] <= MAX_FINDINGS_PER_CODE:
            intake.errors.append(Finding("survey.duplicate_bsm", f"{source}：标识码 BSM“{bsm}”重复（第{rows[i] + 1}行）",
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
    with layer_store.epoch_lock(ws.layout.layers, str(kind), epoch, what=kind.label):
        say = progress or (lambda _msg: None)
        intake, given = _begin(ws, epoch, kind, replace, source, notes, crs, source_sha256)
        writer = layer_parts.DatasetParts(ws.layout.layers, str(kind), epoch)
        rows, counties, firsts, layer_crs = 0, set(), [], None
        try:
            for i, frame in enumerate(parts, 1):
                if len(frame) == 0:
                    continue
                layer_crs = layer_crs or frame.crs
                firsts.append(_first_rows(frame, rows))
                stored = _check_frame(ws, frame, kind, f"{source} 第{i}部分", given, repair, tolerance, {}, intake, say)
                rows += len(frame)
                if stored is not None and not intake.errors:
                    say(f"写入第{i}部分")
                    writer.write(stored)
                    counties.update(stored[layer_store.COUNTY_COLUMN].tolist())
                del frame, stored
            if rows == 0:
                intake.error("survey.empty_layer", f"{source}：图层中没有任何要素")
            _repeated_across_parts(firsts, source, intake)
            if intake.errors:
                writer.abort()
                raise intake.reject()
            path = writer.commit()
        except BaseException:
            writer.abort()
            raise
        return _store_epoch(ws, intake, path, rows, sorted(counties), source_crs=str(given or layer_crs or ""),
                            replace=replace)


def import_survey_file(
    ws: Context, path: Path, epoch: int, kind: LayerKind | str = LayerKind.PARCELS, *, layer: str | None = None,
    crs: str | int | None = None, repair: bool = False, replace: bool = False, tolerance: AreaTolerance | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Read a file (GPKG, SHP, GDB, GeoJSON) and import it with ``import_survey_frame``."""
    kind = LayerKind(kind)
    with layer_store.epoch_lock(ws.layout.layers, str(kind), epoch, what=kind.label):
        say = progress or (lambda _msg: None)
        _ensure_new(ws, epoch, kind, replace)
        say(f"读取 {Path(path).name}")
        read, frame = Intake.read(ws, Path(path), f"survey.{kind}", action="survey.import", layer=layer,
                                  **_facts(epoch, kind))
        return import_survey_frame(
            ws, frame, epoch, kind, source=read.source, repair=repair, replace=replace, crs=crs,
            tolerance=tolerance, progress=progress, source_sha256=read.sha256,
            notes=tuple(w.message for w in read.warnings), undecodable=tuple(read.facts["undecodable"].items()),
        )
