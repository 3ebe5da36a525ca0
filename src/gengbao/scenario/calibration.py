"""Calibrate a county's base survey to its targets: farmland (Σ TBDLMJ of 0101–0103) and PBF.

Zoning already aims slightly above the farmland target; here whole parcels at the margin of the
farmland zone are turned to or from the restorable fringe classes in order of suitability, and the
last one is cut so the total lands on the target. PBF is then the most suitable farmland, again with
the last parcel cut. Works the same at any scale: with few, large parcels the cut does the work.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from gengbao.scenario.attributes import table_net
from gengbao.scenario.classes import CONSTRUCTION, FARMLAND, PADDY
from gengbao.scenario.cut import split_share
from gengbao.scenario.frame import ellipsoidal_area, packed, round_half_up, unpacked
from gengbao.scenario.subdivide import CANAL as CANAL_ROLE
from gengbao.scenario.subdivide import FEATURE, FRINGE_FIELD, ROAD, TOWN_ROAD

MU_PER_M2 = 15.0 / 10000.0
NOT_ELIGIBLE_ROLES = (FEATURE, ROAD, CANAL_ROLE, TOWN_ROAD)


@dataclass(frozen=True)
class Calibration:
    farmland_target_m2: float
    farmland_m2: float
    pbf_target_m2: float
    pbf_m2: float
    flipped: int
    cuts: int

    def to_dict(self) -> dict[str, float | int]:
        return {
            "farmland_target_m2": round(self.farmland_target_m2, 2), "farmland_m2": round(self.farmland_m2, 2),
            "pbf_target_m2": round(self.pbf_target_m2, 2), "pbf_m2": round(self.pbf_m2, 2),
            "flipped_parcels": self.flipped, "cut_parcels": self.cuts,
        }


MIN_PIECE_M2 = 100.0


def plan_selection(value: np.ndarray, need: float, min_piece: float = MIN_PIECE_M2
                   ) -> tuple[np.ndarray, int | None, float]:
    """Take candidates in order until ``need`` is met: → (taken whole, index to cut or None, amount).

    The cut takes ``amount`` of the cut candidate; both sides of a cut keep at least ``min_piece``
    where the figures allow, by handing back whole candidates and cutting a later, larger one.
    """
    cum = np.cumsum(value)
    k = int(np.searchsorted(cum, need, side="right"))
    if k >= len(value):
        return np.arange(len(value)), None, 0.0
    rest = need - (float(cum[k - 1]) if k else 0.0)
    if rest < 0.5:
        return np.arange(k), None, 0.0
    taken = k
    while rest < min_piece and taken > 0:
        taken -= 1
        rest += float(value[taken])
    later = np.flatnonzero(value[k:] >= rest + min_piece)
    if len(later):
        return np.arange(taken), k + int(later[0]), rest
    rest = need - (float(cum[k - 1]) if k else 0.0)
    return np.arange(k), k, rest


def split_row(df: pd.DataFrame, idx: int, share: float) -> tuple[pd.DataFrame, int]:
    """Cut row ``idx``: a new row (returned label) gets ``share`` of it, ``idx`` keeps the rest."""
    part, rest = split_share(unpacked(df.at[idx, "geometry"]), share)
    area = ellipsoidal_area(np.array([part, rest], dtype=object))
    new = df.loc[[idx]].copy()
    label = int(df.index.max()) + 1
    new.index = [label]
    new.at[label, "geometry"] = packed(part)
    new.at[label, "area"] = area[0]
    new.at[label, "tbmj"] = round_half_up(area[:1])[0]
    df.at[idx, "geometry"] = packed(rest)
    df.at[idx, "area"] = area[1]
    df.at[idx, "tbmj"] = round_half_up(area[1:])[0]
    return pd.concat([df, new]), label


def _fringe_class(w: np.ndarray, fringe: dict[str, float]) -> np.ndarray:
    codes = np.array(list(fringe), dtype=object)
    edges = np.cumsum(np.array(list(fringe.values())) / sum(fringe.values()))[:-1]
    return codes[np.searchsorted(edges, w)]


def _set_class(df: pd.DataFrame, rows: np.ndarray, to_farmland: bool, fringe: dict[str, float]) -> None:
    if len(rows) == 0:
        return
    if to_farmland:
        df.loc[rows, "dlbm"] = df.loc[rows, "fcls"].to_numpy()
        df.loc[rows, "zzsx"] = "LS"
    else:
        w = df.loc[rows, "w"].to_numpy()
        df.loc[rows, "dlbm"] = _fringe_class(w, fringe)
        df.loc[rows, "zzsx"] = np.where(w < 0.6, "JKHF", "GCHF")
    df.loc[rows, "tbxh"] = None


def _net_as_farmland(df: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
    sub = df.loc[rows, ["fcls", "grade", "u", "tbmj"]].rename(columns={"fcls": "dlbm"})
    return table_net(sub)


def calibrate_farmland(df: pd.DataFrame, target: float, fringe: dict[str, float]) -> tuple[pd.DataFrame, int, int]:
    net = pd.Series(table_net(df), index=df.index)
    farm = df["dlbm"].isin(FARMLAND)
    gap = target - float(net[farm].sum())
    if gap < 0:
        cand = df.index[farm.to_numpy()][np.argsort(df.loc[farm, "score"].to_numpy(), kind="stable")]
        value = net[cand].to_numpy()
    else:
        ok = ~farm & ~df["role"].isin(NOT_ELIGIBLE_ROLES) & ~df["dlbm"].isin(CONSTRUCTION) & np.isfinite(df["score"])
        pool = df.index[ok.to_numpy()]
        first = (df.loc[pool, "role"] == FRINGE_FIELD).to_numpy()
        order = np.lexsort((-df.loc[pool, "score"].to_numpy(), ~first))
        cand = pool[order]
        value = _net_as_farmland(df, cand)
    taken, cut, amount = plan_selection(value, abs(gap))
    _set_class(df, cand[taken].to_numpy(), gap > 0, fringe)
    if cut is None:
        return df, len(taken), 0
    df, new = split_row(df, int(cand[cut]), amount / value[cut])
    _set_class(df, np.array([new]), gap > 0, fringe)
    return df, len(taken) + 1, 1


def pbf_score(df: pd.DataFrame) -> np.ndarray:
    return (df["score"].to_numpy() + 0.6 * (df["dlbm"].to_numpy() == PADDY) - 0.25 * (df["grade"].to_numpy() - 1)
            - 0.8 * pd.notna(df["tbxh"]).to_numpy())


def select_pbf(df: pd.DataFrame, target: float) -> tuple[pd.DataFrame, int]:
    farm = df["dlbm"].isin(FARMLAND).to_numpy()
    df["pbf"] = False
    cand = df.index[farm][np.argsort(-pbf_score(df)[farm], kind="stable")]
    net = table_net(df.loc[cand])
    taken, cut, amount = plan_selection(net, target)
    df.loc[cand[taken], "pbf"] = True
    if cut is None:
        return df, 0
    df, new = split_row(df, int(cand[cut]), amount / net[cut])
    df.at[new, "pbf"] = True
    return df, 1


def measure(df: pd.DataFrame, farmland_target: float, pbf_target: float, flipped: int, cuts: int) -> Calibration:
    """The calibration achieved: Σ TBDLMJ of farmland and of PBF parcels against the targets."""
    net = table_net(df)
    farm = df["dlbm"].isin(FARMLAND).to_numpy()
    return Calibration(farmland_target, float(net[farm].sum()), pbf_target, float(net[df["pbf"].to_numpy()].sum()),
                       flipped, cuts)
