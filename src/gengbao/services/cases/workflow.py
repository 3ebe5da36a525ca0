"""Use cases of the review chain: judge (核查填报), split (拆分), submit, review (city, then province),
return (退回, with a reason), dispute (异议) and resolve. Each loads the case, checks the actor's
jurisdiction and role through the transition table, writes with the version check and audits the
change; a refused request changes nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from gengbao.adapters.db import case_store
from gengbao.domain.access import Action
from gengbao.domain.cases.judgement import Judgement, is_new, missing
from gengbao.domain.cases.states import CaseState, Facts, TransitionName, transition
from gengbao.domain.errors import InputError
from gengbao.domain.findings import Finding
from gengbao.services.cases.common import KIND_VIEWS, check_version, fire, load, view
from gengbao.services.cases.land import areas_for
from gengbao.services.cases.views import ChangeResult
from gengbao.services.context import Context
from gengbao.spatial.area import ellipsoidal_area
from gengbao.spatial.split import check_split

T = TransitionName


def _photo_views(kinds: set[str]) -> frozenset[str]:
    v = {KIND_VIEWS.get(k, k) for k in kinds}
    return frozenset(v | ({"distant"} if "drone" in v else set()))


def _approval_findings(s: Any, rec: Any, j: Judgement) -> list[Finding]:
    out: list[Finding] = []
    if not j.approval_ids and not j.filing_id:
        return out
    geom = shapely.from_wkb(rec.geometry) if rec.geometry is not None else None
    for aid, kinds in [*((a, ("conversion",)) for a in j.approval_ids), *(((j.filing_id, ("facility",)),)
                                                                         if j.filing_id else ())]:
        a = case_store.approval(s, aid)
        if a is None or a.kind not in kinds:
            what = "设施农用地备案" if kinds == ("facility",) else "批文"
            out.append(Finding("cases.approval_not_found", f"{what}“{aid}”在批文库中不存在；请核对文号，或先用 "
                               "gengbao approvals import 导入。", field="approval", value=aid))
            continue
        if geom is not None and geom.geom_type != "Point":
            outside = float(ellipsoidal_area(np.array([geom.difference(shapely.from_wkb(a.geometry))],
                                                      dtype=object))[0])
            if outside > max(1.0, 0.01 * float(rec.area_m2)):
                out.append(Finding("cases.approval_not_covering",
                                   f"批文“{aid}”的范围未覆盖图斑：有 {outside:.2f} m² 在批文范围之外。",
                                   field="approval", value=aid))
    return out


def judge(ctx: Context, number: str, judgement: Judgement, on: date,
          expected_version: int | None = None) -> ChangeResult:
    return judge_many(ctx, [(number, judgement)], on, {number: expected_version} if expected_version else None)


def judge_many(ctx: Context, items: Sequence[tuple[str, Judgement]], on: date,
               expected: dict[str, int] | None = None) -> ChangeResult:
    """Judge cases in one transaction: every judgement must meet its category's requirements (all
    missing items are named); any refusal leaves every case as it was. Cases are read, checked and
    written in bulk; a single case gets its own audit record, a batch one record listing each case's
    before and after."""
    numbers = [n for n, _ in items]
    with ctx.transaction() as s:
        recs = case_store.get_cases(s, numbers)
        absent = [n for n in numbers if n not in recs]
        if absent:
            load(s, absent[0])
        kinds = case_store.evidence_kinds(s, [recs[n].id for n in numbers])
        updates, trail = [], []
        for number, j in items:
            rec = recs[number]
            ctx.authorise(Action.EDIT, rec.region)
            check_version(rec, (expected or {}).get(number))
            j = replace(j, photo_views=_photo_views(kinds.get(rec.id, set())))
            problems = missing(j) + _approval_findings(s, rec, j)
            if problems:
                raise InputError(f"案件 {number} 的核查填报不完整：" + "；".join(f.message for f in problems),
                                 code=problems[0].code, number=number, findings=[f.to_dict() for f in problems])
            before = CaseState(rec.state)
            after = transition(before, T.JUDGE, ctx.actor.role, Facts(judged=True))
            since = rec.from_epoch + 1 if rec.from_epoch is not None else rec.year
            record = {**j.to_dict(), "new": is_new(j.build_date, since) if j.category.is_violation else None}
            values = {"state": str(after), "category": str(j.category), "subtype": j.subtype,
                      "judgement": record, "judged_on": on}
            updates.append((rec, rec.version, values))
            trail.append({"case": number, "before": {"state": str(before), "version": rec.version},
                          "after": {"state": str(after), "version": rec.version + 1}, "judgement": record})
        case_store.update_many(s, updates)
        head = {"transition": str(T.JUDGE), "date": on.isoformat(), "role": str(ctx.actor.role)}
        if len(trail) == 1:
            ctx.audit(s, "cases.judge", f"case/{numbers[0]}", {**head, **trail[0]})
        else:
            ctx.audit(s, "cases.judge", f"cases/{len(trail)}", {**head, "cases": trail})
        shown = tuple(view(s, case_store.get_case(s, n)) for n in numbers[:50])
    return ChangeResult("judge", shown, extra={"judged": len(numbers)})


def _simple(ctx: Context, number: str, name: TransitionName, on: date, expected_version: int | None,
            reason: str = "", values: dict[str, Any] | None = None) -> ChangeResult:
    with ctx.transaction() as s:
        rec = load(s, number)
        facts = Facts(judged=rec.category is not None, reason=reason)
        fire(ctx, s, rec, name, facts, {**(values or {}), **({"note": reason} if reason else {})}, on,
             expected_version, {"reason": reason} if reason else None)
        return ChangeResult(str(name), (view(s, rec),))


def submit(ctx: Context, number: str, on: date, expected_version: int | None = None) -> ChangeResult:
    return _simple(ctx, number, T.SUBMIT, on, expected_version)


def review(ctx: Context, number: str, on: date, expected_version: int | None = None) -> ChangeResult:
    """Approve at the level the case waits at: city review, then province review."""
    with ctx.sessions() as s:
        state = CaseState(load(s, number).state)
    name = T.PROVINCE_APPROVE if state is CaseState.PROVINCE_REVIEW else T.CITY_APPROVE
    return _simple(ctx, number, name, on, expected_version)


def return_case(ctx: Context, number: str, reason: str, on: date, expected_version: int | None = None) -> ChangeResult:
    return _simple(ctx, number, T.RETURN, on, expected_version, reason)


def dispute(ctx: Context, number: str, reason: str, on: date, expected_version: int | None = None) -> ChangeResult:
    return _simple(ctx, number, T.DISPUTE, on, expected_version, reason)


def resolve(ctx: Context, number: str, reason: str, on: date, expected_version: int | None = None) -> ChangeResult:
    return _simple(ctx, number, T.RESOLVE, on, expected_version, reason)


def split(ctx: Context, number: str, pieces: Sequence[BaseGeometry], on: date,
          expected_version: int | None = None) -> ChangeResult:
    """Cut a case's patch into sub-patches that cover it exactly; each becomes a case of its own
    (``<number>-1`` …, 待核查) with areas computed from the layers. The parent is marked 被拆分."""
    with ctx.transaction() as s:
        rec = load(s, number)
        if rec.geometry is None:
            raise InputError(f"案件 {number} 没有图斑范围，不能拆分。", code="cases.split_no_geometry")
        patch = shapely.from_wkb(rec.geometry)
        check = check_split(patch, list(pieces))
        if not check.ok:
            raise InputError(f"案件 {number} 的拆分不成立：" + "；".join(f.message for f in check.findings),
                             code=check.findings[0].code, number=number,
                             findings=[f.to_dict() for f in check.findings])
        fire(ctx, s, rec, T.SPLIT, Facts(split_valid=True), {}, on, expected_version,
             {"pieces": len(pieces), "areas_m2": list(check.piece_areas_m2)})
        areas = areas_for(ctx.layout.layers, rec.county, list(pieces), rec.from_epoch)
        kids = []
        for i, (g, a) in enumerate(zip(pieces, areas, strict=True), start=1):
            minx, miny, maxx, maxy = g.bounds
            kid = case_store.add_case(
                s, number=f"{number}-{i}", county=rec.county, region=rec.region, source=rec.source, year=rec.year,
                state=str(CaseState.PENDING_CHECK), parent_id=rec.id, run_id=rec.run_id, patch_ref=rec.patch_ref,
                from_epoch=rec.from_epoch, to_epoch=rec.to_epoch, change_type=rec.change_type,
                prejudged=rec.prejudged, location=rec.location, opened_on=on, geometry=shapely.to_wkb(g),
                minx=minx, miny=miny, maxx=maxx, maxy=maxy, demolished_m2=Decimal(0), legalised_m2=Decimal(0), **a)
            ctx.audit(s, "cases.open", f"case/{kid.number}", {"date": on.isoformat(), "parent": number,
                                                              "areas": {k: str(v) for k, v in a.items()}})
            kids.append(view(s, kid))
        return ChangeResult("split", (view(s, rec, detail=True), *kids))
