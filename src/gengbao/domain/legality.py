"""Prejudged legality of a change patch (合法性预判, DOMAIN.md §4): pure rules, declared as data.

Two tables decide it:

``REQUIREMENT_TABLE`` — what a change needs to be lawful, by (side before, class or side after, on PBF):
nothing (流入、耕地内部变化、一般耕地上的非粮化 — outflow for the 进出平衡 ledger, not a violation),
an approval of the listed kinds (新增建设 needs a 农用地转用 approval, 1301 临时用地 a temporary-use
permit, 1202 设施农用地 a filing), or nothing can make it lawful (永久基本农田 turned into other
agricultural or facility land). The first matching row wins.

``LAWFUL_EXCEPTIONS`` — changes that are lawful without an approval: field roads, ditches and ridges
(1006 农村道路, 1107 沟渠, 1203 田坎) serving the farmland around them.

``prejudge`` then turns a requirement and the approval covering a part of the patch into a
``Legality``. A patch that an approval covers only in part is split by the overlay; each part is judged
on its own. Dates: a conversion approval or a filing counts when it was issued on or before the end of
the period; a temporary-use permit is valid when it has not expired at the end of the period (the
survey's standard date of the later epoch), otherwise the land should have been restored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from gengbao.domain.change import (
    FACILITY_CODE,
    TEMPORARY_CODE,
    ChangeSide,
    PbfScope,
    side_of,
)


class Legality(StrEnum):
    LAWFUL = "lawful"
    FACILITY_FILED = "facility_filed"
    FACILITY_EXCESS = "facility_excess"
    TEMPORARY_VALID = "temporary_valid"
    TEMPORARY_EXPIRED = "temporary_expired"
    LAWFUL_EXCEPTION = "lawful_exception"
    SUSPECTED_ILLEGAL = "suspected_illegal"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        return _LEGALITY_LABELS[self]

    @property
    def is_illegal(self) -> bool:
        """Counted as (suspected) illegal occupation in region summaries."""
        return self in ILLEGAL


_LEGALITY_LABELS = {
    Legality.LAWFUL: "合法（已批）",
    Legality.FACILITY_FILED: "设施农用地（备案范围内）",
    Legality.FACILITY_EXCESS: "备少占多（超出备案部分）",
    Legality.TEMPORARY_VALID: "临时用地（期限内）",
    Legality.TEMPORARY_EXPIRED: "临时用地（已到期未复垦）",
    Legality.LAWFUL_EXCEPTION: "合法例外",
    Legality.SUSPECTED_ILLEGAL: "疑似违法",
    Legality.NOT_APPLICABLE: "不涉及",
}
ILLEGAL = frozenset({Legality.SUSPECTED_ILLEGAL, Legality.FACILITY_EXCESS, Legality.TEMPORARY_EXPIRED})


class ApprovalKind(StrEnum):
    CONVERSION = "conversion"
    FACILITY = "facility"
    TEMPORARY = "temporary"

    @property
    def label(self) -> str:
        return {"conversion": "农用地转用批复", "facility": "设施农用地备案", "temporary": "临时用地批准"}[self.value]


# When approvals overlap on one part, the first kind here wins, then the most recently issued.
KIND_PRIORITY: tuple[ApprovalKind, ...] = (ApprovalKind.CONVERSION, ApprovalKind.FACILITY, ApprovalKind.TEMPORARY)


class Requirement(StrEnum):
    NONE = "none"
    APPROVAL = "approval"
    BANNED = "banned"


@dataclass(frozen=True, slots=True)
class RequirementRule:
    before: ChangeSide | None  # None: any side
    after: ChangeSide | str | None  # a side, one class code, or None: any
    pbf: PbfScope
    requirement: Requirement
    accepts: tuple[ApprovalKind, ...]
    note: str

    def matches(self, before: str, after: str, on_pbf: bool) -> bool:
        if self.before is not None and side_of(before) is not self.before:
            return False
        if isinstance(self.after, ChangeSide):
            if side_of(after) is not self.after:
                return False
        elif self.after is not None and after != self.after:
            return False
        return self.pbf.matches(on_pbf)


_F, _C = ChangeSide.FARMLAND, ChangeSide.CONSTRUCTION
_N, _A = ChangeSide.NON_GRAIN_USE, ChangeSide.OTHER_AGRICULTURAL
_CONV, _FAC, _TEMP = ApprovalKind.CONVERSION, ApprovalKind.FACILITY, ApprovalKind.TEMPORARY
_ANY, _ON = PbfScope.ANY, PbfScope.ON_PBF

REQUIREMENT_TABLE: tuple[RequirementRule, ...] = (
    RequirementRule(_C, None, _ANY, Requirement.NONE, (), "原已是建设用地：不新增建设"),
    RequirementRule(_F, _N, _ON, Requirement.BANNED, (), "永久基本农田不得转为园地、林地、草地、坑塘、设施农用地"),
    RequirementRule(_F, _A, _ON, Requirement.BANNED, (), "永久基本农田不得转为其他农用地"),
    RequirementRule(None, TEMPORARY_CODE, _ANY, Requirement.APPROVAL, (_TEMP, _CONV), "临时用地须经批准且在期限内"),
    RequirementRule(None, _C, _ANY, Requirement.APPROVAL, (_CONV, _TEMP), "新增建设须有农用地转用批复"),
    RequirementRule(None, FACILITY_CODE, _ANY, Requirement.APPROVAL, (_FAC,), "设施农用地须备案"),
    RequirementRule(None, None, _ANY, Requirement.NONE, (), "不涉及违法判定"),
)

LAWFUL_EXCEPTIONS: dict[str, str] = {
    "1006": "田间道路（农村道路）属耕地配套设施",
    "1107": "田间沟渠属耕地配套设施",
    "1203": "田坎属耕地配套设施",
}


def requirement_for(before: str, after: str, on_pbf: bool) -> RequirementRule:
    for rule in REQUIREMENT_TABLE:
        if rule.matches(before, after, on_pbf):
            return rule
    raise AssertionError("REQUIREMENT_TABLE ends with a catch-all row")  # pragma: no cover


@dataclass(frozen=True, slots=True)
class Approval:
    """An approval, a facility filing or a temporary-use permit (批准文号 / 备案编号)."""

    id: str
    kind: ApprovalKind
    issued: date
    valid_until: date | None = None
    filed_area_m2: Decimal | None = None

    def counts_for(self, period_end: date) -> bool:
        """Issued on or before the end of the period: it may cover a change seen at ``period_end``."""
        return self.issued <= period_end

    def expired_on(self, day: date) -> bool:
        return self.valid_until is not None and self.valid_until < day


@dataclass(frozen=True, slots=True)
class Cover:
    """The approval covering one part of a patch, and whether that part lies within a facility filing."""

    approval: Approval
    within_filing: bool = True


def prejudge(before: str, after: str, on_pbf: bool, cover: Cover | None, period_end: date, *,
             partly_filed: bool = False) -> Legality:
    """The prejudged legality of one part of a change patch.

    ``cover`` is the approval covering the part (None when none does); ``partly_filed`` says that
    another part of the same facility patch is covered by a filing, so this uncovered part is the
    excess of a filing that understates the facility (备少占多).
    """
    rule = requirement_for(before, after, on_pbf)
    if rule.requirement is Requirement.NONE:
        return Legality.NOT_APPLICABLE
    if after in LAWFUL_EXCEPTIONS and side_of(before) is _F:
        return Legality.LAWFUL_EXCEPTION
    if rule.requirement is Requirement.BANNED:
        return Legality.SUSPECTED_ILLEGAL
    usable = cover is not None and cover.approval.kind in rule.accepts and cover.approval.counts_for(period_end)
    if not usable or cover is None:
        return Legality.FACILITY_EXCESS if partly_filed and after == FACILITY_CODE else Legality.SUSPECTED_ILLEGAL
    kind = cover.approval.kind
    if kind is ApprovalKind.CONVERSION:
        return Legality.LAWFUL
    if kind is ApprovalKind.FACILITY:
        return Legality.FACILITY_FILED if cover.within_filing else Legality.FACILITY_EXCESS
    return Legality.TEMPORARY_EXPIRED if cover.approval.expired_on(period_end) else Legality.TEMPORARY_VALID


def accepted_kinds(before: str, after: str, on_pbf: bool) -> tuple[ApprovalKind, ...]:
    """Approval kinds that can make this change lawful (empty: none is looked for)."""
    rule = requirement_for(before, after, on_pbf)
    return rule.accepts if rule.requirement is Requirement.APPROVAL else ()
