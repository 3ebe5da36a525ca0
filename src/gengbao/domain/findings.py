"""Findings: what checks return instead of stopping at the first problem (beancount style)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found by a check.

    ``code`` is stable (e.g. ``survey.duplicate_bsm``); ``message`` is Chinese and names the file,
    feature and field where known; ``feature`` is the feature's BSM, or ``row N`` when it has none.
    """

    code: str
    message: str
    severity: Severity = Severity.ERROR
    feature: str | None = None
    field: str | None = None
    value: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["severity"] = str(self.severity)
        return {k: v for k, v in d.items() if v is not None}
