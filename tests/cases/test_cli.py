"""``gengbao cases …`` and ``gengbao evidence …`` as an operator uses them: one person acting in turn
as county filler, city and province reviewer with ``--as``; JSON shapes, findings in the output of
the command that raised them and again in ``cases show``, error envelopes with stable codes."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import typer
from openpyxl import load_workbook
from typer.testing import CliRunner

from gengbao.interfaces.cli import cases_cmd, evidence_cmd
from gengbao.services.context import Context
from tests.cases import photos
from tests.cases.conftest import COUNTY, LAND

runner = CliRunner()
app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
cases_cmd.register(app)
evidence_cmd.register(app)
FILLER = f"wang:county_filler:{COUNTY}"
CITY, PROVINCE = "li:city_reviewer:3602", "chen:province_reviewer:36"


def jrun(*args: str, who: str = FILLER, on: str | None = "2024-05-10") -> tuple[int, object]:
    extra = ["--as", who, "--json"] + (["--date", on] if on else [])
    result = runner.invoke(app, [*args, *extra])
    return result.exit_code, json.loads(result.stdout)


def test_cli_chain(tmp_path: Path) -> None:
    from gengbao.services.workspace import init_workspace
    ws: Context = init_workspace(tmp_path / "ws", COUNTY)
    root = str(ws.root)
    code, out = jrun("cases", "open", root, "--source", "举报", "--region", COUNTY, "--wkt", LAND.wkt, "--ref", "J-1")
    assert code == 0 and out["opened"] == [f"{COUNTY}JB2024000001"]  # type: ignore[index]
    number = out["opened"][0]  # type: ignore[index]
    far, near, png = tmp_path / "far.jpg", tmp_path / "near.jpg", tmp_path / "fake.jpg"
    far.write_bytes(photos.jpeg(1, lon=117.2005, lat=29.3004))
    near.write_bytes(photos.jpeg(2, lon=117.2100, lat=29.3004))  # ~900 m east: too far
    png.write_bytes(photos.png(3))
    code, out = jrun("evidence", "add", root, number, str(png), "--kind", "近景")
    assert code != 0 and out["ok"] is False and out["error"]["code"] == "evidence.extension_mismatch"  # type: ignore[index]
    code, out = jrun("evidence", "add", root, number, str(far), "--kind", "远景")
    assert code == 0 and [f["code"] for f in out["findings"]] == ["evidence.missing_views"]  # type: ignore[index]
    code, out = jrun("evidence", "add", root, number, str(near), "--kind", "近景")
    assert [(f["code"], f["severity"]) for f in out["findings"]] == [("evidence.too_far", "warning")]  # type: ignore[index]
    code, out = jrun("cases", "judge", root, number, "--category", "非农违法", "--subtype", "工矿商服",
                     "--builder", "某公司", "--built", "2024-03-01", "--project", "仓库")
    assert code == 0 and out["cases"][0]["state"] == "county_filed"  # type: ignore[index]
    assert jrun("cases", "review", root, number, who=CITY)[1]["error"]["code"] == "cases.wrong_state"  # type: ignore[index]
    assert jrun("cases", "submit", root, number)[0] == 0
    code, out = jrun("cases", "review", root, number, who=FILLER)
    assert code != 0 and out["error"]["code"] == "cases.wrong_role"  # type: ignore[index]
    assert jrun("cases", "review", root, number, who=CITY)[1]["cases"][0]["state"] == "province_review"  # type: ignore[index]
    assert jrun("cases", "review", root, number, who=PROVINCE)[1]["cases"][0]["state"] == "review_done"  # type: ignore[index]
    code, out = jrun("cases", "rectify", root, number, "--way", "拆除复耕", "--demolished", "100")
    assert code == 0 and out["cases"][0]["progress"]["demolished_m2"] == "100"  # type: ignore[index]
    code, out = jrun("cases", "show", root, number, on=None)
    area_m2 = out["areas"]["area_m2"]  # type: ignore[index]
    assert out["state"] == "rectifying" and out["plan"]["deadline"] == "2024-07-09"  # type: ignore[index]
    assert {f["code"] for f in out["findings"]} == {"evidence.too_far"}  # type: ignore[index]
    code, out = jrun("cases", "list", root, "--overdue", on="2024-07-19")
    assert out == [{"number": number, "deadline": "2024-07-09", "days_overdue": 10}]
    code, out = jrun("cases", "stats", root)
    assert out[0]["violations"] == 1 and out[0]["rectified_m2"] == "100"  # type: ignore[index]
    code, out = jrun("cases", "export", root, "--out", str(tmp_path / "out"))
    assert code == 0
    wb = load_workbook(tmp_path / "out" / "cases.xlsx")
    assert wb.sheetnames == ["案件台账", "月报"]
    rows = list(wb["案件台账"].values)
    assert rows[0][0] == "案件编号" and rows[1][0] == number and rows[1][6] == "整改中"
    assert rows[0][10] == "新增/存量" and rows[1][10] == "新增"  # built 2024-03-01, clue of 2024
    mu = (Decimal(area_m2) * 15 / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)  # 1 亩 = 10000/15 m²
    assert rows[0][14] == "图斑面积（亩）" and rows[1][14] == float(mu)
    code, out = jrun("evidence", "verify", root, on=None)
    assert out == {"ok": True, "findings": []}
    stored = next((ws.layout.evidence).glob("*/*.jpg"))
    stored.chmod(0o644)
    stored.write_bytes(stored.read_bytes() + b"\0")
    code, out = jrun("evidence", "verify", root, on=None)
    assert [f["code"] for f in out["findings"]] == ["evidence.bytes_changed"]  # type: ignore[index]
