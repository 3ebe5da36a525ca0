"""GDAL's English failure text never reaches the user's message: it is translated, and kept in details."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from gengbao.adapters.vector_io import gdal_reason, read_layer
from gengbao.domain.errors import InputError


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"PK\x03\x04 this is a zip, not a GeoPackage" * 50, "无法识别的文件格式（扩展名与内容不符，或文件已损坏）"),
        (b"SQLite format 3\x00" + b"\x00" * 84 + b"\xff" * 3996, "文件不是 SQLite/GeoPackage 数据库"),
        (None, "数据库文件已损坏或被截断"),  # a real GeoPackage cut after 4 KiB
    ],
)
def test_unreadable_file_message_is_chinese(tmp_path: Path, content: bytes | None, reason: str) -> None:
    path = tmp_path / "broken.gpkg"
    if content is None:
        frame = gpd.GeoDataFrame({"BSM": ["1"]}, geometry=[shapely.box(116, 29, 116.001, 29.001)], crs="EPSG:4490")
        frame.to_file(path, driver="GPKG")
        content = path.read_bytes()[:4096]
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        read_layer(path)
    e = err.value
    assert e.code == "file.unreadable"
    assert e.message == f"无法打开 broken.gpkg：{reason}"
    rest = e.message.replace("broken.gpkg", "").replace("SQLite/GeoPackage", "")
    assert not re.search(r"[A-Za-z]{4,}", rest)  # no English words of GDAL left
    assert e.details["gdal"] and re.search(r"[A-Za-z]{4,}", e.details["gdal"])  # GDAL's own words, for support


def test_unknown_gdal_text_gets_a_generic_reason() -> None:
    assert gdal_reason(RuntimeError("Something odd in OGR")) == "GDAL 无法解析该文件"
    assert gdal_reason(OSError("Permission denied: x.shp")) == "没有读取该文件的权限"
