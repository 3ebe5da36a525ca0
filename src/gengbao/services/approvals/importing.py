"""Use case: import approvals (农用地转用批复), facility filings (设施农用地备案) and temporary-use permits
(临时用地批准) into a workspace, all or nothing.

Fields (English or Chinese headers, case-insensitive): id (批准文号 / 备案编号 …), issue date (批准日期 /
备案日期), valid until (有效期至; required for temporary use), filed area in m² (备案面积; required for
facility filings), polygon. ``kind`` comes from the caller, or per row from a ``kind``/``类型`` column.
Every problem is collected as a finding naming the file, row and field; if there is any error nothing
is stored (a rejected import records only its import record). Stable codes: ``approval.*``, ``geometry.*``,
``crs.*``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gengbao.adapters.db import approvals_store
from gengbao.domain.access import Action
from gengbao.domain.findings import Finding
from gengbao.domain.legality import ApprovalKind
from gengbao.services.context import Context
from gengbao.services.intake import ImportReport, Intake, find_column, parse_date
from gengbao.spatial.area import ellipsoidal_area

HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("id", "approval_id", "批准文号", "备案编号", "批文号", "文号", "编号", "许可证号"),
    "issued": ("issued", "issue_date", "批准日期", "备案日期", "批复日期", "发证日期"),
    "valid_until": ("valid_until", "有效期至", "到期日期", "截止日期", "有效期"),
    "filed_area": ("filed_area", "filed_area_m2", "备案面积", "批准面积", "申请面积"),
    "kind": ("kind", "类型", "批文类型"),
}
MAX_ID_CHARS = 128  # approval.approval_id is String(128)
LABELS = {"id": "批准文号/备案编号", "issued": "批准日期", "valid_until": "有效期至", "filed_area": "备案面积",
          "kind": "类型"}
KIND_WORDS = {"conversion": ApprovalKind.CONVERSION, "农用地转用": ApprovalKind.CONVERSION, "转用": ApprovalKind.CONVERSION,
              "facility": ApprovalKind.FACILITY, "设施农用地": ApprovalKind.FACILITY, "备案": ApprovalKind.FACILITY,
              "temporary": ApprovalKind.TEMPORARY, "临时用地": ApprovalKind.TEMPORARY}


def _kind_of(value: Any) -> ApprovalKind | None:
    return KIND_WORDS.get(str(value).strip().lower()) or KIND_WORDS.get(str(value).strip())


def _row_findings(frame: pd.DataFrame, cols: dict[str, str | None], kind: ApprovalKind | None, source: str,
                  geoms: np.ndarray) -> tuple[list[Finding], list[dict[str, Any]]]:
    errors: list[Finding] = []
    rows: list[dict[str, Any]] = []
    ids = frame[cols["id"]].astype("string").fillna("").str.strip() if cols["id"] else None
    dup = ids.duplicated(keep=False).to_numpy() if ids is not None else np.zeros(len(frame), bool)
    for i in range(len(frame)):
        where = f"{source} 第{i + 1}行"
        ident = str(ids.iloc[i]) if ids is not None else ""

        def err(code: str, msg: str, fld: str | None = None, value: Any = None, where: str = where,
                ident: str = ident, row: int = i + 1) -> None:
            errors.append(Finding(code, f"{where}（{ident or '无编号'}）：{msg}", feature=ident or f"第{row}行",
                                  field=fld, value=None if value is None else str(value)))

        if not ident:
            err("approval.id_missing", f"{LABELS['id']}为空", "id")
        elif len(ident) > MAX_ID_CHARS:  # the database keeps at most this many (PostgreSQL enforces it)
            err("approval.id_too_long", f"{LABELS['id']}长 {len(ident)} 个字符，超过 {MAX_ID_CHARS} 个字符的上限", "id",
                ident[:40] + "…")
        elif dup[i]:
            err("approval.duplicate_id", f"{LABELS['id']}“{ident}”在文件中重复", "id", ident)
        k = kind
        if k is None:
            raw = frame[cols["kind"]].iloc[i] if cols["kind"] else None
            k = _kind_of(raw) if raw is not None else None
            if k is None:
                err("approval.kind_invalid", f"类型“{raw}”无法识别，应为 conversion（农用地转用）、facility（设施农用地）"
                    "或 temporary（临时用地），或用 --kind 指定", "kind", raw)
        parsed: dict[str, Any] = {}
        unreadable: set[str] = set()
        for key in ("issued", "valid_until"):
            raw = frame[cols[key]].iloc[i] if cols[key] else None
            try:
                parsed[key] = parse_date(raw)
            except (ValueError, TypeError):
                err("approval.date_invalid", f"{LABELS[key]}“{raw}”不是日期（如 2021-05-01）", key, raw)
                parsed[key] = None
                unreadable.add(key)
        if parsed["issued"] is None and "issued" not in unreadable:
            err("approval.date_missing", f"{LABELS['issued']}为空", "issued")
        if k is ApprovalKind.TEMPORARY and parsed["valid_until"] is None and "valid_until" not in unreadable:
            err("approval.valid_until_missing", "临时用地须填写有效期至", "valid_until")
        if parsed.get("issued") and parsed.get("valid_until") and parsed["valid_until"] < parsed["issued"]:
            err("approval.date_order", f"有效期至 {parsed['valid_until']} 早于批准日期 {parsed['issued']}", "valid_until")
        filed: Decimal | None = None
        raw = frame[cols["filed_area"]].iloc[i] if cols["filed_area"] else None
        if raw is not None and str(raw).strip() not in ("", "nan", "None"):
            try:
                filed = Decimal(str(raw).strip().replace(",", ""))
                if not filed.is_finite() or filed <= 0:
                    raise InvalidOperation
            except InvalidOperation:
                err("approval.area_invalid", f"{LABELS['filed_area']}“{raw}”不是正数（单位：平方米）", "filed_area", raw)
                filed = None
        elif k is ApprovalKind.FACILITY and cols["filed_area"]:
            err("approval.area_missing", "设施农用地备案须填写备案面积", "filed_area")
        g = geoms[i]
        if g is None or shapely.is_missing(g):
            err("geometry.null", "没有几何图形（批准范围）")
        elif shapely.is_empty(g):
            err("geometry.empty", "几何图形为空")
        elif shapely.get_type_id(g) not in (3, 6):
            err("geometry.wrong_type", f"几何图形是 {g.geom_type}，批准范围须为面（Polygon/MultiPolygon）")
        elif not shapely.is_valid(g):
            err("geometry.invalid", f"几何图形无效（{shapely.is_valid_reason(g)}），请在 GIS 中修正后再导入")
        rows.append({"id": ident, "kind": k, "filed": filed, "row": i + 1, **parsed})
    return errors, rows


def import_approvals_frame(ws: Context, frame: gpd.GeoDataFrame, kind: ApprovalKind | str | None, source: str, *,
                           crs: str | int | None = None, source_sha256: str = "") -> ImportReport:
    """Validate and store approvals given as a GeoDataFrame; all or nothing."""
    ws.authorise(Action.IMPORT)
    k = ApprovalKind(kind) if kind is not None else None
    intake = Intake(ws, "approvals", source, action="approvals.import", sha256=source_sha256, kinds={})
    cols = {key: find_column([str(c) for c in frame.columns if c != frame.geometry.name], names)
            for key, names in HEADERS.items()}
    required = ["id", "issued"] + (["kind"] if k is None else []) + (
        ["valid_until"] if k is ApprovalKind.TEMPORARY else []) + (["filed_area"] if k is ApprovalKind.FACILITY else [])
    for key in required:
        if cols[key] is None:
            intake.error("approval.field_missing", f"{source}：缺少必填字段“{LABELS[key]}”（可用列名："
                         f"{'、'.join(HEADERS[key])}）", field=key)
    if len(frame) == 0:
        intake.error("approval.empty", f"{source}：文件中没有任何批文")
    intake.check()
    geoms = intake.to_cgcs2000(frame, intake.given_crs(crs))
    if geoms is None:
        raise intake.reject()
    errors, rows = _row_findings(pd.DataFrame(frame.drop(columns=frame.geometry.name)), cols, k, source, geoms)
    intake.add(errors)
    with ws.sessions() as s:
        taken = approvals_store.existing_ids(s, [r["id"] for r in rows if r["id"]])
    for r in rows:
        if r["id"] in taken:
            intake.error("approval.id_exists", f"{source} 第{r['row']}行：编号“{r['id']}”已在工作空间中",
                         feature=r["id"], field="id", value=r["id"])
    kinds = intake.facts["kinds"]
    for r in rows:
        if r["kind"] is not None:
            kinds[str(r["kind"])] = kinds.get(str(r["kind"]), 0) + 1
    intake.check()
    areas = ellipsoidal_area(geoms)
    bounds = shapely.bounds(geoms)
    wkb = shapely.to_wkb(geoms, byte_order=1, output_dimension=2)
    stored = [approvals_store.ApprovalRow(
        r["id"], str(r["kind"]), r["issued"], r["valid_until"], r["filed"], Decimal(f"{areas[i]:.2f}"), bytes(wkb[i]),
        (float(bounds[i][0]), float(bounds[i][1]), float(bounds[i][2]), float(bounds[i][3])), source, r["row"])
        for i, r in enumerate(rows)]
    now = datetime.now(UTC)
    return intake.commit(len(stored), subject=source, audit={"count": len(stored), "kinds": kinds},
                         write=lambda s: approvals_store.store(s, stored, now))


def import_approvals_file(ws: Context, path: Path, kind: ApprovalKind | str | None, *, layer: str | None = None,
                          crs: str | int | None = None) -> ImportReport:
    """Read a file (GPKG, SHP, GDB, GeoJSON, or a table with WKT) and import it with ``import_approvals_frame``."""
    ws.authorise(Action.IMPORT)
    read, frame = Intake.read(ws, Path(path), "approvals", action="approvals.import", layer=layer,
                              kinds={})
    return import_approvals_frame(ws, frame, kind, read.source, crs=crs, source_sha256=read.sha256)
