"""Use cases of rectification and closure: the plan (一案一策) with its deadline and way, progress
reports with areas (the area invariants hold at every step), closure (销号) checked against the next
survey epoch — refused with a 虚假整改 finding when the land is still construction — and the re-check
of closed cases on a new epoch (反弹: reopened with a finding)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
import shapely

from gengbao.adapters import monitor_io
from gengbao.adapters.db import case_store
from gengbao.domain.access import Action
from gengbao.domain.cases import closure
from gengbao.domain.cases.judgement import Category
from gengbao.domain.cases.profile import CaseRules
from gengbao.domain.cases.rectification import Progress, Way, make_plan
from gengbao.domain.cases.states import CaseState, Facts, TransitionName, transition
from gengbao.domain.errors import InputError, NotFoundError, UsageError
from gengbao.domain.findings import Finding
from gengbao.services.cases.common import fire, load, progress_of, view
from gengbao.services.cases.land import built_areas, built_under_patches, latest_epoch
from gengbao.services.cases.rules import rules_for
from gengbao.services.cases.views import ChangeResult
from gengbao.services.context import Context

T = TransitionName


def plan(ctx: Context, number: str, way: Way, on: date, deadline: date | None = None, approval: str = "",
         rules: CaseRules | None = None, expected_version: int | None = None) -> ChangeResult:
    rules = rules_for(ctx, rules)
    with ctx.transaction() as s:
        rec = load(s, number)
        p = make_plan(way, rec.judged_on or on, deadline, approval, rules.deadline_days)
        if approval and case_store.approval(s, approval) is None:
            raise InputError(f"补办的批文“{approval}”在批文库中不存在。", code="cases.approval_not_found", value=approval)
        violation = rec.category is not None and Category(rec.category).is_violation
        fire(ctx, s, rec, T.RECTIFY, Facts(violation=violation),
             {"plan_way": str(p.way), "deadline": p.deadline, "plan_approval": p.approval_id or None}, on,
             expected_version, p.to_dict())
        return ChangeResult("rectify", (view(s, rec),))


def report(ctx: Context, number: str, on: date, demolished_m2: Decimal = Decimal(0),
           legalised_m2: Decimal = Decimal(0), expected_version: int | None = None) -> ChangeResult:
    with ctx.transaction() as s:
        rec = load(s, number)
        current = progress_of(rec) or Progress(rec.area_m2)
        nxt = current.report(demolished_m2, legalised_m2)
        fire(ctx, s, rec, T.PROGRESS, Facts(has_plan=rec.plan_way is not None),
             {"demolished_m2": nxt.demolished_m2, "legalised_m2": nxt.legalised_m2,
              "rectified_on": on if nxt.complete else None}, on, expected_version,
             {"before": current.to_dict(), "after": nxt.to_dict()})
        return ChangeResult("progress", (view(s, rec),))


def _check_epoch(ctx: Context, rec: Any, epoch: int | None) -> int:
    ref = rec.to_epoch if rec.to_epoch is not None else (rec.rectified_on or rec.opened_on).year - 1
    chosen = epoch if epoch is not None else latest_epoch(ctx.layout.layers, "parcels", after=ref)
    if chosen is None or chosen <= ref:
        raise NotFoundError(f"案件 {rec.number} 须用 {ref} 年以后的调查成果核验整改结果，工作空间中还没有。"
                            "请在导入下一期调查成果后再销号。", code="cases.no_later_epoch", after=ref)
    return chosen


def _built_by_run(ctx: Context, s: Any, rec: Any, run_id: int) -> tuple[Decimal, str]:
    run = case_store.run(s, run_id)
    if run is None or run.mode != "delivered":
        raise UsageError(f"监测运行 {run_id} 不是下发图斑批次，不能用于核验整改。", code="cases.run_not_delivered",
                         run_id=run_id)
    patches = monitor_io.read_patches(ctx.layout.layers, run_id) if run.layer_path else None
    geom = shapely.from_wkb(rec.geometry) if rec.geometry is not None else None
    built = built_under_patches(patches, geom) if patches is not None and len(patches) and geom is not None else 0.0
    return Decimal(f"{built:.2f}"), f"第 {run_id} 次监测运行的下发图斑"


def close(ctx: Context, number: str, on: date, epoch: int | None = None, rules: CaseRules | None = None,
          expected_version: int | None = None, run_id: int | None = None) -> ChangeResult:
    """Close a fully rectified case with evidence taken after the work, when the next epoch (or a
    delivered batch of patches, ``run_id``) shows the land restored; otherwise record 虚假整改 on the
    case and raise :class:`closure.ClosureRefused`."""
    rules = rules_for(ctx, rules)
    refused: Finding | None = None
    with ctx.transaction() as s:
        rec = load(s, number)
        ctx.authorise(Action.EDIT, rec.region)
        progress = progress_of(rec) or Progress(rec.area_m2)
        after = rec.rectified_on
        evidence_after = after is not None and any(
            e.accepted and e.taken_at is not None and e.taken_at.date() >= after for e in case_store.evidence_of(s, rec.id))
        facts = Facts(has_plan=True, remaining_m2=progress.unrectified_m2, evidence_after_work=evidence_after,
                      land_restored=True)
        transition(CaseState(rec.state), T.CLOSE, ctx.actor.role, facts)  # state, role, progress, evidence
        if run_id is not None:
            built, where = _built_by_run(ctx, s, rec, run_id)
            checked: dict[str, Any] = {"run": run_id}
        else:
            year = _check_epoch(ctx, rec, epoch)
            geoms = np.array([shapely.from_wkb(rec.geometry)], dtype=object) if rec.geometry is not None else None
            built = Decimal(f"{built_areas(ctx.layout.layers, year, rec.county, geoms)[0]:.2f}") \
                if geoms is not None else Decimal(0)
            where, checked = f" {year} 年调查", {"epoch": year}
        ok, excess = closure.demolition_check(rec.area_m2, rec.legalised_m2, built, rules.closure_tolerance)
        if ok:
            fire(ctx, s, rec, T.CLOSE, facts, {"closed_on": on}, on, expected_version,
                 {**checked, "built_m2": str(built)})
            return ChangeResult("close", (view(s, rec),), extra={**checked, "built_m2": str(built)})
        refused = closure.fake_rectification(number, rec.area_m2, excess, where)
        case_store.update_case(s, rec, rec.version, {"findings": [*(rec.findings or []), refused.to_dict()]})
        ctx.audit(s, "cases.fake_rectification", f"case/{number}",
                  {"date": on.isoformat(), **checked, "built_m2": str(excess), "state": rec.state})
    raise closure.ClosureRefused(refused.message, number=number, findings=[refused.to_dict()])


def recheck(ctx: Context, epoch: int, on: date, rules: CaseRules | None = None) -> ChangeResult:
    """Re-check every closed case (closed in ``epoch``'s year or before) against the parcels of
    ``epoch``; a case whose land is construction again is reopened (整改中) with a 反弹 finding and its
    rectification progress cleared."""
    rules = rules_for(ctx, rules)
    ctx.authorise(Action.RUN)
    findings: list[Finding] = []
    with ctx.transaction() as s:
        rows = [r for r in case_store.closed_cases(s, ctx.actor.jurisdiction) if r[7] is None or r[7].year <= epoch]
        by_county: dict[str, list[int]] = {}
        for k, r in enumerate(rows):
            by_county.setdefault(r[2], []).append(k)
        relapsed: list[tuple[Any, Decimal]] = []
        for county, idx in sorted(by_county.items()):
            geoms = shapely.from_wkb(np.array([rows[k][3] for k in idx], dtype=object))
            built = built_areas(ctx.layout.layers, epoch, county, geoms)
            for k, b in zip(idx, built.tolist(), strict=True):
                ok, excess = closure.demolition_check(rows[k][4], rows[k][5], Decimal(f"{b:.2f}"),
                                                      rules.closure_tolerance)
                if not ok:
                    relapsed.append((rows[k], excess))
        recs = case_store.get_cases(s, [r[1] for r, _ in relapsed])
        updates, trail = [], []
        for row, excess in relapsed:
            rec = recs[row[1]]
            ctx.authorise(Action.EDIT, rec.region)
            after = transition(CaseState(rec.state), T.RELAPSE, ctx.actor.role, Facts(land_restored=False))
            f = closure.relapse(row[1], row[4], excess, epoch)
            findings.append(f)
            updates.append((rec, rec.version, {
                "state": str(after), "findings": [*(rec.findings or []), f.to_dict()], "demolished_m2": Decimal(0),
                "legalised_m2": Decimal(0), "rectified_on": None, "closed_on": None}))
            trail.append({"case": row[1], "built_m2": str(excess),
                          "before": {"state": rec.state, "version": rec.version},
                          "after": {"state": str(after), "version": rec.version + 1}})
        case_store.update_many(s, updates)
        if rows:  # a re-check that found no closed case to look at changes nothing: nothing to audit
            ctx.audit(s, "cases.recheck", f"epoch/{epoch}", {"date": on.isoformat(), "checked": len(rows),
                                                             "transition": str(T.RELAPSE), "relapsed": trail})
    return ChangeResult("recheck", (), tuple(findings), {"epoch": epoch, "checked": len(rows),
                                                         "relapsed": [r[1] for r, _ in relapsed]})
