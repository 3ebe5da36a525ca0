"""The ledger book: append-only entries, projects, lots, and the balance index.

:class:`Book` is the core the operations (:mod:`.operations`, :mod:`.freezes`) build on: it keeps
entries in date order, refuses an unbalanced or back-dated entry, credits a county bank when a
project is filed (报备入库), and answers balances from the index. Nothing here does I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from gengbao.domain.errors import ConflictError, InputError, NotFoundError
from gengbao.domain.findings import Finding, Severity
from gengbao.domain.ledger.index import BalanceIndex
from gengbao.domain.ledger.model import (
    COMMODITIES,
    ZERO,
    Account,
    AccountKind,
    Amounts,
    Commodity,
    Entry,
    EntryKind,
    Posting,
    bank,
    moves,
)
from gengbao.domain.ledger.profile import ProfileSchedule
from gengbao.domain.ledger.projects import (
    Certification,
    Project,
    ProjectAction,
    ProjectState,
    advance,
    new_project,
)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What an operation did: the entry posted (None when nothing was) and its findings."""

    entry: Entry | None
    findings: tuple[Finding, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not any(f.severity is Severity.ERROR for f in self.findings)

    def raise_if_rejected(self, what: str) -> None:
        """Raise :class:`Rejected` when any finding is an error (nothing was posted)."""
        if not self.ok:
            raise Rejected(what, self.findings)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok, "entry": None if self.entry is None else self.entry.to_dict(),
            "findings": [f.to_dict() for f in self.findings], **self.details,
        }


class Rejected(ConflictError):
    """An operation the ledger refused; ``code`` is the first error finding's, every finding is listed."""

    code = "ledger.rejected"

    def __init__(self, what: str, findings: tuple[Finding, ...]) -> None:
        errors = [f for f in findings if f.severity is Severity.ERROR]
        lines = "；".join(f.message for f in errors)
        super().__init__(f"{what}未记账：{lines}", code=errors[0].code if errors else self.code,
                         findings=[f.to_dict() for f in findings])


def check_county(code: str) -> None:
    if not (isinstance(code, str) and code.isdigit() and len(code) == 6):
        raise InputError(f"县级行政区划代码应为 6 位数字：{code!r}", code="ledger.bad_county", value=repr(code))


class Book:
    def __init__(self, schedule: ProfileSchedule | None = None) -> None:
        self.schedule = schedule or ProfileSchedule()
        self._entries: list[Entry] = []
        self._index = BalanceIndex()
        self._projects: dict[str, Project] = {}
        self._lots: dict[str, list[str]] = {}  # county → project ids in the order their credits arrived
        self._lot_set: set[tuple[str, str]] = set()

    # -- entries and balances -------------------------------------------------------------------
    @property
    def entries(self) -> Sequence[Entry]:
        return tuple(self._entries)

    def next_id(self, kind: EntryKind) -> str:
        return f"{kind.value}-{len(self._entries) + 1:07d}"

    def post(self, entry: Entry) -> Entry:
        if self._entries and entry.date < self._entries[-1].date:
            raise InputError(
                f"分录 {entry.id} 的日期 {entry.date} 早于台账最后一笔 {self._entries[-1].date}；台账只能按日期追加",
                code="ledger.entry.date_order",
            )
        self._entries.append(entry)
        self._index.add(entry)
        for p in entry.postings:
            a = p.account
            if a.kind is AccountKind.BANK and a.sub and (a.owner, a.sub) not in self._lot_set:
                self._lot_set.add((a.owner, a.sub))
                self._lots.setdefault(a.owner, []).append(a.sub)
        return entry

    def make_entry(self, kind: EntryKind, date: dt.date, postings: list[Posting], memo: str = "") -> Entry:
        return Entry(self.next_id(kind), date, kind, tuple(postings), memo)

    def balance(self, account: Account, commodity: Commodity, as_of: dt.date | None = None) -> Decimal:
        return self._index.balance(account, commodity, as_of)

    def amounts(self, account: Account, as_of: dt.date | None = None) -> Amounts:
        return Amounts.of({c: self.balance(account, c, as_of) for c in COMMODITIES})

    def available(self, county: str, as_of: dt.date | None = None) -> Amounts:
        """Unfrozen credits in the county's bank (all lots)."""
        return self.amounts(bank(county), as_of)

    def accounts(self) -> list[Account]:
        return self._index.accounts()

    # -- lots -----------------------------------------------------------------------------------
    def lots(self, county: str) -> list[str]:
        return list(self._lots.get(county, ()))

    def lot_grade(self, project_id: str) -> int:
        cert = self._projects[project_id].certification
        return cert.quality_grade if cert is not None else 99

    def allocate(
        self, county: str, need: Amounts, eligible: Callable[[str], bool] = lambda _p: True
    ) -> tuple[list[tuple[str, Amounts]], Amounts]:
        """Take ``need`` from the county's eligible lots, oldest first, per commodity; also the shortfall."""
        taken: dict[str, dict[Commodity, Decimal]] = {}
        short: dict[Commodity, Decimal] = {}
        for c in COMMODITIES:
            rest = need.get(c)
            for pid in self._lots.get(county, ()):
                if rest <= 0:
                    break
                if not eligible(pid):
                    continue
                have = self.balance(bank(county, pid), c)
                take = min(have, rest)
                if take > 0:
                    taken.setdefault(pid, {})[c] = take
                    rest -= take
            short[c] = max(rest, ZERO)
        return [(pid, Amounts.of(v)) for pid, v in taken.items()], Amounts.of(short)

    # -- projects -------------------------------------------------------------------------------
    def project(self, project_id: str) -> Project:
        try:
            return self._projects[project_id]
        except KeyError:
            raise NotFoundError(
                f"没有编号为 {project_id} 的补充耕地项目；请先用 ledger project add 登记", code="ledger.project.unknown",
                project=project_id,
            ) from None

    def projects(self) -> list[Project]:
        return list(self._projects.values())

    def add_project(self, project_id: str, county: str, name: str, date: dt.date) -> Project:
        if project_id in self._projects:
            raise ConflictError(f"补充耕地项目 {project_id} 已登记", code="ledger.project.duplicate", project=project_id)
        check_county(county)
        project = new_project(project_id, county, name, date)
        self._projects[project_id] = project
        return project

    def advance_project(
        self, project_id: str, action: ProjectAction, date: dt.date, certification: Certification | None = None
    ) -> tuple[Project, Outcome]:
        """Move a project on; filing (报备入库) posts its certified credits into the county bank."""
        project = advance(self.project(project_id), action, date, certification)
        entry = None
        if project.state is ProjectState.FILED:
            assert project.certification is not None  # certified before acceptance, by the table
            if self._entries and date < self._entries[-1].date:
                raise InputError(
                    f"项目 {project_id} 报备入库日期 {date} 早于台账最后一笔 {self._entries[-1].date}",
                    code="ledger.entry.date_order",
                )
            origin = Account(AccountKind.ORIGIN, project_id)
            postings = moves(origin, bank(project.county, project_id), project.certification.amounts)
            entry = self.post(self.make_entry(EntryKind.CREDIT, date, postings, f"项目 {project_id} 报备入库"))
        self._projects[project_id] = project
        return project, Outcome(entry, details={"project": project.to_dict()})
