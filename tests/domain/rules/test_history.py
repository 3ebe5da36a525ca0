"""Four-year histories built by hand: exactly the expected warnings, summonses, vetoes and freezes.

Figures (1 亩 = 10000/15 m²): 10 亩 = 6666.67 m² rounded up / 6666.66 rounded down; 5 亩 = 3333.33…;
20 亩 = 13333.33…; 80 亩 = 53333.33…; 100 亩 = 66666.66….
"""

from __future__ import annotations

import datetime as dt

from gengbao.domain.rules import evaluate
from tests.domain.rules.helpers import DEFAULT, NATIONAL, CaseFact, D, Decision, FactSource, outcomes, year

DECIDER = Decision("市自然资源和规划局局务会", dt.date(2023, 5, 10), "违法占地问题反复出现")

A, B, C = "360222", "360281", "360203"
HISTORY_A = [
    year(A, 2021, "8000", num="8000", den="100000", cases=(CaseFact("A21-1", D("8000")),)),
    year(A, 2022, "7000"),
    year(A, 2023, "2000", summons=(DECIDER,)),
    year(A, 2024, "60000", num="60000", den="400000", source=FactSource.MONITORING),
]
HISTORY_B = [
    year(B, 2021, "6666.66", pbf="3333.33"),
    year(B, 2022, "6666.67", pbf="3333.34"),
    year(B, 2023, "0", targets_met=False, rectified=True),
    year(B, 2024, "53333.33", num="53333.33", den="400000"),
]
HISTORY_C = [
    year(C, 2021, "53333.34", num="53333.34", den="444444.51"),
    year(C, 2022, "53333.34", num="53333.34", den="444444.50"),
    year(C, 2023, "0", summons=(DECIDER,), serious_consequences=(Decision("市委", dt.date(2023, 9, 1), "毁田"),)),
    year(C, 2024, "0", offset_achieved=False, rectified=True),
]


def test_county_a() -> None:
    assert outcomes(DEFAULT, HISTORY_A) == {
        2021: ["freeze", "general_warning"],
        2022: ["approval_suspension", "general_warning", "key_warning"],
        2023: ["approval_suspension", "summons"],
        2024: ["accountability", "approval_suspension", "general_warning", "veto"],
    }


def test_county_b_boundaries_and_lifted_suspension() -> None:
    assert outcomes(DEFAULT, HISTORY_B) == {
        2021: [],  # 6666.66 m² is not over 10 亩, 3333.33 m² not over 5 亩
        2022: ["approval_suspension", "general_warning", "key_warning"],  # cumulative PBF 6666.67 > 10 亩
        2023: ["veto"],  # targets not met; rectified, so approvals resume
        2024: ["approval_suspension", "general_warning", "key_warning"],  # 53333.33 m² < 80 亩: no veto
    }


def test_county_c_ratio_boundary_city_handling() -> None:
    assert outcomes(DEFAULT, HISTORY_C) == {
        2021: ["approval_suspension", "general_warning", "key_warning"],  # ratio 11.99999…%: no veto
        2022: ["accountability", "approval_suspension", "general_warning", "key_warning", "veto"],  # 12 % exactly
        2023: ["accountability", "approval_suspension", "city_handling", "summons"],
        2024: ["veto"],
    }


def test_explanations_name_clause_figures_cases_and_source() -> None:
    res = {r.county: r for r in evaluate(DEFAULT, HISTORY_A + HISTORY_B + HISTORY_C)}
    veto = [o for o in res[A].outcomes if o.consequence == "veto"][0]
    assert veto.clause.title.startswith("一票否决") and "80 亩" in veto.clause.text
    assert veto.source is FactSource.MONITORING and veto.to_dict()["source_label"] == "监测预判（尚未判定）"
    figs = {f.name: f.to_dict() for f in veto.figures}
    assert figs["illegal_farmland"]["m2"] == "60000" and figs["illegal_farmland"]["mu"] == "90.0000"
    assert figs["key_ratio"]["ratio"] == "0.150000" and figs["key_ratio"]["met"] is True
    general_b = [o for o in res[B].outcomes if o.consequence == "general_warning"][0]
    assert "6666.67 平方米（10.0000 亩）" in general_b.reason and general_b.source is FactSource.JUDGED_CASES
    summons = [o for o in res[A].outcomes if o.consequence == "summons"][0]
    assert summons.decided_by == DECIDER.decided_by
    freeze = [o for o in res[A].outcomes if o.consequence == "freeze"][0]
    assert freeze.cases == ("A21-1",) and freeze.figures[0].m2 == 8000


def test_national_profile_discipline_and_province_summons() -> None:
    at_line = [year(A, 2024, "66666.67", num="15000", den="100000")]  # over 100 亩, ratio exactly 15 %
    just_over = [year(A, 2024, "66666.67", num="66666.67", den="444444.46")]
    exact15 = [year(A, 2024, "15000", num="15000", den="100000")]
    assert outcomes(NATIONAL, exact15) == {2024: ["discipline", "general_warning"]}  # 达到 15 % includes 15 %
    assert outcomes(NATIONAL, at_line)[2024] == ["discipline", "general_warning"]  # 超过 15 % excludes it: no summons
    assert outcomes(NATIONAL, just_over)[2024] == ["approval_suspension", "discipline", "general_warning", "summons"]
