"""Task-list import and progress reports, stored on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from gengbao.adapters.db import audit_store as audit
from gengbao.adapters.db.models import AuditRecord, ImportRecord
from gengbao.adapters.db.models_tasks import TaskDocumentRow, TaskMeasureRow, TaskReportRow
from gengbao.domain.errors import InputError, NotFoundError, UsageError
from gengbao.services.tasks.export import export_tasks
from gengbao.services.tasks.importing import import_tasks
from gengbao.services.tasks.organisations import add_unit, all_assignments
from gengbao.services.tasks.progress import record_report, task_status
from gengbao.services.workspace import Workspace, init_workspace
from tests.conftest import seed_path


def count(ws: Workspace, model: type) -> int:
    with ws.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def actions(ws: Workspace) -> list[str]:
    with ws.sessions() as s:
        return list(s.scalars(select(AuditRecord.action).order_by(AuditRecord.seq)))


def edited_000(tmp_path: Path) -> Path:
    lines = seed_path("000").read_text(encoding="utf-8").split("\n")
    i9 = next(i for i, ln in enumerate(lines) if "\t9. " in ln)
    cells = lines[i9].split("\t")
    cells[4], cells[6] = "市农业农村局", "2021年底"
    lines[i9] = "\t".join(cells)
    lines = [ln for ln in lines if "\t42. " not in ln]
    p = tmp_path / "edited.txt"
    p.write_text("\n".join(lines), encoding="utf-8")
    return p


def test_import_reimport_updates_and_withdraws(tmp_path: Path, db_url: str | None) -> None:
    ws = init_workspace(tmp_path / "ws", "4419", db_url)
    first = import_tasks(ws, seed_path("000"), key="dg")
    assert (first.counts, first.region, first.warnings) == (
        {"measures": 42, "key_tasks": 8, "groups": 19},
        "4419",
        [],
    )
    assert (len(first.changes.added), count(ws, TaskMeasureRow), count(ws, TaskDocumentRow)) == (42, 42, 1)
    assert actions(ws) == ["workspace.init", "tasks.import"]

    again = import_tasks(ws, seed_path("000"), key="dg")
    assert (again.changes.added, again.changes.updated, again.changes.unchanged) == ((), (), 42)
    assert count(ws, TaskMeasureRow) == 42 and actions(ws) == ["workspace.init", "tasks.import"]

    edited = import_tasks(ws, edited_000(tmp_path), key="dg")
    ch = edited.changes
    assert [(c.number, [f.field for f in c.fields]) for c in ch.updated] == [
        (9, ["cooperating_units", "deadline", "deadline_kind", "deadline_text"])
    ]
    assert (ch.withdrawn, ch.unchanged) == ((42,), 40)
    assert (
        ch.summary()
        == "新增 0 条，更新 1 条，未变 40 条，撤销 1 条（42）；第 9 条：配合单位、完成时限、时限类型、时限原文"
    )
    with ws.sessions() as s:
        m9 = s.scalar(select(TaskMeasureRow).where(TaskMeasureRow.number == 9))
        m42 = s.scalar(select(TaskMeasureRow).where(TaskMeasureRow.number == 42))
        last = s.scalars(select(AuditRecord).order_by(AuditRecord.seq.desc())).first()
        assert (m9.cooperating["names"], m9.deadline, m42.withdrawn) == (
            ["市农业农村局"],
            date(2021, 12, 31),
            True,
        )
        assert json.loads(last.payload)["changes"] == ch.summary()
        assert audit.verify(s) == []
    assert count(ws, TaskMeasureRow) == 42

    back = import_tasks(ws, seed_path("000"), key="dg")
    assert (back.changes.restored, [c.number for c in back.changes.updated]) == ((42,), [9])
    with ws.sessions() as s:
        assert s.scalar(select(func.count()).where(TaskMeasureRow.withdrawn.is_(True))) == 0
        oks = list(s.scalars(select(ImportRecord.ok)))
    assert oks == [True, True, True, True]


def test_failed_import_stores_nothing(tmp_path: Path, db_url: str | None) -> None:
    ws = init_workspace(tmp_path / "ws", "4419", db_url)
    bad = tmp_path / "bad.txt"
    lines = seed_path("000").read_text(encoding="utf-8").split("\n")
    lines.insert(30, "这一行破坏了表格")
    bad.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InputError) as e:
        import_tasks(ws, bad)
    assert (e.value.code, e.value.details["line"]) == ("tasks.row_unreadable", 31)
    assert (count(ws, TaskDocumentRow), count(ws, TaskMeasureRow)) == (0, 0)
    assert actions(ws) == ["workspace.init"]
    with ws.sessions() as s:
        rec = s.scalars(select(ImportRecord)).one()
    assert (rec.ok, rec.what, rec.summary["error"]["code"]) == (False, "tasks", "tasks.row_unreadable")


def test_unknown_units_are_imported_with_a_warning(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws", "6405")
    src = tmp_path / "zw.txt"
    src.write_text(
        seed_path("004").read_text(encoding="utf-8").replace("财政局，各县", "财政局、市不存在局，各县", 1),
        encoding="utf-8",
    )
    r = import_tasks(ws, src)
    assert [(w.code, w.feature, w.value) for w in r.warnings] == [
        ("tasks.unit_unknown", "第4条", "市不存在局")
    ]
    assert r.warnings[0].message == "第 4 条举措的牵头/责任单位“市不存在局”不在单位名录中（仍按原文导入）"
    assert list(r.measures[3].lead.names) == [
        "市自然资源局",
        "农业农村局",
        "财政局",
        "市不存在局",
        "各县〔区〕人民政府",
    ]
    add_unit(ws, "市不存在局", aliases=("不存在局",))
    assert import_tasks(ws, src).warnings == []
    assert actions(ws)[-1] == "tasks.unit_add"


@pytest.mark.parametrize(
    ("prefix", "scope", "region", "measures", "assignments"),
    [
        # 001: 县（市、区）… expands to 4 county governments, city departments report for themselves;
        # lead units per measure, counted from the list: 34 (1–10) + 50 (11–20) + 36 (21–30) + 42 (31–40)
        ("001", "3602", "3602", 40, 34 + 50 + 36 + 42),
        # 002: 46 townships + the county units listed with each task
        ("002", "512021", "512021", 7, 7 * 46 + 11 + 1 + 11 + 6 + 2 + 6 + 2),
        # 003: no unit lists: 各村 mentioned in two measures (9 villages each), otherwise 石鱼镇人民政府
        ("003", "500151", "500151111", 12, 2 * 9 + 10),
        ("004", "6405", "6405", 12, 12 * 3 + 7 + 2 + 5 + 3 + 5 + 2 + 2 + 3 + 3 + 2 + 2 + 4),
    ],
)
def test_other_seeds_and_their_responsible_units(
    tmp_path: Path, prefix: str, scope: str, region: str, measures: int, assignments: int
) -> None:
    ws = init_workspace(tmp_path / "ws", scope)
    r = import_tasks(ws, seed_path(prefix))
    assert (r.region, len(r.measures), r.warnings) == (region, measures, [])
    with ws.sessions() as s:
        _, rows = all_assignments(ws, s)
    assert len(rows) == assignments


def test_001_assignments_expand_counties(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws", "3602")
    import_tasks(ws, seed_path("001"), key="jdz")
    with ws.sessions() as s:
        _, rows = all_assignments(ws, s)
    m1 = sorted((a.unit, a.unit_region) for a in rows if a.measure.number == 1)
    assert m1 == [
        ("乐平市人民政府", "360281"),
        ("昌江区人民政府", "360202"),
        ("浮梁县人民政府", "360222"),
        ("珠山区人民政府", "360203"),
    ]
    assert sorted(a.unit for a in rows if a.measure.number == 35) == [
        "市公安局",
        "市农业农村局",
        "市检察院",
        "市纪委市监委",
        "市自然资源规划局",
    ]


def test_reports_are_checked_and_audited(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws", "4419")
    import_tasks(ws, seed_path("000"), key="dg")
    with pytest.raises(InputError) as e:
        record_report(ws, number=6, unit="洪梅镇", percent=10, reported_on=date(2020, 5, 1))
    assert e.value.code == "tasks.unit_not_assigned"
    assert (
        e.value.message
        == "“洪梅镇”不是第 6 条举措的责任单位（责任单位：市自然资源局、厚街镇人民政府、塘厦镇人民政府、谢岗镇人民政府）"
    )
    with pytest.raises(NotFoundError):
        record_report(ws, number=43, unit="市自然资源局", percent=10)
    with pytest.raises(InputError) as e2:
        record_report(ws, number=6, unit="市自然资源局", percent=120)
    assert e2.value.code == "tasks.percent_invalid"
    with pytest.raises(UsageError):
        record_report(ws, number=6, unit="市自然资源局")
    with pytest.raises(InputError) as e3:
        record_report(ws, number=6, unit="谢岗镇", period="2020-06", reported_on=date(2020, 5, 1), percent=5)
    assert e3.value.code == "tasks.period_future"
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(b"jpeg bytes")
    r = record_report(
        ws, number=6, unit="谢岗镇政府", reported_on=date(2020, 5, 3), percent=100, attachments=[photo]
    )
    assert (r.unit, r.period.label, r.done) == ("谢岗镇人民政府", "2020-05", True)
    digest = r.attachments[0]["sha256"]
    assert (ws.root / "evidence" / str(r.attachments[0]["path"])).read_bytes() == b"jpeg bytes"
    assert str(r.attachments[0]["path"]) == f"sha256/{digest[:2]}/{digest}.jpg"
    assert actions(ws)[-1] == "tasks.report" and count(ws, TaskReportRow) == 1
    st = {
        (x.assignment.unit, x.status.value)
        for x in task_status(ws, as_of=date(2021, 1, 5)).rows
        if x.assignment.measure.number == 6
    }
    assert st == {
        ("谢岗镇人民政府", "done"),
        ("厚街镇人民政府", "overdue"),
        ("塘厦镇人民政府", "overdue"),
        ("市自然资源局", "overdue"),
    }


@pytest.mark.parametrize(("prefix", "scope"), [("000", "4419"), ("001", "3602")])
def test_exported_responsibility_list_reads_back_the_same(tmp_path: Path, prefix: str, scope: str) -> None:
    ws = init_workspace(tmp_path / "ws", scope)
    original = import_tasks(ws, seed_path(prefix), key="doc")
    out = export_tasks(ws, tmp_path / "list.xlsx")
    assert (out.sheets, out.rows) == (1, len(original.measures))
    sheet = load_workbook(out.path).active
    headers = [c.value for c in sheet[2]]
    assert (
        headers
        == {
            "000": ["重点任务", "推进措施", "具体举措", "牵头单位", "配合单位", "落实单位", "完成时限"],
            "001": ["序号", "主要任务", "工作举措", "责任单位", "配合单位"],
        }[prefix]
    )
    ws2 = init_workspace(tmp_path / "ws2", scope)
    again = import_tasks(ws2, out.path, key="doc")
    assert [m.content() for m in again.measures] == [m.content() for m in original.measures]


def test_status_export_appends_status_columns(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws", "6405")
    import_tasks(ws, seed_path("004"), key="zw")
    record_report(ws, number=4, unit="财政局", reported_on=date(2023, 9, 5), percent=40)
    out = export_tasks(ws, tmp_path / "status.xlsx", status=True, as_of=date(2023, 9, 20))
    rows = list(load_workbook(out.path).active.iter_rows(values_only=True))
    assert list(rows[1]) == [
        "序号",
        "主要任务",
        "工作内容",
        "责任单位",
        "完成时限",
        "报送单位",
        "状态",
        "最近报告期",
        "进度",
        "完成日期",
        "说明",
    ]
    hit = [r for r in rows[2:] if r[5] == "市财政局"]
    assert [(r[6], r[7], r[8]) for r in hit] == [("推进中", "2023-09", "40%")] + [("未开始", None, None)] * (
        len(hit) - 1
    )
    assert out.rows == 12 * 3 + 7 + 2 + 5 + 3 + 5 + 2 + 2 + 3 + 3 + 2 + 2 + 4


def test_region_outside_the_workspace_is_refused_and_recorded(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws", "6405")
    with pytest.raises(UsageError) as e:
        import_tasks(ws, seed_path("004"), region="3602")
    assert e.value.code == "tasks.region_outside"
    assert count(ws, TaskMeasureRow) == 0
    with ws.sessions() as s:
        assert [(r.ok, r.summary["error"]["code"]) for r in s.scalars(select(ImportRecord))] == [
            (False, "tasks.region_outside")
        ]
    assert import_tasks(ws, seed_path("004"), region="640521").region == "640521"  # 中宁县, inside 中卫市


def test_003_units_named_in_the_text(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws", "500151")
    r = import_tasks(ws, seed_path("003"), key="sy")
    mentioned = {m.number: list(m.mentioned) for m in r.measures if m.mentioned}
    assert mentioned == {
        1: ["相关职能部门"],
        2: ["镇职能部门", "各村"],
        4: ["镇职能部门"],
        8: ["各村", "相关部门"],
    }
    with ws.sessions() as s:
        _, rows = all_assignments(ws, s)
    by_measure: dict[int, set[str]] = {}
    for a in rows:
        by_measure.setdefault(a.measure.number, set()).add(a.role)
    assert by_measure[2] == {"mentioned"} and by_measure[1] == {"issuer"}
    assert sorted(a.unit for a in rows if a.measure.number == 8)[:2] == [
        "三和村村民委员会",
        "东店村村民委员会",
    ]
    assert [a.unit for a in rows if a.measure.number == 12] == ["石鱼镇人民政府"]
