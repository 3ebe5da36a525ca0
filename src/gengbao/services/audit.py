"""Use case: verify the workspace's audit chain."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gengbao.adapters.db import audit_store
from gengbao.adapters.workspace_files import read_audit_head
from gengbao.domain.access import Action
from gengbao.domain.findings import Finding, Severity
from gengbao.services.context import Context


@dataclass(frozen=True, slots=True)
class AuditCheck:
    records: int
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No error (a warning, such as a workspace older than the chain's anchor, does not fail it)."""
        return not any(f.severity is Severity.ERROR for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "records": self.records, "findings": [f.to_dict() for f in self.findings]}


def verify_audit(ctx: Context) -> AuditCheck:
    """Walk the whole chain (every edited, deleted or reordered record is a finding), then hold it against
    the head kept outside the database: records cut from the end, a chain emptied, or a chain recomputed
    after an edit no longer reach the recorded head."""
    ctx.authorise(Action.READ)
    with ctx.sessions() as s:
        n, findings = audit_store.count(s), audit_store.verify(s)
        head = read_audit_head(ctx.layout)
        if head is None:
            if n:
                findings.append(Finding("audit.head_missing", f"找不到审计链头记录（{ctx.layout.audit_head.name}），"
                                        "无法确认链尾是否被截断", Severity.WARNING))
            return AuditCheck(n, findings)
        seq, digest, signed = head
        if not signed:
            findings.append(Finding("audit.head_tampered", f"审计链头记录 {ctx.layout.audit_head.name} 的签名不符：已被改动"))
        stored = audit_store.hash_at(s, seq)
    if stored is None:
        what = "全部审计记录已被删除" if n == 0 else f"审计记录在第 {n} 条之后被截断（链头记录为第 {seq} 条）"
        findings.append(Finding("audit.truncated", f"{what}", feature=str(seq)))
    elif stored != digest:
        findings.append(Finding("audit.rewritten", f"审计记录第 {seq} 条与链头记录不符：审计链被改写后重新计算",
                                feature=str(seq)))
    return AuditCheck(n, findings)
