"""PNG quicklooks for people: true colour before/after, NDVI before/after, candidates outlined (Pillow)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from gengbao.adapters.raster.vector import rasterise

MAX_SIDE = 2048


def _step(shape: tuple[int, ...]) -> int:
    return max(1, int(np.ceil(max(shape[0], shape[1]) / MAX_SIDE)))


def true_colour(rgb: np.ndarray, top: float = 0.3) -> np.ndarray:
    """Reflectance rows×cols×3 → uint8 (linear stretch 0..``top``, no data black)."""
    x = np.nan_to_num(rgb, nan=0.0) / top
    out: np.ndarray = (np.clip(x, 0.0, 1.0) * 255).astype(np.uint8)
    return out


def ndvi_colour(ndvi: np.ndarray) -> np.ndarray:
    """NDVI −0.2..0.9 on a brown → yellow → green ramp; no data grey."""
    t = np.clip((np.nan_to_num(ndvi, nan=-9.0) + 0.2) / 1.1, 0.0, 1.0)
    stops = np.array([[140, 80, 40], [235, 220, 120], [20, 130, 40]], np.float32)
    lo = np.where(t[..., None] < 0.5, stops[0], stops[1])
    hi = np.where(t[..., None] < 0.5, stops[1], stops[2])
    f = np.where(t < 0.5, t * 2, (t - 0.5) * 2)[..., None]
    out: np.ndarray = (lo + (hi - lo) * f).astype(np.uint8)
    out[np.isnan(ndvi)] = 128
    return out


def outline(ids: np.ndarray) -> np.ndarray:
    """Pixels on a candidate's edge (id differs from a 4-neighbour)."""
    edge = np.zeros(ids.shape, bool)
    edge[1:, :] |= ids[1:, :] != ids[:-1, :]
    edge[:-1, :] |= ids[:-1, :] != ids[1:, :]
    edge[:, 1:] |= ids[:, 1:] != ids[:, :-1]
    edge[:, :-1] |= ids[:, :-1] != ids[:, 1:]
    return edge & (ids > 0)


def _save(img: np.ndarray, path: Path, step: int) -> Path:
    Image.fromarray(np.ascontiguousarray(img[::step, ::step])).save(path, optimize=True)
    return path


def write_change_previews(folder: Path, rasters: Any, ids: np.ndarray, grid: Any,
                          obscured: np.ndarray | None = None) -> list[Path]:
    """Changes (the id raster) outlined red; ``obscured`` cloud/shadow polygons (grid CRS) outlined yellow."""
    folder.mkdir(parents=True, exist_ok=True)
    step = _step(ids.shape)
    out = []
    if rasters.true_colour is not None:
        before, after = (true_colour(c) for c in rasters.true_colour)
        out.append(_save(before, folder / "true_colour_before.png", step))
        out.append(_save(after, folder / "true_colour_after.png", step))
        marked = after.copy()
    else:
        marked = ndvi_colour(rasters.ndvi_after)
    out.append(_save(ndvi_colour(rasters.ndvi_before), folder / "ndvi_before.png", step))
    out.append(_save(ndvi_colour(rasters.ndvi_after), folder / "ndvi_after.png", step))
    cloudy = outline(rasterise(obscured, ids.shape, grid.transform)) if obscured is not None else None
    for edge, colour in ((cloudy, (255, 220, 0)), (outline(ids), (255, 0, 0))):
        if edge is None:
            continue
        if step > 1:  # keep thin outlines visible after striding
            for k in range(1, step):
                edge[k:, :] |= edge[:-k, :]
                edge[:, k:] |= edge[:, :-k]
        marked[edge] = colour
    out.append(_save(marked, folder / "candidates.png", step))
    return out
