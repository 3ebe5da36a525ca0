"""Administrative regions (行政区划): levels, codes, hierarchy and located-in code (ZLDWDM) checks.

Codes follow GB/T 2260 + the NBS statistical code list: 2 digits province, 4 city, 6 county,
9 township, 12 village. A survey's ZLDWDM is 19 characters: the 12-digit village code and a
7-digit group (村民小组) code. Codes padded with zeros (``360200`` for a city, ``360202000000`` for a
county) are normalised to their short form.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from gengbao.domain.errors import InputError, NotFoundError


class RegionLevel(StrEnum):
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"
    VILLAGE = "village"

    @property
    def digits(self) -> int:
        return _DIGITS[self]

    @property
    def label(self) -> str:
        return _LABELS[self]

    @classmethod
    def of_digits(cls, n: int) -> RegionLevel:
        for level, d in _DIGITS.items():
            if d == n:
                return level
        raise InputError(f"行政区划代码位数 {n} 不合法（应为 2、4、6、9 或 12 位）", code="region.code_length")


_DIGITS = {
    RegionLevel.PROVINCE: 2,
    RegionLevel.CITY: 4,
    RegionLevel.COUNTY: 6,
    RegionLevel.TOWNSHIP: 9,
    RegionLevel.VILLAGE: 12,
}
_LABELS = {
    RegionLevel.PROVINCE: "省级",
    RegionLevel.CITY: "市级",
    RegionLevel.COUNTY: "县级",
    RegionLevel.TOWNSHIP: "乡级",
    RegionLevel.VILLAGE: "村级",
}
LEVELS_DOWN = tuple(RegionLevel)
ZLDWDM_LENGTH = 19


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    name: str
    level: RegionLevel
    parent: str | None


_PADDING = {12: 9, 9: 6, 6: 4, 4: 2}


def _strip_once(c: str) -> str:
    """Drop one level of zero padding (``360202000000`` → ``360202000``), or return ``c``."""
    shorter = _PADDING.get(len(c))
    return c[:shorter] if shorter is not None and set(c[shorter:]) == {"0"} else c


def normalise_code(code: str) -> str:
    """Strip zero padding: ``360200`` → ``3602``, ``360202000000`` → ``360202``, ``36`` stays."""
    c = code.strip()
    if not c.isdigit() or len(c) not in (2, 4, 6, 9, 12):
        raise InputError(f"“{code}”不是合法的行政区划代码（应为 2、4、6、9 或 12 位数字）", code="region.code_format")
    while (shorter := _strip_once(c)) != c:
        c = shorter
    return c


def code_prefix(code: str, level: RegionLevel) -> str:
    """The code of the ancestor at ``level`` (``360202001001`` at county → ``360202``)."""
    return code[: level.digits]


def zldwdm_problem(value: str) -> str | None:
    """Why a located-in code (ZLDWDM) is malformed, or None when it is well formed."""
    if len(value) != ZLDWDM_LENGTH:
        return f"长度为 {len(value)}，应为 {ZLDWDM_LENGTH} 位（12 位村级代码 + 7 位村民小组代码）"
    if not value.isascii() or not value.isdigit():
        bad = next(ch for ch in value if not (ch.isascii() and ch.isdigit()))
        return f"含非数字字符“{bad}”"
    return None


class RegionCatalog:
    """An immutable set of regions with hierarchy queries."""

    def __init__(self, regions: Iterable[Region], source: str = "") -> None:
        self._by_code: dict[str, Region] = {}
        self._children: dict[str, list[str]] = {}
        self.source = source
        for r in regions:
            self._by_code[r.code] = r
        for r in self._by_code.values():
            if r.parent:
                self._children.setdefault(r.parent, []).append(r.code)
        for kids in self._children.values():
            kids.sort()

    def __len__(self) -> int:
        return len(self._by_code)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self._by_code

    def __iter__(self) -> Iterator[Region]:
        return iter(self._by_code.values())

    def normalise_code(self, code: str) -> str:
        """Like ``normalise_code`` but stops at a code the catalogue holds (``441900`` is a county)."""
        c = code.strip()
        normalise_code(c)  # validates the format
        while c not in self._by_code and (shorter := _strip_once(c)) != c:
            c = shorter
        return c

    def get(self, code: str) -> Region:
        c = self.normalise_code(code)
        try:
            return self._by_code[c]
        except KeyError:
            raise NotFoundError(
                f"行政区划代码 {code} 不在区划代码表中（{self.source or '内置代码表'}）", code="region.unknown"
            ) from None

    def find(self, code: str) -> Region | None:
        return self._by_code.get(code)

    def parent(self, code: str) -> Region | None:
        p = self.get(code).parent
        return self._by_code.get(p) if p else None

    def children(self, code: str) -> list[Region]:
        return [self._by_code[c] for c in self._children.get(self.normalise_code(code), [])]

    def ancestors(self, code: str) -> list[Region]:
        out: list[Region] = []
        r: Region | None = self.parent(code)
        while r is not None:
            out.append(r)
            r = self._by_code.get(r.parent) if r.parent else None
        return out

    def descendants(self, code: str, level: RegionLevel | None = None) -> list[Region]:
        out: list[Region] = []
        stack = list(reversed(self._children.get(self.normalise_code(code), [])))
        while stack:
            r = self._by_code[stack.pop()]
            if level is None or r.level == level:
                out.append(r)
            stack.extend(reversed(self._children.get(r.code, [])))
        return out

    def contains(self, ancestor: str, code: str) -> bool:
        """True when ``code`` is ``ancestor`` or lies below it (by the code list's hierarchy)."""
        a = self.normalise_code(ancestor)
        c = self.normalise_code(code)
        if a == c:
            return True
        return any(r.code == a for r in self.ancestors(c)) if c in self._by_code else False

    def by_name(self, name: str, within: str | None = None) -> list[Region]:
        """Regions whose name is ``name`` (exact), optionally below ``within``."""
        hits = [r for r in self._by_code.values() if r.name == name.strip()]
        if within is not None:
            hits = [r for r in hits if self.contains(within, r.code)]
        return sorted(hits, key=lambda r: r.code)

    def county_of(self, code: str) -> str:
        return code_prefix(code, RegionLevel.COUNTY)
