"""Fixtures: a workspace on SQLite and PostgreSQL, actors of each role, and a manual clue's polygon."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from shapely.geometry import box

from gengbao.domain.access import Actor, Role
from gengbao.domain.cases.numbers import ClueSource
from gengbao.services.cases.clues import open_manual
from gengbao.services.context import Context
from gengbao.services.workspace import init_workspace

COUNTY = "360281"
LAND = box(117.2000, 29.3000, 117.2010, 29.3008)  # ~97 m × ~89 m
FILLER = Actor("wang", Role.COUNTY_FILLER, COUNTY)
COUNTY_REVIEWER = Actor("zhao", Role.COUNTY_REVIEWER, COUNTY)
CITY = Actor("li", Role.CITY_REVIEWER, "3602")
PROVINCE = Actor("chen", Role.PROVINCE_REVIEWER, "36")
OTHER_COUNTY = Actor("sun", Role.COUNTY_FILLER, "360203")
DAY = date(2024, 5, 10)


@pytest.fixture
def ws(tmp_path: Path, db_url: str | None) -> Context:
    return init_workspace(tmp_path / "ws", COUNTY, db_url)


@pytest.fixture
def case_no(ws: Context) -> str:
    res = open_manual(ws.acting_as(FILLER), ClueSource.REPORT, COUNTY, DAY, geometry=LAND, reference="群众举报 001")
    return res.opened[0]
