"""Synthetic scenes for the imagery bench (all synthetic): a field landscape on the 3° Gauss-Krüger grid of
117°E (EPSG:4548), two dates with construction and ponds on crop fields between them, clouds on the second.

Fields are rectangles (rows of random height, columns of random width, ~20 × 20 px on average), each with a
class; written as uint16 GeoTIFF (DN = reflectance × 10000, B02 B03 B04 B08) in row blocks, then imported
into a scene store through gengbao's own import path (COG on the county grid).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import rasterio
from affine import Affine

X0, Y0, EPSG = 440000.0, 3300000.0, 4548
VEG = np.array([0.03, 0.07, 0.04, 0.45], np.float32)
SOIL = np.array([0.10, 0.13, 0.18, 0.24], np.float32)
BUILT = np.array([0.16, 0.17, 0.18, 0.21], np.float32)
WATER = np.array([0.06, 0.07, 0.04, 0.02], np.float32)
CLOUD = np.array([0.45, 0.46, 0.47, 0.50], np.float32)
# class: 0 crop, 1 forest, 2 grass, 3 built, 4 water
SPECTRA_BEFORE = np.stack([0.55 * VEG + 0.45 * SOIL, 0.85 * VEG + 0.15 * SOIL, 0.5 * VEG + 0.5 * SOIL, BUILT, WATER])
SPECTRA_AFTER = np.stack([0.40 * VEG + 0.60 * SOIL, 0.85 * VEG + 0.15 * SOIL, 0.4 * VEG + 0.6 * SOIL, BUILT, WATER])


@dataclass
class Landscape:
    size: int
    fields: np.ndarray  # int32 field id per pixel (1..n)
    n_fields: int
    field_class: np.ndarray  # per field id (index 0 unused)
    events: list[tuple[int, int, int, int, int]]  # row, col, height, width, class after (3 built, 4 water)
    boxes: np.ndarray  # (n, 4) row0, col0, row1, col1 per field id 1..n

    @property
    def transform(self) -> Affine:
        return Affine(10.0, 0, X0, 0, -10.0, Y0)

    def crop_boxes(self) -> np.ndarray:
        """(n, 4) row0, col0, row1, col1 of crop fields (for the overlay's farmland layer)."""
        return self.boxes[self.field_class[1:] == 0]


def landscape(size: int, seed: int = 0, events_per_mpx: float = 25.0) -> Landscape:
    rng = np.random.default_rng(seed)
    rows = np.cumsum(rng.integers(10, 31, size // 10 + 2))
    rows = np.r_[0, rows[rows < size], size]
    fields = np.empty((size, size), np.int32)
    boxes, n = [], 0
    for r0, r1 in zip(rows[:-1], rows[1:], strict=True):
        cols = np.cumsum(rng.integers(10, 31, size // 10 + 2))
        cols = np.r_[0, cols[cols < size], size]
        ids = np.arange(n + 1, n + len(cols))
        fields[r0:r1] = np.repeat(ids, np.diff(cols))[None, :]
        boxes.append(np.column_stack([np.full(len(ids), r0), cols[:-1], np.full(len(ids), r1), cols[1:]]))
        n += len(ids)
    cls = np.r_[0, rng.choice(5, n, p=[0.6, 0.12, 0.15, 0.08, 0.05])]
    events = []
    for _ in range(int(events_per_mpx * size * size / 1e6)):
        h, w = (int(x) for x in rng.integers(2, 25, 2))
        r, c = int(rng.integers(0, size - h)), int(rng.integers(0, size - w))
        if cls[fields[r, c]] == 0:
            events.append((r, c, h, w, 3 if rng.random() < 0.7 else 4))
    return Landscape(size, fields, n, cls, events, np.concatenate(boxes))


def _cloud(rng: np.random.Generator, shape: tuple[int, int], share: float, cell: int = 64) -> np.ndarray:
    coarse = rng.standard_normal((shape[0] // cell + 2, shape[1] // cell + 2))
    field = np.repeat(np.repeat(coarse, cell, 0), cell, 1)[: shape[0], : shape[1]]
    return field > np.quantile(coarse, 1 - share)


def write_scene(land: Landscape, after: bool, path: Path, seed: int, cloud: float = 0.0, block: int = 1024) -> Path:
    rng = np.random.default_rng(seed)
    size = land.size
    classes = land.field_class[land.fields] if not after else None
    spectra = SPECTRA_AFTER if after else SPECTRA_BEFORE
    profile = {"driver": "GTiff", "width": size, "height": size, "count": 4, "dtype": "uint16",
               "crs": rasterio.CRS.from_epsg(EPSG), "transform": land.transform, "tiled": True, "blockxsize": 512,
               "blockysize": 512, "compress": "deflate", "zlevel": 1, "BIGTIFF": "IF_SAFER"}
    if after:
        classes = land.field_class[land.fields]
        for r, c, h, w, k in land.events:
            classes[r:r + h, c:c + w] = k
    assert classes is not None
    clouds = _cloud(rng, (size, size), cloud) if cloud > 0 else None
    with rasterio.open(path, "w", **profile) as ds:
        for r in range(0, size, block):
            h = min(block, size - r)
            refl = spectra[classes[r:r + h]] + rng.normal(0, 0.004, (h, size, 4)).astype(np.float32)
            if clouds is not None:
                refl[clouds[r:r + h]] = CLOUD
            dn = np.clip(np.rint(refl * 10000), 1, 65535).astype(np.uint16)
            for k in range(4):
                ds.write(dn[..., k], k + 1, window=rasterio.windows.Window(0, r, size, h))
        ds.descriptions = ("B02", "B03", "B04", "B08")
    return path
