"""One county from start to end: base survey, then each later epoch's events. Independent of other
counties (its own seeded generator), so counties can be made in parallel processes.

Each epoch's layer goes to a sink as soon as the epoch is played (``make_county`` keeps the layers in
memory; ``spool_county`` writes them to scratch files chunk by chunk) and only the working table the
next epoch starts from is kept, so a county's memory does not grow with its number of epochs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gengbao.domain.regions import RegionCatalog
from gengbao.scenario.attributes import CountyNames, dltb_frame, pbf_frame, table_net
from gengbao.scenario.base import make_base
from gengbao.scenario.calibration import Calibration
from gengbao.scenario.classes import FARMLAND
from gengbao.scenario.event_kinds import play_random
from gengbao.scenario.events import County, EpochPlayer
from gengbao.scenario.followups import play_follow_ups
from gengbao.scenario.frame import GEOGRAPHIC, make_valid_polygons
from gengbao.scenario.layout import Layout
from gengbao.scenario.profile import EventsProfile
from gengbao.scenario.records import Truth
from gengbao.scenario.spool import Spool, chunks_of
from gengbao.scenario.targets import CountyTarget


@dataclass
class CountyOutcome:
    """A county's generation without its layers (what a worker process sends back)."""

    code: str
    name: str
    truth: Truth
    calibration: Calibration
    target: CountyTarget
    outline: shapely.Geometry  # lon/lat county polygon
    regions: gpd.GeoDataFrame  # the county (real outline), synthetic township and village polygons, real codes
    stats: dict[int, dict[str, float]]
    pbf_parcels: int


@dataclass
class CountyResult(CountyOutcome):
    """A county with its layers in memory."""

    parcels: dict[int, gpd.GeoDataFrame] = field(default_factory=dict)  # DLTB per epoch
    pbf: gpd.GeoDataFrame = field(default_factory=gpd.GeoDataFrame)


class LayerSink(Protocol):
    def put_parcels(self, table: pd.DataFrame, names: CountyNames, epoch: int) -> None: ...

    def put_pbf(self, table: pd.DataFrame, names: CountyNames, epoch: int) -> int: ...


class MemorySink:
    def __init__(self) -> None:
        self.parcels: dict[int, gpd.GeoDataFrame] = {}
        self.pbf = gpd.GeoDataFrame()

    def put_parcels(self, table: pd.DataFrame, names: CountyNames, epoch: int) -> None:
        self.parcels[epoch] = dltb_frame(table, names, epoch).copy()  # no array shared with the working table

    def put_pbf(self, table: pd.DataFrame, names: CountyNames, epoch: int) -> int:
        self.pbf = pbf_frame(table, names).copy()
        return len(self.pbf)


@dataclass(frozen=True)
class SpoolSink:
    spool: Spool
    code: str

    def put_parcels(self, table: pd.DataFrame, names: CountyNames, epoch: int) -> None:
        chunks = (dltb_frame(table.iloc[a:b], names, epoch) for a, b in chunks_of(len(table)))
        self.spool.write("parcels", epoch, self.code, chunks)

    def put_pbf(self, table: pd.DataFrame, names: CountyNames, epoch: int) -> int:
        rows = table[table["pbf"].to_numpy()]
        chunks = (pbf_frame(rows.iloc[a:b], names, first=a + 1) for a, b in chunks_of(len(rows)))
        return self.spool.write("pbf", epoch, self.code, chunks)


def county_rng(seed: int, code: str) -> np.random.Generator:
    """A generator of its own per county and seed: counties do not depend on each other."""
    return np.random.default_rng([int(seed), int(code)])


def _stats(df: pd.DataFrame) -> dict[str, float]:
    net = table_net(df)
    farm = df["dlbm"].isin(FARMLAND).to_numpy()
    return {"parcels": len(df), "farmland_m2": round(float(net[farm].sum()), 2),
            "pbf_parcels_farmland_m2": round(float(net[farm & df["pbf"].to_numpy()].sum()), 2),
            "area_m2": round(float(df["tbmj"].sum()), 2)}


def region_layer(layout: Layout) -> gpd.GeoDataFrame:
    """The county (real outline), its townships and villages (synthetic polygons) with real codes."""
    town = [(t.code, t.name, "township", t.geometry) for t in layout.townships]
    vill = [(v.code, v.name, "village", v.geometry) for v in layout.villages]
    rows = town + vill
    geoms = make_valid_polygons(layout.frame.to_lonlat(np.array([r[3] for r in rows], dtype=object)))
    df = pd.DataFrame({"code": [layout.code] + [r[0] for r in rows], "name": [layout.name] + [r[1] for r in rows],
                       "level": ["county"] + [r[2] for r in rows], "county": layout.code})
    return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(np.concatenate([[layout.county_lonlat], geoms]), crs=GEOGRAPHIC))


def play_county(code: str, catalog: RegionCatalog, parcels: int, epochs: list[int], seed: int,
                target: CountyTarget, profile: EventsProfile, sink: LayerSink) -> CountyOutcome:
    """Base survey (PBF from it) and every epoch, each layer handed to ``sink`` as soon as it is made."""
    rng = county_rng(seed, code)
    base = make_base(rng, code, catalog, parcels, target)
    names, calibration, ids = base.names, base.calibration, base.ids
    regions, outline = region_layer(base.layout), base.layout.county_lonlat
    df = base.table
    del base  # the layout (blocks, zones, features) is not needed by the events
    df["evt"] = ""
    base_parcels = len(df)
    county = County(code, names, ids, Truth())
    pbf = sink.put_pbf(df, names, epochs[0])
    stats = {}
    for i, epoch in enumerate(epochs):
        if i:
            player = EpochPlayer(rng, df, epoch, county)
            del df  # the player works on its own copy
            play_follow_ups(player, profile)
            play_random(player, profile, base_parcels)
            df = player.finish()
            del player
        sink.put_parcels(df, names, epoch)
        stats[epoch] = _stats(df)
    return CountyOutcome(code, names.name, county.truth, calibration, target, outline, regions, stats, pbf)


def make_county(code: str, catalog: RegionCatalog, parcels: int, epochs: list[int], seed: int,
                target: CountyTarget, profile: EventsProfile) -> CountyResult:
    """One county with its layers in memory (tests, small scenarios)."""
    sink = MemorySink()
    out = play_county(code, catalog, parcels, epochs, seed, target, profile, sink)
    return CountyResult(**vars(out), parcels=sink.parcels, pbf=sink.pbf)


def spool_county(spool: Spool, code: str, catalog: RegionCatalog, parcels: int, epochs: list[int], seed: int,
                 target: CountyTarget, profile: EventsProfile) -> CountyOutcome:
    """One county with its layers written to ``spool`` chunk by chunk (what a worker process runs)."""
    return play_county(code, catalog, parcels, epochs, seed, target, profile, SpoolSink(spool, code))
