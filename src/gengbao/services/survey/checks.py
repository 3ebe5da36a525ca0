"""Vectorised checks of a survey layer: every problem is collected, nothing stops at the first one.

Input is a GeoDataFrame already in EPSG:4490 with upper-case column names. Output: error and warning
findings, and the geometry array to store (repaired where ``repair`` was asked for).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from gengbao.domain import land_classes
from gengbao.domain.findings import Finding, Severity
from gengbao.domain.regions import RegionCatalog, zldwdm_problem
from gengbao.domain.survey import (
    ARITHMETIC_TOLERANCE_M2,
    FIELD_LABELS,
    NUMERIC_FIELDS,
    REQUIRED_FIELDS,
    TERRACE_CODE,
    AreaTolerance,
    LayerKind,
)
from gengbao.spatial.area import ellipsoidal_area
from gengbao.spatial.degenerate import drop_degenerate

MAX_FINDINGS_PER_CODE = 1000


@dataclass
class CheckResult:
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    geometry: np.ndarray | None = None
    area_m2: np.ndarray | None = None
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, finding: Finding) -> None:
        n = self.counts.get(finding.code, 0) + 1
        self.counts[finding.code] = n
        if n > MAX_FINDINGS_PER_CODE:
            return
        (self.errors if finding.severity is Severity.ERROR else self.warnings).append(finding)


def feature_ids(frame: pd.DataFrame) -> np.ndarray:
    """BSM where present, else ``第N行`` (1-based row number in the source)."""
    rows = np.array([f"第{i + 1}行" for i in range(len(frame))], dtype=object)
    if "BSM" not in frame.columns:
        return rows
    bsm = frame["BSM"].astype("string").fillna("").str.strip().to_numpy(dtype=object)
    return np.where(bsm != "", bsm, rows)


def _emit(result: CheckResult, mask: np.ndarray, make: Callable[[int], Finding]) -> None:
    for i in np.flatnonzero(mask):
        result.add(make(int(i)))


def check_fields(frame: pd.DataFrame, kind: LayerKind, source: str) -> list[Finding]:
    missing = [f for f in REQUIRED_FIELDS[kind] if f not in frame.columns]
    return [
        Finding(
            "survey.field_missing",
            f"{source}：缺少必填字段 {f}（{FIELD_LABELS.get(f, f)}）。{kind.label}须包含字段："
            f"{'、'.join(REQUIRED_FIELDS[kind])}。",
            field=f,
        )
        for f in missing
    ]


def _numeric(frame: pd.DataFrame, ids: np.ndarray, result: CheckResult, source: str) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for f in NUMERIC_FIELDS:
        raw = frame[f]
        num = pd.to_numeric(raw, errors="coerce").to_numpy(dtype="float64")
        bad = np.isnan(num)
        _emit(result, bad, lambda i, f=f, raw=raw: Finding(  # type: ignore[misc]
            "survey.field_type", f"{source}：要素 {ids[i]} 的 {f}（{FIELD_LABELS[f]}）值“{raw.iloc[i]}”不是数字",
            feature=str(ids[i]), field=f, value=str(raw.iloc[i])))
        out[f] = num
    return out


def check_geometry(geoms: np.ndarray, ids: np.ndarray, result: CheckResult, source: str, repair: bool,
                   undecodable: dict[int, str]) -> np.ndarray:
    undec = np.zeros(len(geoms), dtype=bool)
    undec[list(undecodable)] = True
    for i, reason in sorted(undecodable.items()):
        result.add(Finding("geometry.invalid", f"{source}：要素 {ids[i]} 的几何图形无法解读（{reason}），须在 GIS 中修正",
                           feature=str(ids[i]), value=reason))
    missing = shapely.is_missing(geoms)
    null = missing & ~undec
    _emit(result, null, lambda i: Finding(
        "geometry.null", f"{source}：要素 {ids[i]} 没有几何图形", feature=str(ids[i])))
    geoms = np.where(missing, shapely.from_wkt("POLYGON EMPTY"), geoms)
    empty = shapely.is_empty(geoms) & ~missing
    _emit(result, empty, lambda i: Finding(
        "geometry.empty", f"{source}：要素 {ids[i]} 的几何图形为空", feature=str(ids[i])))
    types = shapely.get_type_id(geoms)
    wrong = ~np.isin(types, (3, 6)) & ~empty & ~missing
    names = {0: "点", 1: "线", 2: "线环", 4: "多点", 5: "多线", 7: "几何集合"}
    _emit(result, wrong, lambda i: Finding(
        "geometry.wrong_type",
        f"{source}：要素 {ids[i]} 是{names.get(int(types[i]), '非面')}要素，图斑须为面（Polygon/MultiPolygon）",
        feature=str(ids[i])))
    ok_type = ~wrong & ~empty & ~missing
    geoms, cleaned = drop_degenerate(geoms)
    _emit(result, cleaned & ok_type, lambda i: Finding(
        "geometry.degenerate_removed", f"{source}：要素 {ids[i]} 含面积为零的碎部件或洞（小于 1 平方厘米），已去除，面积不变",
        severity=Severity.INFO, feature=str(ids[i])))
    invalid = ok_type & ~shapely.is_valid(geoms)
    if invalid.any():
        reasons = shapely.is_valid_reason(geoms[invalid])
        reason_of = dict(zip(np.flatnonzero(invalid), reasons, strict=True))
        if repair:
            fixed = shapely.make_valid(geoms[invalid])
            polys = np.array([_polygonal(g) for g in fixed], dtype=object)
            geoms = geoms.copy()
            geoms[invalid] = polys
            _emit(result, invalid, lambda i: Finding(
                "geometry.repaired", f"{source}：要素 {ids[i]} 的几何图形无效（{reason_of[i]}），已自动修复",
                severity=Severity.WARNING, feature=str(ids[i]), value=str(reason_of[i])))
            still_bad = invalid & (shapely.is_empty(geoms) | ~shapely.is_valid(geoms))
            _emit(result, still_bad, lambda i: Finding(
                "geometry.unrepairable", f"{source}：要素 {ids[i]} 的几何图形无法修复为有效的面", feature=str(ids[i])))
        else:
            _emit(result, invalid, lambda i: Finding(
                "geometry.invalid",
                f"{source}：要素 {ids[i]} 的几何图形无效（{reason_of[i]}）。可在 GIS 中修复，或导入时加 --repair 自动修复",
                feature=str(ids[i]), value=str(reason_of[i])))
    return geoms


def _polygonal(g: shapely.Geometry) -> shapely.Geometry:
    """Keep the polygonal part of a repaired geometry (make_valid may add lines or points)."""
    if shapely.get_type_id(g) in (3, 6):
        return g
    parts = [p for p in shapely.get_parts(g) if shapely.get_type_id(p) in (3, 6)]
    if not parts:
        return shapely.from_wkt("POLYGON EMPTY")
    return shapely.multipolygons(shapely.get_parts(np.array(parts, dtype=object))) if len(parts) > 1 else parts[0]


CODE_FIELDS = ("DLBM", "ZLDWDM", "KCDLBM", "QSDWDM")  # codes with leading zeros: text, never numbers


def check_code_types(frame: pd.DataFrame, source: str) -> list[Finding]:
    """A code column stored as numbers has lost its leading zeros (0201 read as 201): refuse it whole,
    before any value is judged, and say how to fix the file."""
    return [Finding("survey.code_not_text", f"{source}：字段 {c} 是数值型，编码的前导零已丢失（如 0201 变成 201）。"
                    f"请在 GIS 中把 {c} 改为文本型（字符串）后重新导出", field=c)
            for c in CODE_FIELDS if c in frame.columns and pd.api.types.is_numeric_dtype(frame[c])]


def check_codes(frame: pd.DataFrame, ids: np.ndarray, result: CheckResult, source: str) -> None:
    dlbm = frame["DLBM"].astype("string").fillna("").str.strip()
    uniq = pd.unique(dlbm)
    unknown = {c for c in uniq if not land_classes.is_known(c)}
    if unknown:
        _emit(result, dlbm.isin(unknown).to_numpy(), lambda i: Finding(
            "survey.unknown_class",
            f"{source}：要素 {ids[i]} 的地类编码 DLBM“{dlbm.iloc[i]}”不在三调工作分类中",
            feature=str(ids[i]), field="DLBM", value=str(dlbm.iloc[i])))
    if "DLMC" in frame.columns:
        dlmc = frame["DLMC"].astype("string").fillna("").str.strip()
        expected = dlbm.map(lambda c: lc.name if (lc := land_classes.find(c)) is not None else "")
        mism = ((dlmc != "") & (expected != "") & (dlmc != expected)).to_numpy()
        _emit(result, mism, lambda i: Finding(
            "survey.class_name_mismatch",
            f"{source}：要素 {ids[i]} 的地类名称“{dlmc.iloc[i]}”与编码 {dlbm.iloc[i]}（{expected.iloc[i]}）不符",
            severity=Severity.WARNING, feature=str(ids[i]), field="DLMC", value=str(dlmc.iloc[i])))


def check_ids(frame: pd.DataFrame, ids: np.ndarray, result: CheckResult, source: str) -> None:
    bsm = frame["BSM"].astype("string").fillna("").str.strip()
    blank = (bsm == "").to_numpy()
    _emit(result, blank, lambda i: Finding(
        "survey.bsm_missing", f"{source}：{ids[i]}的标识码 BSM 为空", feature=str(ids[i]), field="BSM"))
    dup = bsm.duplicated(keep=False).to_numpy() & ~blank
    _emit(result, dup, lambda i: Finding(
        "survey.duplicate_bsm", f"{source}：标识码 BSM“{bsm.iloc[i]}”重复（第{i + 1}行）",
        feature=str(ids[i]), field="BSM", value=str(bsm.iloc[i])))


def check_arithmetic(num: dict[str, np.ndarray], ids: np.ndarray, result: CheckResult, source: str) -> None:
    tbmj, kcxs, kcmj, tbdlmj = num["TBMJ"], num["KCXS"], num["KCMJ"], num["TBDLMJ"]
    known = ~(np.isnan(tbmj) | np.isnan(kcxs) | np.isnan(kcmj) | np.isnan(tbdlmj))
    bad_kcxs = known & ((kcxs < 0) | (kcxs >= 1))
    _emit(result, bad_kcxs, lambda i: Finding(
        "survey.kcxs_range", f"{source}：要素 {ids[i]} 的扣除系数 KCXS={kcxs[i]} 不在 [0, 1) 范围内",
        feature=str(ids[i]), field="KCXS", value=str(kcxs[i])))
    cents = np.floor(np.abs(tbmj) * kcxs * 100 + 0.5 + 1e-9) / 100
    tol = ARITHMETIC_TOLERANCE_M2 + 1e-6
    bad_kc = known & (np.abs(kcmj - cents) > tol)
    _emit(result, bad_kc, lambda i: Finding(
        "survey.kcmj_mismatch",
        f"{source}：要素 {ids[i]} 的 KCMJ={kcmj[i]:.2f}，按 TBMJ×KCXS={tbmj[i]:.2f}×{kcxs[i]} 应为 {cents[i]:.2f}",
        feature=str(ids[i]), field="KCMJ", value=f"{kcmj[i]:.2f}"))
    bad_net = known & (np.abs(tbdlmj - (tbmj - kcmj)) > tol)
    _emit(result, bad_net, lambda i: Finding(
        "survey.tbdlmj_mismatch",
        f"{source}：要素 {ids[i]} 的 TBDLMJ={tbdlmj[i]:.2f}，按 TBMJ−KCMJ 应为 {tbmj[i] - kcmj[i]:.2f}",
        feature=str(ids[i]), field="TBDLMJ", value=f"{tbdlmj[i]:.2f}"))
    negative = known & (tbmj <= 0)
    _emit(result, negative, lambda i: Finding(
        "survey.tbmj_nonpositive", f"{source}：要素 {ids[i]} 的图斑面积 TBMJ={tbmj[i]} 不是正数",
        feature=str(ids[i]), field="TBMJ", value=str(tbmj[i])))


def check_slope_fields(frame: pd.DataFrame, num: dict[str, np.ndarray], ids: np.ndarray, result: CheckResult,
                       source: str) -> None:
    if "GDPDJB" not in frame.columns:
        return
    dlbm = frame["DLBM"].astype("string").fillna("").str.strip()
    farmland = dlbm.isin(land_classes.FARMLAND_CODES).to_numpy()
    grade = pd.to_numeric(frame["GDPDJB"], errors="coerce").to_numpy(dtype="float64")
    kcdlbm = frame["KCDLBM"].astype("string").fillna("").str.strip() if "KCDLBM" in frame else pd.Series([""] * len(frame))
    sloped = farmland & (grade > 1) & (num["KCXS"] > 0)
    bad = sloped & (kcdlbm != TERRACE_CODE).to_numpy()
    _emit(result, bad, lambda i: Finding(
        "survey.kcdlbm_missing",
        f"{source}：要素 {ids[i]} 为坡度级别 {int(grade[i])} 的耕地且有扣除系数，扣除地类编码 KCDLBM 应为 1203（田坎）",
        severity=Severity.WARNING, feature=str(ids[i]), field="KCDLBM"))


def check_located_in(frame: pd.DataFrame, ids: np.ndarray, result: CheckResult, source: str,
                     catalog: RegionCatalog, region: str) -> np.ndarray:
    """Check ZLDWDM; return the 6-digit county code of each feature ('' where unusable)."""
    z = frame["ZLDWDM"].astype("string").fillna("").str.strip()
    region_name = catalog.get(region).name
    county = np.full(len(z), "", dtype=object)
    for value, idx in pd.Series(np.arange(len(z))).groupby(z.to_numpy()).groups.items():
        rows = np.asarray(idx)
        problem = zldwdm_problem(str(value))
        if problem:
            for i in rows:
                result.add(Finding("survey.zldwdm_format", f"{source}：要素 {ids[i]} 的坐落单位代码 ZLDWDM“{value}”{problem}",
                                   feature=str(ids[i]), field="ZLDWDM", value=str(value)))
            continue
        village = str(value)[:12]
        if not village.startswith(region):
            for i in rows:
                result.add(Finding(
                    "survey.zldwdm_outside_region",
                    f"{source}：要素 {ids[i]} 的坐落单位代码 {value} 不在工作空间范围 {region_name}（{region}）内",
                    feature=str(ids[i]), field="ZLDWDM", value=str(value)))
            continue
        county[rows] = village[:6]
        township_level = village.endswith("000") and village[:9] in catalog  # land held at township level
        if village not in catalog and not township_level:
            for i in rows:
                result.add(Finding(
                    "survey.zldwdm_unknown_village",
                    f"{source}：要素 {ids[i]} 的村级代码 {village} 不在区划代码表（{catalog.source}）中",
                    severity=Severity.WARNING, feature=str(ids[i]), field="ZLDWDM", value=str(value)))
    return county


def check_area(num: dict[str, np.ndarray], area: np.ndarray, ids: np.ndarray, result: CheckResult, source: str,
               tolerance: AreaTolerance) -> None:
    tbmj = num["TBMJ"]
    known = ~np.isnan(tbmj) & (area > 0)
    off = known & (np.abs(tbmj - area) > np.maximum(tolerance.absolute, tolerance.relative * area))
    _emit(result, off, lambda i: Finding(
        "survey.tbmj_area_mismatch",
        f"{source}：要素 {ids[i]} 的 TBMJ={tbmj[i]:.2f} m² 与按 CGCS2000 椭球计算的面积 {area[i]:.2f} m² 相差 "
        f"{tbmj[i] - area[i]:+.2f} m²", severity=Severity.WARNING, feature=str(ids[i]), field="TBMJ",
        value=f"{tbmj[i]:.2f}"))


def run_checks(frame: pd.DataFrame, geoms: np.ndarray, kind: LayerKind, source: str, catalog: RegionCatalog,
               region: str, repair: bool, tolerance: AreaTolerance,
               undecodable: dict[int, str] | None = None) -> tuple[CheckResult, np.ndarray, dict[str, np.ndarray]]:
    result = CheckResult()
    ids = feature_ids(frame)
    for f in (*check_fields(frame, kind, source), *check_code_types(frame, source)):
        result.add(f)
    if result.errors:
        return result, np.full(len(frame), "", dtype=object), {}
    num = _numeric(frame, ids, result, source)
    check_ids(frame, ids, result, source)
    check_codes(frame, ids, result, source)
    check_arithmetic(num, ids, result, source)
    check_slope_fields(frame, num, ids, result, source)
    county = check_located_in(frame, ids, result, source, catalog, region)
    geoms = check_geometry(geoms, ids, result, source, repair, undecodable or {})
    usable = ~shapely.is_empty(geoms) & np.isin(shapely.get_type_id(geoms), (3, 6)) & shapely.is_valid(geoms)
    area = np.zeros(len(geoms))
    if usable.any():
        area[usable] = ellipsoidal_area(geoms[usable])
    check_area(num, area, ids, result, source, tolerance)
    result.geometry = geoms
    result.area_m2 = area
    return result, county, num
