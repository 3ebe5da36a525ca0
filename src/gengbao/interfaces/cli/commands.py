"""Registers every command group. Each capability adds its own module and one line here."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    from gengbao.interfaces.cli import (
        balance_cmd,
        cases_cmd,
        demo_cmd,
        evidence_cmd,
        imagery_cmd,
        layers_cmd,
        ledger_cmd,
        monitor_cmd,
        rules_cmd,
        scenario_cmd,
        serve_cmd,
        survey_cmd,
        targets_cmd,
        tasks_cmd,
        users_cmd,
        workspace_cmd,
    )

    workspace_cmd.register(app)
    survey_cmd.register(app)
    targets_cmd.register(app)
    tasks_cmd.register(app)
    demo_cmd.register(app)
    scenario_cmd.register(app)
    monitor_cmd.register(app)
    layers_cmd.register(app)
    ledger_cmd.register(app)
    rules_cmd.register(app)
    balance_cmd.register(app)
    cases_cmd.register(app)
    evidence_cmd.register(app)
    users_cmd.register(app)
    serve_cmd.register(app)
    imagery_cmd.register(app)
