"""Registers every command group. Each capability adds its own module and one line here."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    from gengbao.interfaces.cli import (
        demo_cmd,
        imagery_cmd,
        layers_cmd,
        monitor_cmd,
        scenario_cmd,
        survey_cmd,
        targets_cmd,
        tasks_cmd,
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
    imagery_cmd.register(app)
