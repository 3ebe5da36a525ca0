"""Farmland protection targets (耕地保护目标) per region, and the checks that run on them.

A target table gives, per region, figures in 万亩 exactly as published: the farmland target and
the PBF target (附件2 form), or the old (二调-based) and new (三调-based) farmland targets, the gap
between them and the yearly recovery tasks (附件3 form). Everything here is pure: values are
``Decimal`` (never float), tables come in as :class:`TargetTable` built by an adapter, and checks
return :class:`TargetFinding` values instead of raising: a published table that does not add up is
a finding, not an error.

Rules implemented (DOMAIN.md §7, §8):

- a parent's figure should equal the sum of its direct children's figures;
- gap = old target − new target;
- yearly recovery task = ``rate`` (10 %) of a positive gap, rounded half up to ``places`` (4)
  decimals; 0 when the gap is zero or negative;
- a parent's yearly task should equal the sum of its children's tasks;
- survey farmland (Σ TBDLMJ of 0101–0103) and PBF area of an epoch should not fall below the targets.
"""


from __future__ import annotations

from gengbao.domain.targets.changes import Cell, ChangeKind, TargetChange, diff_values
from gengbao.domain.targets.checks import (
    FINDING_LABELS,
    TargetFinding,
    check_targets,
    recovery_gap,
    recovery_task,
)
from gengbao.domain.targets.kinds import (
    DEFAULT_TASK_PLACES,
    DEFAULT_TASK_RATE,
    FARMLAND,
    FARMLAND_NEW,
    FARMLAND_OLD,
    GAP,
    KIND_OF_MEASURE,
    PBF,
    REQUIRED_MEASURES,
    UNIT,
    TableKind,
    TargetKey,
    TargetKind,
    task_key,
)
from gengbao.domain.targets.survey import SurveyTotals, compare_with_survey
from gengbao.domain.targets.tables import (
    TableRow,
    TargetTable,
    TargetValue,
    TargetValues,
    collect_values,
    group_values,
    resolve_region,
    resolve_table,
)

__all__ = ["Cell", "ChangeKind", "DEFAULT_TASK_PLACES", "DEFAULT_TASK_RATE", "FARMLAND", "FARMLAND_NEW", "FARMLAND_OLD", "FINDING_LABELS", "GAP", "KIND_OF_MEASURE", "PBF", "REQUIRED_MEASURES", "SurveyTotals", "TableKind", "TableRow", "TargetChange", "TargetFinding", "TargetKey", "TargetKind", "TargetTable", "TargetValue", "TargetValues", "UNIT", "check_targets", "collect_values", "compare_with_survey", "diff_values", "group_values", "recovery_gap", "recovery_task", "resolve_region", "resolve_table", "task_key"]
