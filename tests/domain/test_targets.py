"""Pure target checks, on the figures of seed 001 附件2 / 附件3 and on hand-made variations."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gengbao.domain.area_units import AreaUnit, from_m2
from gengbao.domain.errors import InputError
from gengbao.domain.findings import Severity
from gengbao.domain.regions import Region, RegionCatalog, RegionLevel
from gengbao.domain.targets import (
    FARMLAND,
    FARMLAND_NEW,
    FARMLAND_OLD,
    GAP,
    PBF,
    ChangeKind,
    SurveyTotals,
    TableRow,
    TargetKey,
    TargetKind,
    TargetTable,
    check_targets,
    collect_values,
    compare_with_survey,
    diff_values,
    recovery_gap,
    recovery_task,
    resolve_region,
    resolve_table,
    task_key,
)

D = Decimal
CITY, ZHUSHAN, CHANGJIANG, FULIANG, LEPING = "3602", "360203", "360202", "360222", "360281"
NAMES = {CITY: "景德镇市", ZHUSHAN: "珠山区", CHANGJIANG: "昌江区", FULIANG: "浮梁县", LEPING: "乐平市"}
COUNTIES = (ZHUSHAN, CHANGJIANG, FULIANG, LEPING)

# Seed 001, 附件2 (万亩): 耕地保护目标, 永久基本农田 — in the seed's row order.
ANNEX2: dict[str, tuple[str, str]] = {
    "景德镇市": ("120.2873", "106.5103"),
    "珠山区": ("0.5707", "0.0822"),
    "昌江区": ("7.3041", "5.0704"),
    "浮梁县": ("31.9999", "27.8362"),
    "乐平市": ("80.4127", "73.5215"),
}
# Seed 001, 附件3 (万亩): 二调目标, 三调目标, 缺口, 2023 任务, 2024 任务.
ANNEX3: dict[str, tuple[str, str, str, str, str]] = {
    "景德镇市": ("129.45", "120.2873", "9.1627", "0.9163", "0.9163"),
    "珠山区": ("0.4211", "0.5707", "-0.1496", "0", "0"),
    "昌江区": ("7.7618", "7.3041", "0.4577", "0.0458", "0.0458"),
    "浮梁县": ("34.5213", "31.9999", "2.5214", "0.2521", "0.2521"),
    "乐平市": ("86.7458", "80.4127", "6.3331", "0.6333", "0.6333"),
}
ANNEX3_KEYS = (FARMLAND_OLD, FARMLAND_NEW, GAP, task_key(2023), task_key(2024))
CODE_OF = {v: k for k, v in NAMES.items()}


def catalog() -> RegionCatalog:
    rows = [Region("36", "江西省", RegionLevel.PROVINCE, None), Region(CITY, "景德镇市", RegionLevel.CITY, "36")]
    rows += [Region(c, NAMES[c], RegionLevel.COUNTY, CITY) for c in COUNTIES]
    rows += [
        Region("3604", "九江市", RegionLevel.CITY, "36"),
        Region("360402", "濂溪区", RegionLevel.COUNTY, "3604"),
        Region("360203001", "新村街道", RegionLevel.TOWNSHIP, ZHUSHAN),
        Region("360202001", "新村街道", RegionLevel.TOWNSHIP, CHANGJIANG),
    ]
    return RegionCatalog(rows, source="test")


CAT = catalog()


def annex2_values() -> dict[str, dict[TargetKey, Decimal]]:
    return {CODE_OF[n]: {FARMLAND: D(f), PBF: D(p)} for n, (f, p) in ANNEX2.items()}


def annex3_values() -> dict[str, dict[TargetKey, Decimal]]:
    return {CODE_OF[n]: dict(zip(ANNEX3_KEYS, map(D, vals), strict=True)) for n, vals in ANNEX3.items()}


def both_values() -> dict[str, dict[TargetKey, Decimal]]:
    out = annex2_values()
    for code, v in annex3_values().items():
        out[code].update(v)
    return out


def summary(findings: list) -> list[tuple]:  # type: ignore[type-arg]
    return [(f.code, f.region, f.measure, f.year, f.expected, f.actual) for f in findings]


SEED_ANNEX2_FINDINGS = [
    ("targets.children_sum_mismatch", CITY, TargetKind.FARMLAND, None, D("120.2873"), D("120.2874")),
]
SEED_ANNEX3_FINDINGS = [
    ("targets.children_sum_mismatch", CITY, TargetKind.FARMLAND_NEW, None, D("120.2873"), D("120.2874")),
    ("targets.children_sum_mismatch", CITY, TargetKind.GAP, None, D("9.1627"), D("9.1626")),
    ("targets.task_sum_mismatch", CITY, TargetKind.RECOVERY_TASK, 2023, D("0.9163"), D("0.9312")),
    ("targets.task_sum_mismatch", CITY, TargetKind.RECOVERY_TASK, 2024, D("0.9163"), D("0.9312")),
    ("targets.negative_gap", ZHUSHAN, TargetKind.GAP, None, D("0"), D("-0.1496")),
]


# ---------------------------------------------------------------- gap recovery arithmetic


@pytest.mark.parametrize("name", list(ANNEX3))
def test_gap_and_tasks_recomputed_from_the_published_targets(name: str) -> None:
    old, new, gap, t2023, t2024 = map(D, ANNEX3[name])
    assert recovery_gap(old, new) == gap
    assert recovery_task(recovery_gap(old, new)) == t2023 == t2024


def test_city_task_is_ten_percent_of_the_net_city_gap() -> None:
    assert recovery_task(D("9.1627")) == D("0.9163")
    # while the districts' tasks add up to 10 % of their positive gaps only
    district_tasks = sum((recovery_task(D(ANNEX3[n][2])) for n in ("珠山区", "昌江区", "浮梁县", "乐平市")), D(0))
    assert district_tasks == D("0.9312")


def test_recovery_task_rounds_half_up_and_is_zero_for_no_gap() -> None:
    assert recovery_task(D("0.4565")) == D("0.0457")  # half-even would give 0.0456
    assert recovery_task(D("-0.1496")) == 0
    assert recovery_task(D("0")) == 0
    assert recovery_task(D("2.5214"), rate=D("0.2"), places=2) == D("0.50")


# ---------------------------------------------------------------- checks on the seed tables


def test_annex2_city_total_differs_from_its_four_districts() -> None:
    findings = check_targets(annex2_values(), CAT)
    assert summary(findings) == SEED_ANNEX2_FINDINGS
    f = findings[0]
    assert str(f.actual) == "120.2874" and str(f.expected) == "120.2873"
    assert f.severity is Severity.ERROR and f.name == "景德镇市"
    assert "120.2873" in f.message and "120.2874" in f.message and "多 0.0001" in f.message


def test_annex3_findings_are_exactly_the_published_inconsistencies() -> None:
    findings = check_targets(annex3_values(), CAT)
    assert summary(findings) == SEED_ANNEX3_FINDINGS
    task = findings[2]
    # the message explains why: 珠山区's negative gap gives task 0, districts use their positive gaps
    assert "珠山区（360203）" in task.message and "9.3122" in task.message and "9.1627" in task.message
    negative = findings[4]
    assert negative.severity is Severity.WARNING
    assert "-0.1496" in negative.message


def test_both_tables_together_agree_with_each_other() -> None:
    findings = check_targets(both_values(), CAT)
    assert sorted(summary(findings), key=str) == sorted(SEED_ANNEX2_FINDINGS + SEED_ANNEX3_FINDINGS, key=str)
    assert not [f for f in findings if f.code == "targets.table_mismatch"]


def test_stated_gap_that_does_not_match_old_minus_new() -> None:
    values = annex3_values()
    values[CHANGJIANG][GAP] = D("0.4578")
    findings = [f for f in check_targets(values, CAT) if f.code == "targets.gap_mismatch"]
    assert summary(findings) == [("targets.gap_mismatch", CHANGJIANG, TargetKind.GAP, None, D("0.4577"), D("0.4578"))]
    assert "7.7618" in findings[0].message and "7.3041" in findings[0].message


def test_stated_task_that_is_not_ten_percent_of_the_gap() -> None:
    values = annex3_values()
    values[FULIANG][task_key(2024)] = D("0.2522")
    values[ZHUSHAN][task_key(2023)] = D("0.0150")
    got = summary([f for f in check_targets(values, CAT) if f.code == "targets.task_mismatch"])
    assert got == [
        ("targets.task_mismatch", ZHUSHAN, TargetKind.RECOVERY_TASK, 2023, D("0"), D("0.0150")),
        ("targets.task_mismatch", FULIANG, TargetKind.RECOVERY_TASK, 2024, D("0.2521"), D("0.2522")),
    ]


def test_tasks_follow_the_recomputed_gap_not_the_stated_one() -> None:
    values = annex3_values()
    values[LEPING][GAP] = D("6.3000")  # stated gap wrong; tasks 0.6333 are right for 86.7458 − 80.4127
    got = summary(f for f in check_targets(values, CAT) if f.region == LEPING)  # type: ignore[arg-type]
    assert got == [("targets.gap_mismatch", LEPING, TargetKind.GAP, None, D("6.3331"), D("6.3000"))]


def test_targets_table_and_gap_table_disagree() -> None:
    values = both_values()
    values[LEPING][FARMLAND_NEW] = D("80.4128")
    got = [f for f in check_targets(values, CAT) if f.code == "targets.table_mismatch"]
    assert summary(got) == [("targets.table_mismatch", LEPING, TargetKind.FARMLAND_NEW, None, D("80.4127"), D("80.4128"))]


def test_pbf_above_farmland() -> None:
    values = annex2_values()
    values[ZHUSHAN][PBF] = D("0.5708")
    got = [f for f in check_targets(values, CAT) if f.code == "targets.pbf_exceeds_farmland"]
    assert summary(got) == [("targets.pbf_exceeds_farmland", ZHUSHAN, TargetKind.PBF, None, D("0.5707"), D("0.5708"))]


def test_missing_district_is_reported_instead_of_a_sum_mismatch() -> None:
    values = annex2_values()
    del values[FULIANG]
    findings = check_targets(values, CAT)
    assert [(f.code, f.region, f.measure, f.severity) for f in findings] == [
        ("targets.children_incomplete", CITY, TargetKind.FARMLAND, Severity.WARNING),
        ("targets.children_incomplete", CITY, TargetKind.PBF, Severity.WARNING),
    ]
    assert "浮梁县（360222）" in findings[0].message


def test_consistent_targets_give_no_findings() -> None:
    values = annex2_values()
    values[CITY][FARMLAND] = D("120.2874")
    assert check_targets(values, CAT) == []


children = st.lists(
    st.decimals(min_value=0, max_value=1000, places=4, allow_nan=False, allow_infinity=False), min_size=4, max_size=4
)


@given(children, st.decimals(min_value=-1, max_value=1, places=4, allow_nan=False, allow_infinity=False))
def test_parent_against_sum_of_children(kids: list[Decimal], delta: Decimal) -> None:
    values: dict[str, dict[TargetKey, Decimal]] = {c: {PBF: v} for c, v in zip(COUNTIES, kids, strict=True)}
    total = sum(kids, D(0))
    values[CITY] = {PBF: total + delta}
    findings = check_targets(values, CAT)
    if delta == 0:
        assert findings == []
    else:
        assert summary(findings) == [("targets.children_sum_mismatch", CITY, TargetKind.PBF, None, total + delta, total)]


@given(st.decimals(min_value=-100, max_value=10000, places=4, allow_nan=False, allow_infinity=False))
def test_recovery_task_properties(gap: Decimal) -> None:
    task = recovery_task(gap)
    assert task >= 0
    assert task.as_tuple().exponent == -4
    if gap <= 0:
        assert task == 0
    else:
        assert abs(task - gap / 10) <= D("0.00005")


# ---------------------------------------------------------------- region resolution


@pytest.mark.parametrize(("name", "code"), [(n, CODE_OF[n]) for n in ANNEX2] + [(" 珠 山 区 ", ZHUSHAN)])
def test_names_resolve_within_the_city(name: str, code: str) -> None:
    assert resolve_region(CAT, CITY, name=name).code == code


@pytest.mark.parametrize(("code", "expected"), [("360203", ZHUSHAN), ("360203000000", ZHUSHAN), ("360200", CITY)])
def test_codes_resolve_in_any_form(code: str, expected: str) -> None:
    assert resolve_region(CAT, CITY, code=code).code == expected


@pytest.mark.parametrize(
    ("within", "kw", "code", "fragment"),
    [
        (CITY, {"name": "景德镇区"}, "targets.unknown_region", "“景德镇区”"),
        (CITY, {"code": "360299"}, "targets.unknown_region", "360299"),
        (CITY, {"name": "濂溪区"}, "targets.region_outside", "景德镇市（3602）"),
        (ZHUSHAN, {"name": "昌江区"}, "targets.region_outside", "珠山区（360203）"),
        (ZHUSHAN, {"name": "景德镇市"}, "targets.region_outside", "珠山区（360203）"),
        (CITY, {"code": "360202", "name": "珠山区"}, "targets.region_name_mismatch", "昌江区"),
        (CITY, {"name": "新村街道"}, "targets.ambiguous_region", "360202001、360203001"),
        (CITY, {}, "targets.missing_value", "缺少"),
    ],
)
def test_unresolvable_regions(within: str, kw: dict[str, str], code: str, fragment: str) -> None:
    with pytest.raises(InputError) as exc:
        resolve_region(CAT, within, where="目标表 t.csv 第 7 行", **kw)
    assert exc.value.code == code
    assert exc.value.message.startswith("目标表 t.csv 第 7 行：")
    assert fragment in exc.value.message


def _table(rows: list[tuple[int, str | None, str | None, str]], label: str = "") -> TargetTable:
    return TargetTable(
        source="t.csv", label=label, keys=(FARMLAND,),
        rows=tuple(TableRow(n, {FARMLAND: D(v)}, region_name=name, region_code=code) for n, name, code, v in rows),
    )


def test_resolved_table_carries_codes_sources_and_rows() -> None:
    values = resolve_table(_table([(2, "珠山区", None, "0.5707"), (3, None, "360202", "7.3041")], "附件2"), CAT, CITY)
    assert [(v.region, v.key, v.value, v.source, v.row) for v in values] == [
        (ZHUSHAN, FARMLAND, D("0.5707"), "t.csv#附件2", 2),
        (CHANGJIANG, FARMLAND, D("7.3041"), "t.csv#附件2", 3),
    ]


def test_duplicate_region_rows_name_both_rows() -> None:
    with pytest.raises(InputError) as exc:
        resolve_table(_table([(2, "珠山区", None, "0.5707"), (5, None, "360203", "0.5707")]), CAT, CITY)
    assert exc.value.code == "targets.duplicate_region"
    assert "第 5 行" in exc.value.message and "第 2 行" in exc.value.message and "珠山区" in exc.value.message


def test_two_tables_of_one_import_must_agree() -> None:
    a = _table([(2, "珠山区", None, "0.5707")], "A")
    same = _table([(9, "珠山区", None, "0.57070")], "B")
    assert len(collect_values([a, same], CAT, CITY)) == 1
    other = _table([(9, "珠山区", None, "0.5708")], "B")
    with pytest.raises(InputError) as exc:
        collect_values([a, other], CAT, CITY)
    assert exc.value.code == "targets.conflicting_values"
    assert "t.csv#A 第 2 行为 0.5707" in exc.value.message and "t.csv#B 第 9 行为 0.5708" in exc.value.message


# ---------------------------------------------------------------- re-import diff


def test_diff_reports_added_changed_removed_and_unchanged() -> None:
    stored = {(CITY, FARMLAND_OLD): D("129.45"), (ZHUSHAN, FARMLAND): D("0.5707"), (LEPING, PBF): D("73.5215"),
              (FULIANG, PBF): D("27.8362")}
    incoming = {(CITY, FARMLAND_OLD): D("129.450"), (ZHUSHAN, FARMLAND): D("0.5708"), (CHANGJIANG, PBF): D("5.0704")}
    changes = diff_values(stored, incoming, replaceable=[(LEPING, PBF)], name_of=NAMES.__getitem__)
    assert [(c.region, c.name, c.key, c.kind, c.old, c.new) for c in changes] == [
        (CITY, "景德镇市", FARMLAND_OLD, ChangeKind.UNCHANGED, D("129.45"), D("129.450")),
        (CHANGJIANG, "昌江区", PBF, ChangeKind.ADDED, None, D("5.0704")),
        (ZHUSHAN, "珠山区", FARMLAND, ChangeKind.CHANGED, D("0.5707"), D("0.5708")),
        (LEPING, "乐平市", PBF, ChangeKind.REMOVED, D("73.5215"), None),
    ]
    assert changes[2].to_dict() == {"region": ZHUSHAN, "name": "珠山区", "measure": "farmland", "year": None,
                                    "label": "耕地保护目标", "change": "changed", "old": "0.5707", "new": "0.5708"}


# ---------------------------------------------------------------- survey comparison


def test_survey_area_in_wan_mu_is_exact() -> None:
    # the conversion the comparison relies on: 万亩 = m² × 15 / 10⁸, no rounding
    assert from_m2(D("100000000"), AreaUnit.WAN_MU) == D("15")
    assert from_m2(D("3804600.00"), AreaUnit.WAN_MU) == D("0.57069")
    assert from_m2(D("33802666.66"), AreaUnit.WAN_MU) == D("5.070399999")


def test_survey_below_targets_per_county_and_city() -> None:
    values = annex2_values()
    rows = [
        SurveyTotals(ZHUSHAN, D("3804600.00"), D("600000.00")),  # 0.57069 万亩 < 0.5707
        SurveyTotals(CHANGJIANG, D("50000000.00"), D("33802666.66")),  # PBF 5.070399999 < 5.0704
        SurveyTotals(FULIANG, D("213400000.00"), D("185600000.00")),  # 32.01 / 27.84: kept
        SurveyTotals(LEPING, D("536100000.00"), D("490200000.00")),  # 80.415 / 73.53: kept
        SurveyTotals("360402", D("1"), D("1")),  # outside: ignored
    ]
    findings = compare_with_survey(values, rows, CAT, 2023)
    assert summary(findings) == [
        ("targets.survey_pbf_below_target", CHANGJIANG, TargetKind.PBF, 2023, D("5.0704"), D("5.070399999")),
        ("targets.survey_farmland_below_target", ZHUSHAN, TargetKind.FARMLAND, 2023, D("0.5707"), D("0.57069")),
    ]
    assert "差 0.10 亩" in findings[1].message and "3804600.00 平方米" in findings[1].message
    # the city: 0.57069 + 7.5 + 32.01 + 80.415 = 120.50069 ≥ 120.2873 → no finding for 3602


def test_city_compared_with_the_sum_of_its_counties() -> None:
    values = {CITY: {FARMLAND: D("120.2873")}}
    rows = [SurveyTotals(c, D("200000000.00"), D(0)) for c in COUNTIES]  # 4 × 30 万亩 = 120 万亩
    assert summary(compare_with_survey(values, rows, CAT, 2023)) == [
        ("targets.survey_farmland_below_target", CITY, TargetKind.FARMLAND, 2023, D("120.2873"), D("120")),
    ]


def test_gap_table_alone_compares_the_new_target_and_missing_data_is_a_warning() -> None:
    values = annex3_values()
    findings = compare_with_survey(values, [SurveyTotals(ZHUSHAN, D("3804666.67"), D(0))], CAT, 2024)
    got = [(f.code, f.region, f.expected, f.actual, f.severity) for f in findings]
    assert got == [
        ("targets.survey_missing", CITY, D("120.2873"), None, Severity.WARNING),
        ("targets.survey_missing", CHANGJIANG, D("7.3041"), None, Severity.WARNING),
        ("targets.survey_missing", FULIANG, D("31.9999"), None, Severity.WARNING),
        ("targets.survey_missing", LEPING, D("80.4127"), None, Severity.WARNING),
    ]
    assert "昌江区（360202）、浮梁县（360222）、乐平市（360281）" in findings[0].message


def test_finding_serialises_decimals_as_text() -> None:
    f = check_targets(annex2_values(), CAT)[0]
    d = f.to_dict()
    assert (d["code"], d["label"], d["region"], d["expected"], d["actual"], d["unit"], d["severity"]) == (
        "targets.children_sum_mismatch", "上级与下级合计不符", CITY, "120.2873", "120.2874", "万亩", "error")
    g = f.to_finding()
    assert (g.code, g.feature, g.field, g.value) == ("targets.children_sum_mismatch", CITY, "farmland", "120.2874")


def test_target_key_requires_a_year_exactly_for_tasks() -> None:
    with pytest.raises(ValueError):
        TargetKey(TargetKind.RECOVERY_TASK)
    with pytest.raises(ValueError):
        TargetKey(TargetKind.GAP, 2023)
    assert task_key(2023).label == "2023年度恢复任务"


def test_every_finding_has_a_chinese_label() -> None:
    values = both_values()
    values[LEPING][FARMLAND_NEW] = D("80.4128")
    values[ZHUSHAN][PBF] = D("0.6")
    values[CHANGJIANG][GAP] = D("0.4578")
    values[FULIANG][task_key(2023)] = D("0.2522")
    findings = check_targets(values, CAT) + compare_with_survey(
        values, [SurveyTotals(ZHUSHAN, D(0), D(0))], CAT, 2023)
    codes = {f.code for f in findings}
    assert codes == {
        "targets.children_sum_mismatch", "targets.task_sum_mismatch", "targets.gap_mismatch", "targets.task_mismatch",
        "targets.negative_gap", "targets.table_mismatch", "targets.pbf_exceeds_farmland", "targets.survey_missing",
        "targets.survey_farmland_below_target", "targets.survey_pbf_below_target",
    }
    assert all(f.label != f.code and f.to_dict()["label"] == f.label for f in findings)
