"""Split checks: exact partitions pass; overlaps, gaps, pieces outside and invalid pieces are each
found with their area (areas computed, never typed in)."""

from __future__ import annotations

from shapely.geometry import Point, Polygon, box

from gengbao.spatial.area import ellipsoidal_area
from gengbao.spatial.split import check_split

PATCH = box(117.0, 29.0, 117.002, 29.001)


def test_exact_partition() -> None:
    pieces = [box(117.0, 29.0, 117.001, 29.001), box(117.001, 29.0, 117.002, 29.001)]
    res = check_split(PATCH, pieces)
    assert res.ok
    total = float(ellipsoidal_area([PATCH])[0])
    assert abs(sum(res.piece_areas_m2) - total) <= 0.01 and res.patch_area_m2 == round(total, 2)


def test_overlap_and_gap_and_outside() -> None:
    over = check_split(PATCH, [box(117.0, 29.0, 117.0012, 29.001), box(117.001, 29.0, 117.002, 29.001)])
    assert [f.code for f in over.findings] == ["cases.split_overlap"]
    a = float(ellipsoidal_area([box(117.001, 29.0, 117.0012, 29.001)])[0])
    assert abs(float(over.findings[0].value or 0) - a) <= 0.01
    gap = check_split(PATCH, [box(117.0, 29.0, 117.0009, 29.001), box(117.001, 29.0, 117.002, 29.001)])
    assert [f.code for f in gap.findings] == ["cases.split_gap"]
    out = check_split(PATCH, [box(117.0, 29.0, 117.001, 29.001), box(117.001, 29.0, 117.003, 29.001)])
    assert [f.code for f in out.findings] == ["cases.split_outside"]


def test_invalid_pieces() -> None:
    bow = Polygon([(117.0, 29.0), (117.002, 29.001), (117.002, 29.0), (117.0, 29.001)])
    res = check_split(PATCH, [bow, Point(117.0, 29.0)])
    assert [f.code for f in res.findings] == ["cases.split_piece_invalid"] * 2
    assert [f.code for f in check_split(PATCH, [PATCH]).findings] == ["cases.split_too_few"]
