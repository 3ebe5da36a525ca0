"""Use case: verify the workspace's audit chain."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gengbao.adapters.db import audit_store
from gengbao.domain.access import Action
from gengbao.domain.findings import Finding
from gengbao.services.context import Context


@dataclass(frozen=True, slots=True)
class AuditCheck:
    records: int
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "records": self.records, "findings": [f.to_dict() for f in self.findings]}


def verify_audit(ctx: Context) -> AuditCheck:
    """Walk the whole chain; every edited, deleted or reordered record is a finding."""
    ctx.authorise(Action.READ)
    with ctx.sessions() as s:
        return AuditCheck(audit_store.count(s), audit_store.verify(s))
