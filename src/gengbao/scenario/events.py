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
from gengbao.scenario.frame import ellipsoidal_area, packed, round_half_up, unpacked
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
        self.df = previous.copy(deep=False)  # copy-on-write: ``previous`` is unchanged; if the caller drops it, no copy
        self.epoch = epoch
        self.county = county
        self.new_rows: list[dict] = []
        self.dropped: list[int] = []
        serial = county.ids.serials(self.df["bsm"])
        order = np.argsort(serial, kind="stable")
        self._serials, self._labels = serial[order], self.df.index.to_numpy()[order]
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
        new["geometry"] = unpacked(row["geometry"])  # the new row's geometry is an object until ``finish``
        if area_m2 is not None and row["tbmj"] > CUT_FACTOR * area_m2:
            part, rest = split_share(new["geometry"], area_m2 / row["area"])
            a = ellipsoidal_area(np.array([part, rest], dtype=object))
            self.df.at[label, "geometry"] = packed(rest)
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

    def label_of(self, bsm: str) -> int | None:
        """Row label of the parcel ``bsm`` at the start of the epoch (None if there was none)."""
        code = self.county.code
        if not (bsm.startswith(code) and bsm[len(code):].isdigit()):
            return None
        i = int(np.searchsorted(self._serials, int(bsm[len(code):])))
        if i == len(self._serials) or self._serials[i] != int(bsm[len(code):]):
            return None
        return int(self._labels[i])

    def carve_bsm(self, bsm: str) -> dict | None:
        label = self.label_of(bsm)
        if label is None or label in self.dropped:
            return None
        return self.carve(label, None)

    def row_of(self, bsm: str) -> pd.Series | None:
        label = self.label_of(bsm)
        return None if label is None else self.df.loc[label]

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
            area if bool(row["pbf"]) else 0.0, lawful, unpacked(row["geometry"]), approval_id, related,
            declared_restored=declared,
        )
        if isinstance(row, dict):
            row["evt"] = eid
        truth.events.append(event)
        return event

    def finish(self) -> pd.DataFrame:
        """The epoch's table. The player is spent: its working table is released before the new one is
        assembled, so that three copies of a large county are never held at once."""
        df = self.df.drop(index=self.dropped)
        self.df = df.iloc[:0].copy()
        if self.new_rows:
            new = pd.DataFrame(self.new_rows).drop(columns=["parent_bsm"])
            new["geometry"] = packed(new["geometry"].to_numpy())
            df = pd.concat([df, new[df.columns]], ignore_index=True)
        df["evt"] = df["evt"].replace("carved", "")
        return df.reset_index(drop=True)
