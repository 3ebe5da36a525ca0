"""Delivered change patches (卫片执法图斑, as a ministry delivers them): read and check, all or nothing.

Fields (English or Chinese headers): id (JCBH 监测编号 / 图斑编号 / BSM), date before (QSX 前时相), date after
(HSX 后时相), optionally the class after (JCDL 监测地类 / DLBM / to_class; blank = unknown, treated as suspected
construction). Polygons in any supported CRS, reprojected to EPSG:4490.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gengbao.domain import land_classes
from gengbao.domain.change import UNKNOWN_CLASS
from gengbao.domain.findings import Finding
from gengbao.monitoring.model import Delivered
from gengbao.services.context import Context
from gengbao.services.intake import Intake, find_column, parse_date

HEADERS = {
    "id": ("id", "JCBH", "监测编号", "图斑编号", "TBBH", "BSM", "编号"),
    "before": ("before_date", "QSX", "前时相", "前时相日期"),
    "after": ("after_date", "HSX", "后时相", "后时相日期"),
    "to_class": ("to_class", "JCDL", "监测地类", "DLBM", "后地类"),
}
LABELS = {"id": "图斑编号", "before": "前时相", "after": "后时相", "to_class": "监测地类"}


def read_delivered(path: Path, layer: str | None = None, ctx: Context | None = None) -> Delivered:
    """Read and check a delivered patch file through the intake (a rejection is recorded when a workspace
    is given)."""
    intake, frame = Intake.read(ctx, Path(path), "patches", action="patches.read", layer=layer)
    return delivered_from_frame(frame, intake.source, intake)


def delivered_from_frame(frame: gpd.GeoDataFrame, source: str, intake: Intake | None = None) -> Delivered:
    intake = intake or Intake(None, "patches", source, action="patches.read")
    names = [str(c) for c in frame.columns if c != frame.geometry.name]
    cols = {k: find_column(names, v) for k, v in HEADERS.items()}
    for k in ("id", "before", "after"):
        if cols[k] is None:
            intake.error("patches.field_missing", f"{source}：缺少必填字段“{LABELS[k]}”（可用列名：{'、'.join(HEADERS[k])}）",
                         field=k)
    if len(frame) == 0:
        intake.error("patches.empty", f"{source}：文件中没有任何图斑")
    intake.check()
    geoms = intake.to_cgcs2000(frame, None)
    if geoms is None:
        raise intake.reject()
    errors = intake.errors
    attrs = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    ids = attrs[cols["id"]].astype("string").fillna("").str.strip()
    dup = ids.duplicated(keep=False).to_numpy()
    dates: dict[str, list[object]] = {"before": [], "after": []}
    to: list[str] = []
    for i in range(len(attrs)):
        ident = str(ids.iloc[i])
        where = f"{source} 第{i + 1}行（{ident or '无编号'}）"

        def err(code: str, msg: str, fld: str | None = None, where: str = where, ident: str = ident,
                row: int = i + 1) -> None:
            errors.append(Finding(code, f"{where}：{msg}", feature=ident or f"第{row}行", field=fld))

        if not ident:
            err("patches.id_missing", "图斑编号为空", "id")
        elif dup[i]:
            err("patches.duplicate_id", f"图斑编号“{ident}”重复", "id")
        for key in ("before", "after"):
            raw = attrs[cols[key]].iloc[i]
            try:
                d = parse_date(raw)
            except (ValueError, TypeError):
                d = None
            if d is None:
                err("patches.date_invalid", f"{LABELS[key]}“{raw}”不是日期（如 2023-06-30）", key)
            dates[key].append(d)
        b, a = dates["before"][-1], dates["after"][-1]
        if b is not None and a is not None and a < b:  # type: ignore[operator]
            err("patches.date_order", f"后时相 {a} 早于前时相 {b}", "after")
        code = str(attrs[cols["to_class"]].iloc[i]).strip() if cols["to_class"] else ""
        code = "" if code.lower() in ("nan", "none") else code.upper()
        if code and not land_classes.is_known(code):
            err("patches.unknown_class", f"监测地类“{code}”不在三调工作分类中", "to_class")
        to.append(code or UNKNOWN_CLASS)
        g = geoms[i]
        if g is None or shapely.is_empty(g) or shapely.get_type_id(g) not in (3, 6):
            err("geometry.wrong_type", "图斑须为非空的面（Polygon/MultiPolygon）")
        elif not shapely.is_valid(g):
            err("geometry.invalid", f"几何图形无效（{shapely.is_valid_reason(g)}）")
    intake.check()
    wkb = shapely.to_wkb(np.asarray(geoms, dtype=object), byte_order=1, output_dimension=2)
    return Delivered(tuple(ids.tolist()), tuple(bytes(w) for w in wkb), tuple(dates["before"]),  # type: ignore[arg-type]
                     tuple(dates["after"]), tuple(to))  # type: ignore[arg-type]
