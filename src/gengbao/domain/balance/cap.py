"""以补定占 (occupation cap) and gap recovery against achieved inflow.

Cap (seed 001 measure 18): next year's cap on construction occupation of farmland = this year's
stable farmland − the stable farmland of the plan's base year; a county whose farmland falls short
of its earlier target may first put that net increase towards the shortfall, and only the rest is
the cap. Unstable farmland (耕地细化调查 TBXHDM: 河道、湖区、林区、牧区、沙荒、石漠化耕地; verify
locally) is excluded. Gap recovery (附件3): the year's task (10 % of a positive gap, in 万亩 as
published) against the inflow the county actually achieved, compared in m² exactly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gengbao.domain.area_units import AreaUnit, convert
from gengbao.domain.balance.plan import mu4, shown_m2
from gengbao.domain.errors import InputError
from gengbao.domain.findings import Finding
from gengbao.domain.land_classes import FARMLAND_CODES
from gengbao.domain.targets import recovery_task

UNSTABLE_TBXHDM: frozenset[str] = frozenset({"HDGD", "HQGD", "LQGD", "MQGD", "SHGD", "SMGD"})
ZERO = Decimal(0)


def stable_farmland_m2(parcels: Iterable[tuple[str, Decimal, str | None]],
                       unstable: frozenset[str] = UNSTABLE_TBXHDM) -> Decimal:
    """Σ area of farmland parcels (DLBM 0101–0103) whose TBXHDM is not an unstable kind."""
    return sum((a for code, a, xh in parcels if code in FARMLAND_CODES and (xh or "").strip() not in unstable), ZERO)


@dataclass(frozen=True, slots=True)
class OccupationCap:
    county: str
    year: int  # the year the cap applies to
    stable_m2: Decimal
    base_m2: Decimal
    net_increase_m2: Decimal
    to_shortfall_m2: Decimal
    cap_m2: Decimal

    def to_dict(self) -> dict[str, Any]:
        return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in (
            ("county", self.county), ("year", self.year), ("stable_m2", self.stable_m2), ("base_m2", self.base_m2),
            ("net_increase_m2", self.net_increase_m2), ("to_shortfall_m2", self.to_shortfall_m2),
            ("cap_m2", self.cap_m2), ("cap_mu", mu4(self.cap_m2)))}


def occupation_cap(county: str, year: int, stable_m2: Decimal, base_m2: Decimal,
                   shortfall_m2: Decimal = ZERO, cover_shortfall: bool = True) -> OccupationCap:
    for v in (stable_m2, base_m2, shortfall_m2):
        if not v.is_finite() or v < 0:
            raise InputError(f"县 {county} 以补定占的面积不能为负：{v}", code="balance.cap.bad_area")
    net = stable_m2 - base_m2
    usable = max(net, ZERO)
    to_short = min(usable, shortfall_m2) if cover_shortfall else ZERO
    return OccupationCap(county, year + 1, stable_m2, base_m2, net, to_short, usable - to_short)


def check_occupation(cap: OccupationCap, occupied_m2: Decimal) -> list[Finding]:
    if occupied_m2 > cap.cap_m2:
        return [Finding("balance.cap.exceeded",
                        f"县 {cap.county} {cap.year} 年非农建设占用耕地 {shown_m2(occupied_m2)}，超过以补定占上限 {shown_m2(cap.cap_m2)}",
                        value=str(occupied_m2 - cap.cap_m2))]
    return []


@dataclass(frozen=True, slots=True)
class GapRecovery:
    county: str
    year: int
    gap_wan_mu: Decimal
    task_wan_mu: Decimal
    task_m2: Decimal  # exact
    achieved_m2: Decimal
    done: bool

    def to_dict(self) -> dict[str, Any]:
        achieved = convert(self.achieved_m2, AreaUnit.M2, AreaUnit.WAN_MU, rounded=True)
        return {"county": self.county, "year": self.year, "gap_wan_mu": str(self.gap_wan_mu),
                "task_wan_mu": str(self.task_wan_mu), "achieved_m2": str(self.achieved_m2),
                "achieved_wan_mu": str(achieved), "done": self.done}


def gap_recovery(county: str, year: int, gap_wan_mu: Decimal, achieved_m2: Decimal,
                 task_wan_mu: Decimal | None = None) -> GapRecovery:
    """The task (published, or 10 % of a positive gap) against the inflow achieved (m²)."""
    if not achieved_m2.is_finite() or achieved_m2 < 0:
        raise InputError(f"县 {county} {year} 年恢复面积不能为负：{achieved_m2}", code="balance.gap.bad_area")
    task = recovery_task(gap_wan_mu) if task_wan_mu is None else task_wan_mu
    task_m2 = convert(task, AreaUnit.WAN_MU, AreaUnit.M2)
    return GapRecovery(county, year, gap_wan_mu, task, task_m2, achieved_m2, achieved_m2 * 15 >= task * 100_000_000)
