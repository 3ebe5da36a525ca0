"""Migrations run on ``init`` and ``migrate`` only: an outdated workspace is refused with a clear error until
``gengbao migrate`` brings it up to date (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from alembic import command
from typer.testing import CliRunner

from gengbao.adapters.db.engine import alembic_config, pending_migrations
from gengbao.domain.errors import WorkspaceError
from gengbao.interfaces.cli.app import app
from gengbao.services.workspace import init_workspace, migrate_workspace, open_workspace

BRANCHES = ["0002_targets", "0003_tasks", "0004_monitoring", "0005_ledger", "0005_users", "0006_cases", "0008_run_state"]


def test_outdated_workspace_is_refused_until_migrated(tmp_path: Path, db_url: str | None) -> None:
    root = tmp_path / "ws"
    ctx = init_workspace(root, "360200", db_url)
    assert pending_migrations(ctx.engine) == []
    command.downgrade(alembic_config(ctx.engine), "0001_core")  # as if made by an older gengbao
    assert pending_migrations(ctx.engine) == BRANCHES
    with pytest.raises(WorkspaceError) as err:
        open_workspace(root, db_url)
    assert err.value.code == "workspace.outdated" and "gengbao migrate" in err.value.message
    assert pending_migrations(ctx.engine) == BRANCHES  # opening changed nothing
    _, applied = migrate_workspace(root, db_url)
    assert applied == BRANCHES
    assert open_workspace(root, db_url).region == "3602"
    assert migrate_workspace(root, db_url)[1] == []


def test_migrate_command(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    ctx = init_workspace(root, "360200")
    command.downgrade(alembic_config(ctx.engine), "0001_core")
    runner = CliRunner()
    res = runner.invoke(app, ["survey", "stats", str(root), "--epoch", "2023", "--json"])
    assert res.exit_code == 5 and json.loads(res.stdout)["error"]["code"] == "workspace.outdated"
    res = runner.invoke(app, ["migrate", str(root), "--json"])
    assert res.exit_code == 0 and json.loads(res.stdout) == {"ok": True, "workspace": str(root), "applied": BRANCHES}
    res = runner.invoke(app, ["audit", "verify", str(root), "--json"])
    assert res.exit_code == 0 and json.loads(res.stdout)["records"] == 2  # init + migrate, both audited
