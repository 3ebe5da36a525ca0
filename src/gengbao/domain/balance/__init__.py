"""进出平衡 plans and checks, plan vs actual, 以补定占 occupation cap and gap recovery (pure)."""

from gengbao.domain.balance.actual import ActualFlows, Comparison, compare
from gengbao.domain.balance.cap import (
    UNSTABLE_TBXHDM,
    GapRecovery,
    OccupationCap,
    check_occupation,
    gap_recovery,
    occupation_cap,
    stable_farmland_m2,
)
from gengbao.domain.balance.plan import Direction, Exemption, Plan, PlanCheck, PlanRow, check_plan

__all__ = [
    "UNSTABLE_TBXHDM", "ActualFlows", "Comparison", "Direction", "Exemption", "GapRecovery", "OccupationCap",
    "Plan", "PlanCheck", "PlanRow", "check_occupation", "check_plan", "compare", "gap_recovery", "occupation_cap",
    "stable_farmland_m2",
]
