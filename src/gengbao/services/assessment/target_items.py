"""Scorecard item kinds that read targets against survey statistics (耕地保有、永久基本农田保护).

``targets.farmland_ratio`` and ``targets.pbf_ratio``: the survey area of an epoch (Σ TBDLMJ, exact)
divided by the region's target (万亩 converted to m² exactly). 1 or more means the target is kept.
Not applicable (None) when the region has no target or the epoch has no survey layer.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from gengbao.domain.area_units import AreaUnit, convert, round_area
from gengbao.domain.assessment.profile import KindSpec, ParamSpec
from gengbao.domain.assessment.scorecard import Figure
from gengbao.domain.errors import NotFoundError
from gengbao.domain.regions import Region, RegionLevel
from gengbao.domain.targets import FARMLAND, PBF
from gengbao.services.assessment.assess import AssessContext, register_provider
from gengbao.services.survey.stats import RegionStat, region_stats
from gengbao.services.targets.use_cases import load_targets

RATIO_PLACES = Decimal("0.0001")


def _survey(ctx: AssessContext, epoch: int) -> dict[str, RegionStat] | None:
    def load() -> dict[str, RegionStat] | None:
        try:
            return {r.region: r for r in region_stats(ctx.ws, epoch, RegionLevel.COUNTY)}
        except NotFoundError:
            return None

    return ctx.cached(f"survey:{epoch}", load)


def _region_area(stats: dict[str, RegionStat], region: Region, pbf: bool) -> Decimal:
    rows = [s for code, s in stats.items() if code.startswith(region.code)]
    return sum(((s.pbf_m2 if pbf else s.farmland_m2) for s in rows), Decimal("0"))


class _TargetRatio:
    pbf: bool
    label: str

    def compute(self, ctx: AssessContext, region: Region, params: Mapping[str, Any]) -> Figure:
        epoch = int(params.get("epoch") or ctx.year)
        targets = ctx.cached("targets", lambda: load_targets(ctx.ws))
        key = PBF if self.pbf else FARMLAND
        target = targets.get(region.code, {}).get(key)
        stats = _survey(ctx, epoch)
        if target is None:
            return Figure(None, "ratio", f"{region.name}没有{self.label}目标")
        if stats is None:
            return Figure(None, "ratio", f"工作空间没有 {epoch} 期调查图层")
        area = _region_area(stats, region, self.pbf)
        target_m2 = convert(target, AreaUnit.WAN_MU, AreaUnit.M2)
        ratio = (area / target_m2).quantize(RATIO_PLACES)
        area_wan = round_area(convert(area, AreaUnit.M2, AreaUnit.WAN_MU), AreaUnit.WAN_MU)
        return Figure(
            ratio, "ratio",
            f"{epoch} 期调查{self.label} {area_wan} 万亩，目标 {target} 万亩，比值 {ratio}",
            data={"epoch": epoch, "area_m2": str(area), "target_wan_mu": str(target)},
        )


class FarmlandRatio(_TargetRatio):
    pbf = False
    label = "耕地"
    spec = KindSpec("targets.farmland_ratio", "ratio", "调查耕地面积与耕地保护目标之比（≥ 1 为完成）",
                    {"epoch": ParamSpec("int", None)})


class PbfRatio(_TargetRatio):
    pbf = True
    label = "永久基本农田"
    spec = KindSpec("targets.pbf_ratio", "ratio", "调查永久基本农田面积与保护目标之比（≥ 1 为完成）",
                    {"epoch": ParamSpec("int", None)})


for _p in (FarmlandRatio(), PbfRatio()):
    register_provider(_p)
