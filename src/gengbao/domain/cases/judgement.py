"""The judgement dictionary (核查填报, DOMAIN.md §5a) and what each category needs as evidence.

Categories and sub-types are declared in ``DICTIONARY``; ``REQUIREMENTS`` says what a judgement of
each (category, sub-type) must carry: an approval number (合法: 批文/供地/登记发证), a facility filing
(设施农用地), a measured width within the limits (农村道路), and photos for every category.
:func:`missing` returns one :class:`Finding` per unmet requirement, so a refusal names each of them.
Whether an approval exists and covers the patch is checked by the service (it needs the database);
this module checks that one was given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from gengbao.domain.errors import InputError
from gengbao.domain.findings import Finding


class Category(StrEnum):
    LAWFUL = "lawful"
    OTHER = "other"
    ILLEGAL_NON_AGRICULTURAL = "illegal_non_agricultural"
    ILLEGAL_NON_GRAIN = "illegal_non_grain"
    FALSE_CHANGE = "false_change"
    UNCHANGED = "unchanged"

    @property
    def label(self) -> str:
        return _CATEGORY_LABELS[self]

    @property
    def is_violation(self) -> bool:
        return self in (Category.ILLEGAL_NON_AGRICULTURAL, Category.ILLEGAL_NON_GRAIN)


_CATEGORY_LABELS = {
    Category.LAWFUL: "合法",
    Category.OTHER: "其他",
    Category.ILLEGAL_NON_AGRICULTURAL: "非农违法",
    Category.ILLEGAL_NON_GRAIN: "非粮违法",
    Category.FALSE_CHANGE: "伪变化",
    Category.UNCHANGED: "实地未变化",
}

DICTIONARY: dict[Category, dict[str, str]] = {
    Category.LAWFUL: {"approval": "批文", "land_supply": "供地手续", "registration": "登记发证", "other": "其他"},
    Category.OTHER: {"homestead": "农村宅基地", "village_boundary": "村庄建设边界内", "farm_road": "农村道路",
                     "facility": "设施农用地（备案范围内）", "disaster": "灾毁", "ecological": "生态修复",
                     "power": "电力设施", "corner": "边角细缝"},
    Category.ILLEGAL_NON_AGRICULTURAL: {"industry_commerce": "工矿商服", "public_welfare": "民生公益",
                                        "transport": "道路交通", "enclosure_storage": "圈占堆放"},
    Category.ILLEGAL_NON_GRAIN: {"non_grain": "非粮违法"},
    Category.FALSE_CHANGE: {"false_change": "伪变化"},
    Category.UNCHANGED: {"unchanged": "实地未变化", "facility_on_site": "实地为设施"},
}


class Need(StrEnum):
    PHOTOS = "photos"
    APPROVAL = "approval"
    FILING = "filing"
    ROAD_WIDTH = "road_width"
    BUILDER = "builder"
    BUILD_DATE = "build_date"


_NEED_LABELS = {
    Need.PHOTOS: "举证照片（至少一张远景和一张近景）",
    Need.APPROVAL: "批准文号（须在批文库中存在且覆盖图斑）",
    Need.FILING: "设施农用地备案编号",
    Need.ROAD_WIDTH: "实测道路宽度（米）",
    Need.BUILDER: "项目主体（用地单位或个人）",
    Need.BUILD_DATE: "建设时间",
}

_COMMON = frozenset({Need.PHOTOS})
REQUIREMENTS: dict[tuple[Category, str | None], frozenset[Need]] = {
    (Category.LAWFUL, "approval"): _COMMON | {Need.APPROVAL},
    (Category.LAWFUL, "land_supply"): _COMMON | {Need.APPROVAL},
    (Category.LAWFUL, "registration"): _COMMON | {Need.APPROVAL},
    (Category.OTHER, "facility"): _COMMON | {Need.FILING},
    (Category.OTHER, "farm_road"): _COMMON | {Need.ROAD_WIDTH},
    (Category.ILLEGAL_NON_AGRICULTURAL, None): _COMMON | {Need.BUILDER, Need.BUILD_DATE},
    (Category.ILLEGAL_NON_GRAIN, None): _COMMON | {Need.BUILDER},
}
"""(category, sub-type) → needs; (category, None) applies to every sub-type of that category."""

FARM_ROAD_MIN_WIDTH_M = Decimal(2)
FARM_ROAD_MAX_WIDTH_M = Decimal(8)


@dataclass(frozen=True, slots=True)
class Judgement:
    category: Category
    subtype: str
    project: str = ""
    builder: str = ""
    build_date: date | None = None
    description: str = ""
    approval_ids: tuple[str, ...] = ()
    filing_id: str = ""
    road_width_m: Decimal | None = None
    key_project: bool = False  # 省级重点项目: deducted in the key ratio after deduction (扣减后)
    photo_views: frozenset[str] = field(default_factory=frozenset)

    def to_dict(self) -> dict[str, Any]:
        return {"category": str(self.category), "category_label": self.category.label,
                "subtype": self.subtype, "subtype_label": DICTIONARY[self.category][self.subtype],
                "project": self.project, "builder": self.builder,
                "build_date": self.build_date.isoformat() if self.build_date else None,
                "description": self.description, "approval_ids": list(self.approval_ids),
                "filing_id": self.filing_id, "key_project": self.key_project,
                "road_width_m": None if self.road_width_m is None else str(self.road_width_m)}


def parse_category(text: str) -> Category:
    for c in Category:
        if text in (c.value, c.label):
            return c
    known = "、".join(f"{c.label}（{c.value}）" for c in Category)
    raise InputError(f"不认识的认定分类“{text}”。可用：{known}", code="cases.unknown_category", value=text)


def parse_subtype(category: Category, text: str) -> str:
    for key, label in DICTIONARY[category].items():
        if text in (key, label):
            return key
    known = "、".join(f"{v}（{k}）" for k, v in DICTIONARY[category].items())
    raise InputError(f"“{category.label}”下没有用途细化“{text}”。可用：{known}",
                     code="cases.unknown_subtype", value=text)


def needs(category: Category, subtype: str) -> frozenset[Need]:
    return REQUIREMENTS.get((category, subtype), REQUIREMENTS.get((category, None), _COMMON))


def missing(j: Judgement) -> list[Finding]:
    """Every requirement of the judgement's category that it does not meet."""
    out: list[Finding] = []
    what = f"认定为“{j.category.label}·{DICTIONARY[j.category][j.subtype]}”"
    for need in sorted(needs(j.category, j.subtype)):
        if need is Need.PHOTOS and not {"distant", "close"} <= j.photo_views:
            out.append(Finding("cases.missing_photos", f"{what}须有{_NEED_LABELS[need]}；请先用 gengbao evidence add "
                               "添加远景（--kind 远景）和近景（--kind 近景）照片。", field="photos"))
        elif need is Need.APPROVAL and not j.approval_ids:
            out.append(Finding("cases.missing_approval", f"{what}须填写{_NEED_LABELS[need]}（--approval）。",
                               field="approval"))
        elif need is Need.FILING and not j.filing_id:
            out.append(Finding("cases.missing_filing", f"{what}须填写{_NEED_LABELS[need]}（--filing）。",
                               field="filing"))
        elif need is Need.ROAD_WIDTH:
            w = j.road_width_m
            if w is None:
                out.append(Finding("cases.missing_road_width", f"{what}须填写{_NEED_LABELS[need]}（--width）。",
                                   field="road_width"))
            elif not FARM_ROAD_MIN_WIDTH_M <= w <= FARM_ROAD_MAX_WIDTH_M:
                out.append(Finding("cases.road_width_out_of_range",
                                   f"实测宽度 {w} 米不在农村道路允许的 {FARM_ROAD_MIN_WIDTH_M}–{FARM_ROAD_MAX_WIDTH_M} "
                                   "米之内，不能认定为农村道路。", field="road_width", value=str(w)))
        elif need is Need.BUILDER and not j.builder.strip():
            out.append(Finding("cases.missing_builder", f"{what}须填写{_NEED_LABELS[need]}（--builder）。",
                               field="builder"))
        elif need is Need.BUILD_DATE and j.build_date is None:
            out.append(Finding("cases.missing_build_date", f"{what}须填写{_NEED_LABELS[need]}（--built）。",
                               field="build_date"))
    return out


def is_new(build_date: date | None, campaign_year: int) -> bool:
    """新增 (built in the campaign year or later) versus 存量 (built before it). Unknown: 新增."""
    return build_date is None or build_date.year >= campaign_year
