"""A scripted year of progress reports in 景德镇: status on given days and the 2024 scorecards,
all hand-computed (see the comments), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from gengbao.domain.assessment.scorecard import score_to_dict
from gengbao.domain.errors import RuleError
from gengbao.services.assessment import assess as assess_service
from gengbao.services.tasks.importing import import_tasks
from gengbao.services.tasks.progress import record_report, set_cadence, task_status
from gengbao.services.workspace import Workspace, init_workspace

# A synthetic task list in the tab-table layout (texts are placeholders, units and dates are the point).
HEADER = "重点任务\t推进措施\t具体举措\t牵头单位\t配合单位\t落实单位\t完成时限"
ROWS = [
    "一、示例任务\t(一) 示例措施\t1. 编制方案。\t县（市、区）人民政府\t市自然资源规划局\t\t2024年6月底",
    "\t\t2. 完成整改。\t浮梁县人民政府、乐平市人民政府\t\t\t2024年底",
    "\t\t3. 日常巡查。\t县（市、区）人民政府\t\t\t长期推进",
    "\t(二) 市级措施\t4. 市级督导。\t市自然资源规划局\t\t\t2024年9月底",
    "\t\t5. 远期任务。\t昌江区人民政府\t\t\t2025年底",
]
SCENARIO = "\n".join(["示例清单", "", HEADER, *ROWS, ""])

# (measure, unit as a reporter writes it, period, reported on, percent, done)
REPORTS = [
    (1, "浮梁县", "2024-Q1", date(2024, 4, 5), 50, False),
    (1, "浮梁县", "2024-Q2", date(2024, 6, 25), 100, True),
    (2, "浮梁县", "2024-Q1", date(2024, 4, 5), 10, False),
    (2, "浮梁县", "2024-Q2", date(2024, 7, 3), 40, False),
    (2, "浮梁县", "2024-Q3", date(2024, 10, 8), 70, False),
    (2, "浮梁县", "2024-Q4", date(2024, 12, 20), None, True),
    (3, "浮梁县", "2024-Q1", date(2024, 4, 5), None, False),
    (3, "浮梁县", "2024-Q2", date(2024, 7, 3), None, False),
    (3, "浮梁县", "2024-Q4", date(2025, 1, 6), None, False),  # within the 10-day grace; Q3 never filed
    (1, "乐平市人民政府", "2024-Q1", date(2024, 4, 10), 30, False),
    (1, "乐平市人民政府", "2024-Q2", date(2024, 7, 5), None, True),  # done, but after 6-30
    (2, "乐平市", "2024-Q2", date(2024, 7, 5), 50, False),
    (3, "乐平市", "2024-Q1", date(2024, 4, 10), None, False),
    (3, "乐平市", "2024-Q3", date(2024, 10, 10), None, False),
    (5, "昌江区", "2024-Q4", date(2024, 12, 28), 20, False),
    (1, "珠山区", "2024-Q1", date(2024, 4, 2), 100, True),
    (3, "珠山区", "2024-Q1", date(2024, 4, 2), None, False),
    (3, "珠山区", "2024-Q2", date(2024, 7, 2), None, False),
    (3, "珠山区", "2024-Q3", date(2024, 10, 2), None, False),
    (3, "珠山区", "2024-Q4", date(2024, 12, 31), None, False),
    (4, "市自然资源规划局", "2024-Q3", date(2024, 9, 28), None, True),
]


def scripted_workspace(root: Path, db_url: str | None = None) -> Workspace:
    ws = init_workspace(root / "ws", "360200", db_url)
    src = root / "示例清单.txt"
    src.write_text(SCENARIO, encoding="utf-8")
    import_tasks(ws, src, key="demo")
    set_cadence(ws, "quarterly")
    for number, unit, period, on, percent, done in REPORTS:
        record_report(
            ws,
            number=number,
            unit=unit,
            period=period,
            reported_on=on,
            percent=percent,
            done=done,
            text="" if percent or done else "按期推进",
        )
    return ws


def table(ws: Workspace, as_of: date, unit: str | None = None) -> dict[tuple[int, str], str]:
    return {
        (r.assignment.measure.number, r.assignment.unit[:3]): r.status.value
        for r in task_status(ws, as_of=as_of, unit=unit).rows
    }


def test_scripted_year(tmp_path: Path, db_url: str | None) -> None:
    ws = scripted_workspace(tmp_path, db_url)
    # 1 July: Q2 is the last complete quarter.
    assert table(ws, date(2024, 7, 1)) == {
        (1, "昌江区"): "overdue",
        (1, "珠山区"): "done",
        (1, "浮梁县"): "done",
        (1, "乐平市"): "overdue",
        (2, "浮梁县"): "no_recent_report",
        (2, "乐平市"): "not_started",
        (3, "昌江区"): "not_started",
        (3, "珠山区"): "no_recent_report",
        (3, "浮梁县"): "no_recent_report",
        (3, "乐平市"): "no_recent_report",
        (4, "市自然"): "not_started",
        (5, "昌江区"): "not_started",
    }
    # 15 October: Q3 is the last complete quarter.
    assert table(ws, date(2024, 10, 15)) == {
        (1, "昌江区"): "overdue",
        (1, "珠山区"): "done",
        (1, "浮梁县"): "done",
        (1, "乐平市"): "done",
        (2, "浮梁县"): "in_progress",
        (2, "乐平市"): "no_recent_report",
        (3, "昌江区"): "not_started",
        (3, "珠山区"): "in_progress",
        (3, "浮梁县"): "no_recent_report",
        (3, "乐平市"): "in_progress",
        (4, "市自然"): "done",
        (5, "昌江区"): "not_started",
    }
    late = [
        r
        for r in task_status(ws, as_of=date(2024, 10, 15), unit="乐平市").rows
        if r.assignment.measure.number == 1
    ]
    assert (late[0].done_on, late[0].late) == (date(2024, 7, 5), True)

    scores = {s.name: s for s in assess_service.assess(ws, 2024).scores}
    # completion (linear 0.5→1.0, 50) + overdue (20 − 5 each) + reporting (ratio × 30):
    # 昌江 0/1 due done → 0; 1 overdue → 15; filed 1 of 12 quarter-reports (#1 ×4, #3 ×4, #5 ×4) → 0.0833 × 30 = 2.50
    # 珠山 1/1 → 50; 0 → 20; #1 owes Q1 only (done in Q1) + #3 ×4, all filed → 30
    # 浮梁 2/2 → 50; 0 → 20; #1 Q1–Q2, #2 Q1–Q4, #3 Q1–Q4 less Q3 → 9/10 → 27
    # 乐平 1/2 → 0; #2 overdue → 15; #1 Q1–Q2 (2), #2 Q2 of 4, #3 Q1+Q3 of 4 → 5/10 → 15
    assert {n: (str(s.total), s.grade) for n, s in scores.items()} == {
        "昌江区": ("17.50", "fail"),
        "珠山区": ("100.00", "excellent"),
        "浮梁县": ("97.00", "excellent"),
        "乐平市": ("30.00", "fail"),
    }
    lp = {i.item.id: i for i in scores["乐平市"].items}
    assert (
        lp["task_completion"].figure.value,
        lp["task_overdue"].figure.value,
        lp["task_reporting"].figure.value,
    ) == (Decimal("0.5000"), Decimal("1"), Decimal("0.5000"))
    assert lp["task_completion"].figure.data == {"due": 2, "done": 1}
    assert "未完成：demo#2 乐平市人民政府（期限 2024-12-31）" in lp["task_completion"].explanation
    assert lp["task_overdue"].figure.refs == ("demo#2 乐平市人民政府（期限 2024-12-31）",)
    assert lp["task_reporting"].figure.data == {"owed": 10, "filed": 5, "cadence": "quarterly"}
    assert "方案 items[1] “task_overdue”" in lp["task_overdue"].explanation
    assert scores["昌江区"].items[2].figure.data == {"owed": 12, "filed": 1, "cadence": "quarterly"}
    assert not any(s.vetoed for s in scores.values())
    assert score_to_dict(scores["珠山区"])["score"] == "100.00"


VETO_PROFILE = """
schema: gengbao.assess/1
name: 严格方案
level: county
items:
  - {id: done, name: 完成率, kind: tasks.completion_rate, weight: 60, score: {method: ratio}, params: {on_time: true}}
  - {id: report, name: 报送率, kind: tasks.reporting_rate, weight: 40, score: {method: ratio}, params: {cadence: yearly}}
vetoes:
  - {id: any_overdue, name: 存在逾期, when: [{kind: tasks.overdue_count, op: ">=", value: 1}], clause: 示例条款}
"""


def test_custom_profile_with_veto_and_on_time_completion(tmp_path: Path) -> None:
    ws = scripted_workspace(tmp_path)
    prof = tmp_path / "strict.yaml"
    prof.write_text(VETO_PROFILE, encoding="utf-8")
    scores = {s.name: s for s in assess_service.assess(ws, 2024, profile=prof).scores}
    # on time: 乐平 #1 done 7-05 after 6-30 → 0/2; yearly cadence: one period per assignment
    # 乐平: #1 (done) 1/1, #2 1/1, #3 1/1 → 1.0 → 40; vetoed for 1 overdue
    assert (str(scores["乐平市"].total), scores["乐平市"].vetoed, scores["乐平市"].label) == (
        "40.00",
        True,
        "不合格（一票否决）",
    )
    # 浮梁: 2/2 on time → 60; #1, #2, #3 each filed → 40 → 100, no overdue
    assert (str(scores["浮梁县"].total), scores["浮梁县"].grade) == ("100.00", "excellent")
    # 昌江: 0/1 → 0; #1 none, #3 none, #5 filed → 1/3 → 13.33; vetoed
    assert (str(scores["昌江区"].total), scores["昌江区"].vetoed) == ("13.33", True)
    assert "示例条款" in scores["昌江区"].vetoes[0].explanation


def test_profile_errors_are_rule_errors(tmp_path: Path) -> None:
    ws = scripted_workspace(tmp_path)
    bad = tmp_path / "bad.yaml"
    bad.write_text(VETO_PROFILE.replace("tasks.reporting_rate", "cases.handling_rate"), encoding="utf-8")
    with pytest.raises(RuleError) as e:
        assess_service.assess(ws, 2024, profile=bad)
    assert (e.value.code, e.value.details["path"]) == ("assess.profile.unknown_kind", "items[1].kind")
    assert "tasks.completion_rate、tasks.overdue_count、tasks.reporting_rate" in e.value.message
    broken = tmp_path / "broken.yaml"
    broken.write_text("items: [\n", encoding="utf-8")
    with pytest.raises(RuleError) as e2:
        assess_service.assess(ws, 2024, profile=broken)
    assert e2.value.code == "assess.profile.yaml"


def test_registry_exposes_the_provider_interface() -> None:
    kinds = assess_service.kind_specs()
    assert sorted(kinds) == ["targets.farmland_ratio", "targets.pbf_ratio", "tasks.completion_rate",
                            "tasks.overdue_count", "tasks.reporting_rate"]
    assert kinds["tasks.reporting_rate"].params["cadence"].choices == (
        "monthly",
        "quarterly",
        "half_yearly",
        "yearly",
    )
    with pytest.raises(RuleError) as e:
        assess_service.register_provider(
            type("Dup", (), {"spec": kinds["tasks.overdue_count"], "compute": None})()
        )
    assert e.value.code == "assess.kind_duplicate"
    default = assess_service.load_profile()
    assert [(i.id, str(i.weight)) for i in default.items] == [
        ("task_completion", "50"),
        ("task_overdue", "20"),
        ("task_reporting", "30"),
    ]
