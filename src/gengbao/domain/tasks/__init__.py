"""Responsibility task lists (任务清单): measures, unit lists, deadlines, the unit directory, progress
and scorecards. Pure: documents are read by ``gengbao.adapters.task_documents``, stored by services.
"""

from gengbao.domain.tasks.deadlines import Deadline, DeadlineKind, parse_deadline
from gengbao.domain.tasks.measures import Column, Measure, Phase, Role, TaskDocument
from gengbao.domain.tasks.periods import Cadence, Period, parse_period
from gengbao.domain.tasks.progress import Assignment, MeasureRef, ProgressReport, Status, StatusRow, judge
from gengbao.domain.tasks.unit_lists import UnitList, split_units
from gengbao.domain.tasks.units import Resolution, Unit, UnitDirectory, UnitKind

__all__ = [
    "Assignment",
    "Cadence",
    "Column",
    "Deadline",
    "DeadlineKind",
    "Measure",
    "MeasureRef",
    "Period",
    "Phase",
    "ProgressReport",
    "Resolution",
    "Role",
    "Status",
    "StatusRow",
    "TaskDocument",
    "Unit",
    "UnitDirectory",
    "UnitKind",
    "UnitList",
    "judge",
    "parse_deadline",
    "parse_period",
    "split_units",
]
