"""Test photos made with Pillow + piexif: JPEGs with and without GPS EXIF, a truncated JPEG, a PNG."""

from __future__ import annotations

import io
from datetime import datetime
from fractions import Fraction

import piexif
from PIL import Image, ImageDraw


def _rat(x: float, den: int = 10_000) -> tuple[int, int]:
    f = Fraction(x).limit_denominator(den)
    return f.numerator, f.denominator


def _dms(deg: float) -> tuple[tuple[int, int], ...]:
    d = int(deg)
    m = int((deg - d) * 60)
    s = (deg - d - m / 60) * 3600
    return (d, 1), (m, 1), (round(s * 10_000), 10_000)


def picture(seed: int, size: int = 96) -> Image.Image:
    """A distinct image per seed (shapes at seed-dependent places) so perceptual hashes differ."""
    img = Image.new("RGB", (size, size), (40 + seed * 37 % 200, 120, 60))
    d = ImageDraw.Draw(img)
    for k in range(4):
        x, y = (seed * 17 + k * 29) % size, (seed * 31 + k * 13) % size
        d.rectangle([x, y, x + size // 4, y + size // 5], fill=((seed * 50 + k * 70) % 255, 20 * k, 200))
    return img


def jpeg(seed: int = 1, *, lon: float | None = 117.2, lat: float | None = 29.3, taken: datetime | None =
         datetime(2024, 5, 6, 10, 30, 0), azimuth: float | None = 135.5, device: str = "Huawei",
         image: Image.Image | None = None, quality: int = 90) -> bytes:
    zeroth: dict[int, object] = {piexif.ImageIFD.Make: device.encode(), piexif.ImageIFD.Model: b"P40"}
    exif_ifd: dict[int, object] = {}
    gps: dict[int, object] = {}
    if taken is not None:
        exif_ifd[piexif.ExifIFD.DateTimeOriginal] = taken.strftime("%Y:%m:%d %H:%M:%S").encode()
    if lat is not None and lon is not None:
        gps.update({piexif.GPSIFD.GPSLatitudeRef: b"N" if lat >= 0 else b"S", piexif.GPSIFD.GPSLatitude: _dms(abs(lat)),
                    piexif.GPSIFD.GPSLongitudeRef: b"E" if lon >= 0 else b"W",
                    piexif.GPSIFD.GPSLongitude: _dms(abs(lon))})
    if azimuth is not None:
        gps[piexif.GPSIFD.GPSImgDirectionRef] = b"T"
        gps[piexif.GPSIFD.GPSImgDirection] = _rat(azimuth)
    exif = piexif.dump({"0th": zeroth, "Exif": exif_ifd, "GPS": gps})
    buf = io.BytesIO()
    (image or picture(seed)).save(buf, "JPEG", quality=quality, exif=exif)
    return buf.getvalue()


def png(seed: int = 1) -> bytes:
    buf = io.BytesIO()
    picture(seed).save(buf, "PNG")
    return buf.getvalue()


def truncated(seed: int = 1) -> bytes:
    data = jpeg(seed)
    return data[: len(data) * 2 // 3]
