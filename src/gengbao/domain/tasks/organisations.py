"""The unit directory: departments per region with their aliases, governments from the region code
list, classes that expand to real regions, and collectives.

Names differ between documents (景德镇 writes 市自然资源规划局 where 东莞 writes 市自然资源局: different
cities, different units) and inside one document (市住房和城乡建设局 / 市住房城乡建设局; 中卫's list
writes 市自然资源局、农业农村局 where 农业农村局 is short for 市农业农村局). ``resolve`` matches a
written name against the directory of the document's region and its ancestors: exactly, by alias,
after dropping 和 and bracket style, with the region's level prefix inherited (市/县/镇), or with the
region's full name replaced by that prefix (中卫市农业农村局 → 市农业农村局).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from gengbao.domain.regions import Region, RegionCatalog, RegionLevel
from gengbao.domain.tasks.organisation_classes import (
    CLASS_IN_TEXT,
    COLLECTIVE_IN_TEXT,
    expand,
    is_collective,
    match_class,
    normalise_brackets,
)


class UnitKind(StrEnum):
    DEPARTMENT = "department"
    GOVERNMENT = "government"
    CLASS = "class"
    COLLECTIVE = "collective"
    OTHER = "other"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Unit:
    name: str
    region: str
    kind: UnitKind = UnitKind.DEPARTMENT
    aliases: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "region": self.region,
            "kind": self.kind.value,
            "aliases": list(self.aliases),
        }


@dataclass(frozen=True, slots=True)
class Resolution:
    """How a written name was understood: the unit (None when unknown) and who reports for it."""

    written: str
    unit: Unit | None
    members: tuple[Unit, ...]
    how: str

    @property
    def found(self) -> bool:
        return self.unit is not None


def name_key(name: str) -> str:
    """A comparison key: no white space, one bracket style, and no 和 between words."""
    n = normalise_brackets(name)
    return re.sub(r"(?<=[\u4e00-\u9fff])[和与](?=[\u4e00-\u9fff])", "", n)


def government_name(region: Region) -> str:
    n = region.name
    if n.endswith("街道"):
        return n + "办事处"
    if n.endswith(("村民委员会", "居民委员会")):
        return n
    if n.endswith(("镇", "乡", "县", "区", "市", "旗")):
        return n + "人民政府"
    return n + "管委会"


def government(region: Region) -> Unit:
    return Unit(government_name(region), region.code, UnitKind.GOVERNMENT, (region.name,))


def level_prefix(region: Region) -> str:
    if region.level in (RegionLevel.PROVINCE, RegionLevel.CITY):
        return "省" if region.level is RegionLevel.PROVINCE else "市"
    if region.name.endswith("街道"):
        return "街道"
    last = region.name[-1]
    return last if last in "县区市旗镇乡村" else ""


_PREFIXES = ("街道", "省", "市", "县", "区", "镇", "乡", "村")
_GOV_SUFFIX = re.compile(
    r"(党委、人民政府|党委、政府|党工委、办事处|人民政府（办事处）|人民政府|政府|党委|办事处)$"
)


class UnitDirectory:
    """Units of a workspace: ``units`` (departments and others, from data), plus the code list."""

    def __init__(self, units: Iterable[Unit], catalog: RegionCatalog, scope: str) -> None:
        self.catalog = catalog
        self.scope = scope
        self._units: list[Unit] = []
        self._index: dict[tuple[str, str], Unit] = {}
        self._anywhere: dict[str, list[Unit]] = {}
        for u in units:
            self.add(u)

    def add(self, unit: Unit) -> None:
        self._units.append(unit)
        for n in (unit.name, *unit.aliases):
            k = name_key(n)
            self._index.setdefault((unit.region, k), unit)
            self._anywhere.setdefault(k, []).append(unit)

    @property
    def units(self) -> list[Unit]:
        return list(self._units)

    def chain(self, context: str) -> list[Region]:
        if context not in self.catalog:
            return []
        return [self.catalog.get(context), *self.catalog.ancestors(context)]

    def _lookup(self, name: str, context: str, inherited: str = "") -> tuple[Unit, str] | None:
        n = normalise_brackets(name)
        for region in self.chain(context):
            prefix = level_prefix(region)
            candidates = [(n, "名录")]
            if region.name and n.startswith(region.name) and len(n) > len(region.name):
                candidates.append((prefix + n[len(region.name) :], f"去掉“{region.name}”"))
            if not n.startswith(_PREFIXES):
                if inherited:
                    candidates.append((inherited + n, f"简称，承前补“{inherited}”"))
                candidates.append((prefix + n, f"简称，补“{prefix}”"))
            for cand, how in candidates:
                u = self._index.get((region.code, name_key(cand)))
                if u is not None:
                    alias = how == "名录" and name_key(n) != name_key(u.name)
                    return u, "别名" if alias else how
        hits = {
            (u.region, u.name): u
            for u in self._anywhere.get(name_key(n), [])
            if u.region in self.catalog and self.catalog.contains(self.scope, u.region)
        }
        if len(hits) == 1:
            return next(iter(hits.values())), "名录（其他区域）"
        return None

    def _government(self, name: str, context: str) -> Unit | None:
        n = normalise_brackets(name)
        place = _GOV_SUFFIX.sub("", n)
        if not place or place.startswith("各"):
            return None
        within = [r.code for r in self.chain(context)] + [self.scope]
        for code in within:
            hits = [
                r for r in self.catalog.by_name(place, within=code) if r.level is not RegionLevel.PROVINCE
            ]
            if hits:
                return government(hits[0])
        return None

    def resolve(self, written: str, context: str, inherited: str = "") -> Resolution:
        """Match one written name; ``context`` is the document's region code."""
        cls = match_class(written)
        if cls is not None:
            klass, note = cls
            members = tuple(government(r) for r in expand(klass, note, self.catalog, context))
            unit = Unit(normalise_brackets(written), context, UnitKind.CLASS)
            how = f"{klass.label}类，展开为 {len(members)} 个单位" + (f"（按注“{note}”）" if note else "")
            return Resolution(written, unit, members, how)
        hit = self._lookup(written, context, inherited)
        if hit is not None:
            unit, how = hit
            reporting = unit.kind not in (UnitKind.COLLECTIVE, UnitKind.CLASS)
            return Resolution(written, unit, (unit,) if reporting else (), how)
        gov = self._government(written, context)
        if gov is not None:
            return Resolution(written, gov, (gov,), "行政区划代码表")
        if is_collective(written):
            unit = Unit(normalise_brackets(written), context, UnitKind.COLLECTIVE)
            return Resolution(written, unit, (), "泛指有关单位，不逐一列出")
        stray = Unit(normalise_brackets(written), context, UnitKind.UNKNOWN)
        return Resolution(written, None, (stray,), "不在单位名录中")

    def resolve_list(self, names: Sequence[str], context: str) -> list[Resolution]:
        """Resolve a list in order; a short form inherits the level prefix of the name before it."""
        out: list[Resolution] = []
        inherited = ""
        for name in names:
            r = self.resolve(name, context, inherited)
            n = normalise_brackets(name)
            inherited = next((p for p in _PREFIXES if n.startswith(p)), inherited)
            out.append(r)
        return out

    def find(self, name: str, context: str | None = None) -> Resolution:
        """Resolve a name given on the command line (``--unit``)."""
        return self.resolve(name, context or self.scope)

    def mentions(self, text: str, context: str) -> tuple[str, ...]:
        """Units named in running text: directory names and aliases, classes, collectives."""
        names: set[str] = set()
        for region in self.chain(context):
            for (code, _), unit in self._index.items():
                if code == region.code:
                    names.update(n for n in (unit.name, *unit.aliases) if len(n) >= 3)
        spans: list[tuple[int, int, str]] = []
        for n in sorted(names, key=len, reverse=True):
            for m in re.finditer(re.escape(n), text):
                spans.append((m.start(), m.end(), n))
        for pat in (CLASS_IN_TEXT, COLLECTIVE_IN_TEXT):
            spans.extend((m.start(), m.end(), m.group(0)) for m in pat.finditer(text))
        taken: list[tuple[int, int]] = []
        found: list[tuple[int, str]] = []
        for s, e, n in sorted(spans, key=lambda t: (t[0], -(t[1] - t[0]))):
            if any(s < te and e > ts for ts, te in taken):
                continue
            taken.append((s, e))
            found.append((s, n))
        return tuple(dict.fromkeys(n for _, n in sorted(found)))


def region_in_title(title: str, catalog: RegionCatalog, scope: str) -> str | None:
    """The most specific region under ``scope`` whose full name appears in a document's title."""
    if scope not in catalog:
        return None
    candidates = [catalog.get(scope), *catalog.descendants(scope)]
    hits = [
        r for r in candidates if len(r.name) >= 2 and r.name in title and r.level is not RegionLevel.VILLAGE
    ]
    if not hits:
        return None
    best = max(hits, key=lambda r: len(r.code))
    parent = catalog.find(best.parent) if best.parent else None
    while parent is not None and parent.name == best.name:
        best = parent
        parent = catalog.find(best.parent) if best.parent else None
    return best.code
