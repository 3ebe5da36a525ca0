"""Photo reading and the evidence store: EXIF fields read back exactly as written, refusals with codes,
content addressing that never overwrites, and check codes that notice edited bytes or metadata."""

from __future__ import annotations

import stat
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from gengbao.adapters.evidence import store
from gengbao.adapters.evidence.photo import phash_distance, read_photo
from gengbao.adapters.workspace_files import WorkspaceLayout, workspace_secret
from gengbao.domain.errors import InputError
from tests.cases import photos


def test_exif_read_back() -> None:
    m = read_photo(photos.jpeg(3, lon=117.123456, lat=29.654321, azimuth=271.25), "a.jpg")
    assert m.format == "JPEG" and (m.width, m.height) == (96, 96)
    assert m.taken_at == datetime(2024, 5, 6, 10, 30, 0)
    assert abs(m.lon - 117.123456) < 1e-6 and abs(m.lat - 29.654321) < 1e-6  # type: ignore[operator]
    assert m.azimuth == 271.25 and m.device == "Huawei P40"


def test_missing_gps_is_none() -> None:
    m = read_photo(photos.jpeg(lon=None, lat=None, taken=None, azimuth=None), "b.jpeg")
    assert (m.lat, m.lon, m.azimuth, m.taken_at) == (None, None, None, None)


@pytest.mark.parametrize("data,name,code", [
    (photos.truncated(), "cut.jpg", "evidence.corrupt"),
    (photos.png(), "renamed.jpg", "evidence.extension_mismatch"),
    (b"%PDF-1.4 not a photo", "x.jpg", "evidence.not_image"),
    (b"", "empty.jpg", "evidence.not_image"),
])
def test_bad_files_refused(data: bytes, name: str, code: str) -> None:
    with pytest.raises(InputError) as exc:
        read_photo(data, name)
    assert exc.value.code == code and name in exc.value.message


def test_near_duplicate_by_phash() -> None:
    a = read_photo(photos.jpeg(5, quality=95), "a.jpg")
    b = read_photo(photos.jpeg(5, quality=60, device="Other"), "b.jpg")  # re-encoded: other bytes
    c = read_photo(photos.jpeg(9), "c.jpg")
    assert phash_distance(a.phash, b.phash) <= 4 < phash_distance(a.phash, c.phash)


def test_store_never_overwrites_and_check_code(tmp_path: Path) -> None:
    data = photos.jpeg(2)
    digest, rel, new = store.put(tmp_path, data, ".JPG")
    assert new and rel == f"{digest[:2]}/{digest}.jpg" and (tmp_path / rel).read_bytes() == data
    assert store.put(tmp_path, data, ".jpg") == (digest, rel, False)
    layout = WorkspaceLayout(tmp_path)
    key = workspace_secret(layout)
    assert stat.S_IMODE(layout.secret_file.stat().st_mode) == 0o600
    assert workspace_secret(layout) == key
    meta = read_photo(data, "p.jpg")
    code = store.check_code(key, digest, meta.canonical())
    assert store.code_matches(key, digest, meta.canonical(), code)
    moved = replace(meta, lon=meta.lon + 0.001)  # type: ignore[operator]
    assert not store.code_matches(key, digest, moved.canonical(), code)
    assert not store.code_matches(key, store.sha256(data + b"x"), meta.canonical(), code)
