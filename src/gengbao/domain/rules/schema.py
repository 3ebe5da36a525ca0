"""The rule profile schema (``gengbao.rules/1``) and its validator, which collects every problem.

::

    schema: gengbao.rules/1
    id, name, region, version, source
    reading: per_year | cumulative          # how "首次超过" is read (default per_year)
    clauses:
      general_warning: {title, text, any|all: [{measure, exceeds|reaches, unit}]}      # required
      key_warning:     {title, text, consecutive_general: 2, any|all: [...]}
      summons:         {title, text, judgement: true, any|all: [...]}
      accountability:  {title, text, consecutive_key: 2, after_summons: true, serious_consequences: true}
      city_handling:   {title, text, key_or_summons_at_least: 3}
      approval_suspension: {title, text, while: [key_warning, summons, accountability]}
      veto:            {title, text, targets_not_met: true, offset_not_achieved: true, any|all: [...]}
      discipline:      {title, text, any|all: [...]}
      freeze:          {title, text, enabled: true}
      criminal_referral: {title, text, cumulative_per_party: true, any|all: [...]}   # case measures
      fines:           {title, text, per_m2_min: 100, per_m2_max: 1000}

Finding codes: ``rules.profile.type``, ``.unknown_field`` (with the nearest known name),
``.missing_field``, ``.missing_threshold``, ``.bad_value``, ``.schema``, ``.unit_mismatch``,
``.both_ops``, ``.negative``. The profile is returned only when there is no error.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from gengbao.domain.findings import Finding
from gengbao.domain.rules.profile import (
    MEASURES,
    SCHEMA,
    Clause,
    Condition,
    ConditionSet,
    Consequence,
    Match,
    Reading,
    RuleProfile,
    Scope,
)
from gengbao.domain.rules.thresholds import Op, Threshold, ThresholdUnit

TOP = ("schema", "id", "name", "region", "version", "source", "reading", "clauses")
TOP_REQUIRED = ("schema", "id", "name", "region", "version", "clauses")
CLAUSE_KEYS: dict[str, tuple[str, ...]] = {
    "general_warning": ("any", "all"),
    "key_warning": ("consecutive_general", "any", "all"),
    "summons": ("judgement", "any", "all"),
    "accountability": ("consecutive_key", "after_summons", "serious_consequences"),
    "city_handling": ("key_or_summons_at_least",),
    "approval_suspension": ("while",),
    "veto": ("targets_not_met", "offset_not_achieved", "any", "all"),
    "discipline": ("any", "all"),
    "freeze": ("enabled",),
    "criminal_referral": ("cumulative_per_party", "any", "all"),
    "fines": ("per_m2_min", "per_m2_max"),
}
CASE_CLAUSES = ("criminal_referral",)


class _Check:
    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.findings: list[Finding] = []

    def bad(self, code: str, path: str, problem: str, value: Any = None) -> None:
        where = f"{self.origin}：" if self.origin else ""
        self.findings.append(Finding(f"rules.profile.{code}", f"规则方案 {where}{path} {problem}", field=path,
                                     value=None if value is None else repr(value)))

    def mapping(self, v: Any, path: str, allowed: tuple[str, ...], required: tuple[str, ...] = ()) -> dict[str, Any]:
        if not isinstance(v, Mapping):
            self.bad("type", path, f"应为键值表，实际为 {type(v).__name__}", v)
            return {}
        for k in v:
            if k not in allowed:
                near = difflib.get_close_matches(str(k), allowed, n=1, cutoff=0.6)
                hint = f"，是否应为“{near[0]}”？" if near else f"（可用：{'、'.join(allowed)}）"
                self.bad("unknown_field", f"{path}.{k}" if path else str(k), f"不是可用的字段{hint}", k)
        for k in required:
            if v.get(k) is None:
                self.bad("missing_field", f"{path}.{k}" if path else k, "缺失")
        return {k: v[k] for k in v if k in allowed}

    def text(self, v: Any, path: str, default: str | None = None) -> str:
        if v is None and default is not None:
            return default
        if isinstance(v, int | float) and not isinstance(v, bool):
            return str(v)
        if not isinstance(v, str) or not v.strip():
            self.bad("type", path, f"应为非空文字，实际为 {v!r}", v)
            return ""
        return v.strip()

    def flag(self, v: Any, path: str) -> bool:
        if v is None:
            return False
        if not isinstance(v, bool):
            self.bad("type", path, f"应为 true 或 false，实际为 {v!r}", v)
            return False
        return v

    def number(self, v: Any, path: str) -> Decimal | None:
        if isinstance(v, bool) or not isinstance(v, int | float | str | Decimal):
            self.bad("type", path, f"应为数字，实际为 {v!r}", v)
            return None
        try:
            d = Decimal(str(v))
        except InvalidOperation:
            d = Decimal("NaN")
        if not d.is_finite():
            self.bad("type", path, f"应为数字，实际为 {v!r}", v)
            return None
        if d < 0:
            self.bad("negative", path, f"不能为负数：{v}", v)
            return None
        return d

    def count(self, v: Any, path: str) -> int | None:
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, int) or v < 1:
            self.bad("type", path, f"应为正整数，实际为 {v!r}", v)
            return None
        return v

    def condition(self, v: Any, path: str, scope: Scope) -> Condition | None:
        m = self.mapping(v, path, ("measure", "exceeds", "reaches", "unit"), ("measure", "unit"))
        if not m:
            return None
        name = m.get("measure")
        spec = MEASURES.get(str(name)) if name is not None else None
        if name is not None and (spec is None or spec.scope is not scope):
            known = [k for k, s in MEASURES.items() if s.scope is scope]
            near = difflib.get_close_matches(str(name), known, n=1, cutoff=0.6)
            hint = f"，是否应为“{near[0]}”？" if near else f"（可用：{'、'.join(known)}）"
            self.bad("bad_value", f"{path}.measure", f"“{name}”不是此处可用的指标{hint}", name)
        unit: ThresholdUnit | None = None
        if m.get("unit") is not None:
            try:
                unit = ThresholdUnit(m["unit"])
            except ValueError:
                self.bad("bad_value", f"{path}.unit", f"应为 {' | '.join(ThresholdUnit)} 之一，实际为 {m['unit']!r}")
        if spec is not None and unit is not None and (spec.kind == "area") != unit.is_area:
            self.bad("unit_mismatch", f"{path}.unit", f"指标 {name}（{spec.label}）不能用单位 {unit}", unit)
            unit = None
        ops = [op for op in Op if op.value in m]
        if not ops:
            self.bad("missing_threshold", path, "缺少阈值：应有 exceeds（超过）或 reaches（达到）之一")
            return None
        if len(ops) > 1:
            self.bad("both_ops", path, "exceeds（超过）与 reaches（达到）只能有一个")
            return None
        value = self.number(m[ops[0].value], f"{path}.{ops[0].value}")
        if spec is None or unit is None or value is None:
            return None
        return Condition(str(name), Threshold(ops[0], value, unit))

    def conditions(self, m: dict[str, Any], path: str, scope: Scope, required: bool) -> ConditionSet | None:
        present = [k for k in ("any", "all") if k in m]
        if len(present) > 1:
            self.bad("both_ops", path, "any 与 all 只能有一个")
            return None
        if not present:
            if required:
                self.bad("missing_threshold", path, "缺少触发条件（any 或 all 列表）")
            return None
        key = present[0]
        items = m[key]
        if not isinstance(items, list) or not items:
            self.bad("missing_threshold" if not items else "type", f"{path}.{key}", "应为非空的条件列表", items)
            return None
        conds = [self.condition(c, f"{path}.{key}[{i}]", scope) for i, c in enumerate(items)]
        if any(c is None for c in conds):
            return None
        return ConditionSet(Match(key), tuple(c for c in conds if c is not None))


def validate_profile(data: Any, origin: str = "") -> tuple[RuleProfile | None, tuple[Finding, ...]]:
    """The typed profile and every finding; the profile is None when any finding is an error."""
    ck = _Check(origin)
    top = ck.mapping(data, "", TOP, TOP_REQUIRED)
    if not top:
        return None, tuple(ck.findings)
    if top.get("schema") is not None and top["schema"] != SCHEMA:
        ck.bad("schema", "schema", f"应为 {SCHEMA}，实际为 {top['schema']!r}", top["schema"])
    reading = Reading.PER_YEAR
    if top.get("reading") is not None:
        try:
            reading = Reading(top["reading"])
        except ValueError:
            ck.bad("bad_value", "reading", f"应为 {' | '.join(Reading)} 之一，实际为 {top['reading']!r}")
    raw = ck.mapping(top.get("clauses", {}), "clauses", tuple(CLAUSE_KEYS), ("general_warning",))
    clauses: dict[str, Clause] = {}
    parsed: dict[str, dict[str, Any]] = {}
    for cid, body in raw.items():
        path = f"clauses.{cid}"
        m = ck.mapping(body, path, ("title", "text", *CLAUSE_KEYS[cid]), ("title", "text"))
        clauses[cid] = Clause(cid, ck.text(m.get("title"), f"{path}.title", ""), ck.text(m.get("text"), f"{path}.text", ""))
        parsed[cid] = m
    sets = {
        cid: ck.conditions(m, f"clauses.{cid}", Scope.CASE if cid in CASE_CLAUSES else Scope.YEAR,
                           required=cid in ("general_warning", "discipline", "criminal_referral"))
        for cid, m in parsed.items() if {"any", "all"} & set(CLAUSE_KEYS[cid])
    }
    p = {cid: parsed.get(cid, {}) for cid in CLAUSE_KEYS}
    triggers: list[Consequence] = []
    for i, t in enumerate(p["approval_suspension"].get("while") or []):
        try:
            triggers.append(Consequence(t))
        except ValueError:
            ck.bad("bad_value", f"clauses.approval_suspension.while[{i}]", f"“{t}”不是可用的处理结果", t)
    fines = None
    if "fines" in parsed:
        lo = ck.number(p["fines"].get("per_m2_min"), "clauses.fines.per_m2_min")
        hi = ck.number(p["fines"].get("per_m2_max"), "clauses.fines.per_m2_max")
        if lo is not None and hi is not None:
            if lo > hi:
                ck.bad("bad_value", "clauses.fines", f"罚款下限 {lo} 大于上限 {hi}")
            fines = (lo, hi)
    profile = RuleProfile(
        id=ck.text(top.get("id"), "id", ""), name=ck.text(top.get("name"), "name", ""),
        region=ck.text(top.get("region"), "region", ""), version=ck.text(top.get("version"), "version", ""),
        source=ck.text(top.get("source"), "source", "") if top.get("source") is not None else "",
        reading=reading, clauses=clauses,
        general_warning=sets.get("general_warning") or ConditionSet(Match.ANY, ()),
        key_warning_consecutive=ck.count(p["key_warning"].get("consecutive_general"),
                                         "clauses.key_warning.consecutive_general"),
        key_warning=sets.get("key_warning"),
        summons_judgement=ck.flag(p["summons"].get("judgement"), "clauses.summons.judgement"),
        summons=sets.get("summons"),
        accountability_consecutive_key=ck.count(p["accountability"].get("consecutive_key"),
                                                "clauses.accountability.consecutive_key"),
        accountability_after_summons=ck.flag(p["accountability"].get("after_summons"),
                                             "clauses.accountability.after_summons"),
        accountability_serious_consequences=ck.flag(p["accountability"].get("serious_consequences"),
                                                    "clauses.accountability.serious_consequences"),
        city_handling_at_least=ck.count(p["city_handling"].get("key_or_summons_at_least"),
                                        "clauses.city_handling.key_or_summons_at_least"),
        suspension_triggers=tuple(triggers),
        veto_targets_not_met=ck.flag(p["veto"].get("targets_not_met"), "clauses.veto.targets_not_met"),
        veto_offset_not_achieved=ck.flag(p["veto"].get("offset_not_achieved"), "clauses.veto.offset_not_achieved"),
        veto=sets.get("veto"), discipline=sets.get("discipline"),
        freeze=ck.flag(p["freeze"].get("enabled"), "clauses.freeze.enabled"),
        referral=sets.get("criminal_referral"),
        referral_cumulative=ck.flag(p["criminal_referral"].get("cumulative_per_party"),
                                    "clauses.criminal_referral.cumulative_per_party"),
        fine_per_m2=fines,
    )
    return (None if ck.findings else profile), tuple(ck.findings)
