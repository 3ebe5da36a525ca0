"""Reading a field photo (举证照片): format, EXIF capture metadata and a perceptual hash.

A file is refused with a stable code when it is not an image Pillow can identify
(``evidence.not_image``), when its bytes are cut short or damaged (``evidence.corrupt``), or when its
extension names a different format than its content (``evidence.extension_mismatch``: a PNG renamed
``.jpg``). Nothing is stored for a refused file. Metadata: DateTimeOriginal (or DateTime) as the
capture time, GPS latitude/longitude as decimal degrees (south and west negative), GPSImgDirection
as the azimuth in degrees, and Make + Model as the device. Missing fields are None: the service
decides what a photo without GPS or time is worth.
"""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import imagehash
from PIL import ExifTags, Image, UnidentifiedImageError

from gengbao.domain.errors import InputError

_EXTENSIONS = {"JPEG": {".jpg", ".jpeg"}, "PNG": {".png"}, "TIFF": {".tif", ".tiff"}, "HEIF": {".heic"},
               "WEBP": {".webp"}}
_GPS = ExifTags.IFD.GPSInfo
_EXIF = ExifTags.IFD.Exif


@dataclass(frozen=True, slots=True)
class PhotoMeta:
    format: str
    width: int
    height: int
    taken_at: datetime | None
    lat: float | None
    lon: float | None
    azimuth: float | None
    device: str
    phash: str

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["taken_at"] = self.taken_at.isoformat() if self.taken_at else None
        return d

    def canonical(self) -> str:
        """The metadata that the check code covers, as one stable string."""
        t = self.taken_at.isoformat() if self.taken_at else ""
        return "|".join([self.format, str(self.width), str(self.height), t, _f(self.lat), _f(self.lon),
                         _f(self.azimuth), self.device])


def _f(v: float | None) -> str:
    return "" if v is None else f"{v:.7f}"


def _rational(v: Any) -> float:
    if isinstance(v, tuple) and len(v) == 2:
        return float(v[0]) / float(v[1]) if v[1] else 0.0
    return float(v)


def _degrees(dms: Any, ref: Any) -> float | None:
    try:
        d, m, s = (_rational(x) for x in dms)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    value = d + m / 60 + s / 3600
    return -value if str(ref).upper().startswith(("S", "W")) else value


def _time(text: Any) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.strptime(str(text).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None


def read_photo(data: bytes, name: str) -> PhotoMeta:
    """Identify, fully decode and read the metadata of a photo's bytes (``name`` for messages and the
    extension check)."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = str(probe.format)
    except UnidentifiedImageError as exc:
        raise InputError(f"文件“{name}”不是可识别的图片，未存储。请提交相机或举证 App 拍摄的 JPEG 照片。",
                         code="evidence.not_image", file=name) from exc
    ext = Path(name).suffix.lower()
    if ext and ext not in _EXTENSIONS.get(fmt, {f".{fmt.lower()}"}):
        raise InputError(f"文件“{name}”的扩展名为 {ext}，但内容是 {fmt} 格式（文件被改名），未存储。",
                         code="evidence.extension_mismatch", file=name, format=fmt)
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            exif = img.getexif()
            phash = str(imagehash.phash(img))
            width, height = img.size
    except (OSError, SyntaxError, ValueError) as exc:
        raise InputError(f"图片“{name}”已损坏或不完整（{exc}），未存储。请重新导出原始照片。",
                         code="evidence.corrupt", file=name) from exc
    gps = exif.get_ifd(_GPS) if exif else {}
    sub = exif.get_ifd(_EXIF) if exif else {}
    taken = _time(sub.get(ExifTags.Base.DateTimeOriginal)) or _time(exif.get(ExifTags.Base.DateTime))
    lat = _degrees(gps[2], gps.get(1, "N")) if 2 in gps else None
    lon = _degrees(gps[4], gps.get(3, "E")) if 4 in gps else None
    azimuth = _rational(gps[17]) if 17 in gps else None
    device = " ".join(str(exif.get(t, "")).strip("\x00 ") for t in (ExifTags.Base.Make, ExifTags.Base.Model)).strip()
    return PhotoMeta(fmt, width, height, taken, lat, lon, azimuth, device, phash)


def phash_distance(a: str, b: str) -> int:
    return int(imagehash.hex_to_hash(a) - imagehash.hex_to_hash(b))
