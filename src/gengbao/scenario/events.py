"""Play one epoch of events over the previous epoch's parcels.

Every event's parcel becomes a new row with a new BSM: a whole parcel is replaced, a large parcel is cut
and keeps its BSM for the remainder (the tiling is kept). Rows touched by an event are locked against
later random events; only follow-ups (demolition, fake rectification, temporary-use expiry) revisit them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from gengbao.scenario.attributes import CountyNames
from gengbao.scenario.base import Ids
from gengbao.scenario.classes import FARMLAND
from gengbao.scenario.cut import split_share
from gengbao.scenario.frame import ellipsoidal_area, round_half_up
from gengbao.scenario.records import EVENT_DAYS, Event, Truth, day_in_year

CUT_FACTOR = 1.3  # a parcel larger than this × the event's area is cut, else taken whole


@dataclass
class County:
    code: str
    names: CountyNames
    ids: Ids
    truth: Truth


class EpochPlayer:
    def __init__(self, rng: np.random.Generator, previous: pd.DataFrame, epoch: int, county: County) -> None:
        self.rng = rng
        self.df = previous.copy()
        self.epoch = epoch
        self.county = county
        self.new_rows: list[dict] = []
        self.dropped: list[int] = []
        self.by_bsm = pd.Series(self.df.index.to_numpy(), index=self.df["bsm"].to_numpy())
        self._zld = np.array([v.code for v in county.names.villages], dtype=object)

    # --- choosing parcels -------------------------------------------------------------------
    def free(self, mask: np.ndarray) -> np.ndarray:
        return self.df.index.to_numpy()[mask & (self.df["evt"].to_numpy() == "")]

    def pick(self, labels: np.ndarray, weights: np.ndarray | None, k: int) -> np.ndarray:
        k = min(k, len(labels))
        if k <= 0:
            return np.empty(0, dtype=np.int64)
        p = None
        if weights is not None:
            w = np.clip(np.asarray(weights, dtype=np.float64), 1e-12, None)
            p = w / w.sum()
        return np.sort(self.rng.choice(labels, size=k, replace=False, p=p))

    def area(self, bounds: tuple[float, float]) -> float:
        lo, hi = np.log(bounds[0]), np.log(bounds[1])
        return float(np.exp(self.rng.uniform(lo, hi)))

    # --- changing parcels -------------------------------------------------------------------
    def carve(self, label: int, area_m2: float | None) -> dict:
        """The event's parcel (a new row): part of parcel ``label`` of about ``area_m2``, or all of it."""
        row = self.df.loc[label]
        new = row.to_dict()
        if area_m2 is not None and row["tbmj"] > CUT_FACTOR * area_m2:
            part, rest = split_share(row["geometry"], area_m2 / row["area"])
            a = ellipsoidal_area(np.array([part, rest], dtype=object))
            self.df.at[label, "geometry"] = rest
            self.df.at[label, "area"] = a[1]
            self.df.at[label, "tbmj"] = round_half_up(a[1:])[0]
            new.update(geometry=part, area=a[0], tbmj=round_half_up(a[:1])[0])
        else:
            self.dropped.append(label)
        self.df.at[label, "evt"] = "carved"
        new["parent_bsm"] = row["bsm"]
        new["bsm"] = self.county.ids.bsm(1)[0]
        new["tbbh"] = self.county.ids.tbbh(np.array([row["village"]]))[0]
        self.new_rows.append(new)
        return new

    def carve_bsm(self, bsm: str) -> dict | None:
        label = self.by_bsm.get(bsm)
        if label is None or label in self.dropped:
            return None
        return self.carve(int(label), None)

    def row_of(self, bsm: str) -> pd.Series | None:
        label = self.by_bsm.get(bsm)
        return None if label is None else self.df.loc[int(label)]

    # --- truth ------------------------------------------------------------------------------
    def zldwdm(self, row: dict | pd.Series) -> str:
        return f"{self._zld[int(row['village'])]}{int(row['group']):05d}00"

    def record(self, kind: str, row: dict | pd.Series, from_class: str, lawful: bool, *, approval_id: str | None = None,
               related: str | None = None, declared: bool = False, parent_bsm: str | None = None) -> Event:
        truth = self.county.truth
        eid = f"SYN-{self.county.code}-E{truth.next_id('event'):06d}"
        area = float(row["tbmj"])
        event = Event(
            eid, self.county.code, self.epoch, kind, day_in_year(self.rng, self.epoch, *EVENT_DAYS).isoformat(),
            str(row["bsm"]), str(parent_bsm or row.get("parent_bsm") or row["bsm"]), self.zldwdm(row), from_class,
            str(row["dlbm"]), row["zzsx"], area, area if from_class in FARMLAND else 0.0,
            area if bool(row["pbf"]) else 0.0, lawful, row["geometry"], approval_id, related, declared_restored=declared,
        )
        if isinstance(row, dict):
            row["evt"] = eid
        truth.events.append(event)
        return event

    def finish(self) -> pd.DataFrame:
        df = self.df.drop(index=self.dropped)
        if self.new_rows:
            new = pd.DataFrame(self.new_rows).drop(columns=["parent_bsm"])
            df = pd.concat([df, new[df.columns]], ignore_index=True)
        df["evt"] = df["evt"].replace("carved", "")
        return df.reset_index(drop=True)
