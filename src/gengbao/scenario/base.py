"""The base survey of one county: layout, classes, calibration, planting attributes and ids."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from gengbao.domain.regions import RegionCatalog
from gengbao.scenario.attributes import CountyNames, base_planting
from gengbao.scenario.calibration import Calibration, calibrate_farmland, measure, select_pbf
from gengbao.scenario.layout import Layout, build_layout
from gengbao.scenario.table import base_table
from gengbao.scenario.targets import CountyTarget


@dataclass
class Ids:
    """BSM and TBBH counters of a county, continued by later epochs."""

    county: str
    next_bsm: int
    next_tbbh: np.ndarray  # per village

    def bsm(self, n: int) -> list[str]:
        out = [f"{self.county}{i:010d}" for i in range(self.next_bsm, self.next_bsm + n)]
        self.next_bsm += n
        return out

    def serials(self, bsm: pd.Series) -> np.ndarray:
        """The serial numbers (int64) of BSMs made by ``bsm``: an index of millions of parcels by BSM
        without a string object per parcel."""
        return bsm.str.slice(len(self.county)).astype("int64").to_numpy()

    def tbbh(self, village: np.ndarray) -> list[str]:
        out = []
        for v in village.tolist():
            out.append(str(int(self.next_tbbh[v])))
            self.next_tbbh[v] += 1
        return out


@dataclass
class CountyBase:
    layout: Layout
    names: CountyNames
    table: pd.DataFrame
    ids: Ids
    calibration: Calibration


# Aim a few m² above the targets so that the base survey keeps them after cent rounding (a county
# calibrated 0.08 m² below its target would be reported as missing it).
CALIBRATION_MARGIN_M2 = 10.0


def make_base(rng: np.random.Generator, code: str, catalog: RegionCatalog, parcels: int,
              target: CountyTarget) -> CountyBase:
    layout = build_layout(rng, code, catalog, parcels, target.farmland_m2)
    df = base_table(rng, layout)  # consumes the layout's planar pieces
    farmland_aim = target.farmland_m2 + CALIBRATION_MARGIN_M2
    df, flipped, cuts = calibrate_farmland(df, farmland_aim, layout.palette.fringe)
    base_planting(df)
    df, pcuts = select_pbf(df, min(target.pbf_m2 + CALIBRATION_MARGIN_M2 / 2, farmland_aim))
    order = np.lexsort((df.index.to_numpy(), df["group"].to_numpy(), df["village"].to_numpy()))
    df = df.iloc[order].reset_index(drop=True)
    ids = Ids(code, 1, np.ones(len(layout.villages), dtype=np.int64))
    df["bsm"] = ids.bsm(len(df))
    df["tbbh"] = ids.tbbh(df["village"].to_numpy())
    names = CountyNames(code, layout.name, layout.villages)
    return CountyBase(layout, names, df, ids, measure(df, target.farmland_m2, target.pbf_m2, flipped, cuts + pcuts))
