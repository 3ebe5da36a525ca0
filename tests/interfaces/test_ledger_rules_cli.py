"""``gengbao ledger`` and ``gengbao rules`` as a user runs them: JSON shapes, exit codes, .xlsx files."""

from __future__ import annotations

import json
from pathlib import Path

import typer
import yaml
from openpyxl import load_workbook
from typer.testing import CliRunner

from gengbao.interfaces.cli import ledger_cmd, rules_cmd, workspace_cmd

runner = CliRunner()
app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
workspace_cmd.register(app)
ledger_cmd.register(app)
rules_cmd.register(app)


def run(*args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = runner.invoke(app, [*args, "--json"])
    return result.exit_code, json.loads(result.stdout.strip().splitlines()[-1])


def test_registered_in_the_app() -> None:
    from gengbao.interfaces.cli.app import app as real

    result = runner.invoke(real, ["--help"])
    assert "ledger" in result.stdout and "rules" in result.stdout


def test_ledger_flow(tmp_path: Path) -> None:
    ws = str(tmp_path / "ws")
    assert run("init", ws, "--region", "360200")[0] == 0
    d = ["--date", "2024-03-01"]
    assert run("ledger", "project", "add", ws, "P1", "--county", "360222", "--name", "土地整治", *d)[0] == 0
    for action in ("start_works",):
        assert run("ledger", "project", "advance", ws, "P1", action, *d)[0] == 0
    code, out = run("ledger", "project", "advance", ws, "P1", "certify", "--area", "15", "--paddy", "3", "--grain",
                    "900", "--grade", "4", "--unit", "mu", *d)
    assert code == 0 and out["project"]["certification"]["quantity_m2"] == "10000.00"
    assert out["project"]["certification"]["paddy_m2"] == "2000.00"
    code, out = run("ledger", "project", "advance", ws, "P1", "file", *d)
    assert code == 7 and out["error"]["code"] == "ledger.project.bad_transition"  # not accepted yet
    run("ledger", "project", "advance", ws, "P1", "accept", *d)
    code, out = run("ledger", "project", "advance", ws, "P1", "file", *d)
    assert code == 0 and out["entry"]["kind"] == "credit"
    code, out = run("ledger", "draw", ws, "ZY1", "--county", "360222", "--area", "10000.01", "--grade", "5", *d)
    assert code == 7 and out["error"]["code"] == "ledger.draw.beyond_balance"
    code, out = run("ledger", "draw", ws, "ZY1", "--county", "360222", "--area", "4000", "--paddy", "2000",
                    "--grade", "5", *d)
    assert code == 0 and out["ok"]
    code, out = run("ledger", "transfer", ws, "360222", "360281", "--area", "1000", *d)
    assert code == 0
    code, out = run("ledger", "freeze", ws, "C1", "--county", "360222", "--area", "6000", *d)
    assert code == 0 and [f["code"] for f in out["findings"]] == ["ledger.freeze.beyond_balance"]
    code, out = run("ledger", "freeze", ws, "C1", "--action", "release", *d)
    assert code == 0 and out["freeze"]["state"] == "released"
    xlsx = tmp_path / "bal.xlsx"
    code, out = run("ledger", "balance", ws, "--xlsx", str(xlsx))
    rows = {b["county"]: b for b in out["balances"]}
    assert rows["360222"]["available"]["quantity_m2"] == "5000.00" and rows["360222"]["available"]["quantity_mu"] == "7.50"
    assert rows["360281"]["available"]["quantity_m2"] == "1000.00"
    sheet = load_workbook(xlsx).active
    assert sheet["A1"].value.startswith("补充耕地指标余额表")
    stmt = tmp_path / "stmt.xlsx"
    assert run("ledger", "balance", ws, "--xlsx", str(stmt), "--statement", "360222")[0] == 0
    kinds = [r[2].value for r in load_workbook(stmt).active.iter_rows(min_row=4)]
    assert kinds == ["报备入库", "占用使用", "市级调剂", "冻结", "解冻"]
    (tmp_path / "ws" / "ledger_profile.yaml").write_text(
        "schema: gengbao.ledger/1\nid: t\nreform_from: 2024-01-01\nprice_caps: {quantity_m2: 300000}\n", encoding="utf-8")
    code, out = run("ledger", "trade", ws, "360222", "360102", "--area", "1", "--unit", "mu", "--price", "300001", *d)
    assert code == 7 and out["error"]["code"] == "ledger.trade.price_over_cap"
    code, out = run("ledger", "trade", ws, "360222", "360102", "--area", "1", "--unit", "mu", "--price", "300000",
                    "--seller-below-target", *d)
    assert code == 7 and out["error"]["code"] == "ledger.trade.seller_below_target"
    code, out = run("ledger", "trade", ws, "360222", "360102", "--area", "1", "--unit", "mu", "--price", "300000", *d)
    assert code == 0 and out["value_yuan"] == "300001.50"  # 1 亩 → 666.67 m² (2 dp) = 1.000005 亩 × 300000
    code, out = run("ledger", "draw", ws, "X", "--county", "360222", "--area", "-1", "--grade", "5", *d)
    assert code == 4 and out["error"]["code"] == "ledger.negative_amount"
    code, out = run("ledger", "draw", ws, "X", "--county", "360222", "--area", "1", "--grade", "5", "--date", "2024-13-01")
    assert code == 2 and out["error"]["code"] == "usage.bad_date"


def test_rules_validate_and_evaluate(tmp_path: Path) -> None:
    assert run("rules", "validate")[1]["ok"] is True
    bad = tmp_path / "bad.yaml"
    data = yaml.safe_load((Path(rules_cmd.__file__).parents[2] / "data" / "rules" / "jingdezhen_2024.yaml").read_text("utf-8"))
    data["clauses"]["veto"]["all"][0]["reachs"] = data["clauses"]["veto"]["all"][0].pop("reaches")
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, out = run("rules", "validate", str(bad))
    assert code == 8 and sorted(f["code"] for f in out["findings"]) == [
        "rules.profile.missing_threshold", "rules.profile.unknown_field"]
    ws = str(tmp_path / "ws")
    run("init", ws, "--region", "360200")
    facts = tmp_path / "facts.yaml"
    facts.write_text(yaml.safe_dump({"counties": [{"county": "360222", "years": [
        {"year": 2023, "illegal_farmland_m2": "8000", "ratio_numerator_m2": 8000, "ratio_denominator_m2": 100000,
         "targets_met": True, "offset_achieved": True},
        {"year": 2024, "illegal_farmland_m2": "60000", "ratio_numerator_m2": 60000, "ratio_denominator_m2": 400000,
         "targets_met": True, "offset_achieved": True, "source": "monitoring_prejudgment",
         "cases": [{"case_id": "K1", "farmland_m2": 60000, "pbf_m2": 0, "responsible_party": "某公司"}]},
    ]}]}, allow_unicode=True), encoding="utf-8")
    out_xlsx = tmp_path / "rules.xlsx"
    code, out = run("rules", "evaluate", ws, "--year", "2024", "--facts", str(facts), "--xlsx", str(out_xlsx))
    assert code == 0
    county = out["counties"][0]
    assert sorted(o["consequence"] for o in county["outcomes"]) == [
        "approval_suspension", "freeze", "general_warning", "key_warning", "veto"]
    assert [o["consequence"] for o in county["history"]] == ["general_warning"]
    assert county["cases"][0]["criminal_referral"] is True and county["cases"][0]["fine_max_yuan"] == "60000000.00"
    assert all(o["source"] == "monitoring_prejudgment" for o in county["outcomes"])
    texts = [r[4].value for r in load_workbook(out_xlsx).active.iter_rows(min_row=4)]
    assert any("80 亩" in (t or "") for t in texts)
    code, out = run("rules", "evaluate", ws, "--year", "2024")
    assert code == 6 and out["error"]["code"] == "rules.facts.none"
