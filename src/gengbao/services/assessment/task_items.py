"""Task-progress item kinds for scorecards: completion rate, overdue count, reporting rate.

A region's figures read the assignments of units located in the region: its own government and
departments, and the governments of townships and villages below it (classes such as
县（市、区）人民政府 expand to each county's government). City departments count for no county.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gengbao.domain.assessment.profile import KindSpec, ParamSpec
from gengbao.domain.assessment.scorecard import Figure
from gengbao.domain.regions import Region
from gengbao.domain.tasks import figures
from gengbao.domain.tasks.periods import Cadence, parse_cadence
from gengbao.domain.tasks.progress import Assignment, ProgressReport
from gengbao.services.assessment.assess import AssessContext, register_provider
from gengbao.services.tasks.progress import assignments_and_reports, current_cadence

_DOC = ParamSpec("str")
_CADENCES = tuple(c.value for c in Cadence)


def _data(ctx: AssessContext, document: str | None) -> tuple[list[Assignment], list[ProgressReport]]:
    return ctx.cached(f"tasks:{document}", lambda: assignments_and_reports(ctx.ws, document))


def _cadence(ctx: AssessContext, params: Mapping[str, Any]) -> Cadence:
    if params.get("cadence"):
        return parse_cadence(params["cadence"])
    return ctx.cached("tasks.cadence", lambda: current_cadence(ctx.ws))


def _within(ctx: AssessContext, region: Region, assignments: list[Assignment]) -> list[Assignment]:
    cat = ctx.ws.catalog
    return [a for a in assignments if a.unit_region in cat and cat.contains(region.code, a.unit_region)]


class CompletionRate:
    spec = KindSpec(
        "tasks.completion_rate",
        "ratio",
        "任务清单当年到期举措的完成率（单位次）",
        {"document": _DOC, "on_time": ParamSpec("bool", False)},
    )

    def compute(self, ctx: AssessContext, region: Region, params: Mapping[str, Any]) -> Figure:
        assignments, reports = _data(ctx, params.get("document"))
        mine = _within(ctx, region, assignments)
        return figures.completion_rate(mine, reports, ctx.year, bool(params.get("on_time", False)))


class OverdueCount:
    spec = KindSpec(
        "tasks.overdue_count", "count", "截至年底逾期未完成的举措数（单位次）", {"document": _DOC}
    )

    def compute(self, ctx: AssessContext, region: Region, params: Mapping[str, Any]) -> Figure:
        assignments, reports = _data(ctx, params.get("document"))
        return figures.overdue_count(_within(ctx, region, assignments), reports, ctx.year)


class ReportingRate:
    spec = KindSpec(
        "tasks.reporting_rate",
        "ratio",
        "按报送周期应报进度的实报率",
        {"document": _DOC, "cadence": ParamSpec("str", None, _CADENCES), "grace_days": ParamSpec("int", 10)},
    )

    def compute(self, ctx: AssessContext, region: Region, params: Mapping[str, Any]) -> Figure:
        assignments, reports = _data(ctx, params.get("document"))
        cadence = _cadence(ctx, params)
        mine = _within(ctx, region, assignments)
        return figures.reporting_rate(mine, reports, ctx.year, cadence, int(params.get("grace_days", 10)))


for _p in (CompletionRate(), OverdueCount(), ReportingRate()):
    register_provider(_p)
