"""Spectral bands, sensors and their reflectance scaling (DN → top-of-atmosphere / surface reflectance).

The minimum band set is blue, green, red and NIR; SWIR 1/2 are used when present. A band is recognised
from a band description or a file name (``B02``, ``B2``, ``blue`` …); without descriptions a scene's bands
are taken in the sensor's default order (Sentinel-2: B02, B03, B04, B08, then B11, B12).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class Band(StrEnum):
    BLUE = "blue"
    GREEN = "green"
    RED = "red"
    NIR = "nir"
    SWIR1 = "swir1"
    SWIR2 = "swir2"

    @property
    def label(self) -> str:
        return {"blue": "蓝", "green": "绿", "red": "红", "nir": "近红外", "swir1": "短波红外1",
                "swir2": "短波红外2"}[self.value]


MINIMUM_BANDS: tuple[Band, ...] = (Band.BLUE, Band.GREEN, Band.RED, Band.NIR)
ALL_BANDS: tuple[Band, ...] = (*MINIMUM_BANDS, Band.SWIR1, Band.SWIR2)

_NAMES = {
    "blue": Band.BLUE, "b": Band.BLUE, "green": Band.GREEN, "g": Band.GREEN, "red": Band.RED, "r": Band.RED,
    "nir": Band.NIR, "nir08": Band.NIR, "swir1": Band.SWIR1, "swir16": Band.SWIR1, "swir2": Band.SWIR2,
    "swir22": Band.SWIR2, "蓝": Band.BLUE, "绿": Band.GREEN, "红": Band.RED, "近红外": Band.NIR,
}
_CODE = re.compile(r"(?:^|[^A-Za-z0-9])B0?(\d{1,2}A?)(?![0-9A-Za-z])", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Sensor:
    """A sensor's band codes (``"02"`` for B02), default band order and default reflectance scaling.

    Reflectance = DN × ``scale`` + ``offset`` when the file's own metadata gives no scale/offset.
    """

    name: str
    codes: dict[str, Band] = field(hash=False)
    default_order: tuple[Band, ...]
    scale: float
    offset: float
    pixel_m: float

    def band_of(self, label: str | None) -> Band | None:
        """The band a description or file name names, or None."""
        if not label:
            return None
        text = label.strip()
        named = _NAMES.get(text.lower())
        if named is not None:
            return named
        m = _CODE.search(text)
        if m is None:
            return None
        return self.codes.get(m.group(1).upper().lstrip("0").rjust(2, "0"))


# Sentinel-2 MSI L1C/L2A: DN = reflectance × 10000 (QUANTIFICATION_VALUE). Processing baseline 04.00 (2022-01-25
# onwards) adds RADIO_ADD_OFFSET/BOA_ADD_OFFSET = −1000 in the product metadata, not in the band files: give it
# with ``offset`` (or store scale/offset in the GeoTIFF) for such products.
SENTINEL2 = Sensor(
    "sentinel2",
    {"02": Band.BLUE, "03": Band.GREEN, "04": Band.RED, "08": Band.NIR, "11": Band.SWIR1, "12": Band.SWIR2},
    ALL_BANDS, 1e-4, 0.0, 10.0,
)
SENSORS: dict[str, Sensor] = {SENTINEL2.name: SENTINEL2}


def resolve_order(labels: Sequence[str | None], sensor: Sensor) -> tuple[Band | None, ...]:
    """Which band each of a scene's bands holds (None: not used).

    When every label names a distinct band those names win; when no label names a band the sensor's
    default order applies position by position (also when a band is named twice: the labels are not
    trusted then).
    """
    named = [sensor.band_of(x) for x in labels]
    known = [b for b in named if b is not None]
    if known and len(set(known)) == len(known):
        return tuple(named)
    default = tuple(sensor.default_order[i] if i < len(sensor.default_order) else None for i in range(len(labels)))
    return default


def missing_bands(order: Sequence[Band | None]) -> tuple[Band, ...]:
    have = set(b for b in order if b is not None)
    return tuple(b for b in MINIMUM_BANDS if b not in have)
