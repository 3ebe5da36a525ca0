"""Regional landscape palettes: relief, crops, natural cover, settlement sizes (by province).

Values are plausible defaults for a synthetic county, not statistics of the real one; only the
farmland and PBF totals are calibrated to real targets.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Palette:
    relief_m: float  # standard deviation of the elevation field
    wavelength_km: tuple[float, float]  # range of terrain wavelengths
    paddy: bool  # wet-rice region: flat farmland is paddy (0101)
    irrigated: bool  # dry region with irrigation along rivers (0102)
    farmland_share: float  # default farmland share of county area when no target is given
    pbf_ratio: float  # default PBF / farmland
    town_share: float  # built-up share of a 镇 township
    natural: dict[str, float] = field(default_factory=dict)  # natural cover classes and weights
    fringe: dict[str, float] = field(default_factory=dict)  # farmland-edge classes (园/林/草, restorable)


_SOUTH_NATURAL = {"0301": 0.52, "0302": 0.14, "0305": 0.10, "0307": 0.10, "0202": 0.05, "0201": 0.04, "0404": 0.05}
_SOUTH_FRINGE = {"0201": 0.35, "0204": 0.15, "0307": 0.25, "0404": 0.25}

PALETTES: dict[str, Palette] = {
    "36": Palette(160.0, (2.5, 24.0), True, False, 0.18, 0.86, 0.05, _SOUTH_NATURAL, _SOUTH_FRINGE),
    "44": Palette(90.0, (2.0, 16.0), True, False, 0.05, 0.80, 0.30,
                  {"0301": 0.45, "0305": 0.15, "0307": 0.15, "0201": 0.15, "0404": 0.10}, _SOUTH_FRINGE),
    "50": Palette(150.0, (1.5, 12.0), True, False, 0.32, 0.82, 0.06,
                  {"0301": 0.50, "0302": 0.15, "0305": 0.15, "0307": 0.10, "0201": 0.05, "0404": 0.05}, _SOUTH_FRINGE),
    "51": Palette(60.0, (1.2, 8.0), True, False, 0.42, 0.85, 0.04,
                  {"0301": 0.45, "0305": 0.20, "0307": 0.15, "0201": 0.10, "0404": 0.10}, _SOUTH_FRINGE),
    "64": Palette(260.0, (4.0, 40.0), False, True, 0.17, 0.78, 0.05,
                  {"0404": 0.50, "0401": 0.08, "0305": 0.12, "1205": 0.12, "1206": 0.08, "1207": 0.05, "0301": 0.05},
                  {"0404": 0.55, "0204": 0.15, "0307": 0.15, "1206": 0.15}),
}
_DEFAULT = PALETTES["36"]


def palette_for(county: str) -> Palette:
    return PALETTES.get(county[:2], _DEFAULT)


# Built-up (town) classes by settlement level; weights.
COUNTY_TOWN = {"0701": 0.48, "05H1": 0.15, "0601": 0.14, "08H1": 0.05, "08H2": 0.08, "0810": 0.06, "1201": 0.04}
TOWNSHIP_TOWN = {"0701": 0.40, "0702": 0.22, "05H1": 0.10, "0601": 0.14, "08H2": 0.06, "0810": 0.03, "1201": 0.05}
HAMLET = {"0702": 0.86, "1201": 0.05, "08H2": 0.02, "0601": 0.04, "0810": 0.03}
# 城镇村属性码 by settlement level.
CZCSXM = {"county": "201", "township": "202", "hamlet": "203"}
