"""Prejudged legality of a change patch (合法性预判, DOMAIN.md §4): pure rules, declared as data.

Two tables decide it:

``REQUIREMENT_TABLE`` — what a change needs to be lawful, by (side before, class or side after, on PBF):
nothing (流入、耕地内部变化、一般耕地上的非粮化 — outflow for the 进出平衡 ledger, not a violation),
an approval of the listed kinds (新增建设 needs a 农用地转用 approval, 1301 临时用地 a temporary-use
permit, 1202 设施农用地 a filing), or nothing can make it lawful (永久基本农田 turned into other
agricultural or facility land). The first matching row wins.

``LAWFUL_EXCEPTIONS`` — changes that are lawful without an approval (DOMAIN.md §4): field roads of the
allowed width (1006 农村道路, at most ``FARM_ROAD_MAX_WIDTH_M`` wide), ditches and ridges (1107 沟渠,
1203 田坎) serving the farmland around them, and rural homesteads
(0702 农村宅基地) off PBF inside the village construction boundary (村庄建设边界, a reference layer:
``gengbao layers import --kind village_boundary``). An exception applies where the change would
otherwise be banned or lacks a usable approval; an approval, where there is one, wins (the part is
合法（已批）). Parts are split at the boundary of the layer an exception names, and at PBF where its
scope is on or off PBF, so each part is judged on its own.

Findings without a class change are judged in ``status_rules``.

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
    HOMESTEAD_CODE,
    TEMPORARY_CODE,
    ChangeSide,
    PatchKind,
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

VILLAGE_BOUNDARY = "village_boundary"  # reference layer kind: 村庄建设边界
# 三调工作分类 1006 农村道路: roads in the countryside up to 8 m wide (南方 ≥ 1 m, 北方 ≥ 2 m). A wider
# "road" on PBF is no farm road. (local, verify): a parameter with the national class definition as default.
FARM_ROAD_MAX_WIDTH_M = 8.0


@dataclass(frozen=True, slots=True)
class LawfulException:
    before: ChangeSide | None  # None: any side
    after: str  # class code after
    pbf: PbfScope
    inside: str | None  # the reference layer the part must lie inside, or None
    note: str
    max_width_m: float | None = None  # the part's width (equivalent rectangle) may not exceed this

    def matches(self, before: str, after: str, on_pbf: bool, inside: frozenset[str],
                width_m: float | None = None) -> bool:
        """``width_m`` None: not measured, the width limit is not applied."""
        return (after == self.after and (self.before is None or side_of(before) is self.before)
                and self.pbf.matches(on_pbf) and (self.inside is None or self.inside in inside)
                and (self.max_width_m is None or width_m is None or width_m <= self.max_width_m))


LAWFUL_EXCEPTIONS: tuple[LawfulException, ...] = (
    LawfulException(_F, "1006", _ANY, None, "宽度不超过 8 米的田间道路（农村道路）属耕地配套设施", FARM_ROAD_MAX_WIDTH_M),
    LawfulException(_F, "1107", _ANY, None, "田间沟渠属耕地配套设施"),
    LawfulException(_F, "1203", _ANY, None, "田坎属耕地配套设施"),
    LawfulException(None, HOMESTEAD_CODE, PbfScope.OFF_PBF, VILLAGE_BOUNDARY, "村庄建设边界内（不在永久基本农田上）的农村宅基地"),
)


def exception_for(before: str, after: str, on_pbf: bool, inside: frozenset[str] = frozenset(),
                  width_m: float | None = None) -> LawfulException | None:
    return next((e for e in LAWFUL_EXCEPTIONS if e.matches(before, after, on_pbf, inside, width_m)), None)


def width_limited(after: str) -> bool:
    """True when a lawful exception for class ``after`` depends on the part's width."""
    return any(e.after == after and e.max_width_m is not None for e in LAWFUL_EXCEPTIONS)


def zone_layers(before: str, after: str) -> tuple[str, bool]:
    """The reference layer a lawful exception for ``before`` → ``after`` needs the part to lie inside
    ("" when none), and whether that exception also depends on the part being on or off PBF."""
    for e in LAWFUL_EXCEPTIONS:
        if e.inside is not None and e.after == after and (e.before is None or side_of(before) is e.before):
            return e.inside, e.pbf is not _ANY
    return "", False


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
             partly_filed: bool = False, inside: frozenset[str] = frozenset(),
             width_m: float | None = None) -> Legality:
    """The prejudged legality of one part of a change patch.

    ``cover`` is the approval covering the part (None when none does); ``partly_filed`` says that
    another part of the same facility patch is covered by a filing, so this uncovered part is the
    excess of a filing that understates the facility (备少占多); ``inside`` names the reference layers
    (``VILLAGE_BOUNDARY``) the part lies inside; ``width_m`` is its width where an exception limits it.
    """
    rule = requirement_for(before, after, on_pbf)
    if rule.requirement is Requirement.NONE:
        return Legality.NOT_APPLICABLE
    excepted = exception_for(before, after, on_pbf, inside, width_m) is not None
    if rule.requirement is Requirement.BANNED:
        return Legality.LAWFUL_EXCEPTION if excepted else Legality.SUSPECTED_ILLEGAL
    usable = cover is not None and cover.approval.kind in rule.accepts and cover.approval.counts_for(period_end)
    if not usable or cover is None:
        if excepted:
            return Legality.LAWFUL_EXCEPTION
        return Legality.FACILITY_EXCESS if partly_filed and after == FACILITY_CODE else Legality.SUSPECTED_ILLEGAL
    kind = cover.approval.kind
    if kind is ApprovalKind.CONVERSION:
        return Legality.LAWFUL
    if kind is ApprovalKind.FACILITY:
        return Legality.FACILITY_FILED if cover.within_filing else Legality.FACILITY_EXCESS
    return Legality.TEMPORARY_EXPIRED if cover.approval.expired_on(period_end) else Legality.TEMPORARY_VALID


def accepted_kinds(before: str, after: str, on_pbf: bool, status: PatchKind = PatchKind.CLASS) -> tuple[ApprovalKind, ...]:
    """Approval kinds that can make this change lawful, or (unrestored temporary use) whose expiry
    it reports (empty: none is looked for)."""
    if status is not PatchKind.CLASS:
        return (_TEMP,) if status is PatchKind.UNRESTORED else ()
    rule = requirement_for(before, after, on_pbf)
    return rule.accepts if rule.requirement is Requirement.APPROVAL else ()

