"""Workspaces holding the hand-built scenario (``builder.hand_scenario``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gengbao.services.approvals.importing import import_approvals_frame
from gengbao.services.survey.importing import import_survey_frame
from gengbao.services.workspace import Workspace, init_workspace
from tests.monitoring import builder as b


def build_workspace(root: Path, sc: b.Scenario, db_url: str | None = None, approvals: bool = True) -> Workspace:
    ws = init_workspace(root, "360200", db_url)
    import_survey_frame(ws, b.frame(sc.before), 2021, source="dltb2021")
    import_survey_frame(ws, b.frame(sc.after), 2022, source="dltb2022")
    import_survey_frame(ws, b.pbf_frame(sc.pbf), 2021, "pbf", source="pbf2021")
    if approvals:
        import_approvals_frame(ws, b.approvals_frame(sc.approvals), None, "approvals")
    return ws


@pytest.fixture
def scenario() -> b.Scenario:
    return b.hand_scenario()
