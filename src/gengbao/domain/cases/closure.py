"""Closure (销号) and relapse (反弹) rules: is the land under a case still construction on a later
survey epoch or delivered patch? Pure: the service measures the construction area under the case.

The land counts as restored when the construction area under the case is at most the tolerance in
m² or at most the tolerance share of the case area (either suffices: small slivers from redrawn
boundaries are not construction). Defaults are parameters (verify) and can be set per profile.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from gengbao.domain.errors import GengbaoError
from gengbao.domain.findings import Finding, Severity


@dataclass(frozen=True, slots=True)
class Tolerance:
    m2: Decimal = Decimal(10)
    share: Decimal = Decimal("0.05")


def restored(case_m2: Decimal, built_m2: Decimal, tol: Tolerance = Tolerance()) -> bool:
    if built_m2 <= tol.m2:
        return True
    return case_m2 > 0 and built_m2 / case_m2 <= tol.share


def fake_rectification(number: str, case_m2: Decimal, built_m2: Decimal, where: str) -> Finding:
    """``where``: what showed it, e.g. "2022 年调查" or "第 5 次监测运行的下发图斑"."""
    return Finding("cases.fake_rectification",
                   f"案件 {number} 申报整改完成，但{where}显示其 {case_m2} m² 中仍有 {built_m2} m² 为建设用地："
                   "虚假整改，不予销号。", Severity.ERROR, feature=number, value=str(built_m2))


def relapse(number: str, case_m2: Decimal, built_m2: Decimal, epoch: int) -> Finding:
    return Finding("cases.relapse",
                   f"已销号案件 {number} 在 {epoch} 年调查/图斑中又有 {built_m2} m²（共 {case_m2} m²）为建设用地："
                   "问题反弹，案件重新打开。", Severity.ERROR, feature=number, value=str(built_m2))


class ClosureRefused(GengbaoError):
    """The land under a case is still construction: closure refused, 虚假整改 recorded."""

    code = "cases.fake_rectification"
    default_message = "地块仍为建设用地，虚假整改，不予销号"


def demolition_check(case_m2: Decimal, legalised_m2: Decimal, built_m2: Decimal,
                     tol: Tolerance = Tolerance()) -> tuple[bool, Decimal]:
    """(restored, construction beyond what was legalised): legalised or confiscated land may stay
    built, the rest must be free of construction."""
    excess = max(Decimal(0), built_m2 - legalised_m2)
    return restored(case_m2 - legalised_m2, excess, tol), excess
