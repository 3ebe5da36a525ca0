"""One county from start to end: base survey, then each later epoch's events. Independent of other
counties (its own seeded generator), so counties can be made in parallel processes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
from gengbao.scenario.targets import CountyTarget


@dataclass
class CountyResult:
    code: str
    name: str
    parcels: dict[int, gpd.GeoDataFrame]  # DLTB per epoch
    pbf: gpd.GeoDataFrame
    truth: Truth
    calibration: Calibration
    target: CountyTarget
    outline: shapely.Geometry  # lon/lat county polygon
    regions: gpd.GeoDataFrame | None = None  # synthetic township and village polygons, real outline
    stats: dict[int, dict[str, float]] = field(default_factory=dict)


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


def make_county(code: str, catalog: RegionCatalog, parcels: int, epochs: list[int], seed: int,
                target: CountyTarget, profile: EventsProfile) -> CountyResult:
    rng = county_rng(seed, code)
    base = make_base(rng, code, catalog, parcels, target)
    df = base.table
    df["evt"] = ""
    names: CountyNames = base.names
    county = County(code, names, base.ids, Truth())
    tables = {epochs[0]: df}
    for epoch in epochs[1:]:
        player = EpochPlayer(rng, df, epoch, county)
        play_follow_ups(player, profile)
        play_random(player, profile, len(base.table))
        df = player.finish()
        tables[epoch] = df
    layers = {e: dltb_frame(t, names, e) for e, t in tables.items()}
    return CountyResult(code, names.name, layers, pbf_frame(base.table, names), county.truth, base.calibration,
                        target, base.layout.county_lonlat, region_layer(base.layout),
                        {e: _stats(t) for e, t in tables.items()})
