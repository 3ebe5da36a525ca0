"""Survey statistics: farmland (Σ TBDLMJ of 0101–0103) by class and PBF area (Σ TBDLMJ) per region.

PBF is its own layer, designated rather than surveyed each year: an epoch's statistics use the PBF
layer imported for that epoch, or else the latest one imported before it.

Sums are exact: areas are stored with two decimals, so they are summed as integer hundredths.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from gengbao.adapters import layer_store
from gengbao.adapters.db import survey_store
from gengbao.domain.access import Action
from gengbao.domain.area_units import AreaUnit, convert, round_area
from gengbao.domain.errors import NotFoundError
from gengbao.domain.land_classes import FARMLAND_CODES
from gengbao.domain.regions import RegionLevel
from gengbao.domain.survey import check_epoch
from gengbao.services.context import Context


@dataclass(frozen=True, slots=True)
class RegionStat:
    region: str
    name: str
    level: RegionLevel
    farmland_m2: Decimal
    pbf_m2: Decimal
    by_class: dict[str, Decimal] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"region": self.region, "name": self.name, "level": str(self.level)}
        for key, m2 in (("farmland", self.farmland_m2), ("pbf", self.pbf_m2)):
            d[f"{key}_m2"] = str(m2)
            d[f"{key}_mu"] = str(round_area(convert(m2, AreaUnit.M2, AreaUnit.MU), AreaUnit.MU))
            d[f"{key}_wan_mu"] = str(round_area(convert(m2, AreaUnit.M2, AreaUnit.WAN_MU), AreaUnit.WAN_MU))
        d["by_class_m2"] = {k: str(v) for k, v in sorted(self.by_class.items())}
        return d


def _cents(values: pd.Series) -> np.ndarray:
    return np.rint(values.to_numpy(dtype="float64") * 100).astype(np.int64)


def _has(ws: Context, epoch: int, kind: str) -> bool:
    with ws.sessions() as s:
        return survey_store.epoch_exists(s, epoch, kind)


def pbf_epoch(ws: Context, epoch: int) -> int | None:
    """The PBF layer in force at ``epoch``: the latest one imported for that epoch or before."""
    with ws.sessions() as s:
        return survey_store.latest_epoch_up_to(s, "pbf", epoch)


def region_stats(ws: Context, epoch: int, by: RegionLevel = RegionLevel.COUNTY) -> list[RegionStat]:
    """Farmland and PBF area per region at level ``by`` (county, township or village); an actor whose
    jurisdiction is smaller than the workspace sees only the regions inside it."""
    ws.authorise(Action.READ)
    check_epoch(epoch)
    if by not in (RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.VILLAGE):
        raise NotFoundError(f"统计层级须为县、乡或村，而不是{by.label}", code="stats.level")
    if not _has(ws, epoch, "parcels"):
        raise NotFoundError(f"工作空间中没有 {epoch} 期地类图斑，请先导入。", code="survey.epoch_missing")
    n = by.digits
    t = layer_store.read_table(ws.layout.layers, "parcels", epoch, ["DLBM", "ZLDWDM", "TBDLMJ"])
    t = t[t["DLBM"].isin(FARMLAND_CODES)]
    farm = pd.DataFrame({"region": t["ZLDWDM"].str[:n].to_numpy(), "cls": t["DLBM"].to_numpy(), "c": _cents(t["TBDLMJ"])})
    by_class = farm.groupby(["region", "cls"])["c"].sum()
    pbf_cents: dict[str, int] = {}
    pbf_year = pbf_epoch(ws, epoch)
    if pbf_year is not None:
        p = layer_store.read_table(ws.layout.layers, "pbf", pbf_year, ["ZLDWDM", "TBDLMJ"])
        pbf = pd.DataFrame({"region": p["ZLDWDM"].str[:n].to_numpy(), "c": _cents(p["TBDLMJ"])})
        pbf_cents = {str(k): int(v) for k, v in pbf.groupby("region")["c"].sum().items()}
    regions = sorted(set(farm["region"]) | set(pbf_cents))
    classes: dict[str, dict[str, Decimal]] = {r: {} for r in regions}
    for (r, cls), c in by_class.items():
        classes[str(r)][str(cls)] = Decimal(int(c)) / 100
    out = []
    for r in (r for r in regions if ws.actor.covers(r)):
        node = ws.catalog.find(r)
        name = node.name if node else "（代码表外）"
        farmland = sum(classes[r].values(), Decimal("0.00"))
        out.append(RegionStat(r, name, by, farmland.quantize(Decimal("0.01")),
                              (Decimal(pbf_cents.get(r, 0)) / 100).quantize(Decimal("0.01")), classes[r]))
    return out


def total(rows: list[RegionStat]) -> tuple[Decimal, Decimal]:
    return sum((r.farmland_m2 for r in rows), Decimal("0.00")), sum((r.pbf_m2 for r in rows), Decimal("0.00"))
