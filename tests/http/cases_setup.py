"""Cases on the shared test platform: the monitoring run's clues opened once (as the administrator),
and a JPEG with GPS EXIF taken at a point of a case's patch (tests/cases/photos.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

import shapely

from gengbao.domain.access import Actor, Role
from gengbao.services.cases import clues, queries
from tests.cases.photos import jpeg
from tests.http.conftest import INSIDE, OTHER_COUNTIES, Platform

ROOT = Actor("root", Role.ADMIN, "")
OPENED = date(2023, 3, 1)


def cases(p: Platform) -> dict[str, list[str]]:
    """Case numbers by county: ``INSIDE`` (昌江区, nine cases) and each of ``OTHER_COUNTIES``."""
    ctx = p.ctx.acting_as(ROOT)
    clues.open_from_run(ctx, p.run_id, OPENED)  # a second call skips what is already open
    numbers = sorted(c.number for c in queries.list_cases(ctx) if "-" not in c.number)
    return {county: [n for n in numbers if n.startswith(county)] for county in (INSIDE, *OTHER_COUNTIES)}


def photo_at(p: Platform, number: str, seed: int, azimuth: float = 135.5) -> bytes:
    """A JPEG taken inside the case's patch (at a point on its surface), after the later epoch."""
    g = p.ctx.acting_as(ROOT)
    view = queries.show(g, number)
    geom = _geometry(p, view.number)
    pt = geom.representative_point()
    return jpeg(seed, lon=pt.x, lat=pt.y, azimuth=azimuth)


def _geometry(p: Platform, number: str) -> Any:
    from gengbao.services.cases import history

    return shapely.geometry.shape(history.geometry(p.ctx.acting_as(ROOT), number))


def case_with_photo(p: Platform) -> tuple[str, str, str]:
    """(an inside case with one stored photo, that photo's SHA-256, a case of another county)."""
    from gengbao.services.cases.evidence import add_evidence

    numbers = cases(p)
    number = numbers[INSIDE][5]
    ctx = p.ctx.acting_as(ROOT)
    shown = queries.show(ctx, number).evidence
    if not shown:
        folder = p.root / "matrix-photo"
        folder.mkdir(exist_ok=True)
        f = folder / "matrix.jpg"
        f.write_bytes(photo_at(p, number, 401))
        add_evidence(ctx, number, [f], "远景", OPENED)
        shown = queries.show(ctx, number).evidence
    return number, str(shown[0]["sha256"]), numbers[OTHER_COUNTIES[0]][0]
