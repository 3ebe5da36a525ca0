"""Scorecard profiles: validation with stable codes and paths; scoring, bands, vetoes, explanations."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from gengbao.domain.assessment.profile import KindSpec, ParamSpec, parse_profile
from gengbao.domain.assessment.scorecard import Figure, evaluate, figure_key
from gengbao.domain.errors import RuleError
from gengbao.domain.tasks.changes import diff_measures

KINDS = {
    "t.rate": KindSpec("t.rate", "ratio", "完成率", {"on_time": ParamSpec("bool", False)}),
    "t.count": KindSpec("t.count", "count", "逾期数"),
}
BASE: dict[str, Any] = {
    "schema": "gengbao.assess/1",
    "name": "测试方案",
    "items": [
        {
            "id": "rate",
            "name": "完成率",
            "kind": "t.rate",
            "weight": 50,
            "score": {"method": "linear", "zero_at": 0.5, "full_at": 1.0},
            "clause": "第1条",
        },
        {
            "id": "late",
            "name": "逾期",
            "kind": "t.count",
            "weight": 20,
            "score": {"method": "deduct", "per": 5},
        },
        {
            "id": "share",
            "name": "报送",
            "kind": "t.rate",
            "weight": 30,
            "params": {"on_time": True},
            "score": {"method": "ratio"},
        },
    ],
    "vetoes": [
        {
            "id": "v",
            "name": "逾期过多",
            "when": [{"kind": "t.count", "op": ">=", "value": 10}],
            "clause": "第33条",
        }
    ],
}


def profile(**changes: Any) -> Any:
    data = copy.deepcopy(BASE)
    for path, value in changes.items():
        target = data
        keys = path.split("__")
        for k in keys[:-1]:
            target = target[int(k)] if k.isdigit() else target[k]
        last = keys[-1]
        if value is None:
            del target[int(last) if last.isdigit() else last]
        else:
            target[int(last) if last.isdigit() else last] = value
    return data


@pytest.mark.parametrize(
    ("changes", "code", "path"),
    [
        ({"schema": "v2"}, "assess.profile.schema", "schema"),
        ({"items__1__kind": "cases.rate"}, "assess.profile.unknown_kind", "items[1].kind"),
        ({"items__0__weight": 40}, "assess.profile.weights", "items"),
        ({"items__0__weight": "heavy"}, "assess.profile.type", "items[0].weight"),
        ({"items__0__score": None}, "assess.profile.missing_field", "items[0].score"),
        ({"items__0__colour": "red"}, "assess.profile.unknown_field", "items[0].colour"),
        ({"items__0__score__method": "magic"}, "assess.profile.bad_value", "items[0].score.method"),
        ({"items__0__score__full_at": 0.5}, "assess.profile.score", "items[0].score"),
        ({"items__1__score__per": None}, "assess.profile.missing_field", "items[1].score.per"),
        ({"items__2__params__on_time": "yes"}, "assess.profile.param", "items[2].params.on_time"),
        ({"items__2__params__colour": 1}, "assess.profile.unknown_field", "items[2].params.colour"),
        ({"items__2__id": "rate"}, "assess.profile.duplicate_id", "items[2].id"),
        ({"vetoes__0__when__0__op": "≥"}, "assess.profile.bad_value", "vetoes[0].when[0].op"),
        ({"level": "province"}, "assess.profile.bad_value", "level"),
        (
            {
                "bands": [
                    {"min": 60, "grade": "pass", "label": "合格"},
                    {"min": 90, "grade": "excellent", "label": "优秀"},
                ]
            },
            "assess.profile.bands",
            "bands",
        ),
    ],
)
def test_invalid_profiles_name_the_field(changes: dict[str, Any], code: str, path: str) -> None:
    with pytest.raises(RuleError) as e:
        parse_profile(profile(**changes), KINDS, "p.yaml")
    assert (e.value.code, e.value.details["path"]) == (code, path)
    assert e.value.message.startswith(f"考核方案 p.yaml：{path}")


def test_not_a_mapping() -> None:
    with pytest.raises(RuleError) as e:
        parse_profile(["items"], KINDS)
    assert e.value.code == "assess.profile.type"


def figures(rate: str | None, count: int, on_time_rate: str = "1") -> dict[str, Figure]:
    return {
        figure_key("t.rate", {"on_time": False}): Figure(
            None if rate is None else Decimal(rate), "ratio", f"完成率 {rate}"
        ),
        figure_key("t.count", {}): Figure(Decimal(count), "count", f"逾期 {count} 项"),
        figure_key("t.rate", {"on_time": True}): Figure(Decimal(on_time_rate), "ratio", "按期"),
    }


def test_scores_by_rule() -> None:
    p = parse_profile(profile(), KINDS)
    s = evaluate(p, "360222", "浮梁县", figures("0.75", 3, "0.5"))
    assert [i.score for i in s.items] == [Decimal("25.00"), Decimal("5.00"), Decimal("15.00")]
    assert (s.total, s.grade, s.label, s.vetoed) == (Decimal("45.00"), "fail", "不合格", False)
    assert "方案 items[0] “rate”，依据：第1条" in s.items[0].explanation
    assert "得 25/50 分" in s.items[0].explanation
    assert s.items[1].explanation.startswith("逾期：逾期 3 项；扣分制：每 1 扣 5 分")


@pytest.mark.parametrize(
    ("rate", "total", "grade", "label"),
    [
        ("1", "100.00", "excellent", "优秀"),
        ("0.9", "90.00", "excellent", "优秀"),
        ("0.8999", "89.99", "good", "良好"),
        ("0.75", "75.00", "good", "良好"),
        ("0.7499", "74.99", "pass", "合格"),
        ("0.6", "60.00", "pass", "合格"),
        ("0.5999", "59.99", "fail", "不合格"),
        ("0", "0.00", "fail", "不合格"),
    ],
)
def test_bands(rate: str, total: str, grade: str, label: str) -> None:
    single = {
        "schema": "gengbao.assess/1",
        "name": "单项",
        "items": [
            {"id": "r", "name": "完成率", "kind": "t.rate", "weight": 100, "score": {"method": "ratio"}}
        ],
    }
    s = evaluate(parse_profile(single, KINDS), "x", "x", figures(rate, 0))
    assert (str(s.total), s.grade, s.label) == (total, grade, label)


def test_veto_fails_whatever_the_score_and_says_why() -> None:
    s = evaluate(
        parse_profile(profile(items__1__score={"method": "ratio"}), KINDS), "x", "x", figures("1", 12)
    )
    assert s.vetoed and s.grade == "fail" and s.label == "不合格（一票否决）"
    assert (
        s.vetoes[0].explanation
        == "逾期过多：t.count = 12 >= 10 成立（逾期 12 项） → 触发一票否决（方案 vetoes[0] “v”，依据：第33条）"
    )


def test_not_applicable_figures_score_by_when_empty() -> None:
    p = parse_profile(profile(items__0__when_empty="zero"), KINDS)
    assert evaluate(p, "x", "x", figures(None, 0)).items[0].score == Decimal("0.00")
    assert evaluate(parse_profile(profile(), KINDS), "x", "x", figures(None, 0)).items[0].score == Decimal(
        "50.00"
    )


def test_veto_with_any_of_two_conditions() -> None:
    data = profile(
        vetoes__0__match="any",
        vetoes__0__when=[
            {"kind": "t.count", "op": ">", "value": 80},
            {"kind": "t.rate", "op": "<", "value": 0.6},
        ],
    )
    p = parse_profile(data, KINDS)
    assert evaluate(p, "x", "x", figures("0.5", 0)).vetoed
    assert not evaluate(p, "x", "x", figures("0.7", 0)).vetoed


def test_measure_changes() -> None:
    old = {
        1: {"text": "a", "lead_units": ["甲"]},
        2: {"text": "b", "lead_units": []},
        3: {"text": "c", "lead_units": []},
    }
    new = {
        1: {"text": "a", "lead_units": ["乙"]},
        2: {"text": "b", "lead_units": []},
        4: {"text": "d", "lead_units": []},
    }
    ch = diff_measures(old, new)
    assert (ch.added, ch.withdrawn, ch.unchanged) == ((4,), (3,), 1)
    assert [(c.number, [f.field for f in c.fields]) for c in ch.updated] == [(1, ["lead_units"])]
    assert ch.summary() == "新增 1 条，更新 1 条，未变 1 条，撤销 1 条（3）；第 1 条：牵头/责任单位"
    again = diff_measures(new, {**new, 3: {"text": "c", "lead_units": []}}, withdrawn_before={3})
    assert again.added == (3,) and not again.restored
