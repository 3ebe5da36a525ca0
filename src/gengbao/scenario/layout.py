"""The base geometry of one county: regions, features, terrain, zones and parcel pieces (planar)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from gengbao.domain.regions import RegionCatalog, RegionLevel
from gengbao.scenario.blocks import Blocks, build_blocks, feature_overlap
from gengbao.scenario.boundaries import county_outline
from gengbao.scenario.clip import Pieces, clip_to_villages
from gengbao.scenario.features import Features, build_features, river_lines
from gengbao.scenario.frame import PlanarFrame, densify_lonlat, frame_for
from gengbao.scenario.landscape import Palette, palette_for
from gengbao.scenario.regions import Township, Village, build_townships, build_villages
from gengbao.scenario.subdivide import Cells, subdivide
from gengbao.scenario.terrain import Terrain
from gengbao.scenario.zones import (
    FARMLAND,
    FRINGE,
    HAMLET,
    NATURAL,
    TOWN_COUNTY,
    TOWN_TOWNSHIP,
    Zoning,
    decide_zones,
)

EDGE_FACTOR = 1.17  # pieces per cell after clipping to villages and cutting features
PROBE = 3.0  # the sizing pass uses blocks this many times larger than the first guess
# Expected cells per block by zone (see ``subdivide``): fields 1 road + 0.35 canal + 4 × 1.5 fields, …
CELLS_PER_BLOCK = {NATURAL: 0.2, FARMLAND: 7.35, FRINGE: 4.3, TOWN_COUNTY: 7.0, TOWN_TOWNSHIP: 7.0, HAMLET: 6.0}


@dataclass
class Layout:
    code: str
    name: str
    frame: PlanarFrame
    county: shapely.Geometry  # planar
    county_lonlat: shapely.Geometry
    seat: np.ndarray
    palette: Palette
    townships: list[Township]
    villages: list[Village]
    features: Features
    blocks: Blocks
    zoning: Zoning
    size: float
    pieces: Pieces


def _grid_pass(rng: np.random.Generator, townships: list[Township], villages: list[Village], terrain: Terrain,
               features: Features, palette: Palette, seat: np.ndarray, size: float, target_m2: float
               ) -> tuple[Blocks, Zoning, Cells]:
    blocks = build_blocks(rng, [t.geometry for t in townships], size)
    sample = terrain.sample(blocks.centroids)
    overlap = feature_overlap(blocks, features.union)
    zoning = decide_zones(blocks, sample, overlap, townships, villages, palette, seat, target_m2)
    cells = subdivide(rng, blocks, zoning, size)
    return blocks, zoning, cells


def block_size(rng: np.random.Generator, townships: list[Township], villages: list[Village], terrain: Terrain,
               features: Features, palette: Palette, seat: np.ndarray, area: float, parcels: int,
               target: float) -> float:
    """Block size (m) giving about ``parcels`` parcels: zone areas from a coarse pass, cells per zone."""
    guess = float(np.sqrt(area * 2.0 / max(parcels, 1)))
    probe = min(guess * PROBE, float(np.sqrt(area)) / 2.0)
    blocks = build_blocks(rng, [t.geometry for t in townships], probe)
    sample = terrain.sample(blocks.centroids)
    overlap = feature_overlap(blocks, features.union)
    zoning = decide_zones(blocks, sample, overlap, townships, villages, palette, seat, target)
    per_zone = np.array([CELLS_PER_BLOCK[int(z)] for z in range(len(CELLS_PER_BLOCK))])
    weighted = float(np.sum(blocks.area_in * per_zone[zoning.zone]))  # Σ area × cells per block
    return float(np.sqrt(weighted * EDGE_FACTOR / max(parcels, 1)))


def build_layout(rng: np.random.Generator, code: str, catalog: RegionCatalog, parcels: int,
                 target_m2: float | None) -> Layout:
    outline = county_outline(code)
    lonlat = densify_lonlat(outline.geometry)
    frame = frame_for(lonlat)
    county = frame.to_planar(lonlat)
    seat = frame.to_planar(shapely.Point(outline.seat))
    if not shapely.contains(county, seat):
        seat = shapely.point_on_surface(county)
    seat_xy = shapely.get_coordinates(seat)[0]
    palette = palette_for(code)
    area = float(shapely.area(county))
    target = target_m2 if target_m2 is not None else palette.farmland_share * area
    townships = build_townships(rng, county, seat_xy, catalog.descendants(code, RegionLevel.TOWNSHIP))
    villages = build_villages(rng, townships, catalog)
    lines = river_lines(rng, county)
    features = build_features(rng, county, lines, seat_xy, np.array([t.seat for t in townships]))
    terrain = Terrain.make(rng, palette, lines)
    size = block_size(rng, townships, villages, terrain, features, palette, seat_xy, area, parcels, target)
    blocks, zoning, cells = _grid_pass(rng, townships, villages, terrain, features, palette, seat_xy, size, target)
    pieces = clip_to_villages(cells, blocks.township, villages, features)
    return Layout(code, outline.name, frame, county, lonlat, seat_xy, palette, townships, villages,
                  features, blocks, zoning, size, pieces)
