"""The public API of gengbao: a small, curated set of calls for notebooks, scripts, the command line, the
HTTP server and the scenario generator. Everything here is stable; everything else is internal.

    import gengbao.api as gb

    ws = gb.init_workspace("ws", region="360200")          # or gb.open_workspace("ws")
    gb.import_survey(ws, "dltb_2023.gpkg", epoch=2023)        # all or nothing; raises ValidationFailed
    for row in gb.survey_statistics(ws, 2023, by="county"):
        print(row.region, row.name, row.farmland_m2, row.pbf_m2)
    run = gb.run_monitoring(ws, 2022, 2023, out_dir="exports/")

Each call takes the workspace context first (the workspace, the acting user and the settings; open it as
another user with ``actor=`` or ``ctx.acting_as``) and returns a typed, frozen result with ``to_dict()``.
Errors are :class:`GengbaoError` subclasses with a stable ``code`` and a Chinese ``message``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from gengbao.domain.access import AccessDenied, Action, Actor, Role
from gengbao.domain.errors import (
    ConflictError,
    CrsError,
    GengbaoError,
    InputError,
    NotFoundError,
    UsageError,
    ValidationFailed,
    WorkspaceError,
)
from gengbao.domain.regions import RegionLevel
from gengbao.services.approvals.importing import import_approvals_file as import_approvals
from gengbao.services.assessment.assess import Assessment, assess
from gengbao.services.audit import AuditCheck, verify_audit
from gengbao.services.cases.rectify import recheck as recheck_closed_cases
from gengbao.services.context import Context
from gengbao.services.intake import ImportReport
from gengbao.services.monitoring.delivered import read_delivered as read_delivered_patches
from gengbao.services.monitoring.run import MonitorReport
from gengbao.services.monitoring.run import run_monitor as run_monitoring
from gengbao.services.settings import Settings
from gengbao.services.survey.importing import import_survey_file, import_survey_frame, import_survey_parts
from gengbao.services.survey.reference import import_reference_file as import_reference_layer
from gengbao.services.survey.stats import RegionStat, region_stats
from gengbao.services.targets.use_cases import check_targets, import_targets
from gengbao.services.workspace import init_workspace, migrate_workspace, open_workspace

_LEVELS = {"county": RegionLevel.COUNTY, "township": RegionLevel.TOWNSHIP, "village": RegionLevel.VILLAGE}


def import_survey(ctx: Context, path: str | Path, epoch: int, kind: str = "parcels", **options: Any) -> ImportReport:
    """Import a survey layer (all or nothing); a new parcels epoch then re-checks every closed case against
    it, and a case whose land is built on again is reopened with a 反弹 (relapse) finding."""
    report = import_survey_file(ctx, Path(path), epoch, kind, **options)
    if kind == "parcels":
        recheck_closed_cases(ctx, epoch, date.today())
    return report


def survey_statistics(ctx: Context, epoch: int, by: str | RegionLevel = "county") -> list[RegionStat]:
    """Farmland (TBDLMJ of 0101–0103) and PBF area per county, township or village, exact to 0.01 m²."""
    level = _LEVELS.get(str(by))
    if level is None:
        raise UsageError(f"统计层级须为 county、township 或 village，而不是“{by}”", code="usage.choice")
    return region_stats(ctx, epoch, level)


__all__ = [
    "AccessDenied", "Action", "Actor", "Assessment", "AuditCheck", "ConflictError", "Context", "CrsError",
    "GengbaoError", "ImportReport", "InputError", "MonitorReport", "NotFoundError", "RegionStat", "Role", "Settings",
    "UsageError", "ValidationFailed", "WorkspaceError", "assess", "check_targets", "import_approvals",
    "import_reference_layer", "import_survey", "import_survey_frame", "import_survey_parts", "import_targets",
    "init_workspace", "migrate_workspace", "open_workspace", "read_delivered_patches", "recheck_closed_cases",
    "run_monitoring",
    "survey_statistics", "verify_audit",
]
