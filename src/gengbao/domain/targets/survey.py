"""Targets compared with a survey epoch's farmland and PBF statistics."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from gengbao.domain.area_units import AreaUnit, convert, from_m2, round_area
from gengbao.domain.findings import Severity
from gengbao.domain.regions import RegionCatalog
from gengbao.domain.targets.checks import TargetFinding, _label, _name
from gengbao.domain.targets.kinds import FARMLAND, FARMLAND_NEW, PBF, TargetKind
from gengbao.domain.targets.tables import TargetValues

# --------------------------------------------------------------------------------------------
# Comparison with survey statistics
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SurveyTotals:
    """Farmland and PBF area of one region in one survey epoch (m², as the survey defines them)."""

    region: str
    farmland_m2: Decimal
    pbf_m2: Decimal


def compare_with_survey(
    values: TargetValues, survey: Iterable[SurveyTotals], catalog: RegionCatalog, epoch: int
) -> list[TargetFinding]:
    """Targets against the survey statistics of ``epoch``.

    A region's survey area is the sum of the survey rows at or below it (by code prefix), so county
    rows serve their city as well; when some of its catalogued subregions at the rows' level have no
    row, the region is not compared (``targets.survey_missing``, a warning). The farmland target is the 附件2 figure, or the 三调-based one
    when only a gap table is stored. ``actual`` is the survey area converted exactly to 万亩
    (:mod:`gengbao.domain.area_units`; 1 万亩 = 10⁸/15 m²), compared without rounding.
    """
    rows = list(survey)
    out: list[TargetFinding] = []
    for code in sorted(values):
        v = values[code]
        farmland = v.get(FARMLAND, v.get(FARMLAND_NEW))
        pbf = v.get(PBF)
        if farmland is None and pbf is None:
            continue
        name = _name(catalog, code)
        who = _label(catalog, code)
        covered = [r for r in rows if r.region.startswith(code)]
        lengths = {len(r.region) for r in covered} | {len(r.region) for r in rows}
        below = [d for d in (catalog.descendants(code) if code in catalog else []) if len(d.code) in lengths]
        missing = [d for d in below if not any(r.region.startswith(d.code) for r in covered)]
        if not covered or missing:
            why = (f"下级 {'、'.join(f'{d.name}（{d.code}）' for d in missing)} 没有调查统计数据" if covered
                   else f"调查统计中没有{who}的数据")
            out.append(TargetFinding(
                "targets.survey_missing",
                f"{epoch} 年度{why}，无法将{who}与保护目标比对。",
                code, name, TargetKind.FARMLAND if farmland is not None else TargetKind.PBF, epoch,
                farmland if farmland is not None else pbf, None, Severity.WARNING,
            ))
            continue
        checks = (
            (TargetKind.FARMLAND, farmland, sum((r.farmland_m2 for r in covered), Decimal(0)),
             "targets.survey_farmland_below_target", "耕地", "耕地保护目标"),
            (TargetKind.PBF, pbf, sum((r.pbf_m2 for r in covered), Decimal(0)),
             "targets.survey_pbf_below_target", "永久基本农田", "永久基本农田保护目标"),
        )
        for measure, target, m2, fcode, what, target_label in checks:
            if target is None:
                continue
            actual = from_m2(m2, AreaUnit.WAN_MU)  # exact: m² × 15 / 10⁸ is a finite decimal
            if actual < target:
                short_mu = convert(target - actual, AreaUnit.WAN_MU, AreaUnit.MU, rounded=True)
                out.append(TargetFinding(
                    fcode,
                    f"{epoch} 年度调查{who}{what} {round_area(actual, AreaUnit.WAN_MU)} 万亩（{m2} 平方米），低于{target_label} "
                    f"{target} 万亩，差 {short_mu} 亩。",
                    code, name, measure, epoch, target, actual,
                ))
    return out
