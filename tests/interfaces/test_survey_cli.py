"""The survey commands as a user runs them: exit codes and JSON shapes."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from gengbao.interfaces.cli.app import app
from tests.support import survey_factory as sf

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout


def test_init_import_stats_export_json(tmp_path: Path) -> None:
    items = sf.parcels()
    sf.frame(items).to_file(tmp_path / "dltb.gpkg", driver="GPKG")
    ws = str(tmp_path / "ws")
    code, out = run("init", ws, "--region", "360200", "--json")
    assert code == 0 and json.loads(out) == {"ok": True, "workspace": ws, "region": "3602", "name": "景德镇市"}

    code, out = run("survey", "import", ws, str(tmp_path / "dltb.gpkg"), "--epoch", "2023", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["ok"] is True and doc["imported"] == 32 and doc["errors"] == []

    code, out = run("survey", "stats", ws, "--epoch", "2023", "--by", "county", "--json")
    rows = json.loads(out)["rows"]
    assert code == 0 and [r["region"] for r in rows] == ["360202", "360222", "360281"]
    farm = {r["region"]: Decimal(r["farmland_m2"]) for r in rows}
    assert farm["360222"] == sum((p.tbdlmj for p in items if p.zldwdm.startswith("360222")
                                  and p.dlbm in ("0101", "0102", "0103")), Decimal(0))
    assert {"region", "name", "farmland_m2", "pbf_m2"} <= set(rows[0])

    code, out = run("survey", "export", ws, "--epoch", "2023", "--out", str(tmp_path / "x.gpkg"), "--json")
    assert code == 0 and json.loads(out)["exported"] == 32


def test_rejected_import_exit_code_and_json(tmp_path: Path) -> None:
    f = sf.frame(sf.parcels())
    f.loc[0, "ZLDWDM"] = "36020210120A0000100"
    f.loc[3, "BSM"] = f.loc[2, "BSM"]
    f.to_file(tmp_path / "bad.gpkg", driver="GPKG")
    ws = str(tmp_path / "ws")
    run("init", ws, "--region", "360200")
    code, out = run("survey", "import", ws, str(tmp_path / "bad.gpkg"), "--epoch", "2023", "--json")
    envelope = json.loads(out)
    assert code == 3 and envelope["ok"] is False and envelope["error"]["code"] == "import.rejected"
    doc = envelope["error"]["report"]
    assert doc["ok"] is False and doc["imported"] == 0 and doc["epoch"] == 2023 and doc["kind"] == "parcels"
    got = sorted((e["code"], e["feature"]) for e in doc["errors"])
    assert got == sorted([("survey.zldwdm_format", f.loc[0, "BSM"]), ("survey.duplicate_bsm", f.loc[2, "BSM"]),
                          ("survey.duplicate_bsm", f.loc[2, "BSM"])])
    assert all(e["message"] for e in doc["errors"])


def test_missing_workspace_and_file_errors(tmp_path: Path) -> None:
    code, out = run("survey", "import", str(tmp_path / "none"), str(tmp_path / "x.gpkg"), "--epoch", "2023", "--json")
    assert code == 5 and json.loads(out)["error"]["code"] == "workspace.not_found"
    ws = str(tmp_path / "ws")
    run("init", ws, "--region", "360200")
    code, out = run("survey", "import", ws, str(tmp_path / "x.gpkg"), "--epoch", "2023", "--json")
    error = json.loads(out)["error"]
    assert code == 4 and error["code"] == "file.not_found"  # unreadable: exit 4 in every import
    assert error["report"]["errors"][0] == {
        "code": "file.not_found", "message": f"找不到文件 {tmp_path / 'x.gpkg'}", "severity": "error"}
