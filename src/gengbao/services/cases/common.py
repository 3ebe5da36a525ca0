"""Shared steps of the case use cases: load a case, check access, fire a transition, persist it with
the version check, and audit it with before/after."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from gengbao.adapters.db import case_store
from gengbao.domain.access import Action
from gengbao.domain.cases.judgement import Category
from gengbao.domain.cases.numbers import ClueSource
from gengbao.domain.cases.rectification import Progress, Way
from gengbao.domain.cases.states import CaseState, Facts, TransitionName, transition
from gengbao.domain.errors import ConflictError, NotFoundError
from gengbao.domain.findings import Finding, Severity
from gengbao.services.cases.views import AREA_FIELDS, CaseView
from gengbao.services.context import Context

KIND_VIEWS = {"远景": "distant", "近景": "close", "内景": "inside", "无人机": "drone",
              "distant": "distant", "close": "close", "inside": "inside", "drone": "drone"}


def finding_from(d: dict[str, Any]) -> Finding:
    return Finding(d["code"], d["message"], Severity(d.get("severity", "error")), d.get("feature"), d.get("field"),
                   d.get("value"))


def load(s: Any, number: str) -> Any:
    rec = case_store.get_case(s, number)
    if rec is None:
        raise NotFoundError(f"找不到案件 {number}。用 gengbao cases list 查看已有案件编号。", code="cases.not_found",
                            number=number)
    return rec


def check_version(rec: Any, expected: int | None) -> None:
    if expected is not None and rec.version != expected:
        raise ConflictError(f"案件 {rec.number} 已被他人修改（当前第 {rec.version} 版，您查看的是第 {expected} 版）。"
                            "请重新查看案件后再操作。", code="cases.conflict", number=rec.number,
                            version=rec.version, expected=expected)


def progress_of(rec: Any) -> Progress | None:
    if rec.plan_way is None:
        return None
    return Progress(rec.area_m2, rec.demolished_m2, rec.legalised_m2)


def view(s: Any, rec: Any, detail: bool = False) -> CaseView:
    found = case_store.get_case_by_id(s, rec.parent_id) if rec.parent_id else None
    parent = found.number if found is not None else None
    clues: tuple[dict[str, Any], ...] = ()
    evidence: tuple[dict[str, Any], ...] = ()
    children: tuple[str, ...] = ()
    findings = [finding_from(f) for f in rec.findings or []]
    if detail:
        clues = tuple({"source": c.source, "run_id": c.run_id, "patch": c.patch_ref, "reference": c.reference,
                       "linked": c.linked, "opened_on": c.opened_on.isoformat()} for c in case_store.clues_of(s, rec.id))
        ev = case_store.evidence_of(s, rec.id)
        evidence = tuple({"sha256": e.sha256, "file": e.file_name, "kind": e.kind, "path": e.path,
                          "taken_at": e.taken_at.isoformat() if e.taken_at else None, "lat": e.lat, "lon": e.lon,
                          "azimuth": e.azimuth, "device": e.device, "check_code": e.check_code,
                          "added_on": e.added_on.isoformat(), "findings": e.findings} for e in ev)
        for e in ev:
            findings += [finding_from(f) for f in e.findings or []]
        children = tuple(c.number for c in case_store.children(s, rec.id))
    return CaseView(
        rec.number, rec.county, rec.region, ClueSource(rec.source), rec.year, CaseState(rec.state), rec.version,
        {k: getattr(rec, k) for k in AREA_FIELDS}, rec.opened_on, parent, rec.run_id, rec.patch_ref,
        rec.change_type, rec.prejudged, rec.location, Category(rec.category) if rec.category else None, rec.subtype,
        rec.judgement, rec.judged_on, rec.note, Way(rec.plan_way) if rec.plan_way else None, rec.deadline,
        rec.plan_approval, progress_of(rec), rec.closed_on, tuple(findings), clues, evidence, children)


def fire(ctx: Context, s: Any, rec: Any, name: TransitionName, facts: Facts, values: dict[str, Any],
         on: date, expected_version: int | None, payload: dict[str, Any] | None = None) -> CaseState:
    """Check access and the transition table, write ``values`` and the new state with the version check,
    and append the audit record (before/after state and version)."""
    ctx.authorise(Action.EDIT, rec.region)
    check_version(rec, expected_version)
    before, read_version = CaseState(rec.state), rec.version
    after = transition(before, name, ctx.actor.role, facts)
    new_version = case_store.update_case(s, rec, read_version, {"state": str(after), **values})
    body = {"transition": str(name), "date": on.isoformat(), "before": {"state": str(before), "version": read_version},
            "after": {"state": str(after), "version": new_version}, "role": str(ctx.actor.role)}
    if payload:
        body["details"] = payload
    ctx.audit(s, f"cases.{name}", f"case/{rec.number}", _plain(body))
    return after


def _plain(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_plain(x) for x in v]
    if isinstance(v, Decimal | date):
        return str(v)
    return v
