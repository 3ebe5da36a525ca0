"""Survey statistics: farmland (Σ TBDLMJ of 0101–0103) by class and PBF area per region."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from gengbao.domain.regions import RegionLevel
from gengbao.services.workspace import Workspace


@dataclass(frozen=True, slots=True)
class RegionStat:
    region: str
    name: str
    level: RegionLevel
    farmland_m2: Decimal
    pbf_m2: Decimal
    by_class: dict[str, Decimal] = field(default_factory=dict)


def region_stats(ws: Workspace, epoch: int, by: RegionLevel) -> list[RegionStat]:
    """Farmland and PBF area per region at level ``by`` (county, township or village). Being written."""
    raise NotImplementedError
