"""Normalised geometry hash: equal for the same shape whatever its vertex order or start point.

Coordinates are rounded to 1e-8° (about 1 mm) before normalising, so a re-export that changes the
last digits of a coordinate does not count as a change. Computed once at import and stored as a
column, so a diff of two epochs reads only ids, hashes and classes.
"""

from __future__ import annotations

import hashlib

import numpy as np
import shapely

DECIMALS = 8


def geometry_hashes(geoms: np.ndarray) -> np.ndarray:
    """16-hex-digit hashes of normalised, rounded geometries (object array of str)."""
    rounded = shapely.transform(geoms, lambda xy: np.round(xy, DECIMALS))
    wkb = shapely.to_wkb(shapely.normalize(rounded), byte_order=1, output_dimension=2)
    return np.array([hashlib.blake2b(b, digest_size=8).hexdigest() for b in wkb], dtype=object)
