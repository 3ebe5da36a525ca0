"""Change classification between two times (DOMAIN.md §4), as a declared table.

A change patch goes from one land class to another. Each class falls on one *side* (``ChangeSide``):
farmland, construction (建设用地 and the work codes 1301–1304), a non-grain use (02 园地, 03 林地, 04 草地,
1104* 坑塘, 1202 设施农用地), other agricultural land, unused land. The change type is looked up in
``CHANGE_TABLE`` by (side before, side after, on PBF or not): the first row that matches wins.

PBF may never be turned into other agricultural land or facility land (the PBF "four bans"): farmland
on PBF that becomes any non-farmland agricultural class is 非粮化 even where the same change off PBF
(a farm road, a ditch) is not. Such patches are *PBF-sensitive*: their PBF and non-PBF parts are
judged separately, so the overlay splits them at the PBF boundary.

Delivered enforcement patches (卫片执法图斑) often carry no class after the change: ``UNKNOWN_CLASS``
stands for it and is treated as construction, since such patches are suspected new construction
(疑似新增建设用地) until a field check says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from gengbao.domain import land_classes
from gengbao.domain.land_classes import LegalCategory

FACILITY_CODE = "1202"
TEMPORARY_CODE = "1301"
UNKNOWN_CLASS = ""
NON_GRAIN_GROUP_PREFIXES = ("02", "03", "04")
NON_GRAIN_BASE_CODES = ("1104", FACILITY_CODE)


class ChangeType(StrEnum):
    NON_AGRICULTURAL = "non_agricultural_conversion"
    NON_GRAIN = "non_grain_conversion"
    INFLOW = "inflow"
    FARMLAND_INTERNAL = "farmland_internal"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _TYPE_LABELS[self]


_TYPE_LABELS = {
    ChangeType.NON_AGRICULTURAL: "非农化",
    ChangeType.NON_GRAIN: "非粮化",
    ChangeType.INFLOW: "流入耕地",
    ChangeType.FARMLAND_INTERNAL: "耕地内部变化",
    ChangeType.OTHER: "其他变化",
}


class ChangeSide(StrEnum):
    """What a land class is, as far as change classification is concerned."""

    FARMLAND = "farmland"
    CONSTRUCTION = "construction"
    NON_GRAIN_USE = "non_grain_use"
    OTHER_AGRICULTURAL = "other_agricultural"
    UNUSED = "unused"


class PbfScope(StrEnum):
    ANY = "any"
    ON_PBF = "on_pbf"
    OFF_PBF = "off_pbf"

    def matches(self, on_pbf: bool) -> bool:
        return self is PbfScope.ANY or (self is PbfScope.ON_PBF) == on_pbf


@dataclass(frozen=True, slots=True)
class ChangeRule:
    before: ChangeSide | None  # None: any side
    after: ChangeSide | None
    pbf: PbfScope
    change_type: ChangeType
    note: str

    def matches(self, before: ChangeSide, after: ChangeSide, on_pbf: bool) -> bool:
        return (
            (self.before is None or self.before is before)
            and (self.after is None or self.after is after)
            and self.pbf.matches(on_pbf)
        )


_F, _C, _N = ChangeSide.FARMLAND, ChangeSide.CONSTRUCTION, ChangeSide.NON_GRAIN_USE
_A, _U = ChangeSide.OTHER_AGRICULTURAL, ChangeSide.UNUSED

CHANGE_TABLE: tuple[ChangeRule, ...] = (
    ChangeRule(_F, _C, PbfScope.ANY, ChangeType.NON_AGRICULTURAL, "耕地→建设用地或 1301–1304 工作地类"),
    ChangeRule(_F, _N, PbfScope.ANY, ChangeType.NON_GRAIN, "耕地→园地、林地、草地、坑塘、设施农用地"),
    ChangeRule(_F, _A, PbfScope.ON_PBF, ChangeType.NON_GRAIN, "永久基本农田→其他农用地（永农“四不准”）"),
    ChangeRule(_F, _F, PbfScope.ANY, ChangeType.FARMLAND_INTERNAL, "耕地内部地类变化，如旱地→水田"),
    ChangeRule(None, _F, PbfScope.ANY, ChangeType.INFLOW, "非耕地→耕地（进）"),
    ChangeRule(None, None, PbfScope.ANY, ChangeType.OTHER, "其他地类变化"),
)


@lru_cache(maxsize=512)
def side_of(code: str) -> ChangeSide:
    """The side of a land class code (``landclass.unknown`` for codes outside the catalogue)."""
    if code == UNKNOWN_CLASS:
        return ChangeSide.CONSTRUCTION
    lc = land_classes.get(code)
    if lc.is_farmland:
        return ChangeSide.FARMLAND
    if lc.counts_as_construction:
        return ChangeSide.CONSTRUCTION
    if lc.code[:2] in NON_GRAIN_GROUP_PREFIXES or lc.base_code in NON_GRAIN_BASE_CODES:
        return ChangeSide.NON_GRAIN_USE
    if lc.legal_category is LegalCategory.AGRICULTURAL:
        return ChangeSide.OTHER_AGRICULTURAL
    return ChangeSide.UNUSED


def rule_for(before: str, after: str, on_pbf: bool) -> ChangeRule:
    b, a = side_of(before), side_of(after)
    for rule in CHANGE_TABLE:
        if rule.matches(b, a, on_pbf):
            return rule
    raise AssertionError("CHANGE_TABLE ends with a catch-all row")  # pragma: no cover


def classify(before: str, after: str, on_pbf: bool = False) -> ChangeType:
    """The change type of ``before`` → ``after`` (class codes), on PBF or not."""
    return rule_for(before, after, on_pbf).change_type


@lru_cache(maxsize=4096)
def is_pbf_sensitive(before: str, after: str) -> bool:
    """True when the type or the legality of the change differs on and off PBF: farmland turned into
    non-farmland that is not construction (on PBF it breaks the PBF bans; off PBF it is an outflow)."""
    b, a = side_of(before), side_of(after)
    return b is ChangeSide.FARMLAND and a in (ChangeSide.NON_GRAIN_USE, ChangeSide.OTHER_AGRICULTURAL)


def category_of(code: str) -> LegalCategory | None:
    """Legal category of a class code (None for work codes and for ``UNKNOWN_CLASS``)."""
    return None if code == UNKNOWN_CLASS else land_classes.get(code).legal_category
