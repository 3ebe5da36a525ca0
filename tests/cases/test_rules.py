"""Case rules are data: a workspace's rules/cases.yaml changes the deadline, the photo distance and the
selection; bad files are refused with their codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from gengbao.domain.cases.numbers import ClueSource
from gengbao.domain.cases.profile import CaseRules
from gengbao.domain.errors import RuleError
from gengbao.services.cases.clues import open_manual
from gengbao.services.cases.evidence import add_evidence
from gengbao.services.cases.rules import rules_for, rules_path
from gengbao.services.context import Context
from gengbao.services.workspace import init_workspace
from tests.cases import photos
from tests.cases.conftest import COUNTY, DAY, FILLER, LAND


@pytest.fixture
def sqlite_ws(tmp_path: Path) -> Context:
    return init_workspace(tmp_path / "ws", COUNTY)


def write(ws: Context, text: str) -> None:
    rules_path(ws).parent.mkdir(exist_ok=True)
    rules_path(ws).write_text(text, encoding="utf-8")


def test_rules_file_applies(sqlite_ws: Context, tmp_path: Path) -> None:
    assert rules_for(sqlite_ws) == CaseRules()
    write(sqlite_ws, "deadline_days: 30\nphoto_max_distance_m: 50\nclosure_tolerance: {m2: 5, share: 0.02}\n"
                     "selection: {legality: [suspected_illegal]}\n")
    r = rules_for(sqlite_ws)
    assert (r.deadline_days, r.photo_max_distance_m, str(r.closure_tolerance.share)) == (30, 50.0, "0.02")
    assert r.selection.selects("suspected_illegal", "x", False) and not r.selection.selects("facility_excess", "x",
                                                                                              False)
    number = open_manual(sqlite_ws.acting_as(FILLER), ClueSource.PATROL, COUNTY, DAY, geometry=LAND).opened[0]
    p = tmp_path / "p.jpg"  # ~73 m east of the land's edge: flagged under 50 m, not under the default 100 m
    p.write_bytes(photos.jpeg(5, lon=117.20175, lat=29.3004))
    res = add_evidence(sqlite_ws.acting_as(FILLER), number, [p], "远景", DAY)
    assert "evidence.too_far" in {f.code for f in res.findings}


@pytest.mark.parametrize("text,code", [
    ("deadline_days: [", "cases.rules_invalid"),
    ("- 1\n- 2\n", "cases.rules_invalid"),
    ("deadline: 30\n", "cases.rules_unknown"),
    ("deadline_days: soon\n", "cases.rules_invalid"),
])
def test_bad_rules_file(sqlite_ws: Context, text: str, code: str) -> None:
    write(sqlite_ws, text)
    with pytest.raises(RuleError) as exc:
        rules_for(sqlite_ws)
    assert exc.value.code == code
