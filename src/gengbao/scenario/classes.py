"""Land classes the generator writes, and the default deduction (田坎) coefficients.

Codes and names come from ``gengbao.domain.land_classes`` (one source of truth).
"""

from __future__ import annotations

from gengbao.domain import land_classes

FARMLAND = land_classes.FARMLAND_CODES
PADDY, IRRIGATED, DRY = FARMLAND
TERRACE_DEDUCTION = "1203"
POND, POND_AQUA = "1104", "1104A"
FACILITY = "1202"
TEMPORARY = "1301"
RIVER, RESERVOIR, HIGHWAY = "1101", "1103", "1003"
RURAL_ROAD, TOWN_ROAD, CANAL = "1006", "1004", "1107"
HOMESTEAD = "0702"

# Construction (建设用地) classes the generator writes, for change classification in tests.
CONSTRUCTION = frozenset({"05H1", "0508", "0601", "0602", "0701", "0702", "08H1", "08H2", "0809", "0810",
                          "1003", "1004", "1201", "1301"})

# Default deduction coefficients (KCXS) by farmland type and slope grade (local; a provincial table).
DEFAULT_KCXS: dict[str, dict[int, float]] = {
    "PD": {1: 0.0, 2: 0.021, 3: 0.052, 4: 0.103, 5: 0.152},
    "TT": {1: 0.0, 2: 0.031, 3: 0.078, 4: 0.137, 5: 0.196},
}


def class_name(code: str) -> str:
    """The Chinese name (DLMC) of a land class code, from the domain's table."""
    return land_classes.get(code).name

