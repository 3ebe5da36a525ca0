"""Evidence through the use case: refusals store nothing (no file, no row, no audit); findings for
distance, time, reuse of the same bytes and near-duplicates across cases; verify notices edited
metadata in the database."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from gengbao.adapters.db import audit_store as audit
from gengbao.domain.cases.numbers import ClueSource
from gengbao.domain.errors import InputError
from gengbao.services.cases.clues import open_manual
from gengbao.services.cases.evidence import add_evidence, verify_evidence
from gengbao.services.cases.queries import show
from gengbao.services.context import Context
from tests.cases import photos
from tests.cases.conftest import COUNTY, DAY, FILLER, LAND


def stored_files(ws: Context) -> list[Path]:
    return sorted(p for p in ws.layout.evidence.rglob("*") if p.is_file() and p.name != ".secret")


BAD = [
    (photos.jpeg(lon=None, lat=None), "no_gps.jpg", "evidence.no_gps"),
    (photos.jpeg(taken=None), "no_time.jpg", "evidence.no_time"),
    (photos.truncated(), "cut.jpg", "evidence.corrupt"),
    (photos.png(), "renamed.jpg", "evidence.extension_mismatch"),
    (b"not a photo at all", "x.jpg", "evidence.not_image"),
]


def test_refused_photo_stores_nothing(ws: Context, case_no: str, tmp_path: Path) -> None:
    good = tmp_path / "good.jpg"
    good.write_bytes(photos.jpeg(4, lon=117.2005, lat=29.3004))
    with ws.sessions() as s:
        before = audit.count(s)
    for data, name, code in BAD:
        bad = tmp_path / name
        bad.write_bytes(data)
        with pytest.raises(InputError) as exc:
            add_evidence(ws.acting_as(FILLER), case_no, [good, bad], "近景", DAY)
        assert exc.value.code == code and name in exc.value.message
        assert stored_files(ws) == [] and show(ws, case_no).evidence == ()
    with ws.sessions() as s:
        assert audit.count(s) == before


def test_findings_across_cases(ws: Context, case_no: str, tmp_path: Path) -> None:
    second = open_manual(ws.acting_as(FILLER), ClueSource.PATROL, COUNTY, DAY,
                         location="石鱼镇某村", reference="巡查-3").opened[0]
    a, b, c = tmp_path / "a.jpg", tmp_path / "b.jpg", tmp_path / "c.jpg"
    a.write_bytes(photos.jpeg(8, lon=117.2005, lat=29.3004))
    b.write_bytes(photos.jpeg(8, lon=117.2005, lat=29.3004, quality=60))  # same picture, other bytes
    c.write_bytes(photos.jpeg(9, lon=117.2030, lat=29.3004, taken=datetime(2023, 6, 1, 8, 0)))
    first = add_evidence(ws.acting_as(FILLER), case_no, [a], "远景", DAY)
    assert [f.code for f in first.findings] == ["evidence.missing_views"]
    far = add_evidence(ws.acting_as(FILLER), case_no, [c], "近景", DAY)
    assert [f.code for f in far.findings] == ["evidence.too_far"]  # ~195 m east of the land's edge
    assert 150 < float(far.findings[0].value or 0) < 250
    reused = add_evidence(ws.acting_as(FILLER), second, [a, b], "近景", DAY)
    assert [f.code for f in reused.findings] == ["evidence.reused", "evidence.near_duplicate",
                                                 "evidence.missing_views"]
    assert len(stored_files(ws)) == 3  # a stored once, b and c
    assert {f.code for f in show(ws, second).findings} >= {"evidence.reused", "evidence.near_duplicate"}
    assert verify_evidence(ws) == []
    with ws.transaction() as s:
        s.execute(text("UPDATE case_evidence SET lon = lon + 0.01 WHERE id = 1"))
    assert [f.code for f in verify_evidence(ws)] == ["evidence.metadata_changed"]


def test_photo_before_the_later_epoch(ws: Context, tmp_path: Path) -> None:
    from gengbao.adapters.db import case_store
    number = open_manual(ws.acting_as(FILLER), ClueSource.PATROL, COUNTY, DAY, geometry=LAND).opened[0]
    with ws.transaction() as s:
        rec = case_store.get_case(s, number)
        case_store.update_case(s, rec, rec.version, {"to_epoch": 2023})
    p = tmp_path / "old.jpg"
    p.write_bytes(photos.jpeg(3, lon=117.2005, lat=29.3004, taken=datetime(2023, 11, 30, 12, 0)))
    res = add_evidence(ws.acting_as(FILLER), number, [p], "远景", date(2024, 1, 5))
    assert [f.code for f in res.findings] == ["evidence.before_epoch", "evidence.missing_views"]
