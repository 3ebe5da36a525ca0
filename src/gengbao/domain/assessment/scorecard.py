"""Scorecard evaluation: figures in, scores out, every point explained.

A *figure* is what an item kind measured for one region and year (a rate, a count, an area) with its
own explanation (which measures, which numbers). ``evaluate`` turns a region's figures into item
scores by the profile's rules, adds them up, applies the bands and the veto items, and says for every
number where it came from: the figure, the rule, and the clause of the profile.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from gengbao.domain.assessment.profile import Band, Condition, Item, Profile, ScoreRule, Veto

CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Figure:
    """One measured value; ``value`` None means "not applicable" (e.g. nothing was due)."""

    value: Decimal | None
    unit: str
    explanation: str
    refs: tuple[str, ...] = ()
    data: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": None if self.value is None else str(self.value),
            "unit": self.unit,
            "explanation": self.explanation,
            "refs": list(self.refs),
            "data": dict(self.data),
        }


def figure_key(kind: str, params: Mapping[str, Any]) -> str:
    """The key under which a region's figure for ``kind`` with ``params`` is looked up."""
    return kind + json.dumps(dict(params), sort_keys=True, ensure_ascii=False, default=str)


@dataclass(frozen=True, slots=True)
class ItemScore:
    item: Item
    figure: Figure
    score: Decimal
    explanation: str


@dataclass(frozen=True, slots=True)
class VetoResult:
    veto: Veto
    triggered: bool
    explanation: str


@dataclass(frozen=True, slots=True)
class RegionScore:
    region: str
    name: str
    total: Decimal
    grade: str
    label: str
    vetoed: bool
    items: tuple[ItemScore, ...]
    vetoes: tuple[VetoResult, ...]


def _q(d: Decimal) -> Decimal:
    return d.quantize(CENT, rounding=ROUND_HALF_UP)


def _fmt(d: Decimal) -> str:
    return format(d.normalize(), "f") if d == d.to_integral() else format(d, "f")


def compare(a: Decimal, op: str, b: Decimal) -> bool:
    return {
        ">": a > b,
        ">=": a >= b,
        "<": a < b,
        "<=": a <= b,
        "==": a == b,
        "!=": a != b,
    }[op]


def apply_rule(rule: ScoreRule, weight: Decimal, value: Decimal) -> tuple[Decimal, str]:
    """Points for ``value`` under ``rule``, and the rule in words."""
    if rule.method == "ratio":
        f = min(max(value, Decimal(0)), Decimal(1))
        return weight * f, f"按比例计分：{_fmt(weight)} × {_fmt(f)}"
    if rule.method == "linear":
        f = (value - rule.zero_at) / (rule.full_at - rule.zero_at)
        f = min(max(f, Decimal(0)), Decimal(1))
        words = f"线性计分：{_fmt(rule.zero_at)} 得 0 分，{_fmt(rule.full_at)} 得满分"
        return weight * f, words
    if rule.method == "deduct":
        pts = max(Decimal(0), weight - rule.per * value)
        return pts, f"扣分制：每 1 扣 {_fmt(rule.per)} 分，扣完为止"
    hit = compare(value, rule.op, rule.value)
    return (weight if hit else Decimal(0)), f"达标计分：{rule.op} {_fmt(rule.value)} 得满分，否则 0 分"


def score_item(item: Item, figure: Figure) -> ItemScore:
    where = f"（方案 {item.path} “{item.id}”" + (f"，依据：{item.clause}" if item.clause else "") + "）"
    if figure.value is None:
        pts = item.weight if item.when_empty == "full" else Decimal(0)
        why = f"{item.name}：{figure.explanation}；不适用，按 when_empty={item.when_empty} 计 {_fmt(_q(pts))} 分{where}"
        return ItemScore(item, figure, _q(pts), why)
    pts, words = apply_rule(item.rule, item.weight, figure.value)
    pts = _q(pts)
    why = f"{item.name}：{figure.explanation}；{words}，得 {_fmt(pts)}/{_fmt(item.weight)} 分{where}"
    return ItemScore(item, figure, pts, why)


def _condition(c: Condition, figures: Mapping[str, Figure]) -> tuple[bool, str]:
    fig = figures[figure_key(c.kind, c.params)]
    if fig.value is None:
        return False, f"{c.kind} 不适用（{fig.explanation}）"
    hit = compare(fig.value, c.op, c.value)
    return (
        hit,
        f"{c.kind} = {_fmt(fig.value)} {c.op} {_fmt(c.value)} {'成立' if hit else '不成立'}（{fig.explanation}）",
    )


def check_veto(veto: Veto, figures: Mapping[str, Figure]) -> VetoResult:
    results = [_condition(c, figures) for c in veto.conditions]
    hits = [h for h, _ in results]
    triggered = all(hits) if veto.match == "all" else any(hits)
    joined = "；".join(w for _, w in results)
    clause = f"，依据：{veto.clause}" if veto.clause else ""
    verdict = "触发一票否决" if triggered else "未触发"
    return VetoResult(
        veto, triggered, f"{veto.name}：{joined} → {verdict}（方案 {veto.path} “{veto.id}”{clause}）"
    )


def band_for(bands: tuple[Band, ...], total: Decimal) -> Band:
    for b in bands:
        if total >= b.min:
            return b
    return bands[-1]


def evaluate(profile: Profile, region: str, name: str, figures: Mapping[str, Figure]) -> RegionScore:
    """Score one region; ``figures`` must hold a figure for every item's and condition's key."""
    items = tuple(score_item(it, figures[figure_key(it.kind, it.params)]) for it in profile.items)
    vetoes = tuple(check_veto(v, figures) for v in profile.vetoes)
    total = _q(sum((s.score for s in items), Decimal(0)))
    vetoed = any(v.triggered for v in vetoes)
    band = profile.bands[-1] if vetoed else band_for(profile.bands, total)
    label = band.label + ("（一票否决）" if vetoed else "")
    return RegionScore(region, name, total, band.grade, label, vetoed, items, vetoes)


def needed_figures(profile: Profile) -> dict[str, tuple[str, Mapping[str, Any]]]:
    """Every (kind, params) the profile reads, by figure key: what providers must compute."""
    out: dict[str, tuple[str, Mapping[str, Any]]] = {}
    for it in profile.items:
        out[figure_key(it.kind, it.params)] = (it.kind, it.params)
    for v in profile.vetoes:
        for c in v.conditions:
            out[figure_key(c.kind, c.params)] = (c.kind, c.params)
    return out


def score_to_dict(s: RegionScore) -> dict[str, Any]:
    return {
        "region": s.region,
        "name": s.name,
        "score": str(s.total),
        "grade": s.grade,
        "label": s.label,
        "vetoed": s.vetoed,
        "items": [
            {
                "id": i.item.id,
                "name": i.item.name,
                "kind": i.item.kind,
                "weight": str(i.item.weight),
                "score": str(i.score),
                "value": None if i.figure.value is None else str(i.figure.value),
                "clause": i.item.clause,
                "profile_path": i.item.path,
                "explanation": i.explanation,
                "figure": i.figure.to_dict(),
            }
            for i in s.items
        ],
        "vetoes": [
            {"id": v.veto.id, "name": v.veto.name, "triggered": v.triggered, "explanation": v.explanation}
            for v in s.vetoes
        ],
    }
