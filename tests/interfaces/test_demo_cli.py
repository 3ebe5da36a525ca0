"""``make demo`` runs ``gengbao demo``: keep the main job working end to end (small size here)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from gengbao.adapters.db.models import Epoch
from gengbao.interfaces.cli.app import app
from gengbao.services.workspace import open_workspace


def test_demo_builds_workspace_checks_targets_and_monitors(tmp_path: Path) -> None:
    ws = tmp_path / "demo"
    result = CliRunner().invoke(app, ["demo", str(ws), "--parcels", "3000"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    out = result.output
    for name in ("昌江区", "珠山区", "浮梁县", "乐平市"):
        assert name in out
    # the published table's own inconsistency (附件2: districts sum to 120.2874, city total 120.2873)
    assert "[targets.children_sum_mismatch] 景德镇市（3602）耕地保护目标" in out and "120.2874" in out
    assert "2022→2023 年度变化监测" in out
    with open_workspace(ws).sessions() as s:
        got = sorted((e.year, e.kind) for e in s.scalars(select(Epoch)))
    assert got == [(2020, "parcels"), (2020, "pbf"), (2021, "parcels"), (2022, "parcels"), (2023, "parcels")]
    # running it again rebuilds the workspace instead of failing on the existing one
    assert CliRunner().invoke(app, ["demo", str(ws), "--parcels", "3000"]).exit_code == 0
