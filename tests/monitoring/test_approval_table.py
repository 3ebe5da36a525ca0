"""A county task gets the approvals whose extent meets its county's: no fewer (checked against brute force
on the real polygons), and all of them when an extent is unknown."""

from __future__ import annotations

from datetime import date

import numpy as np
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from gengbao.domain.legality import Approval, ApprovalKind
from gengbao.monitoring.model import ApprovalTable


def table(seed: int, n: int) -> tuple[ApprovalTable, np.ndarray]:
    rng = np.random.default_rng(seed)
    x, y = 116 + rng.uniform(0, 1, n), 29 + rng.uniform(0, 1, n)
    geoms = shapely.box(x, y, x + rng.uniform(0, 0.05, n), y + rng.uniform(0, 0.05, n))
    approvals = tuple(Approval(f"A{i:04d}", ApprovalKind.CONVERSION, date(2022, 1, 1)) for i in range(n))
    wkb = tuple(bytes(w) for w in shapely.to_wkb(geoms))
    return ApprovalTable(approvals, wkb, shapely.bounds(geoms)), geoms


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10**6), n=st.integers(0, 200), x=st.floats(115.9, 117.1), w=st.floats(0, 0.6))
def test_near_keeps_every_approval_that_meets_the_extent(seed: int, n: int, x: float, w: float) -> None:
    t, geoms = table(seed, n)
    extent = (x, 29.3, x + w, 29.3 + w)
    got = t.near(extent)
    meets = shapely.intersects(geoms, shapely.box(*extent)) if n else np.zeros(0, bool)
    assert sorted(a.id for a in got.approvals) == [t.approvals[i].id for i in np.flatnonzero(meets)]
    for a, wkb in zip(got.approvals, got.wkb, strict=True):  # records and polygons stay paired
        assert wkb == t.wkb[int(a.id[1:])]
    assert got.bounds is not None and len(got.bounds) == len(got.approvals)


def test_unknown_extent_or_bounds_keep_everything() -> None:
    t, _ = table(1, 30)
    assert t.near(None) is t
    no_bounds = ApprovalTable(t.approvals, t.wkb)
    assert no_bounds.near((116.0, 29.0, 116.1, 29.1)) is no_bounds
    assert len(t.near((0.0, 0.0, 1.0, 1.0)).approvals) == 0


def test_a_table_pickles_to_an_equal_table() -> None:
    """Tasks ship their approvals pickled (as columns): every field comes back, None and Decimal included."""
    import pickle
    from decimal import Decimal

    t, _ = table(2, 5)
    odd = (Approval("F1", ApprovalKind.FACILITY, date(2021, 3, 4), None, Decimal("1234.56")),
           Approval("T1", ApprovalKind.TEMPORARY, date(2020, 1, 1), date(2022, 6, 30), None))
    t = ApprovalTable(t.approvals + odd, t.wkb + t.wkb[:2], np.vstack([t.bounds, t.bounds[:2]]))
    back = pickle.loads(pickle.dumps(t))
    assert back.approvals == t.approvals and back.wkb == t.wkb
    assert np.array_equal(back.bounds, t.bounds)
    assert pickle.loads(pickle.dumps(ApprovalTable())).approvals == ()
