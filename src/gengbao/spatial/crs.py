"""Coordinate reference systems: CGCS2000 geographic and 3° Gauss-Krüger zones, checks, reprojection.

Supported: EPSG:4490 (CGCS2000 lon/lat), EPSG:4513–4533 (3° Gauss-Krüger zones 25–45, zone number
prefixed to the easting: X = zone × 10⁶ + 500000 + …) and EPSG:4534–4554 (the same zones without the
prefix). EPSG:4326 (WGS84) is accepted as CGCS2000: the two frames agree within centimetres, which is
below survey precision, and ``CrsInfo.warning`` says so. Everything else is unsupported.

Axis order: x is always the easting or longitude (``always_xy``). In Chinese survey convention the
easting is called Y and the northing X; messages therefore say 东坐标/北坐标 where it matters.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError as PyprojCRSError

from gengbao.domain.errors import CrsError

CGCS2000_EPSG = 4490
WGS84_EPSG = 4326
FIRST_ZONE, LAST_ZONE = 25, 45
_PREFIXED_FIRST, _UNPREFIXED_FIRST = 4513, 4534
CHINA_LON = (73.0, 136.0)
CHINA_LAT = (3.0, 54.0)
_CGCS2000_A, _CGCS2000_INVF = 6378137.0, 298.257222101
_PREFIX_MIN_X = 1e7  # an easting at or above this carries a zone prefix (zones 25–45: ≥ 25e6)
_PLAIN_MAX_X = 1e6  # an easting without prefix is 500000 ± a few hundred km

Bounds = tuple[float, float, float, float]


class CrsKind(StrEnum):
    CGCS2000_GEOGRAPHIC = "cgcs2000_geographic"
    CGCS2000_GK = "cgcs2000_gk"
    WGS84 = "wgs84"
    UNSUPPORTED = "unsupported"
    MISSING = "missing"


@dataclass(frozen=True, slots=True)
class CrsInfo:
    kind: CrsKind
    epsg: int | None = None
    zone: int | None = None  # 3° zone (25–45) for Gauss-Krüger
    prefix: bool | None = None  # easting carries the zone number (4513–4533)
    name: str = ""

    @property
    def is_geographic(self) -> bool:
        return self.kind in (CrsKind.CGCS2000_GEOGRAPHIC, CrsKind.WGS84)

    @property
    def is_supported(self) -> bool:
        return self.kind in (CrsKind.CGCS2000_GEOGRAPHIC, CrsKind.CGCS2000_GK, CrsKind.WGS84)

    @property
    def central_meridian(self) -> int | None:
        return None if self.zone is None else self.zone * 3

    @property
    def warning(self) -> str | None:
        """A note for the user when the CRS is accepted with an approximation (WGS84)."""
        if self.kind is CrsKind.WGS84:
            return "坐标系为 WGS84（EPSG:4326），按 CGCS2000（EPSG:4490）处理：两者相差在厘米级，低于调查精度"
        return None

    @property
    def label(self) -> str:
        """Short Chinese description for messages, e.g. ``EPSG:4548（CGCS2000 3度带 117°E，无带号）``."""
        if self.kind is CrsKind.CGCS2000_GK:
            kind = "含带号" if self.prefix else "无带号"
            return f"EPSG:{self.epsg}（CGCS2000 3度带 {self.central_meridian}°E，{kind}）"
        if self.kind is CrsKind.CGCS2000_GEOGRAPHIC:
            return "EPSG:4490（CGCS2000 经纬度）"
        if self.kind is CrsKind.WGS84:
            return "EPSG:4326（WGS84 经纬度）"
        if self.kind is CrsKind.MISSING:
            return "（无坐标系）"
        return f"EPSG:{self.epsg}（{self.name}）" if self.epsg else f"“{self.name or '未知坐标系'}”"


# --- zones --------------------------------------------------------------------------------------


def gk_zone(lon: float) -> int:
    """3° zone number of a longitude: round(lon / 3), halves going east (76.5°E → zone 26)."""
    if not math.isfinite(lon):
        raise CrsError(f"经度 {lon} 不是有限数", code="crs.out_of_china", lon=lon)
    return math.floor(lon / 3 + 0.5)


def gk_epsg(zone: int, prefix: bool) -> int:
    """EPSG code of CGCS2000 3° zone ``zone``: 4513–4533 with the zone prefix in X, 4534–4554 without."""
    if not FIRST_ZONE <= zone <= LAST_ZONE:
        raise CrsError(
            f"3度带带号 {zone}（中央经线 {zone * 3}°E）不在中国范围内：应为 25–45 带（75°E–135°E）",
            code="crs.out_of_china",
            zone=zone,
        )
    return (_PREFIXED_FIRST if prefix else _UNPREFIXED_FIRST) + zone - FIRST_ZONE


def zone_of_epsg(epsg: int) -> tuple[int, bool] | None:
    """(zone, prefix) for EPSG 4513–4554, else None."""
    if _PREFIXED_FIRST <= epsg < _UNPREFIXED_FIRST:
        return FIRST_ZONE + epsg - _PREFIXED_FIRST, True
    if _UNPREFIXED_FIRST <= epsg <= _UNPREFIXED_FIRST + LAST_ZONE - FIRST_ZONE:
        return FIRST_ZONE + epsg - _UNPREFIXED_FIRST, False
    return None


def county_gk_epsg(lon_center: float, prefix: bool = False) -> int:
    """The 3° zone EPSG for planar work in a county centred at ``lon_center`` (景德镇 117°E → 4548)."""
    return gk_epsg(gk_zone(lon_center), prefix)


# --- classification -----------------------------------------------------------------------------


def classify_crs(crs: CRS | str | int | None) -> CrsInfo:
    """Recognise a CRS (a pyproj CRS, an EPSG number, ``"EPSG:4548"``, WKT or .prj text); None = missing."""
    if crs is None:
        return CrsInfo(CrsKind.MISSING)
    if not isinstance(crs, CRS):
        try:
            crs = CRS.from_user_input(crs)
        except PyprojCRSError:
            text = str(crs)
            return CrsInfo(CrsKind.UNSUPPORTED, name=text if len(text) <= 80 else text[:77] + "…")
    epsg = crs.to_epsg(min_confidence=70) or _epsg_from_parameters(crs)
    if epsg == CGCS2000_EPSG:
        return CrsInfo(CrsKind.CGCS2000_GEOGRAPHIC, CGCS2000_EPSG, name=crs.name)
    if epsg == WGS84_EPSG:
        return CrsInfo(CrsKind.WGS84, WGS84_EPSG, name=crs.name)
    zone = zone_of_epsg(epsg) if epsg is not None else None
    if epsg is not None and zone is not None:
        return CrsInfo(CrsKind.CGCS2000_GK, epsg, zone=zone[0], prefix=zone[1], name=crs.name)
    return CrsInfo(CrsKind.UNSUPPORTED, epsg, name=crs.name)


def _epsg_from_parameters(crs: CRS) -> int | None:
    """EPSG of a CGCS2000 CRS written under other names (.prj files from various tools), by its parameters."""
    ellipsoid = crs.ellipsoid
    if ellipsoid is None or abs(ellipsoid.semi_major_metre - _CGCS2000_A) > 1e-3:
        return None
    if abs(ellipsoid.inverse_flattening - _CGCS2000_INVF) > 1e-6:
        return None
    if crs.is_geographic and not crs.is_projected:
        unit = crs.axis_info[0].unit_name.lower() if crs.axis_info else ""
        return CGCS2000_EPSG if unit == "degree" else None
    operation = crs.coordinate_operation
    if (
        not crs.is_projected
        or operation is None
        or "transverse mercator" not in operation.method_name.lower()
    ):
        return None
    params = {p.name.lower(): float(p.value) for p in operation.params if not isinstance(p.value, str)}
    lon0 = params.get("longitude of natural origin", math.nan)
    easting = params.get("false easting", math.nan)
    if (
        params.get("latitude of natural origin") != 0
        or params.get("scale factor at natural origin") != 1
        or params.get("false northing") != 0
        or lon0 % 3 != 0
        or not FIRST_ZONE <= lon0 / 3 <= LAST_ZONE
    ):
        return None
    zone = int(lon0 // 3)
    if easting == 500000:
        return gk_epsg(zone, False)
    if easting == zone * 1_000_000 + 500000:
        return gk_epsg(zone, True)
    return None


# --- checks -------------------------------------------------------------------------------------


def bounds_of(xs: npt.ArrayLike, ys: npt.ArrayLike) -> Bounds:
    """(min x, min y, max x, max y) over finite coordinates; NaNs if there are none."""
    x = np.asarray(xs, dtype=np.float64).ravel()
    y = np.asarray(ys, dtype=np.float64).ravel()
    ok = np.isfinite(x) & np.isfinite(y)
    if not ok.any():
        return (math.nan, math.nan, math.nan, math.nan)
    return (float(x[ok].min()), float(y[ok].min()), float(x[ok].max()), float(y[ok].max()))


def suggest_epsg(bounds: Bounds) -> int | None:
    """The supported EPSG that coordinates in ``bounds`` look like, where the numbers alone tell."""
    minx, miny, maxx, maxy = bounds
    if _in_china_lonlat(bounds):
        return CGCS2000_EPSG
    zone_lo, zone_hi = math.floor(minx / 1e6), math.floor(maxx / 1e6)
    if minx >= _PREFIX_MIN_X and zone_lo == zone_hi and FIRST_ZONE <= zone_lo <= LAST_ZONE:
        return gk_epsg(zone_lo, True)
    return None


def check_coordinates(
    coords: Sequence[float] | tuple[npt.ArrayLike, npt.ArrayLike], info: CrsInfo, *, source: str = "图层"
) -> Bounds:
    """Check that coordinates fit their CRS; return their CGCS2000 lon/lat bounds.

    ``coords`` is (min x, min y, max x, max y) or a pair of coordinate arrays (xs, ys). Raises
    ``CrsError`` with code ``crs.missing``, ``crs.unsupported``, ``crs.swapped_axes``,
    ``crs.zone_prefix_missing``, ``crs.zone_prefix_unexpected``, ``crs.zone_mismatch`` or
    ``crs.out_of_china``; each message says what is wrong, shows the numbers and says how to fix it.
    """
    bounds = bounds_of(coords[0], coords[1]) if len(coords) == 2 else _as_bounds(coords)
    where = f"{source}的坐标范围（{_fmt_bounds(bounds)}）"
    if not all(math.isfinite(v) and abs(v) < MAX_COORDINATE for v in bounds):
        raise CrsError(f"{where}含有超出任何坐标系范围的坐标值：至少一个顶点已损坏（如 1e308、无穷大）。"
                       "请在 GIS 中检查并修复该要素后重新导入", code="geometry.coordinate_out_of_range")
    if info.kind is CrsKind.MISSING:
        raise _missing_error(bounds, where)
    if info.kind is CrsKind.UNSUPPORTED:
        raise CrsError(
            f"不支持的坐标系 {info.label}。支持 CGCS2000 经纬度（EPSG:4490）、CGCS2000 3度带高斯-克吕格投影"
            "（EPSG:4513–4554）和 WGS84（EPSG:4326）。请先把数据转换到 CGCS2000，"
            "或在坐标系信息有误时用 --crs 指定正确的坐标系（如 --crs 4490）",
            code="crs.unsupported",
            epsg=info.epsg,
            crs_name=info.name,
        )
    if not all(math.isfinite(v) for v in bounds):
        return bounds
    if info.is_geographic:
        _check_geographic(bounds, info, where)
    else:
        _check_gk(bounds, info, where)
    lonlat = _lonlat_bounds(bounds, info)
    if not _in_china_lonlat(lonlat):
        converted = (
            "" if info.is_geographic else f"按 {info.label} 换算为经纬度后为（{_fmt_bounds(lonlat)}），"
        )
        raise CrsError(
            f"{where}{converted}超出中国范围（经度 73°–136°，纬度 3°–54°）。坐标系很可能标错了。{_hint(bounds)}",
            code="crs.out_of_china",
            bounds=bounds,
            lonlat=lonlat,
        )
    return lonlat


def _check_geographic(bounds: Bounds, info: CrsInfo, where: str) -> None:
    minx, miny, maxx, maxy = bounds
    if CHINA_LAT[0] <= minx and maxx <= CHINA_LAT[1] and CHINA_LON[0] <= miny and maxy <= CHINA_LON[1]:
        raise CrsError(
            f"{where}：X 像纬度、Y 像经度，经纬度顺序颠倒了（坐标系 {info.label}要求 X 为经度、Y 为纬度）。"
            "请在导出数据时交换经纬度列，或检查 .prj 的轴顺序",
            code="crs.swapped_axes",
            bounds=bounds,
        )
    if max(abs(minx), abs(maxx)) > 360 or max(abs(miny), abs(maxy)) > 90:
        raise CrsError(
            f"{where}是以米为单位的投影坐标，但坐标系 {info.label}是经纬度坐标系。{_hint(bounds)}",
            code="crs.out_of_china",
            bounds=bounds,
        )


def _check_gk(bounds: Bounds, info: CrsInfo, where: str) -> None:
    assert info.zone is not None and info.epsg is not None
    minx, miny, maxx, maxy = bounds
    northing_like = minx >= 3e5 and maxx <= 6.1e6
    if (info.prefix and maxx < _PREFIX_MIN_X and miny >= _PREFIX_MIN_X and northing_like) or (
        not info.prefix and minx >= _PLAIN_MAX_X and maxx < _PREFIX_MIN_X and maxy < _PLAIN_MAX_X
    ):
        raise CrsError(
            f"{where}：X 像北坐标、Y 像东坐标，坐标轴顺序颠倒了（坐标系 {info.label}要求 X 为东坐标、Y 为北坐标）。"
            "请交换 X、Y 两列后再导入",
            code="crs.swapped_axes",
            bounds=bounds,
        )
    zone_lo, zone_hi = math.floor(minx / 1e6), math.floor(maxx / 1e6)
    if info.prefix and maxx < _PLAIN_MAX_X:
        plain = gk_epsg(info.zone, False)
        raise CrsError(
            f"{where}：坐标系 {info.label}要求东坐标带带号（如 {info.zone}500000），但 X 没有带号。"
            f"请用 --crs {plain} 指定（同一 {info.central_meridian}°E 投影带、不含带号）",
            code="crs.zone_prefix_missing",
            bounds=bounds,
            suggested_epsg=plain,
        )
    if info.prefix and minx >= _PREFIX_MIN_X and (zone_lo != info.zone or zone_hi != info.zone):
        found = zone_lo if zone_lo == zone_hi else None
        fix = (
            f"请用 --crs {gk_epsg(found, True)} 指定（{found} 带，中央经线 {found * 3}°E）"
            if found is not None and FIRST_ZONE <= found <= LAST_ZONE
            else "请核对数据所在的投影带"
        )
        raise CrsError(
            f"{where}：X 的带号为 {_zone_text(zone_lo, zone_hi)}，与坐标系 {info.label}的 {info.zone} 带不一致。{fix}",
            code="crs.zone_mismatch",
            bounds=bounds,
            found_zone=found,
        )
    if not info.prefix and minx >= _PREFIX_MIN_X:
        found = zone_lo if zone_lo == zone_hi and FIRST_ZONE <= zone_lo <= LAST_ZONE else None
        fix = (
            f"请用 --crs {gk_epsg(found, True)} 指定（{found} 带、含带号）"
            if found is not None
            else "请核对坐标的带号"
        )
        raise CrsError(
            f"{where}：X 带有带号 {_zone_text(zone_lo, zone_hi)}，但坐标系 {info.label}的东坐标不含带号。{fix}",
            code="crs.zone_prefix_unexpected",
            bounds=bounds,
            suggested_epsg=gk_epsg(found, True) if found is not None else None,
        )


def _missing_error(bounds: Bounds, where: str) -> CrsError:
    return CrsError(
        f"{where}，但数据没有坐标系（如缺少 .prj 文件），也没有指定坐标系。{_hint(bounds)}",
        code="crs.missing",
        bounds=bounds,
        suggested_epsg=suggest_epsg(bounds) if all(math.isfinite(v) for v in bounds) else None,
    )


def _hint(bounds: Bounds) -> str:
    """How to fix it: the EPSG the numbers look like, where they tell."""
    guess = suggest_epsg(bounds) if all(math.isfinite(v) for v in bounds) else None
    if guess == CGCS2000_EPSG:
        return "坐标看起来是经纬度：请用 --crs 4490 指定"
    zone = zone_of_epsg(guess) if guess is not None else None
    if zone is not None:
        return f"坐标看起来是 CGCS2000 3度带 {zone[0]} 带（含带号）：请用 --crs {guess} 指定"
    if bounds[0] > 0 and bounds[2] < _PLAIN_MAX_X:
        return "坐标看起来是不含带号的 3度带投影坐标：请按所在县的中央经线用 --crs 4534–4554 指定（如 117°E 用 --crs 4548）"
    return "请用 --crs 指定正确的坐标系（如 --crs 4490 或 --crs 4548）"


def _as_bounds(values: Sequence[Any]) -> Bounds:
    if len(values) != 4:
        raise ValueError("coords must be (minx, miny, maxx, maxy) or (xs, ys)")
    minx, miny, maxx, maxy = (float(v) for v in values)
    return (minx, miny, maxx, maxy)


MAX_COORDINATE = 1e8  # metres with a zone prefix stay below 5e7; degrees below 180


def _fmt_bounds(b: Bounds) -> str:
    def num(v: float) -> str:
        if abs(v) >= 1e9:  # a broken vertex (1e308 …): say its size, not 300 digits
            return f"{v:.3g}"
        return f"{v:.6f}" if abs(v) < 1000 else f"{v:.2f}"

    return f"X {num(b[0])} 至 {num(b[2])}，Y {num(b[1])} 至 {num(b[3])}"


def _zone_text(lo: int, hi: int) -> str:
    return str(lo) if lo == hi else f"{lo}–{hi}"


def _in_china_lonlat(b: Bounds) -> bool:
    return CHINA_LON[0] <= b[0] and b[2] <= CHINA_LON[1] and CHINA_LAT[0] <= b[1] and b[3] <= CHINA_LAT[1]


def _lonlat_bounds(bounds: Bounds, info: CrsInfo) -> Bounds:
    if info.is_geographic:
        return bounds
    minx, miny, maxx, maxy = bounds
    xs = np.array([minx, maxx, maxx, minx, (minx + maxx) / 2, (minx + maxx) / 2])
    ys = np.array([miny, miny, maxy, maxy, miny, maxy])
    lon, lat = _transformer(_crs_of(info).to_wkt(), CRS.from_epsg(CGCS2000_EPSG).to_wkt()).transform(xs, ys)
    return bounds_of(lon, lat)


# --- reprojection -------------------------------------------------------------------------------

Geometries = npt.NDArray[np.object_]


@lru_cache(maxsize=64)
def _transformer(src_wkt: str, dst_wkt: str) -> Transformer:
    return Transformer.from_crs(CRS.from_wkt(src_wkt), CRS.from_wkt(dst_wkt), always_xy=True)


def _crs_of(crs: CRS | CrsInfo | int | str) -> CRS:
    if isinstance(crs, CrsInfo):
        if crs.kind is CrsKind.MISSING or crs.epsg is None:
            raise CrsError("数据没有坐标系，无法转换坐标。请用 --crs 指定坐标系", code="crs.missing")
        return CRS.from_epsg(crs.epsg)
    return crs if isinstance(crs, CRS) else CRS.from_user_input(crs)


def _reproject(geoms: Geometries, src: CRS, dst: CRS) -> Geometries:
    transformer = _transformer(src.to_wkt(), dst.to_wkt())

    def apply(xy: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        x, y = transformer.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    result: Geometries = shapely.transform(np.asarray(geoms, dtype=object), apply)
    return result


def to_cgcs2000(geoms: Geometries, crs: CRS | CrsInfo | int | str | None) -> Geometries:
    """Reproject geometries to EPSG:4490 lon/lat (x = longitude). WGS84 and 4490 input are returned as is."""
    info = crs if isinstance(crs, CrsInfo) else classify_crs(crs)
    if info.kind is CrsKind.MISSING:
        raise CrsError("数据没有坐标系，无法转换到 CGCS2000。请用 --crs 指定坐标系", code="crs.missing")
    if info.is_geographic:
        return np.asarray(geoms, dtype=object).copy()
    if info.kind is CrsKind.UNSUPPORTED:
        raise CrsError(
            f"不支持的坐标系 {info.label}，无法转换到 CGCS2000", code="crs.unsupported", epsg=info.epsg
        )
    return _reproject(geoms, _crs_of(info), CRS.from_epsg(CGCS2000_EPSG))


def from_cgcs2000(geoms: Geometries, epsg: int | CRS) -> Geometries:
    """Reproject EPSG:4490 lon/lat geometries to ``epsg`` (e.g. the county's Gauss-Krüger zone)."""
    dst = _crs_of(epsg)
    if dst.to_epsg() == CGCS2000_EPSG:
        return np.asarray(geoms, dtype=object).copy()
    return _reproject(geoms, CRS.from_epsg(CGCS2000_EPSG), dst)
