"""Classes of units (各乡镇（街道）人民政府, 县（市、区）党委、人民政府, 各村) and collectives (各有关部门).

A class names "each township / county / village government" and expands to the real regions of the
code list below the document's region; a trailing note that names some of them (``（目前塘厦、洪梅两个
镇）``) narrows the class to those. A collective (``各有关部门``, ``市相关法院``) is recognised but names
nobody in particular, so it has no members and never reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gengbao.domain.regions import Region, RegionCatalog, RegionLevel

_BODY = r"(?:党委、人民政府|党委、政府|党工委、办事处|人民政府（办事处）|人民政府|政府|党委|办事处|相关部门|有关部门)?"


@dataclass(frozen=True, slots=True)
class UnitClass:
    label: str
    level: RegionLevel
    pattern: re.Pattern[str]
    name_endings: tuple[str, ...] | None = None  # None: every region at that level


CLASSES = (
    UnitClass("各镇街（园区）", RegionLevel.TOWNSHIP, re.compile(rf"^各?镇街（园区）{_BODY}$")),
    UnitClass("各镇街", RegionLevel.TOWNSHIP, re.compile(rf"^各?镇街{_BODY}$"), ("镇", "乡", "街道")),
    UnitClass("各乡镇（街道）", RegionLevel.TOWNSHIP, re.compile(rf"^各?乡镇（街(?:道)?）{_BODY}$")),
    UnitClass(
        "各镇（街）", RegionLevel.TOWNSHIP, re.compile(rf"^各?镇（街(?:道)?）{_BODY}$"), ("镇", "街道")
    ),
    UnitClass("各乡镇", RegionLevel.TOWNSHIP, re.compile(rf"^各?乡镇{_BODY}$")),
    UnitClass("各乡（镇）", RegionLevel.TOWNSHIP, re.compile(rf"^各?乡（镇(?:、街道)?）{_BODY}$")),
    UnitClass(
        "各县（市、区）",
        RegionLevel.COUNTY,
        re.compile(rf"^各?(?:县（市、区）|县（区）|县（市）|县区|区县|县（区、市）){_BODY}$"),
    ),
    UnitClass("各村", RegionLevel.VILLAGE, re.compile(r"^各?村(?:（社区）)?(?:民委员会|两委|委会)?$")),
)

# Phrases that name a class or a collective inside running text (for units mentioned in a measure).
CLASS_IN_TEXT = re.compile(
    r"各村(?:（社区）)?|各乡镇（街道）|各镇街（园区）|各镇街|各县（市、区）|各县（区）"
)
COLLECTIVE_IN_TEXT = re.compile(r"(?:[镇县市]|相关)?职能部门|相关部门|有关部门")

_COLLECTIVE = re.compile(r"(有关|相关|职能|各级)")
_COLLECTIVE_END = re.compile(r"(部门|单位|机关|法院|检察院|队伍|人员)$")


def normalise_brackets(name: str) -> str:
    return (
        re.sub(r"\s+", "", name)
        .replace("(", "（")
        .replace(")", "）")
        .replace("〔", "（")
        .replace("〕", "）")
        .replace("[", "（")
        .replace("]", "）")
    )


def split_note(name: str) -> tuple[str, str]:
    """``各镇街（园区）政府（目前塘厦、洪梅两个镇）`` → (``各镇街（园区）政府``, ``目前塘厦、洪梅两个镇``)."""
    n = normalise_brackets(name)
    if not n.endswith("）"):
        return n, ""
    depth = 0
    for i in range(len(n) - 1, -1, -1):
        if n[i] == "）":
            depth += 1
        elif n[i] == "（":
            depth -= 1
            if depth == 0:
                return n[:i], n[i + 1 : -1]
    return n, ""


def match_class(name: str) -> tuple[UnitClass, str] | None:
    """The class a name belongs to, and the note that narrows it (empty when none)."""
    n = normalise_brackets(name)
    for cls in CLASSES:
        if cls.pattern.match(n):
            return cls, ""
    base, note = split_note(n)
    if note and base != n:
        for cls in CLASSES:
            if cls.pattern.match(base):
                return cls, note
    return None


def is_collective(name: str) -> bool:
    base, _ = split_note(name)
    return bool(_COLLECTIVE.search(base) and _COLLECTIVE_END.search(base))


def _stem(region: Region) -> str:
    for end in ("街道", "镇", "乡", "县", "区", "村民委员会", "居民委员会"):
        if region.name.endswith(end) and len(region.name) > len(end):
            return region.name[: -len(end)]
    return region.name


def class_base(catalog: RegionCatalog, context: str, level: RegionLevel) -> str:
    """The region whose descendants a class expands to: the context, or its ancestor above ``level``."""
    code = context
    while len(code) >= level.digits and len(code) > 2:
        parent = catalog.parent(code)
        if parent is None:
            break
        code = parent.code
    return code


def expand(cls: UnitClass, note: str, catalog: RegionCatalog, context: str) -> list[Region]:
    """The regions a class stands for, below ``context``, narrowed by a note that names some of them."""
    base = class_base(catalog, context, cls.level) if context in catalog else context
    regions = catalog.descendants(base, cls.level) if base in catalog else []
    if cls.name_endings is not None:
        regions = [r for r in regions if r.name.endswith(cls.name_endings)]
    if note:
        named = [r for r in regions if _stem(r) and _stem(r) in note]
        if named:
            regions = named
    return regions
