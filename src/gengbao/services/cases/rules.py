"""The case rules of a workspace: ``<workspace>/rules/cases.yaml`` when present (selection of patches
that open a clue, deadline days, photo distance, near-duplicate bits, closure tolerance), else the
defaults of ``CaseRules``. Example::

    deadline_days: 30
    photo_max_distance_m: 50
    closure_tolerance: {m2: 5, share: 0.02}
    selection: {legality: [suspected_illegal, facility_excess]}
"""

from __future__ import annotations

from pathlib import Path

from gengbao.adapters.case_rules_file import read_mapping
from gengbao.domain.cases.profile import CaseRules
from gengbao.domain.errors import RuleError
from gengbao.services.context import Context


def rules_path(ctx: Context) -> Path:
    return ctx.root / "rules" / "cases.yaml"


def rules_for(ctx: Context, given: CaseRules | None = None) -> CaseRules:
    if given is not None:
        return given
    data = read_mapping(rules_path(ctx))
    if data is None:
        return CaseRules()
    try:
        return CaseRules.from_mapping(data)
    except (TypeError, ValueError, KeyError, AttributeError, ArithmeticError) as exc:
        raise RuleError(f"案件规则文件 {rules_path(ctx)} 有无效的值：{exc}", code="cases.rules_invalid") from exc
