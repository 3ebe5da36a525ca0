"""Synthetic terrain of a county: elevation, slope and distance to rivers as smooth fields.

Elevation is a sum of random plane waves (hills) plus a valley term that rises with distance from the
rivers, so river plains are low and flat (farmland) and the land between them is hilly (forest).
A second wave field drives the patchwork of natural cover classes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from gengbao.scenario.landscape import Palette

WAVES = 16
VALLEY_WIDTH_M = 5000.0
VALLEY_DEPTH = 1.5  # × relief: how far river plains lie below the hills
PLAIN_ROUGHNESS = 0.3  # share of the hills' relief left on a river plain


@dataclass(frozen=True)
class Waves:
    kx: np.ndarray
    ky: np.ndarray
    phase: np.ndarray
    amp: np.ndarray

    @classmethod
    def random(cls, rng: np.random.Generator, wavelength_km: tuple[float, float], std: float,
               exponent: float = 0.7) -> Waves:
        lam = np.exp(rng.uniform(np.log(wavelength_km[0]), np.log(wavelength_km[1]), WAVES)) * 1000.0
        ang = rng.uniform(0.0, np.pi, WAVES)
        amp = lam**exponent
        amp *= std / np.sqrt(np.sum(amp**2) / 2.0)
        k = 2.0 * np.pi / lam
        return cls(k * np.cos(ang), k * np.sin(ang), rng.uniform(0.0, 2.0 * np.pi, WAVES), amp)

    def value(self, xy: np.ndarray) -> np.ndarray:
        arg = np.outer(xy[:, 0], self.kx) + np.outer(xy[:, 1], self.ky) + self.phase
        return np.cos(arg) @ self.amp

    def gradient(self, xy: np.ndarray) -> np.ndarray:
        arg = np.outer(xy[:, 0], self.kx) + np.outer(xy[:, 1], self.ky) + self.phase
        s = -np.sin(arg) * self.amp
        return np.column_stack([s @ self.kx, s @ self.ky])


@dataclass(frozen=True)
class Terrain:
    hills: Waves
    cover: Waves
    detail: Waves
    valley_height: float
    rivers: shapely.STRtree
    river_lines: np.ndarray

    @classmethod
    def make(cls, rng: np.random.Generator, palette: Palette, river_lines: np.ndarray) -> Terrain:
        relief = palette.relief_m * float(rng.uniform(0.7, 1.3))
        hills = Waves.random(rng, palette.wavelength_km, relief)
        cover = Waves.random(rng, (1.0, 6.0), 1.0, exponent=1.0)
        detail = Waves.random(rng, (0.3, 1.5), 1.0, exponent=1.0)
        segments = _segments(river_lines)
        return cls(hills, cover, detail, VALLEY_DEPTH * relief, shapely.STRtree(segments), segments)

    def river_distance(self, xy: np.ndarray) -> np.ndarray:
        if len(self.river_lines) == 0:
            return np.full(len(xy), 1e9)
        pts = shapely.points(xy)
        idx, dist = self.rivers.query_nearest(pts, return_distance=True, all_matches=False)
        out = np.full(len(xy), np.inf)
        np.minimum.at(out, idx[0], dist)
        return out

    def sample(self, xy: np.ndarray) -> TerrainSample:
        d = self.river_distance(xy)
        t = np.minimum(d / VALLEY_WIDTH_M, 1.0)
        rise = t * t * (3.0 - 2.0 * t)  # smoothstep: a flat plain by the river, rising to the hills
        rough = PLAIN_ROUGHNESS + (1.0 - PLAIN_ROUGHNESS) * rise  # plains are flatter than hills
        z = self.hills.value(xy) * rough + self.valley_height * rise
        grad = np.hypot(*self.gradient_parts(xy)) * rough + self.valley_height * 6.0 * t * (1.0 - t) / VALLEY_WIDTH_M
        slope = np.degrees(np.arctan(grad))
        return TerrainSample(z, slope, d, self.cover.value(xy), self.detail.value(xy))

    def gradient_parts(self, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        g = self.hills.gradient(xy)
        return g[:, 0], g[:, 1]


@dataclass(frozen=True)
class TerrainSample:
    elevation: np.ndarray
    slope_deg: np.ndarray
    river_distance: np.ndarray
    cover: np.ndarray  # smooth field for natural cover patches
    detail: np.ndarray  # finer field for local variety


def slope_grade(slope_deg: np.ndarray) -> np.ndarray:
    """GDPDJB: 1 ≤2°, 2 2–6°, 3 6–15°, 4 15–25°, 5 >25°."""
    return (np.searchsorted(np.array([2.0, 6.0, 15.0, 25.0]), slope_deg, side="left") + 1).astype(np.int8)


def _segments(lines: np.ndarray) -> np.ndarray:
    if len(lines) == 0:
        return np.empty(0, dtype=object)
    coords, index = shapely.get_coordinates(lines, return_index=True)
    same = index[1:] == index[:-1]
    starts = coords[:-1][same]
    ends = coords[1:][same]
    return shapely.linestrings(np.stack([starts, ends], axis=1))
