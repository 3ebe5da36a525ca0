"""Case outcomes (criminal referral, fines) and bad facts with stable codes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gengbao.domain.errors import InputError
from gengbao.domain.rules import CaseFact, evaluate_county
from tests.domain.rules.helpers import DEFAULT, D, year

A = "360222"


def test_referral_own_and_cumulative_and_fines() -> None:
    history = [
        year(A, 2023, "12000", pbf="2000", cases=(
            CaseFact("K1", D("2000"), D("2000"), "张某"),  # 3 亩 PBF: below 5 亩
            CaseFact("K2", D("6666.67"), D("0"), "李某"),  # other farmland 10.0000 亩 (just over): referred
            CaseFact("K3", D("3333.33"), D("0"), "王某"),
        )),
        year(A, 2024, "4666.66", pbf="1333.34", cases=(
            CaseFact("K4", D("1333.34"), D("1333.34"), "张某"),  # with K1: 3333.34 m² PBF ≥ 5 亩
            CaseFact("K5", D("3333.32"), D("0"), "王某"),  # with K3: 6666.65 m² < 10 亩
        )),
    ]
    res = {c.case_id: c for c in evaluate_county(DEFAULT, history).cases}
    assert {k: (c.referral, c.cumulative) for k, c in res.items()} == {
        "K1": (False, False), "K2": (True, False), "K3": (False, False), "K4": (True, True), "K5": (False, False),
    }
    assert "张某 累计" in res["K4"].referral_reason and "3333.34 平方米（5.0000 亩）" in res["K4"].referral_reason
    assert (res["K2"].fine_min_yuan, res["K2"].fine_max_yuan) == (Decimal("666667.00"), Decimal("6666670.00"))
    assert res["K2"].to_dict()["farmland_mu"] == "10.0000"


@pytest.mark.parametrize(("history", "code"), [
    ([year(A, 2024, "-1")], "rules.facts.negative_area"),
    ([year(A, 2024, "10", pbf="11")], "rules.facts.pbf_exceeds_farmland"),
    ([year(A, 2022, "1"), year(A, 2024, "1")], "rules.facts.year_gap"),
    ([year(A, 2024, "1"), year(A, 2024, "2")], "rules.facts.duplicate_year"),
    ([year(A, 2023, "1"), year("360281", 2024, "1")], "rules.facts.mixed_county"),
    ([year(A, 2024, "10", num="11", den="10")], "rules.facts.ratio_over_one"),
    ([year(A, 2024, "10", cases=(CaseFact("X", D("-3")),))], "rules.facts.negative_area"),
])
def test_bad_facts(history: list, code: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(InputError) as e:
        evaluate_county(DEFAULT, history)
    assert e.value.code == code


def test_unknown_facts_and_zero_denominator_are_noted() -> None:
    res = evaluate_county(DEFAULT, [year(A, 2024, "0", den="0", targets_met=None)])
    assert sorted(n.code for n in res.notes) == ["rules.facts.missing", "rules.facts.no_ratio"]
    assert res.outcomes == ()
