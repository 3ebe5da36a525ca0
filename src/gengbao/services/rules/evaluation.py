"""See the package docstring. Facts come from a facts file for now; the cases and monitoring
capabilities will provide them from the workspace (judged cases first, else the prejudgment)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gengbao.adapters.ledger_reports import Table, write_report
from gengbao.adapters.rule_facts import read_facts
from gengbao.adapters.rule_profiles import check_profile, load_profile
from gengbao.domain.access import Action
from gengbao.domain.errors import NotFoundError
from gengbao.domain.findings import Finding
from gengbao.domain.rules import CountyResult, CountyYearFacts, FactsProvider, RuleProfile, evaluate, mu4
from gengbao.services.context import Context
from gengbao.services.rules.monitoring_facts import MonitoringFacts


@dataclass(frozen=True, slots=True)
class ProfileReport:
    origin: str
    ok: bool
    findings: tuple[Finding, ...]
    profile: RuleProfile | None

    def to_dict(self) -> dict[str, Any]:
        p = self.profile
        return {"ok": self.ok, "origin": self.origin, "findings": [f.to_dict() for f in self.findings],
                "profile": None if p is None else {"id": p.id, "name": p.name, "region": p.region, "version": p.version,
                                                   "reading": str(p.reading), "clauses": sorted(p.clauses)}}


def validate_profile_file(path: Path | str | None = None) -> ProfileReport:
    profile, findings, origin = check_profile(path)
    return ProfileReport(origin, profile is not None, findings, profile)


@dataclass(frozen=True, slots=True)
class RulesReport:
    year: int
    profile: RuleProfile
    results: tuple[CountyResult, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": True, "year": self.year, "profile": {"id": self.profile.id, "name": self.profile.name,
                                                       "version": self.profile.version},
            "counties": [{
                "county": r.county, "outcomes": [o.to_dict() for o in r.in_year(self.year)],
                "history": [o.to_dict() for o in r.outcomes if o.year < self.year],
                "cases": [c.to_dict() for c in r.cases if c.year == self.year],
                "notes": [n.to_dict() for n in r.notes if n.feature and n.feature.endswith(f"/{self.year}")],
            } for r in self.results],
        }


@dataclass(frozen=True, slots=True)
class FileFacts:
    """A :class:`FactsProvider` over a facts file (the stand-in until cases and monitoring provide one)."""

    path: Path

    def facts(self, year: int) -> Sequence[CountyYearFacts]:
        return [f for f in read_facts(self.path) if f.year <= year]


def evaluate_rules(ws: Context | None, year: int, facts: Path | FactsProvider | None,
                   profile: Path | str | None = None) -> RulesReport:
    """Every county the provider knows, evaluated with its history up to ``year``. Without ``facts`` (a file
    or a provider) the workspace's own monitoring runs supply them (prejudgment, said so in every outcome)."""
    if facts is None and ws is not None:
        ws.authorise(Action.READ)
        provider: FactsProvider = MonitoringFacts(ws)
        if not provider.facts(year):
            raise NotFoundError(f"工作空间中还没有 {year} 年及以前的违法用地事实：请先运行相邻两期的变化监测"
                                "（gengbao monitor run --from Y-1 --to Y），或用 --facts 提供事实文件", code="rules.facts.none")
    elif facts is None:
        raise NotFoundError("没有可用的违法用地事实（案件判定或监测预判）；请用 --facts 提供事实文件",
                            code="rules.facts.none")
    else:
        provider = FileFacts(facts) if isinstance(facts, Path) else facts
    rules = load_profile(profile)
    return RulesReport(year, rules, evaluate(rules, [f for f in provider.facts(year) if f.year <= year]))


def export_outcomes(report: RulesReport, path: Path) -> Path:
    rows: list[list[object]] = []
    for r in report.results:
        for o in r.in_year(report.year):
            figs = "；".join(f.text() for f in o.figures)
            rows.append([o.county, o.year, o.consequence.label, o.clause.title, o.clause.text, o.reason, figs,
                         "、".join(o.cases), o.source.label, o.decided_by])
        for c in (c for c in r.cases if c.year == report.year):
            rows.append([c.county, c.year, "涉嫌犯罪移送" if c.referral else "案件罚款幅度",
                         report.profile.clause("criminal_referral").title, report.profile.clause("criminal_referral").text,
                         c.referral_reason or f"罚款 {c.fine_min_yuan}–{c.fine_max_yuan} 元",
                         f"耕地 {c.farmland_m2} 平方米（{mu4(c.farmland_m2)} 亩），永久基本农田 {c.pbf_m2} 平方米（{mu4(c.pbf_m2)} 亩）",
                         c.case_id, c.source.label, ""])
    headers = ["县级代码", "年度", "处理结果", "条款", "条款内容", "理由", "依据数字", "案件", "事实来源", "决定人"]
    table = Table("规则结果", f"{report.year} 年耕地保护警示约谈问责结果（{report.profile.name} {report.profile.version}）",
                  headers, rows, note="面积按平方米精确比较；亩为换算后保留 4 位小数，仅供阅读。",
                  widths=[10, 6, 16, 20, 48, 48, 48, 16, 14, 16])
    return write_report(path, [table])
