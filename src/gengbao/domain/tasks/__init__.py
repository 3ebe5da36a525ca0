"""Responsibility task lists (任务清单): measures, unit lists, deadlines, the unit directory, progress
and scorecards. Pure: documents are read by ``gengbao.adapters.task_documents``, stored by services.
"""

from gengbao.domain.tasks.deadlines import Deadline, DeadlineKind, parse_deadline
from gengbao.domain.tasks.measures import Column, ColumnRole, Measure, Phase, TaskDocument
from gengbao.domain.tasks.organisations import Resolution, Unit, UnitDirectory, UnitKind
from gengbao.domain.tasks.periods import Cadence, Period, parse_period
from gengbao.domain.tasks.progress import Assignment, MeasureRef, ProgressReport, StatusRow, TaskStatus, judge
from gengbao.domain.tasks.unit_lists import UnitList, split_units

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
    "ColumnRole",
    "TaskStatus",
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
