"""Spectral indices over reflectance arrays (float32 out; NaN where undefined).

- NDVI = (NIR − red) / (NIR + red)
- NDWI = (green − NIR) / (green + NIR)  (McFeeters 1996: open water > 0)
- NDBI = (SWIR1 − NIR) / (SWIR1 + NIR)  (Zha et al. 2003: built-up and bare soil > vegetation) when SWIR is present;
  else the visible/NIR substitute VNBI = (mean(blue, green, red) − NIR) / (mean(blue, green, red) + NIR): near 0 for
  built-up and bare soil, strongly negative for vegetation, positive for water (so read it with NDWI).

Everything is computed in place into preallocated float32 buffers: one pass per index, no float64 temporaries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from gengbao.sensing.bands import Band

F32 = npt.NDArray[np.float32]
Bool = npt.NDArray[np.bool_]


def normalised_difference(a: npt.ArrayLike, b: npt.ArrayLike) -> F32:
    """(a − b) / (a + b) in float32; NaN where a + b is 0 or an input is NaN."""
    x = np.asarray(a, dtype=np.float32)
    y = np.asarray(b, dtype=np.float32)
    num = np.subtract(x, y, dtype=np.float32)
    den = np.add(x, y, dtype=np.float32)
    with np.errstate(invalid="ignore", divide="ignore"):
        np.divide(num, den, out=num)
    num[den == 0] = np.nan
    return num


def ndvi(red: npt.ArrayLike, nir: npt.ArrayLike) -> F32:
    return normalised_difference(nir, red)


def ndwi(green: npt.ArrayLike, nir: npt.ArrayLike) -> F32:
    return normalised_difference(green, nir)


def ndbi(swir1: npt.ArrayLike, nir: npt.ArrayLike) -> F32:
    return normalised_difference(swir1, nir)


def vnbi(blue: npt.ArrayLike, green: npt.ArrayLike, red: npt.ArrayLike, nir: npt.ArrayLike) -> F32:
    """The visible/NIR built-up substitute used when a scene has no SWIR band."""
    vis = np.add(np.asarray(blue, np.float32), np.asarray(green, np.float32), dtype=np.float32)
    vis += np.asarray(red, np.float32)
    vis /= np.float32(3.0)
    return normalised_difference(vis, nir)


@dataclass(frozen=True, slots=True)
class IndexSet:
    """The indices of one window of one scene; ``builtup`` is NDBI or, without SWIR, VNBI."""

    ndvi: F32
    ndwi: F32
    builtup: F32
    builtup_kind: str  # "ndbi" | "vnbi"


def index_set(bands: Mapping[str, F32]) -> IndexSet:
    """NDVI, NDWI and the built-up index from a window's reflectance bands (keyed by ``Band`` values)."""
    if Band.SWIR1 in bands:
        built, kind = ndbi(bands[Band.SWIR1], bands[Band.NIR]), "ndbi"
    else:
        built, kind = vnbi(bands[Band.BLUE], bands[Band.GREEN], bands[Band.RED], bands[Band.NIR]), "vnbi"
    return IndexSet(ndvi(bands[Band.RED], bands[Band.NIR]), ndwi(bands[Band.GREEN], bands[Band.NIR]), built, kind)
