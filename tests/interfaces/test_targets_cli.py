"""``gengbao targets`` as a user runs it: JSON shapes, Chinese tables, exit codes."""

from __future__ import annotations

import json
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from gengbao.domain.regions import RegionLevel
from gengbao.interfaces.cli import targets_cmd, workspace_cmd
from gengbao.services.survey import stats as survey_stats
from gengbao.services.survey.stats import RegionStat
from gengbao.services.workspace import Workspace
from tests.conftest import seed_path

runner = CliRunner()
# The commands under test on their own (the full app also loads other groups being written in parallel);
# test_registered_in_the_app checks the real ``gengbao`` app.
app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
workspace_cmd.register(app)
targets_cmd.register(app)
SEED_FINDINGS = [
    ("targets.children_sum_mismatch", "3602", "farmland", None, "120.2873", "120.2874"),
    ("targets.children_sum_mismatch", "3602", "farmland_new", None, "120.2873", "120.2874"),
    ("targets.children_sum_mismatch", "3602", "gap", None, "9.1627", "9.1626"),
    ("targets.task_sum_mismatch", "3602", "recovery_task", 2023, "0.9163", "0.9312"),
    ("targets.task_sum_mismatch", "3602", "recovery_task", 2024, "0.9163", "0.9312"),
    ("targets.negative_gap", "360203", "gap", None, "0", "-0.1496"),
]


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout


@pytest.fixture(autouse=True)
def _wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(targets_cmd.console, "_width", 400)


@pytest.fixture
def ws(tmp_path: Path, db_url: str | None) -> str:
    path = str(tmp_path / "ws")
    args = ["init", path, "--region", "360200", "--json"] + (["--db", db_url] if db_url else [])
    code, out = run(*args)
    assert code == 0, out
    return path


def test_import_and_check_json(ws: str) -> None:
    code, out = run("targets", "import", ws, str(seed_path("001")), "--json")
    doc = json.loads(out)
    assert code == 0 and doc["ok"] is True
    assert doc["counts"] == {"added": 35, "changed": 0, "removed": 0, "unchanged": 0}
    assert [(t["label"], t["rows"], t["unit"]) for t in doc["tables"]] == [("附件2", 5, "万亩"), ("附件3", 5, "万亩")]
    city = next(c for c in doc["changes"] if c["region"] == "3602" and c["measure"] == "farmland_old")
    assert (city["name"], city["new"], city["old"], city["change"]) == ("景德镇市", "129.45", None, "added")

    code, out = run("targets", "check", ws, "--json")
    doc = json.loads(out)
    assert code == 0 and doc["ok"] is True and doc["unit"] == "万亩"
    got = [(f["code"], f["region"], f["measure"], f["year"], f["expected"], f["actual"]) for f in doc["findings"]]
    assert got == SEED_FINDINGS
    assert all(f["message"] for f in doc["findings"]) and doc["counts"]["error"] == 5

    code, out = run("targets", "show", ws, "--json")
    rows = json.loads(out)["targets"]
    assert code == 0 and len(rows) == 35
    assert {(r["region"], r["label"]): r["value"] for r in rows}[("360203", "耕地恢复任务缺口")] == "-0.1496"


def test_plain_output_is_a_chinese_table(ws: str) -> None:
    code, out = run("targets", "import", ws, str(seed_path("001")))
    assert code == 0
    assert "2 张表" in out and "新增 35，变更 0，删除 0，未变 0" in out and "导入变化（单位：万亩）" in out
    code, out = run("targets", "import", ws, str(seed_path("001")))
    assert code == 0 and "未变 35" in out and "没有变化" in out

    code, out = run("targets", "check", ws)
    assert code == 0
    for text in ("耕地保护目标核对结果（单位：万亩）", "应为", "实为", "说明", "上级与下级年度任务合计不符", "缺口为负",
                 "景德镇市", "0.9312", "120.2874", "-0.1496", "发现 6 项：错误 5，提示 1"):
        assert text in out, text


def test_bad_file_exit_code_and_json_error(ws: str, tmp_path: Path) -> None:
    bad = tmp_path / "gbk.csv"
    bad.write_bytes("行政区名称,耕地保护目标,永久基本农田\n珠山区,0.5707,0.0822\n".encode("gbk"))
    code, out = run("targets", "import", ws, str(bad), "--json")
    doc = json.loads(out)
    assert code == 4 and doc["ok"] is False and doc["error"]["code"] == "targets.encoding"
    assert doc["error"]["file"] == "gbk.csv"
    code, out = run("targets", "check", ws, "--json")
    assert code == 6 and json.loads(out)["error"]["code"] == "targets.none"


def test_unknown_region_is_named_in_plain_mode(ws: str, tmp_path: Path) -> None:
    bad = tmp_path / "t.csv"
    bad.write_text("行政区名称,耕地保护目标,永久基本农田\n珠山区,0.5707,0.0822\n景德区,1,1\n", encoding="utf-8")
    result = runner.invoke(app, ["targets", "import", ws, str(bad)])
    assert result.exit_code == 4
    # (the code itself is not asserted: render_error writes it in square brackets, which Rich takes as markup)
    assert "目标表 t.csv 第 3 行：行政区名称“景德区”" in result.output


def test_missing_workspace(tmp_path: Path) -> None:
    code, out = run("targets", "check", str(tmp_path / "nowhere"), "--json")
    assert code == 5 and json.loads(out)["error"]["code"] == "workspace.not_found"


def test_check_against_a_survey_epoch(ws: str, monkeypatch: pytest.MonkeyPatch) -> None:
    run("targets", "import", ws, str(seed_path("001")))

    def fake(w: Workspace, epoch: int, by: RegionLevel = RegionLevel.COUNTY) -> list[RegionStat]:
        assert (epoch, by) == (2023, RegionLevel.COUNTY)
        return [RegionStat("360203", "珠山区", by, Decimal("3804600.00"), Decimal("548000.00"))]

    monkeypatch.setattr(survey_stats, "region_stats", fake)
    code, out = run("targets", "check", ws, "--epoch", "2023", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["epoch"] == 2023
    survey = [(f["code"], f["region"], f["expected"], f["actual"]) for f in doc["findings"]
              if f["code"].startswith("targets.survey_")]
    assert survey == [
        ("targets.survey_missing", "3602", "120.2873", None),
        ("targets.survey_missing", "360202", "7.3041", None),
        ("targets.survey_farmland_below_target", "360203", "0.5707", "0.57069"),
        ("targets.survey_missing", "360222", "31.9999", None),
        ("targets.survey_missing", "360281", "80.4127", None),
    ]


def test_registered_in_the_app() -> None:
    from gengbao.interfaces.cli.app import app as gengbao_app

    result = runner.invoke(gengbao_app, ["targets", "--help"])
    assert result.exit_code == 0
    for command in ("import", "check", "show"):
        assert command in result.stdout


def test_a_negative_target_is_refused_but_a_negative_gap_is_not(ws: str, tmp_path: Path) -> None:
    before = run("targets", "show", ws, "--json")
    bad = tmp_path / "neg.csv"
    bad.write_text("行政区名称,耕地保护目标,永久基本农田\n景德镇市,120.2873,106.5103\n珠山区,-0.5707,0.0822\n",
                   encoding="utf-8")
    code, out = run("targets", "import", ws, str(bad), "--json")
    doc = json.loads(out)
    assert (code, doc["error"]["code"], doc["error"]["region"]) == (4, "targets.negative_value", "360203")
    assert run("targets", "show", ws, "--json") == before  # nothing was stored
    gaps = resources.files("gengbao.data") / "demo" / "gap_recovery_3602_2024.csv"  # 珠山区's gap is −0.1496
    code, out = run("targets", "import", ws, str(gaps), "--json")
    assert code == 0 and json.loads(out)["ok"] is True
