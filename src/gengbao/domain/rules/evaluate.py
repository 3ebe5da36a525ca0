"""Evaluate a rule profile for a county, year by year with its history, and explain every outcome.

Readings (documented; the profile chooses where it can):
- 一般警示 "首次超过": ``reading: per_year`` holds each year's new illegal occupation to the line
  (at most one general warning per county-year); ``reading: cumulative`` holds the running total and
  warns once, in the year it first passes the line.
- Conditions on cumulative measures (重点警示's > 20 亩 / > 10 亩) fire in the year the running total
  first passes the line, not again every later year.
- "连续两次" counts consecutive years; once a streak has produced its consequence it starts again.
- "仍然严重" after a summons: a general warning in a later year than the summons.
- 整改期间 (approval suspension): from the year of a triggering consequence until a year whose facts
  say the problems were rectified (``rectified``) and nothing new triggered it.
The case outcomes (criminal referral, fine range) live in :mod:`.cases`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gengbao.domain.findings import Finding, Severity
from gengbao.domain.rules.cases import CaseOutcome, assess_cases
from gengbao.domain.rules.conditions import Values, test
from gengbao.domain.rules.facts import CountyYearFacts, FactSource, check_history
from gengbao.domain.rules.profile import MEASURES, Clause, ConditionSet, Consequence, Reading, RuleProfile
from gengbao.domain.rules.thresholds import Figure, ratio_of

_YEAR_TO_CUM = {"illegal_farmland": "cumulative_illegal_farmland", "illegal_pbf": "cumulative_illegal_pbf"}


@dataclass(frozen=True, slots=True)
class Outcome:
    county: str
    year: int
    consequence: Consequence
    clause: Clause
    reason: str
    figures: tuple[Figure, ...] = ()
    cases: tuple[str, ...] = ()
    source: FactSource = FactSource.JUDGED_CASES
    decided_by: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "county": self.county, "year": self.year, "consequence": str(self.consequence),
            "label": self.consequence.label, "clause": self.clause.id, "clause_title": self.clause.title,
            "clause_text": self.clause.text, "reason": self.reason, "figures": [f.to_dict() for f in self.figures],
            "cases": list(self.cases), "source": str(self.source), "source_label": self.source.label,
            "decided_by": self.decided_by,
        }


@dataclass(frozen=True, slots=True)
class CountyResult:
    county: str
    profile: str
    outcomes: tuple[Outcome, ...]
    cases: tuple[CaseOutcome, ...]
    notes: tuple[Finding, ...]

    def in_year(self, year: int) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.year == year)

    def to_dict(self) -> dict[str, Any]:
        return {"county": self.county, "profile": self.profile, "outcomes": [o.to_dict() for o in self.outcomes],
                "cases": [c.to_dict() for c in self.cases], "notes": [n.to_dict() for n in self.notes]}


def _why(figures: list[Figure]) -> str:
    return "；".join(f.text() + ("（满足）" if f.met else "（不满足）") for f in figures)


def evaluate_county(profile: RuleProfile, history: Sequence[CountyYearFacts]) -> CountyResult:
    facts = check_history(history)
    out: list[Outcome] = []
    notes: list[Finding] = []
    county = facts[0].county if facts else ""
    one = Decimal(1)
    cum_f = cum_p = Decimal(0)
    before: Values = {}
    streak_general = streak_key = key_or_summons = 0
    summons_years: list[int] = []
    suspended_since: int | None = None
    for f in facts:
        cum_f += f.illegal_farmland_m2
        cum_p += f.illegal_pbf_m2
        now: Values = {
            "illegal_farmland": (f.illegal_farmland_m2, one), "illegal_pbf": (f.illegal_pbf_m2, one),
            "cumulative_illegal_farmland": (cum_f, one), "cumulative_illegal_pbf": (cum_p, one),
            "key_ratio": ratio_of(f.ratio_numerator_m2, f.ratio_denominator_m2),
        }
        if now["key_ratio"] is None:
            notes.append(Finding("rules.facts.no_ratio", f"县 {county} {f.year} 年新增建设占用耕地为 0，比例无法计算",
                                 Severity.INFO, feature=f"{county}/{f.year}"))
        cases = tuple(c.case_id for c in f.cases)
        fired: set[Consequence] = set()

        def emit(c: Consequence, reason: str, figures: Iterable[Figure] = (), by: str = "",
                 case_ids: tuple[str, ...] = cases, year: int = f.year, src: FactSource = f.source,
                 sink: set[Consequence] = fired) -> None:
            sink.add(c)
            out.append(Outcome(county, year, c, profile.clause(c), reason, tuple(figures), case_ids, src, by))

        gw = profile.general_warning
        if profile.reading is Reading.CUMULATIVE:
            gw = ConditionSet(gw.match, tuple(type(c)(_YEAR_TO_CUM.get(c.measure, c.measure), c.threshold)
                                              for c in gw.conditions))
        general, figs = test(gw, now, before)
        if general:
            emit(Consequence.GENERAL_WARNING, _why(figs), figs)
        streak_general = streak_general + 1 if general else 0
        key_reasons: list[str] = []
        key_figs: list[Figure] = []
        k = profile.key_warning_consecutive
        if k and streak_general >= k:
            key_reasons.append(f"连续 {k} 年被一般警示")
            streak_general = 0
        held, figs = test(profile.key_warning, now, before)
        if held:
            key_reasons.append(_why(figs))
            key_figs += figs
        if key_reasons:
            emit(Consequence.KEY_WARNING, "；".join(key_reasons), key_figs)
        streak_key = streak_key + 1 if key_reasons else 0
        held, figs = test(profile.summons, now, before)
        if held:
            emit(Consequence.SUMMONS, "依规则条件：" + _why(figs), figs)
        if profile.summons_judgement:
            for d in f.summons:
                emit(Consequence.SUMMONS, f"{d.date} 决定约谈：{d.reason}", by=d.decided_by)
        key_or_summons += bool(key_reasons) + (Consequence.SUMMONS in fired)
        acc: list[str] = []
        n = profile.accountability_consecutive_key
        if n and streak_key >= n:
            acc.append(f"连续 {n} 年被重点警示")
            streak_key = 0
        if profile.accountability_after_summons and general and any(y < f.year for y in summons_years):
            acc.append(f"{max(summons_years)} 年约谈后违法问题仍然严重（本年再次达到一般警示标准）")
        if profile.accountability_serious_consequences:
            acc += [f"{d.date} {d.decided_by} 认定造成严重后果：{d.reason}" for d in f.serious_consequences]
        if acc:
            emit(Consequence.ACCOUNTABILITY, "；".join(acc))
        if Consequence.SUMMONS in fired:
            summons_years.append(f.year)
        m = profile.city_handling_at_least
        if m and key_or_summons >= m and (key_reasons or Consequence.SUMMONS in fired):
            emit(Consequence.CITY_HANDLING, f"累计重点警示、约谈 {key_or_summons} 次（{m} 次以上）")
        if suspended_since is not None and f.rectified:
            notes.append(Finding("rules.suspension.lifted", f"县 {county} {f.year} 年整改完成，恢复审批",
                                 Severity.INFO, feature=f"{county}/{f.year}"))
            suspended_since = None
        if fired & set(profile.suspension_triggers):
            suspended_since = suspended_since or f.year
        if suspended_since is not None:
            emit(Consequence.APPROVAL_SUSPENSION, f"自 {suspended_since} 年起重点警示、约谈或追责问责涉及问题整改期间")
        veto: list[str] = []
        if profile.veto_targets_not_met and f.targets_met is False:
            veto.append("未完成耕地保有量或永久基本农田保护任务")
        if profile.veto_offset_not_achieved and f.offset_achieved is False:
            veto.append("未落实耕地占补平衡")
        held, figs = test(profile.veto, now, before)
        if held:
            veto.append(_why(figs))
        for known, what in ((f.targets_met, "保护任务完成情况"), (f.offset_achieved, "占补平衡落实情况")):
            if known is None:
                notes.append(Finding("rules.facts.missing", f"县 {county} {f.year} 年缺少{what}，未据此判断一票否决",
                                     Severity.INFO, feature=f"{county}/{f.year}"))
        if veto:
            emit(Consequence.VETO, "；".join(veto), figs if held else ())
        held, figs = test(profile.discipline, now, before)
        if held:
            emit(Consequence.DISCIPLINE, _why(figs), figs)
        if profile.freeze:
            for c in f.cases:
                if c.non_agricultural and c.farmland_m2 > 0:
                    emit(Consequence.FREEZE, "冻结同等数量的占补平衡指标，拆除复耕后解除、补办手续后用于占补平衡",
                         [Figure("case_farmland", MEASURES["case_farmland"].label, m2=c.farmland_m2)], case_ids=(c.case_id,))
        before = now
    return CountyResult(county, profile.id, tuple(out), assess_cases(profile, facts), tuple(notes))


def evaluate(profile: RuleProfile, facts: Iterable[CountyYearFacts]) -> tuple[CountyResult, ...]:
    """Every county's history evaluated (grouped by county code, in code order)."""
    by_county: dict[str, list[CountyYearFacts]] = {}
    for f in facts:
        by_county.setdefault(f.county, []).append(f)
    return tuple(evaluate_county(profile, by_county[c]) for c in sorted(by_county))
