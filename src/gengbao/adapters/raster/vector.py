"""Label rasters to polygons and polygons to id rasters (rasterio.features), on a grid's transform."""

from __future__ import annotations

import numpy as np
import shapely
from affine import Affine
from rasterio import features


def polygonise(labels: np.ndarray, transform: Affine, mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Connected regions (8-connected: a diagonal strip is one region) of equal non-zero label: (polygons, label
    values). A region whose pixels meet only at a corner comes back as a valid MultiPolygon."""
    m = labels > 0 if mask is None else mask
    geoms, values = [], []
    for geom, value in features.shapes(labels, mask=m, transform=transform, connectivity=8):
        geoms.append(shapely.geometry.shape(geom))
        values.append(int(value))
    out = np.array(geoms, dtype=object)
    if len(out):
        bad = ~shapely.is_valid(out)
        if bad.any():
            out[bad] = shapely.make_valid(out[bad])
    return out, np.array(values, dtype=np.int64)


def rasterise(geoms: np.ndarray, shape: tuple[int, int], transform: Affine, dtype: str = "int32") -> np.ndarray:
    """Id raster: polygon i gets id i + 1 (pixel centres inside), 0 elsewhere."""
    if len(geoms) == 0:
        return np.zeros(shape, dtype=dtype)
    pairs = ((g, i + 1) for i, g in enumerate(geoms) if g is not None and not g.is_empty)
    ids: np.ndarray = features.rasterize(pairs, out_shape=shape, transform=transform, fill=0, dtype=dtype)
    return ids
