"""``gengbao balance check`` on .xlsx, .csv and .gpkg plans: findings, exit codes, the balance sheet."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import geopandas as gpd
import typer
from openpyxl import Workbook, load_workbook
from shapely.geometry import box
from typer.testing import CliRunner

from gengbao.interfaces.cli import balance_cmd

runner = CliRunner()
app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
balance_cmd.register(app)
HEAD = ["编号", "方向", "地块编号", "面积（平方米）", "日期", "永久基本农田", "质量等别", "例外情形"]


def xlsx_plan(path: Path, rows: list[list[object]], head: list[str] = HEAD) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["浮梁县 2025 年耕地进出平衡方案"])
    ws.append(head)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def run(*args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = runner.invoke(app, ["balance", "check", *args, "--county", "360222", "--year", "2025", "--json"])
    return result.exit_code, json.loads(result.stdout.strip().splitlines()[-1])


def test_xlsx_plan_checked_and_compared(tmp_path: Path) -> None:
    plan = xlsx_plan(tmp_path / "p.xlsx", [
        [1, "进", "J1", 3000, dt.datetime(2025, 3, 1), "否", 5, None],
        [2, "出", "C1", 2000, "2025-04-01", "否", 5, None],
        [3, "出", "C2", 500, "2025-05-01", "否", 6, "灾毁"],
    ])
    out_x = tmp_path / "sheet.xlsx"
    code, out = run(str(plan), "--actual-out", "2500", "--actual-in", "2400", "--xlsx", str(out_x))
    assert code == 3 and out["plan"]["ok"] is True
    assert (out["plan"]["outflow_m2"], out["plan"]["exempt_m2"], out["plan"]["inflow_m2"]) == ("2000.00", "500.00", "3000.00")
    assert sorted(f["code"] for f in out["actual"]["findings"]) == [
        "balance.actual.inflow_short", "balance.actual.outflow_over_plan", "balance.actual.unbalanced"]
    assert load_workbook(out_x)["进出平衡"]["A1"].value == "360222 2025 年耕地进出平衡表"
    code, out = run(str(plan), "--actual-out", "1900", "--actual-in", "3100")
    assert code == 0 and out["ok"] is True


def test_pbf_outflow_and_bad_values(tmp_path: Path) -> None:
    plan = xlsx_plan(tmp_path / "p.xlsx", [[1, "进", "J1", 3000, "2025-03-01", "否", 5, None],
                                           [2, "出", "C1", 100, "2025-04-01", "是", 5, None]])
    code, out = run(str(plan))
    assert code == 3 and [f["code"] for f in out["plan"]["findings"]] == ["balance.plan.outflow_on_pbf"]
    bad = xlsx_plan(tmp_path / "b.xlsx", [[1, "进", "J1", "三千", "2025-03-01", "否", 5, None]])
    code, out = run(str(bad))
    assert code == 4 and out["error"]["code"] == "balance.plan.bad_value" and out["error"]["row"] == 3
    no_date = xlsx_plan(tmp_path / "n.xlsx", [[1, "进", "J1", 1, None, "否", 5, None]], head=HEAD[:4])
    code, out = run(str(no_date))
    assert code == 4 and out["error"]["code"] == "balance.plan.missing_column"


def test_csv_in_mu_and_gpkg(tmp_path: Path) -> None:
    csv_file = tmp_path / "p.csv"
    csv_file.write_text("编号,方向,面积（亩）,日期,质量等别\n1,进,4.5,2025-01-10,5\n2,出,3,2025-02-01,5\n", encoding="utf-8")
    code, out = run(str(csv_file))
    assert code == 0 and (out["plan"]["inflow_m2"], out["plan"]["outflow_m2"]) == ("3000.00", "2000.00")
    frame = gpd.GeoDataFrame({"编号": ["1", "2"], "方向": ["出", "进"], "面积": [800.0, 700.0],
                              "日期": ["2025-03-01", "2025-02-01"], "质量等别": [5, 5]},
                             geometry=[box(0, 0, 1, 1), box(1, 1, 2, 2)], crs="EPSG:4490")
    gpkg = tmp_path / "p.gpkg"
    frame.to_file(gpkg, layer="plan", driver="GPKG")
    code, out = run(str(gpkg), "--layer", "plan")
    assert code == 3 and [f["code"] for f in out["plan"]["findings"]] == ["balance.plan.outflow_exceeds_inflow"]
