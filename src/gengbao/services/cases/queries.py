"""Read use cases: one case with its clues, evidence and findings; lists filtered by state, by the
actor's jurisdiction, and overdue rectifications with their days overdue."""

from __future__ import annotations

from datetime import date

from gengbao.adapters.db import case_store
from gengbao.domain.access import Action
from gengbao.domain.cases.states import CaseState
from gengbao.services.cases.common import load, view
from gengbao.services.cases.views import CaseView
from gengbao.services.context import Context


def show(ctx: Context, number: str) -> CaseView:
    with ctx.sessions() as s:
        rec = load(s, number)
        ctx.authorise(Action.READ, rec.region)
        return view(s, rec, detail=True)


def list_cases(ctx: Context, state: CaseState | None = None, region: str = "") -> list[CaseView]:
    ctx.authorise(Action.READ, region or None)
    prefix = region if len(region) > len(ctx.actor.jurisdiction) else ctx.actor.jurisdiction
    with ctx.sessions() as s:
        return [view(s, r) for r in case_store.list_cases(s, prefix, str(state) if state else None)]


def overdue(ctx: Context, today: date) -> list[tuple[CaseView, int]]:
    """Cases under rectification past their deadline, most overdue first."""
    cases = list_cases(ctx, CaseState.RECTIFYING)
    late = [(c, c.overdue_days(today)) for c in cases]
    return sorted([x for x in late if x[1] > 0], key=lambda x: (-x[1], x[0].number))
