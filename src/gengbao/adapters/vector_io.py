"""One door for vector files: read and write survey layers (GeoPackage, Shapefile, FileGDB, GeoJSON).

``read_layer`` refuses what it cannot read whole, with a stable code and a Chinese message naming
the file: missing or empty files, truncated shapefiles, missing .dbf/.shx, unknown formats and
layers. Shapefiles without a .cpg are decoded as UTF-8 when every attribute byte is valid UTF-8,
otherwise as GBK (the usual encoding of Chinese survey data), and the choice is reported.
"""

from __future__ import annotations

import struct
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pyogrio.raw
import shapely
import shapely.errors
from pyogrio.errors import DataLayerError, DataSourceError, FieldError, GeometryError

from gengbao.domain.errors import InputError

FORMATS = {".gpkg": "GPKG", ".shp": "ESRI Shapefile", ".gdb": "OpenFileGDB", ".geojson": "GeoJSON", ".json": "GeoJSON"}
PREFERRED_LAYERS = {"parcels": ("DLTB",), "pbf": ("YJJBNTTB", "YJJBNT", "PBF")}


@dataclass(frozen=True, slots=True)
class LayerSource:
    path: Path
    driver: str
    layer: str | None
    encoding: str | None
    crs_wkt: str | None
    notes: tuple[str, ...] = field(default_factory=tuple)
    # Rows (0-based) whose geometry the file holds but could not be decoded, with the reason.
    undecodable: tuple[tuple[int, str], ...] = field(default_factory=tuple)


def _fail(code: str, message: str, path: Path, **details: object) -> InputError:
    return InputError(message, code=code, file=str(path), **details)


# What GDAL/OGR says (English) → what a user is told; the original text stays in the error's details.
_GDAL_REASONS = (
    ("database disk image is malformed", "数据库文件已损坏或被截断"),
    ("file is not a database", "文件不是 SQLite/GeoPackage 数据库"),
    ("file is encrypted", "文件已加密或不是数据库"),
    ("not recognized as", "无法识别的文件格式（扩展名与内容不符，或文件已损坏）"),
    ("no such file", "文件或其组成部分不存在"),
    ("permission denied", "没有读取该文件的权限"),
    ("unable to open", "无法打开文件（可能被其他程序占用或已损坏）"),
    ("corrupt", "文件内容已损坏"),
    ("truncat", "文件已截断"),
)


def gdal_reason(exc: BaseException) -> str:
    """A Chinese reason for a GDAL/OGR failure (its English text is kept apart, in ``details['gdal']``)."""
    text = str(exc).lower()
    return next((zh for needle, zh in _GDAL_REASONS if needle in text), "GDAL 无法解析该文件")


def _unreadable(path: Path, verb: str, exc: BaseException, hint: str = "") -> InputError:
    return _fail("file.unreadable", f"无法{verb} {path.name}：{gdal_reason(exc)}{hint}", path, gdal=str(exc))


def _shapefile_checks(path: Path) -> None:
    stem = path.with_suffix("")
    siblings = {p.suffix.lower(): p for p in path.parent.glob(stem.name + ".*") if p.stem == stem.name}
    for ext, what in ((".dbf", "属性表"), (".shx", "索引")):
        if ext not in siblings:
            raise _fail(
                f"shp.missing_{ext[1:]}",
                f"Shapefile {path.name} 缺少 {stem.name}{ext}（{what}文件）。Shapefile 须包含 .shp、.shx、.dbf，"
                "请把同名的全部文件放在同一文件夹中再导入。",
                path,
            )
    data = path.read_bytes()
    if len(data) < 100:
        raise _fail("file.truncated", f"{path.name} 只有 {len(data)} 字节，不是完整的 Shapefile（文件头应为 100 字节）。", path)
    code, = struct.unpack(">i", data[0:4])
    words, = struct.unpack(">i", data[24:28])
    if code != 9994:
        raise _fail("file.unreadable", f"{path.name} 不是 Shapefile（文件头标识为 {code}，应为 9994）。", path)
    if words * 2 != len(data):
        raise _fail(
            "file.truncated",
            f"{path.name} 已截断或损坏：文件头记载长度 {words * 2} 字节，实际 {len(data)} 字节。请重新拷贝完整文件。",
            path,
        )
    dbf = siblings[".dbf"].read_bytes()
    if len(dbf) < 32:
        raise _fail("file.truncated", f"{siblings['.dbf'].name} 已截断（不足 32 字节）。", path)
    nrec, hlen, rlen = struct.unpack("<IHH", dbf[4:12])
    expected = hlen + nrec * rlen
    if len(dbf) < expected:
        raise _fail(
            "file.truncated",
            f"{siblings['.dbf'].name} 已截断：应有 {nrec} 条记录（{expected} 字节），实际只有 {len(dbf)} 字节。",
            path,
        )


def _shapefile_encoding(path: Path) -> tuple[str, str | None]:
    """(encoding, note) for a shapefile: its .cpg when present, else detect UTF-8 vs GBK."""
    cpg = path.with_suffix(".cpg")
    if not cpg.exists():
        cpg = path.with_suffix(".CPG")
    if cpg.exists():
        name = cpg.read_text(encoding="ascii", errors="ignore").strip() or "UTF-8"
        return name, None
    dbf = path.with_suffix(".dbf")
    if not dbf.exists():
        dbf = path.with_suffix(".DBF")
    raw = dbf.read_bytes()
    hlen = struct.unpack("<H", raw[8:10])[0] if len(raw) >= 10 else 0
    ldid = raw[29] if len(raw) > 29 else 0
    if ldid in (0x4D, 0x7A):  # code pages 936 (GBK) declared by language driver id
        return "GBK", f"{path.name} 无 .cpg 文件，按 DBF 语言驱动标识采用 GBK 编码读取属性"
    body = raw[hlen:]
    try:
        body.decode("utf-8")
        return "UTF-8", None
    except UnicodeDecodeError:
        pass
    rlen = struct.unpack("<H", raw[10:12])[0] if len(raw) >= 12 else 0
    utf8 = gbk = 0
    for i in range(0, len(body) - rlen + 1 if rlen else 0, max(rlen, 1)):
        record = body[i:i + rlen]
        if record.isascii():
            continue
        try:
            record.decode("utf-8")
            utf8 += 1
        except UnicodeDecodeError:
            gbk += 1
    if utf8 and gbk:  # half the names would come out as mojibake whichever encoding is chosen
        raise _fail("file.mixed_encoding", f"{path.name} 的属性编码混杂：{utf8} 条记录是 UTF-8，{gbk} 条是 GBK。"
                    "请在 GIS 中统一为一种编码（建议 UTF-8 并附 .cpg 文件）后重新导出", path, utf8=utf8, gbk=gbk)
    return "GBK", f"{path.name} 无 .cpg 文件且属性不是 UTF-8，已按 GBK 编码读取（国内测绘数据常用）"


def list_layers(path: Path) -> list[str]:
    try:
        return [str(row[0]) for row in pyogrio.list_layers(path)]
    except (DataSourceError, DataLayerError, OSError) as exc:
        raise _unreadable(path, "打开", exc) from exc


def _pick_layer(path: Path, layer: str | None, kind: str) -> str | None:
    if path.suffix.lower() not in (".gpkg", ".gdb"):
        return layer
    names = list_layers(path)
    if layer is not None:
        if layer not in names:
            raise _fail("layer.not_found", f"{path.name} 中没有图层“{layer}”。可用图层：{'、'.join(names)}", path)
        return layer
    if len(names) == 1:
        return names[0]
    for preferred in PREFERRED_LAYERS.get(kind, ()):
        for n in names:
            if n.upper() == preferred:
                return n
    raise _fail(
        "layer.ambiguous", f"{path.name} 含多个图层（{'、'.join(names)}），请用 --layer 指定要导入的图层。", path
    )


UNSAFE_FOR_GDAL = set(";")  # GDAL cuts a path at these (a file "a;b.gpkg" is opened as "a")


@contextmanager
def _gdal_path(path: Path) -> Iterator[Path]:
    """``path``, or a link to it (and to its sibling files: .dbf, .shx, .prj, .cpg …) under a name GDAL reads
    whole, when the name holds a character GDAL would cut at."""
    if not UNSAFE_FOR_GDAL & set(path.name):
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="gengbao-read-") as tmp:
        safe = "layer"
        for sibling in path.parent.iterdir():
            if sibling.stem == path.stem or sibling == path:
                (Path(tmp) / (safe + sibling.name[len(path.stem):])).symlink_to(sibling.resolve())
        yield Path(tmp) / (safe + path.suffix)


def read_layer(path: Path, layer: str | None = None, kind: str = "parcels") -> tuple[gpd.GeoDataFrame, LayerSource]:
    """Read one layer whole, or raise ``InputError`` with a stable code."""
    path = Path(path)
    if not UNSAFE_FOR_GDAL & set(path.name) or not path.exists():
        return _read_layer(path, layer, kind)
    with _gdal_path(path) as safe:
        frame, src = _read_layer(safe, layer, kind)
    return frame, replace(src, path=path)


def _read_layer(path: Path, layer: str | None, kind: str) -> tuple[gpd.GeoDataFrame, LayerSource]:
    suffix = path.suffix.lower()
    if not path.exists():
        raise _fail("file.not_found", f"找不到文件 {path}", path)
    if suffix not in FORMATS:
        raise _fail(
            "file.format_unsupported",
            f"不支持的文件格式“{suffix or path.name}”。支持：GeoPackage (.gpkg)、Shapefile (.shp)、"
            "File Geodatabase (.gdb)、GeoJSON (.geojson)。",
            path,
        )
    if path.is_file() and path.stat().st_size == 0:
        raise _fail("file.empty", f"{path.name} 是空文件（0 字节）。", path)
    notes: list[str] = []
    encoding: str | None = None
    if suffix == ".shp":
        _shapefile_checks(path)
        encoding, note = _shapefile_encoding(path)
        if note:
            notes.append(note)
    name = _pick_layer(path, layer, kind)
    try:
        frame = pyogrio.read_dataframe(path, layer=name, encoding=encoding, use_arrow=False, on_invalid="ignore")
        info = pyogrio.read_info(path, layer=name, encoding=encoding)
        undecodable = _undecodable(path, name, encoding, frame) if frame.geometry.isna().any() else ()
    except (DataSourceError, DataLayerError, FieldError, GeometryError, RuntimeError, OSError, ValueError) as exc:
        raise _unreadable(path, "读取", exc, "。请确认文件完整后重新导入") from exc
    crs = info.get("crs")
    crs_wkt = frame.crs.to_wkt() if frame.crs is not None else (str(crs) if crs else None)
    source = LayerSource(path, FORMATS[suffix], name, encoding, crs_wkt, tuple(notes), undecodable)
    return frame, source


def _undecodable(path: Path, layer: str | None, encoding: str | None,
                 frame: gpd.GeoDataFrame) -> tuple[tuple[int, str], ...]:
    """Rows whose stored geometry exists but is not decodable (e.g. an unclosed ring)."""
    _meta, _fids, wkb, _fields = pyogrio.raw.read(path, layer=layer, encoding=encoding, columns=[])
    out = []
    for i in np.flatnonzero(frame.geometry.isna().to_numpy()):
        if wkb[i] is None:
            continue
        try:
            shapely.from_wkb(wkb[i])
        except shapely.errors.GEOSException as exc:
            reason = "环未闭合（首尾点不一致）" if "closed" in str(exc) else str(exc)
            out.append((int(i), reason))
    return tuple(out)


def write_layer(frame: gpd.GeoDataFrame, path: Path, layer: str | None = None) -> Path:
    """Write a layer for desktop GIS (GeoPackage, Shapefile with a UTF-8 .cpg, or GeoJSON)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".gpkg", ".shp", ".geojson"):
        raise _fail("file.format_unsupported", f"不支持导出为“{suffix}”，请使用 .gpkg、.shp 或 .geojson。", path)
    path.parent.mkdir(parents=True, exist_ok=True)
    kwargs: dict[str, object] = {}
    if suffix == ".shp":
        kwargs["encoding"] = "UTF-8"
    pyogrio.write_dataframe(frame, path, layer=layer, driver=FORMATS[suffix], **kwargs)
    return path
