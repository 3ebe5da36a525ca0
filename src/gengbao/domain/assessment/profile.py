"""Scorecard profiles (考核方案): items, weights, score rules, bands and veto items, as validated data.

A profile is YAML read by an adapter and handed here as plain data. ``parse_profile`` checks it
against the schema below and the registered item kinds, and raises ``RuleError`` with a stable code
and the path of the offending field (``items[2].weight``)::

    schema: gengbao.assess/1
    name: 考核方案名称
    level: county                 # county | township | city: which regions get a score
    bands: [{min: 90, grade: excellent, label: 优秀}, …, {min: 0, grade: fail, label: 不合格}]
    items:
      - {id, name, kind, weight, params: {}, score: {method: …}, when_empty: full|zero, clause}
    vetoes:
      - {id, name, match: all|any, when: [{kind, params, op, value}], clause}

Score methods: ``ratio`` (weight × value, value a 0–1 rate), ``linear`` (``zero_at`` → 0 points,
``full_at`` → full points, straight line between, clamped), ``deduct`` (weight − ``per`` × value,
at least 0), ``threshold`` (full points when ``value op threshold`` holds, else 0). Weights add up
to 100.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gengbao.domain.assessment.checker import LEVELS, OPS, Checker, KindSpec, ParamSpec, ScoreRule

__all__ = [
    "Band",
    "Condition",
    "Item",
    "KindSpec",
    "ParamSpec",
    "Profile",
    "ScoreRule",
    "Veto",
    "parse_profile",
]

SCHEMA = "gengbao.assess/1"


@dataclass(frozen=True, slots=True)
class Band:
    min: Decimal
    grade: str
    label: str


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    name: str
    kind: str
    weight: Decimal
    params: Mapping[str, Any]
    rule: ScoreRule
    path: str
    clause: str = ""
    when_empty: str = "full"


@dataclass(frozen=True, slots=True)
class Condition:
    kind: str
    params: Mapping[str, Any]
    op: str
    value: Decimal


@dataclass(frozen=True, slots=True)
class Veto:
    id: str
    name: str
    conditions: tuple[Condition, ...]
    match: str
    path: str
    clause: str = ""


DEFAULT_BANDS = (
    Band(Decimal(90), "excellent", "优秀"),
    Band(Decimal(75), "good", "良好"),
    Band(Decimal(60), "pass", "合格"),
    Band(Decimal(0), "fail", "不合格"),
)


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    level: str
    items: tuple[Item, ...]
    vetoes: tuple[Veto, ...] = ()
    bands: tuple[Band, ...] = DEFAULT_BANDS
    origin: str = ""


def _bands(c: Checker, v: Any) -> tuple[Band, ...]:
    if v is None:
        return DEFAULT_BANDS
    if not isinstance(v, list) or not v:
        raise c.fail("bands", "应为非空列表", "bands")
    out = []
    for i, b in enumerate(v):
        p = f"bands[{i}]"
        m = c.mapping(b, p, ("min", "grade", "label"), ("min", "grade", "label"))
        lo = c.number(m["min"], f"{p}.min")
        if not Decimal(0) <= lo <= Decimal(100):
            raise c.fail(f"{p}.min", f"应在 0–100 之间，实际为 {lo}", "bands")
        out.append(Band(lo, c.text(m["grade"], f"{p}.grade"), c.text(m["label"], f"{p}.label")))
    if any(a.min <= b.min for a, b in zip(out, out[1:], strict=False)) or out[-1].min != 0:
        raise c.fail("bands", "各档下限应从高到低排列，最后一档下限为 0", "bands")
    return tuple(out)


def _items(c: Checker, v: Any) -> tuple[Item, ...]:
    if not isinstance(v, list) or not v:
        raise c.fail("items", "应为非空列表", "items")
    items: list[Item] = []
    seen: set[str] = set()
    allowed = ("id", "name", "kind", "weight", "params", "score", "clause", "when_empty")
    for i, raw in enumerate(v):
        p = f"items[{i}]"
        m = c.mapping(raw, p, allowed, ("id", "name", "kind", "weight", "score"))
        item_id = c.text(m["id"], f"{p}.id")
        if item_id in seen:
            raise c.fail(f"{p}.id", f"“{item_id}”重复", "duplicate_id")
        seen.add(item_id)
        spec = c.kind(m["kind"], f"{p}.kind")
        weight = c.number(m["weight"], f"{p}.weight")
        if weight <= 0:
            raise c.fail(f"{p}.weight", f"应大于 0，实际为 {weight}", "bad_value")
        items.append(
            Item(
                id=item_id,
                name=c.text(m["name"], f"{p}.name"),
                kind=spec.kind,
                weight=weight,
                params=c.params(m.get("params"), f"{p}.params", spec),
                rule=c.rule(m["score"], f"{p}.score"),
                path=p,
                clause=str(m.get("clause") or "").strip(),
                when_empty=c.choice(m.get("when_empty", "full"), f"{p}.when_empty", ("full", "zero")),
            )
        )
    total = sum((it.weight for it in items), Decimal(0))
    if total != Decimal(100):
        raise c.fail("items", f"各项权重之和应为 100，实际为 {total}", "weights")
    return tuple(items)


def _vetoes(c: Checker, v: Any, ids: set[str]) -> tuple[Veto, ...]:
    if v is None:
        return ()
    if not isinstance(v, list):
        raise c.fail("vetoes", "应为列表", "type")
    out: list[Veto] = []
    for i, raw in enumerate(v):
        p = f"vetoes[{i}]"
        m = c.mapping(raw, p, ("id", "name", "match", "when", "clause"), ("id", "name", "when"))
        vid = c.text(m["id"], f"{p}.id")
        if vid in ids:
            raise c.fail(f"{p}.id", f"“{vid}”重复", "duplicate_id")
        ids.add(vid)
        when = m["when"]
        if not isinstance(when, list) or not when:
            raise c.fail(f"{p}.when", "应为非空条件列表", "type")
        conds = []
        for j, cond in enumerate(when):
            cp = f"{p}.when[{j}]"
            cm = c.mapping(cond, cp, ("kind", "params", "op", "value"), ("kind", "op", "value"))
            spec = c.kind(cm["kind"], f"{cp}.kind")
            conds.append(
                Condition(
                    spec.kind,
                    c.params(cm.get("params"), f"{cp}.params", spec),
                    c.choice(cm["op"], f"{cp}.op", OPS),
                    c.number(cm["value"], f"{cp}.value"),
                )
            )
        match = c.choice(m.get("match", "all"), f"{p}.match", ("all", "any"))
        out.append(
            Veto(vid, c.text(m["name"], f"{p}.name"), tuple(conds), match, p, str(m.get("clause") or ""))
        )
    return tuple(out)


def parse_profile(data: Any, kinds: Mapping[str, KindSpec], origin: str = "") -> Profile:
    """Validate a profile read from YAML; raises RuleError naming the field at fault."""
    c = Checker(origin, kinds)
    allowed = ("schema", "name", "source", "level", "bands", "items", "vetoes")
    m = c.mapping(data, "", allowed, ("schema", "name", "items"))
    if m["schema"] != SCHEMA:
        raise c.fail("schema", f"应为 {SCHEMA}，实际为 {m['schema']!r}", "schema")
    items = _items(c, m["items"])
    return Profile(
        name=c.text(m["name"], "name"),
        level=c.choice(m.get("level", "county"), "level", LEVELS),
        items=items,
        vetoes=_vetoes(c, m.get("vetoes"), {it.id for it in items}),
        bands=_bands(c, m.get("bands")),
        origin=origin,
    )
