"""Monitoring figures: a patch's areas, a region's summary, and the key ratio (DOMAIN.md §5).

Areas are summed as integer hundredths of m² (each patch area is rounded to 0.01 m² once, as survey
areas are stored) and become ``Decimal`` m² only in the summary, so totals are exact and additive.

The key ratio (监察部令第15号): illegal farmland occupation ÷ all farmland actually occupied by new
construction in the period.

* Denominator (``new_construction_farmland_m2``): Σ farmland area (the part of each patch lying on
  farmland of the earlier epoch) of every 非农化 patch — farmland that became construction land or a
  1301–1304 work class between the two epochs, lawful or not. Approved but not built land is not a
  patch and so is excluded.
* Numerator (``illegal_construction_farmland_m2``): the same sum over those 非农化 patches prejudged
  illegal (疑似违法, 临时用地到期未复垦).

Both are reported with the ratio so a reader can check it. The ratio is None when nothing was built.
Findings without a class change stay out of it: 临时用地到期未复垦 on land that was already 1301 at the
earlier epoch was occupied (and counted as built) in the period its use began; its farmland area (the
land's class before the temporary use, where the workspace holds that epoch) does count in
``illegal_farmland_m2``, and its area in ``temporary_expired_m2``.

Figures without a class change: ``abandonment_m2`` / ``abandonment_pbf_m2`` (撂荒: farmland whose
ZZSXDM became WG, and the part of it on PBF), ``non_grain_crop_pbf_m2`` (PBF whose ZZSXDM became FLS),
``temporary_expired_m2`` (every part judged 临时用地到期未复垦, with or without a class change);
``redline_m2``: the part of every change lying in the ecological redline (生态保护红线 reference layer).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from gengbao.domain.change import ChangeType
from gengbao.domain.legality import Legality

RATIO_PLACES = Decimal("0.000001")
CENT = Decimal("0.01")

KEY_RATIO_DENOMINATOR = (
    "新增建设实际占用耕地面积：本期全部非农化图斑（耕地→建设用地或 1301–1304 工作地类，含合法与违法）"
    "位于前一期耕地上的面积之和；已批未建不计"
)
KEY_RATIO_NUMERATOR = "违法占用耕地面积：上述非农化图斑中预判为疑似违法或临时用地到期未复垦部分的耕地面积之和"


def epoch_date(year: int) -> date:
    """The standard date of a survey epoch (三调 and the yearly change surveys: 31 December)."""
    return date(year, 12, 31)


@dataclass(frozen=True, slots=True)
class Figures:
    """Sums over patch parts, in integer hundredths of m² (``count`` is a number of parts)."""

    count: int = 0
    area: int = 0
    farmland: int = 0
    pbf: int = 0
    agricultural: int = 0
    unused: int = 0
    redline: int = 0

    def __add__(self, other: Figures) -> Figures:
        return Figures(*(a + b for a, b in zip(self.astuple(), other.astuple(), strict=True)))

    def astuple(self) -> tuple[int, int, int, int, int, int, int]:
        return (self.count, self.area, self.farmland, self.pbf, self.agricultural, self.unused, self.redline)


Cells = Mapping[tuple[ChangeType, Legality], Figures]


def m2(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


def key_ratio(illegal_m2: Decimal, occupied_m2: Decimal) -> Decimal | None:
    """Illegal farmland occupation ÷ farmland occupied by new construction, to 6 decimals (half up)."""
    if occupied_m2 <= 0:
        return None
    if illegal_m2 < 0 or illegal_m2 > occupied_m2:
        raise ValueError("illegal occupation must lie between 0 and the occupied area")
    return (illegal_m2 / occupied_m2).quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class RegionSummary:
    region: str
    name: str
    level: str
    patches: int
    parts: int
    changed_m2: Decimal
    new_construction_farmland_m2: Decimal
    illegal_construction_farmland_m2: Decimal
    illegal_farmland_m2: Decimal
    illegal_pbf_m2: Decimal
    key_ratio: Decimal | None
    non_grain_outflow_m2: Decimal
    non_grain_pbf_m2: Decimal
    inflow_m2: Decimal
    abandonment_m2: Decimal = Decimal("0.00")
    abandonment_pbf_m2: Decimal = Decimal("0.00")
    non_grain_crop_pbf_m2: Decimal = Decimal("0.00")
    temporary_expired_m2: Decimal = Decimal("0.00")
    redline_m2: Decimal = Decimal("0.00")
    by_type_m2: dict[str, Decimal] = field(default_factory=dict)
    by_legality_m2: dict[str, Decimal] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        def text(v: Decimal | None) -> str | None:
            return None if v is None else str(v)

        return {
            "region": self.region, "name": self.name, "level": self.level, "patches": self.patches,
            "parts": self.parts,
            "changed_m2": text(self.changed_m2),
            "new_construction_farmland_m2": text(self.new_construction_farmland_m2),
            "illegal_construction_farmland_m2": text(self.illegal_construction_farmland_m2),
            "illegal_farmland_m2": text(self.illegal_farmland_m2),
            "illegal_pbf_m2": text(self.illegal_pbf_m2),
            "key_ratio": text(self.key_ratio),
            "key_ratio_numerator_m2": text(self.illegal_construction_farmland_m2),
            "key_ratio_denominator_m2": text(self.new_construction_farmland_m2),
            "non_grain_outflow_m2": text(self.non_grain_outflow_m2),
            "non_grain_pbf_m2": text(self.non_grain_pbf_m2),
            "inflow_m2": text(self.inflow_m2),
            "abandonment_m2": text(self.abandonment_m2),
            "abandonment_pbf_m2": text(self.abandonment_pbf_m2),
            "non_grain_crop_pbf_m2": text(self.non_grain_crop_pbf_m2),
            "temporary_expired_m2": text(self.temporary_expired_m2),
            "redline_m2": text(self.redline_m2),
            "by_type_m2": {k: str(v) for k, v in sorted(self.by_type_m2.items())},
            "by_legality_m2": {k: str(v) for k, v in sorted(self.by_legality_m2.items())},
        }


def _total(cells: Cells, want: object) -> Figures:
    total = Figures()
    for key, figures in cells.items():
        if want is None or (callable(want) and want(*key)):
            total = total + figures
    return total


def summarise(region: str, name: str, level: str, cells: Cells, patches: int) -> RegionSummary:
    """A region's summary from its part figures by (change type, legality); ``patches`` counts the
    change patches (a patch split by PBF or approvals has several parts)."""
    everything = _total(cells, None)
    built = _total(cells, lambda t, _lg: t is ChangeType.NON_AGRICULTURAL)
    built_illegal = _total(cells, lambda t, lg: t is ChangeType.NON_AGRICULTURAL and lg.is_illegal)
    illegal = _total(cells, lambda _t, lg: lg.is_illegal)
    non_grain = _total(cells, lambda t, _lg: t is ChangeType.NON_GRAIN)
    inflow = _total(cells, lambda t, _lg: t is ChangeType.INFLOW)
    abandoned = _total(cells, lambda t, _lg: t is ChangeType.ABANDONMENT)
    crops = _total(cells, lambda t, _lg: t is ChangeType.NON_GRAIN_CROP)
    expired = _total(cells, lambda _t, lg: lg is Legality.TEMPORARY_EXPIRED)
    by_type: dict[str, int] = {}
    by_legality: dict[str, int] = {}
    for (t, lg), f in cells.items():
        by_type[t.value] = by_type.get(t.value, 0) + f.area
        by_legality[lg.value] = by_legality.get(lg.value, 0) + f.area
    occupied, illegal_built = m2(built.farmland), m2(built_illegal.farmland)
    return RegionSummary(
        region=region, name=name, level=level, patches=patches, parts=everything.count, changed_m2=m2(everything.area),
        new_construction_farmland_m2=occupied, illegal_construction_farmland_m2=illegal_built,
        illegal_farmland_m2=m2(illegal.farmland), illegal_pbf_m2=m2(illegal.pbf),
        key_ratio=key_ratio(illegal_built, occupied), non_grain_outflow_m2=m2(non_grain.farmland),
        non_grain_pbf_m2=m2(non_grain.pbf), inflow_m2=m2(inflow.area), abandonment_m2=m2(abandoned.farmland),
        abandonment_pbf_m2=m2(abandoned.pbf), non_grain_crop_pbf_m2=m2(crops.pbf),
        temporary_expired_m2=m2(expired.area), redline_m2=m2(everything.redline),
        by_type_m2={k: m2(v) for k, v in by_type.items()}, by_legality_m2={k: m2(v) for k, v in by_legality.items()},
    )
