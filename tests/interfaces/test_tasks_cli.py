"""``gengbao tasks …`` and ``gengbao assess`` as a user runs them: JSON shapes, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from openpyxl import load_workbook
from typer.testing import CliRunner

from gengbao.adapters.region_data import load_catalog
from gengbao.domain.regions import RegionLevel
from gengbao.interfaces.cli import tasks_cmd, workspace_cmd
from tests.conftest import seed_path
from tests.services.test_assess import scripted_workspace

runner = CliRunner()
app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
workspace_cmd.register(app)
tasks_cmd.register(app)


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout


def jrun(*args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    code, out = run(*args, "--json")
    return code, json.loads(out)


def test_registered_in_the_app() -> None:
    from gengbao.interfaces.cli.app import app as real

    names = {c.name for c in real.registered_commands} | {g.name for g in real.registered_groups}
    assert {"tasks", "assess"} <= names


def test_import_json_and_reimport(tmp_path: Path) -> None:
    ws = str(tmp_path / "ws")
    assert run("init", ws, "--region", "441900")[0] == 0
    code, data = jrun("tasks", "import", ws, str(seed_path("000")))
    assert code == 0
    assert (data["document"], data["layout"], data["counts"]) == (
        "000_baca6136e21dafe3",
        "tab_table",
        {"measures": 42, "key_tasks": 8, "groups": 19},
    )
    ms = {m["number"]: m for m in data["measures"]}
    assert {
        "number",
        "lead_units",
        "cooperating_units",
        "implementing_units",
        "deadline",
        "deadline_kind",
    } <= set(ms[1])
    assert (ms[4]["deadline"], ms[4]["deadline_kind"]) == ("2021-12-31", "date")
    assert (ms[14]["deadline"], ms[14]["deadline_kind"]) == (None, "external")
    assert (ms[1]["deadline"], ms[1]["deadline_kind"]) == (None, "ongoing")
    assert ms[6]["implementing_units"] == ["厚街镇政府", "塘厦镇政府", "谢岗镇政府"]
    assert ms[34]["open_ended"] == ["cooperating"]
    assert [u["members"] for u in ms[1]["units"]["lead"]] == [36]
    code, again = jrun("tasks", "import", ws, str(seed_path("000")))
    assert (code, again["changes"]["unchanged"], again["changes"]["summary"]) == (
        0,
        42,
        "新增 0 条，更新 0 条，未变 42 条",
    )
    code, out = run("tasks", "import", ws, str(seed_path("000")))
    assert code == 0 and "举措 42 条" in out and "未变 42 条" in out


def test_bad_input_exit_codes(tmp_path: Path) -> None:
    ws = str(tmp_path / "ws")
    run("init", ws, "--region", "4419")
    prose = tmp_path / "prose.txt"
    prose.write_text("通知\n请各单位按时参会。\n", encoding="utf-8")
    code, data = jrun("tasks", "import", ws, str(prose))
    assert (code, data["ok"], data["error"]["code"], data["error"]["line"]) == (
        4,
        False,
        "tasks.layout_unknown",
        1,
    )
    code, data = jrun("tasks", "status", ws)
    assert (code, data["error"]["code"]) == (6, "tasks.no_documents")
    code, data = jrun("tasks", "status", ws, "--as-of", "2024-13-01")
    assert (code, data["error"]["code"]) == (2, "usage.date")
    code, _ = run("tasks", "export", ws, "--out", str(tmp_path / "x.csv"))
    assert code == 2


def test_report_status_units_and_export(tmp_path: Path) -> None:
    ws = str(tmp_path / "ws")
    run("init", ws, "--region", "360200")
    jrun("tasks", "import", ws, str(seed_path("001")), "--key", "jdz")
    code, rep = jrun(
        "tasks",
        "report",
        ws,
        "-m",
        "9",
        "-u",
        "浮梁县",
        "--period",
        "2024-03",
        "--date",
        "2024-04-02",
        "--percent",
        "30",
    )
    assert (code, rep["unit"], rep["period"], rep["done"]) == (0, "浮梁县人民政府", "2024-03", False)
    code, rep = jrun("tasks", "report", ws, "-m", "9", "-u", "市林业局", "--percent", "30")
    assert (code, rep["error"]["code"]) == (4, "tasks.unit_not_assigned")
    code, st = jrun("tasks", "status", ws, "--unit", "浮梁县", "--as-of", "2024-04-20")
    assert (code, st["cadence"], len(st["rows"])) == (0, "monthly", 26)
    assert st["counts"] == {
        "not_started": 25,
        "in_progress": 1,
        "done": 0,
        "overdue": 0,
        "no_recent_report": 0,
    }
    row9 = next(r for r in st["rows"] if r["number"] == 9)
    assert (row9["status"], row9["last_report"]["percent"], row9["deadline_kind"]) == (
        "in_progress",
        30,
        "none",
    )
    code, st = jrun("tasks", "status", ws, "--unit", "浮梁县", "--as-of", "2024-05-20")
    assert next(r for r in st["rows"] if r["number"] == 9)["status"] == "no_recent_report"
    code, st = jrun(
        "tasks", "status", ws, "--unit", "浮梁县", "--as-of", "2024-05-20", "--cadence", "quarterly"
    )
    assert next(r for r in st["rows"] if r["number"] == 9)["status"] == "in_progress"
    assert jrun("tasks", "cadence", ws, "quarterly")[1]["cadence"] == "quarterly"
    assert jrun("tasks", "cadence", ws)[1]["cadence"] == "quarterly"
    code, units = jrun("tasks", "units", ws)
    names = {u["name"] for u in units["units"]}
    assert (
        "市自然资源规划局" in names and "市自然资源局" not in names
    )  # 东莞's bureau is not listed for 景德镇
    out = tmp_path / "status.xlsx"
    code, ex = jrun("tasks", "export", ws, "--out", str(out), "--status", "--as-of", "2024-04-20")
    assert (code, ex["rows"]) == (0, 162)
    header = [c.value for c in load_workbook(out).active[2]]
    assert header == [
        "序号",
        "主要任务",
        "工作举措",
        "责任单位",
        "配合单位",
        "报送单位",
        "状态",
        "最近报告期",
        "进度",
        "完成日期",
        "说明",
    ]


def test_assess_json(tmp_path: Path) -> None:
    scripted_workspace(tmp_path)
    ws = str(tmp_path / "ws")
    code, data = jrun("assess", ws, "--year", "2024")
    assert code == 0
    assert [(r["name"], r["score"], r["grade"], r["vetoed"]) for r in data["regions"]] == [
        ("昌江区", "17.50", "fail", False),
        ("珠山区", "100.00", "excellent", False),
        ("浮梁县", "97.00", "excellent", False),
        ("乐平市", "30.00", "fail", False),
    ]
    fl = data["regions"][2]["items"]
    assert [(i["id"], i["value"], i["score"]) for i in fl] == [
        ("task_completion", "1.0000", "50.00"),
        ("task_overdue", "0", "20.00"),
        ("task_reporting", "0.9000", "27.00"),
    ]
    assert (
        fl[2]["clause"]
        and fl[2]["profile_path"] == "items[2]"
        and "demo#3 浮梁县人民政府 缺 1 期" in fl[2]["explanation"]
    )
    code, out = run("assess", ws, "--year", "2024")
    assert code == 0 and "珠山区" in out and "优秀" in out
    bad = tmp_path / "p.yaml"
    bad.write_text("schema: gengbao.assess/1\nname: x\nitems: []\n", encoding="utf-8")
    code, data = jrun("assess", ws, "--year", "2024", "--profile", str(bad))
    assert (code, data["error"]["code"], data["error"]["path"]) == (8, "assess.profile.items", "items")
    code, data = jrun("assess", ws, "--year", "2024", "--level", "township")
    townships = load_catalog().descendants("3602", RegionLevel.TOWNSHIP)
    assert code == 0 and [r["region"] for r in data["regions"]] == [t.code for t in townships]
    # no township is responsible for any measure: nothing due, nothing owed → full marks, each item says so
    assert {r["score"] for r in data["regions"]} == {"100.00"}
    assert data["regions"][0]["items"][0]["figure"]["explanation"] == "2024 年无到期举措"
