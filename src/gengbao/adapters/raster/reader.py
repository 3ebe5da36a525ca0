"""Read stored scenes window by window on a common grid (reflectance float32, NaN = no data)."""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType

import numpy as np
import rasterio
from rasterio.windows import Window

from gengbao.adapters.raster.grid import Grid
from gengbao.adapters.raster.store import MASK, SCENE, SceneRecord
from gengbao.domain.errors import InputError


def common_grid(records: Sequence[SceneRecord]) -> Grid:
    """The overlap of stored scenes (all on the county grid lattice); an error when they do not overlap."""
    g0 = records[0].grid
    for r in records[1:]:
        if r.grid.epsg != g0.epsg or r.grid.pixel != g0.pixel:
            raise InputError(f"影像 {records[0].date} 与 {r.date} 不在同一格网上（EPSG/像元大小不同），请重新导入。",
                             code="imagery.grid_mismatch")
    x0 = max(r.grid.bounds[0] for r in records)
    y0 = max(r.grid.bounds[1] for r in records)
    x1 = min(r.grid.bounds[2] for r in records)
    y1 = min(r.grid.bounds[3] for r in records)
    w, h = int(round((x1 - x0) / g0.pixel)), int(round((y1 - y0) / g0.pixel))
    if w <= 0 or h <= 0:
        raise InputError(f"影像 {'、'.join(r.date for r in records)} 互不重叠，无法比较。", code="imagery.no_common_area")
    return Grid(g0.epsg, x0, y1, g0.pixel, w, h)


def union_grid(records: Sequence[SceneRecord]) -> Grid:
    """The extent of all the stored scenes together (same lattice)."""
    g0 = common_grid(records[:1])
    x0 = min(r.grid.bounds[0] for r in records)
    y0 = min(r.grid.bounds[1] for r in records)
    x1 = max(r.grid.bounds[2] for r in records)
    y1 = max(r.grid.bounds[3] for r in records)
    if any(r.grid.epsg != g0.epsg or r.grid.pixel != g0.pixel for r in records):
        raise InputError("所选影像不在同一格网上（EPSG/像元大小不同），请重新导入。", code="imagery.grid_mismatch")
    return Grid(g0.epsg, x0, y1, g0.pixel, int(round((x1 - x0) / g0.pixel)), int(round((y1 - y0) / g0.pixel)))


def offset_in(grid: Grid, inner: Grid) -> tuple[int, int]:
    """(row, col) of ``inner``'s top-left pixel in ``grid`` (same lattice)."""
    return int(round((grid.y0 - inner.y0) / grid.pixel)), int(round((inner.x0 - grid.x0) / grid.pixel))


class SceneReader:
    """An open stored scene; ``read`` returns one window of the common grid."""

    def __init__(self, record: SceneRecord) -> None:
        self.record = record
        self.ds = rasterio.open(record.folder / SCENE)
        self.mask = rasterio.open(record.folder / MASK) if record.mask else None
        self.scales = [float(s) for s in self.ds.scales]
        self.offsets = [float(o) for o in self.ds.offsets]

    def __enter__(self) -> SceneReader:
        return self

    def __exit__(self, t: type[BaseException] | None, v: BaseException | None, tb: TracebackType | None) -> None:
        self.ds.close()
        if self.mask is not None:
            self.mask.close()

    def _window(self, grid: Grid, row: int, height: int) -> Window:
        g = self.record.grid
        col = int(round((grid.x0 - g.x0) / g.pixel))
        top = int(round((g.y0 - grid.y0) / g.pixel)) + row
        return Window(col, top, grid.width, height)

    def read_dn(self, grid: Grid, row: int, height: int,
                bands: Sequence[str] | None = None) -> tuple[dict[str, np.ndarray], np.ndarray | None]:
        """Stored DN (uint16, 0 = no data) of one window, one call for all bands (each tile decoded once)."""
        win = self._window(grid, row, height)
        wanted = [k for k, b in enumerate(self.record.bands, start=1) if bands is None or b in bands]
        stack = self.ds.read(wanted, window=win)
        cloud = self.mask.read(1, window=win).astype(bool) if self.mask is not None else None
        return {self.record.bands[k - 1]: stack[i] for i, k in enumerate(wanted)}, cloud

    def reflectance(self, dn: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """DN → reflectance (float32, NaN = no data) with the scene's scale/offset; call it on small pieces."""
        out: dict[str, np.ndarray] = {}
        for band, values in dn.items():
            k = self.record.bands.index(band)
            refl = np.multiply(values, np.float32(self.scales[k]), dtype=np.float32)
            refl += np.float32(self.offsets[k])
            if not values.all():
                refl[values == 0] = np.nan
            out[band] = refl
        return out

    def read(self, grid: Grid, row: int, height: int,
             bands: Sequence[str] | None = None) -> tuple[dict[str, np.ndarray], np.ndarray | None]:
        """Reflectance of one window (float32, NaN = no data) and the mask file's cloud/shadow, if any."""
        dn, cloud = self.read_dn(grid, row, height, bands)
        return self.reflectance(dn), cloud
