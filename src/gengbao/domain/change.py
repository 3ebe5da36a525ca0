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

Some findings have no land-class change at all (``PatchKind``):

* ``PLANTING`` — farmland whose planting attribute (ZZSXDM, 种植属性) took a value of ``PLANTING_TABLE``
  between the epochs while its class stayed the same: WG (未耕种) is 撂荒 everywhere; FLS (非粮作物) is
  非粮化 on PBF only (DOMAIN.md §4), off PBF it is no finding. Where the class changed too, the class
  change is the patch (one piece of ground is one patch).
* ``UNRESTORED`` — temporary-use land (1301) whose permit expired in the period and that is still 1301
  (临时用地到期未复垦); the rule that picks it is ``legality.expired_in_period``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from gengbao.domain import land_classes
from gengbao.domain.land_classes import LegalCategory

FACILITY_CODE = "1202"
TEMPORARY_CODE = "1301"
HOMESTEAD_CODE = "0702"
UNKNOWN_CLASS = ""
NON_GRAIN_GROUP_PREFIXES = ("02", "03", "04")
NON_GRAIN_BASE_CODES = ("1104", FACILITY_CODE)


class ChangeType(StrEnum):
    NON_AGRICULTURAL = "non_agricultural_conversion"
    NON_GRAIN = "non_grain_conversion"
    INFLOW = "inflow"
    FARMLAND_INTERNAL = "farmland_internal"
    OTHER = "other"
    ABANDONMENT = "abandonment"
    NON_GRAIN_CROP = "non_grain_crop"
    TEMPORARY_UNRESTORED = "temporary_unrestored"

    @property
    def label(self) -> str:
        return _TYPE_LABELS[self]


_TYPE_LABELS = {
    ChangeType.NON_AGRICULTURAL: "非农化",
    ChangeType.NON_GRAIN: "非粮化",
    ChangeType.INFLOW: "流入耕地",
    ChangeType.FARMLAND_INTERNAL: "耕地内部变化",
    ChangeType.OTHER: "其他变化",
    ChangeType.ABANDONMENT: "撂荒",
    ChangeType.NON_GRAIN_CROP: "非粮化（永农种植非粮作物）",
    ChangeType.TEMPORARY_UNRESTORED: "临时用地到期未复垦",
}


class PatchKind(StrEnum):
    """What kind of change a patch is: a land-class change, or a finding on land whose class stayed."""

    CLASS = "class"
    PLANTING = "planting"
    UNRESTORED = "unrestored"


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


@dataclass(frozen=True, slots=True)
class PlantingRule:
    """A planting attribute (ZZSXDM) farmland took between the epochs, its class unchanged."""

    attribute: str
    pbf: PbfScope
    change_type: ChangeType
    note: str


PLANTING_TABLE: tuple[PlantingRule, ...] = (
    PlantingRule("WG", PbfScope.ANY, ChangeType.ABANDONMENT, "耕地种植属性变为 WG（未耕种）：撂荒"),
    PlantingRule("FLS", PbfScope.ON_PBF, ChangeType.NON_GRAIN_CROP, "永久基本农田种植属性变为 FLS（种植非粮作物）：非粮化"),
)
PLANTING_ATTRIBUTES = frozenset(r.attribute for r in PLANTING_TABLE)


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
def is_pbf_sensitive(before: str, after: str, status: PatchKind = PatchKind.CLASS, attribute: str = "") -> bool:
    """True when the type or the legality of the change differs on and off PBF: farmland turned into
    non-farmland that is not construction (on PBF it breaks the PBF bans; off PBF it is an outflow),
    and planting attributes whose rule holds on or off PBF only."""
    if status is PatchKind.PLANTING:
        return any(r.attribute == attribute and r.pbf is not PbfScope.ANY for r in PLANTING_TABLE)
    if status is not PatchKind.CLASS:
        return False
    b, a = side_of(before), side_of(after)
    return b is ChangeSide.FARMLAND and a in (ChangeSide.NON_GRAIN_USE, ChangeSide.OTHER_AGRICULTURAL)


def planting_change(land_class: str, before: str, after: str, on_pbf: bool) -> ChangeType | None:
    """The change type of farmland of ``land_class`` whose ZZSXDM went from ``before`` to ``after``
    ("" when blank), or None when that is no finding."""
    if before == after or side_of(land_class) is not ChangeSide.FARMLAND:
        return None
    rule = next((r for r in PLANTING_TABLE if r.attribute == after and r.pbf.matches(on_pbf)), None)
    return None if rule is None else rule.change_type


def type_of(status: PatchKind, before: str, after: str, attribute: str, on_pbf: bool) -> ChangeType | None:
    """The change type of a candidate of any ``status``: None drops it (a planting attribute off its scope).
    ``attribute`` is the ZZSXDM reached, for ``PatchKind.PLANTING``."""
    if status is PatchKind.CLASS:
        return classify(before, after, on_pbf)
    if status is PatchKind.PLANTING:
        return planting_change(before, "", attribute, on_pbf)
    return ChangeType.TEMPORARY_UNRESTORED


def category_of(code: str) -> LegalCategory | None:
    """Legal category of a class code (None for work codes and for ``UNKNOWN_CLASS``)."""
    return None if code == UNKNOWN_CLASS else land_classes.get(code).legal_category
