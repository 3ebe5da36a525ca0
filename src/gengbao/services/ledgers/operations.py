"""The ledger use cases; see the package docstring."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gengbao.adapters.db import ledger_store as store
from gengbao.adapters.rule_profiles import load_ledger_schedule
from gengbao.domain.access import Action
from gengbao.domain.ledger import (
    COMMODITIES,
    Account,
    AccountKind,
    Amounts,
    Certification,
    DrawRequest,
    Entry,
    Freeze,
    Ledger,
    Outcome,
    ProfileSchedule,
    Project,
    ProjectAction,
    TradeRequest,
)
from gengbao.services.context import Context

Op = Callable[[Ledger], tuple[Outcome, list[Project], list[Freeze]]]


PROFILE_FILE = "ledger_profile.yaml"  # a region's own ledger profile in the workspace (optional)


def schedule_of(ws: Context) -> ProfileSchedule:
    """The workspace's ledger profile (``WS/ledger_profile.yaml``), else the packaged default."""
    own = ws.root / PROFILE_FILE
    return load_ledger_schedule(own if own.exists() else None)


def _apply(ws: Context, action: str, subject: str, what: str, op: Op) -> tuple[Outcome, list[Project]]:
    ws.authorise(Action.EDIT)
    schedule = schedule_of(ws)
    with ws.transaction() as s:
        ledger = store.load(s, schedule)
        n = len(ledger.entries)
        outcome, projects, freezes = op(ledger)
        outcome.raise_if_rejected(what)  # rolls the transaction back: nothing stored
        store.append_entries(s, ledger.entries[n:], n + 1, ws.actor.user_id)
        for p in projects:
            store.save_project(s, p)
        for f in freezes:
            store.save_freeze(s, f)
        ws.audit(s, f"ledger.{action}", subject, outcome.to_dict())
    return outcome, projects


def add_project(ws: Context, project_id: str, county: str, name: str, date: dt.date) -> Project:
    def op(lg: Ledger) -> tuple[Outcome, list[Project], list[Freeze]]:
        p = lg.add_project(project_id, county, name, date)
        return Outcome(None, details={"project": p.to_dict()}), [p], []

    return _apply(ws, "project.add", project_id, f"登记项目 {project_id}", op)[1][0]


def advance_project(ws: Context, project_id: str, action: ProjectAction, date: dt.date,
                    certification: Certification | None = None) -> tuple[Project, Outcome]:
    def op(lg: Ledger) -> tuple[Outcome, list[Project], list[Freeze]]:
        p, out = lg.advance_project(project_id, action, date, certification)
        return out, [p], []

    out, projects = _apply(ws, f"project.{action}", project_id, f"项目 {project_id} {action}", op)
    return projects[0], out


def draw(ws: Context, request: DrawRequest) -> Outcome:
    return _apply(ws, "draw", request.use_id, f"占用 {request.use_id} 使用指标",
                  lambda lg: (lg.draw(request), [], []))[0]


def transfer(ws: Context, source: str, target: str, amounts: Amounts, date: dt.date) -> Outcome:
    return _apply(ws, "transfer", f"{source}->{target}", f"{source} 调剂给 {target}",
                  lambda lg: (lg.transfer(source, target, amounts, date), [], []))[0]


def trade(ws: Context, request: TradeRequest) -> Outcome:
    return _apply(ws, "trade", f"{request.seller}->{request.buyer}", f"{request.seller} 出售指标给 {request.buyer}",
                  lambda lg: (lg.trade(request), [], []))[0]


def _with_freeze(fn: Callable[[Ledger], Outcome], case_id: str) -> Op:
    def op(lg: Ledger) -> tuple[Outcome, list[Project], list[Freeze]]:
        out = fn(lg)
        return out, [], [f for f in lg.freezes() if f.case_id == case_id]
    return op


def freeze(ws: Context, case_id: str, county: str, area_m2: Decimal, date: dt.date) -> Outcome:
    return _apply(ws, "freeze", case_id, f"案件 {case_id} 冻结指标",
                  _with_freeze(lambda lg: lg.freeze(case_id, county, area_m2, date), case_id))[0]


def release(ws: Context, case_id: str, date: dt.date) -> Outcome:
    return _apply(ws, "release", case_id, f"案件 {case_id} 解冻",
                  _with_freeze(lambda lg: lg.release(case_id, date), case_id))[0]


def consume(ws: Context, case_id: str, date: dt.date) -> Outcome:
    return _apply(ws, "consume", case_id, f"案件 {case_id} 冻结指标用于占补平衡",
                  _with_freeze(lambda lg: lg.consume(case_id, date), case_id))[0]


@dataclass(frozen=True, slots=True)
class BalanceRow:
    county: str
    available: Amounts
    frozen: Amounts
    spent: Amounts
    lots: tuple[tuple[str, Amounts], ...]

    def to_dict(self) -> dict[str, Any]:
        return {"county": self.county, "available": self.available.to_dict(), "frozen": self.frozen.to_dict(),
                "spent": self.spent.to_dict(), "lots": [{"project": p, **a.to_dict()} for p, a in self.lots]}


def balances(ws: Context, county: str | None = None, as_of: dt.date | None = None) -> list[BalanceRow]:
    """Per county: available credits (with each project lot), frozen and used — derived from postings."""
    with ws.sessions() as s:
        lg = store.load(s)
    owners = sorted({a.owner for a in lg.accounts() if a.kind is not AccountKind.ORIGIN})
    rows = []
    for c in owners if county is None else [county]:
        lots = tuple((p, lg.amounts(Account(AccountKind.BANK, c, p), as_of)) for p in lg.lots(c))
        rows.append(BalanceRow(c, lg.available(c, as_of), lg.amounts(Account(AccountKind.FROZEN, c), as_of),
                               lg.amounts(Account(AccountKind.SPENT, c), as_of), lots))
    return rows


def list_projects(ws: Context) -> list[Project]:
    with ws.sessions() as s:
        return sorted(store.load(s).projects(), key=lambda p: p.id)


def statement(ws: Context, county: str) -> list[tuple[Entry, Amounts, Amounts]]:
    """Entries touching the county's bank: (entry, change, available balance after it)."""
    with ws.sessions() as s:
        lg = store.load(s)
    out: list[tuple[Entry, Amounts, Amounts]] = []
    running = Amounts()
    for e in lg.entries:
        delta = {c: sum((p.amount for p in e.postings if p.commodity is c and p.account.kind is AccountKind.BANK
                         and p.account.owner == county), Decimal(0)) for c in COMMODITIES}
        if any(p.account.owner == county for p in e.postings):
            change = Amounts.of(delta)
            running = running + change
            out.append((e, change, running))
    return out
