"""Unit lists (责任单位 / 牵头单位 / 配合单位 / 落实单位) split into unit names.

Lists are separated by ``，``, ``、``, ``,`` (and ``；``) at bracket depth 0 only, so names that carry
brackets stay whole: ``各乡镇（街道）人民政府（办事处）``, ``县（市、区）党委、人民政府``,
``各县〔区〕人民政府``. Three readings keep what the writer meant:

- a bare body after a party committee joins it: ``县（市、区）党委、人民政府`` is one unit;
- a bare level word joins what follows: ``市、镇街（园区）各有关单位`` is one unit;
- bare places before a place with a body share that body: ``厚街镇、塘厦镇、谢岗镇政府`` is three
  township governments.

A trailing ``等`` (and so on) is kept as the list's ``open_ended`` flag, not as part of a name.
Names are otherwise kept exactly as written; matching them to units is the directory's job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPENERS = "（(〔[【［「"
CLOSERS = "）)〕]】］」"
SEPARATORS = "，、,；;"

_LABEL = re.compile(r"^\s*(?:责任单位|牵头单位|配合单位|落实单位|责任部门|牵头部门|配合部门)\s*[：:]\s*")
_BODIES = ("人民政府（办事处）", "人民政府(办事处)", "人民政府", "政府", "办事处", "管委会")
_PARTY = ("党委", "党工委")
_LEVEL_WORDS = frozenset({"市", "县", "区", "镇", "乡", "村", "镇街", "市级", "县级", "乡级", "镇级"})
_PLACE = r"[\u4e00-\u9fff]{1,8}?(?:街道|镇|乡|县|区)"
_BARE_PLACE = re.compile(rf"^(?!各){_PLACE}$")
_PLACE_WITH_BODY = re.compile(rf"^(?!各)({_PLACE})((?:党委、)?(?:人民政府|政府)|办事处)$")
_ETC = re.compile(r"(?:等(?:单位|部门)?)$")


@dataclass(frozen=True, slots=True)
class UnitList:
    """The units named in one cell: ``names`` in order, ``open_ended`` when the list ends in 等."""

    names: tuple[str, ...] = ()
    open_ended: bool = False
    raw: str = ""

    def __bool__(self) -> bool:
        return bool(self.names)

    def to_dict(self) -> dict[str, object]:
        return {"names": list(self.names), "open_ended": self.open_ended, "raw": self.raw}

    @classmethod
    def from_dict(cls, d: dict[str, object] | None) -> UnitList:
        if not d:
            return cls()
        names = d.get("names") or []
        assert isinstance(names, list)
        return cls(tuple(str(n) for n in names), bool(d.get("open_ended")), str(d.get("raw") or ""))


def top_level_split(text: str, separators: str = SEPARATORS) -> list[str]:
    """Split at separators outside brackets; unbalanced closers are treated as plain text."""
    parts: list[str] = []
    depth = 0
    cur: list[str] = []
    for ch in text:
        if ch in OPENERS:
            depth += 1
        elif ch in CLOSERS and depth > 0:
            depth -= 1
        if ch in separators and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return parts


def trailing_bracket(text: str) -> tuple[str, str] | None:
    """``(before, inside)`` when ``text`` ends with a bracketed group, matched across nesting."""
    t = text.rstrip()
    if not t or t[-1] not in CLOSERS:
        return None
    depth = 0
    for i in range(len(t) - 1, -1, -1):
        ch = t[i]
        if ch in CLOSERS:
            depth += 1
        elif ch in OPENERS:
            depth -= 1
            if depth == 0:
                return t[:i], t[i + 1 : -1]
    return None


def has_label(text: str) -> bool:
    return bool(_LABEL.match(text))


def _merge(items: list[str]) -> list[str]:
    out: list[str] = []
    carry = ""
    for item in items:
        if carry:
            item = carry + "、" + item
            carry = ""
        if item in _LEVEL_WORDS:
            carry = item
            continue
        if out and item in _BODIES and out[-1].endswith(_PARTY):
            out[-1] = out[-1] + "、" + item
            continue
        out.append(item)
    if carry:
        out.append(carry)
    return out


def _distribute(items: list[str]) -> list[str]:
    out = list(items)
    i = 0
    while i < len(out):
        j = i
        while j < len(out) and _BARE_PLACE.match(out[j]):
            j += 1
        if j > i and j < len(out):
            m = _PLACE_WITH_BODY.match(out[j])
            if m:
                for k in range(i, j):
                    out[k] = out[k] + m.group(2)
        i = j + 1 if j > i else i + 1
    return out


def split_units(text: str | None) -> UnitList:
    """Split one unit-list cell; ``None`` and blank cells give an empty list."""
    raw = (text or "").strip()
    if not raw:
        return UnitList()
    body = _LABEL.sub("", re.sub(r"\s+", "", raw))
    items = [p for p in top_level_split(body) if p]
    items = _distribute(_merge(items))
    open_ended = False
    if items:
        last = items[-1]
        m = _ETC.search(last)
        if m and len(last) > len(m.group(0)):
            items[-1] = last[: m.start()]
            open_ended = True
    return UnitList(tuple(items), open_ended, raw)


def looks_like_units(text: str) -> bool:
    """Whether bracketed text reads as a unit list (used for brackets without a 责任单位 label)."""
    if has_label(text):
        return True
    units = split_units(text)
    if not units.names or "。" in text:
        return False
    suffixes = (
        "局",
        "委",
        "会",
        "院",
        "政府",
        "办事处",
        "中心",
        "部",
        "办",
        "党委",
        "所",
        "站",
        "队",
        "厅",
        "室",
    )
    hits = sum(
        1 for n in units.names if re.sub(r"[（(〔].*$", "", n).endswith(suffixes) or n.endswith(suffixes)
    )
    return hits * 2 > len(units.names)
