"""meets_any never misses a meeting box (against brute force) and lets through few that do not."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gengbao.spatial.boxes import meets_any


def brute(own: np.ndarray, query: np.ndarray) -> np.ndarray:
    m = np.zeros(len(own), bool)
    for q in query:
        m |= (own[:, 0] <= q[2]) & (own[:, 2] >= q[0]) & (own[:, 1] <= q[3]) & (own[:, 3] >= q[1])
    return m


def boxes(rng: np.random.Generator, n: int, size: float) -> np.ndarray:
    x, y = 116 + rng.uniform(0, 0.2, n), 29 + rng.uniform(0, 0.2, n)
    return np.column_stack([x, y, x + rng.uniform(0, size, n), y + rng.uniform(0, size, n)])


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**6), n=st.integers(0, 300), m=st.integers(0, 40), cells=st.sampled_from([1, 7, 64, 1024]))
def test_no_meeting_box_is_missed(seed: int, n: int, m: int, cells: int) -> None:
    rng = np.random.default_rng(seed)
    own, query = boxes(rng, n, 2e-3), boxes(rng, m, 5e-3)
    got, want = meets_any(own, query, cells), brute(own, query)
    assert not (want & ~got).any()
    if cells == 1 and m:
        assert got.all()  # one cell: everything may meet


def test_touching_and_degenerate_boxes() -> None:
    own = np.array([[0, 0, 1, 1], [1, 1, 2, 2], [3, 3, 3, 3], [5, 5, 6, 6]], float)  # a point box at (3, 3)
    query = np.array([[1, 0, 1.5, 0.5], [3, 3, 4, 4]], float)  # touches box 0 at x = 1; covers the point
    assert meets_any(own, query).tolist() == [True, False, True, False]


def test_few_false_hits_on_a_realistic_layer() -> None:
    rng = np.random.default_rng(3)
    own, query = boxes(rng, 100_000, 6e-4), boxes(rng, 2_000, 6e-4)
    want = brute(own, query)
    # boxes up to 6e-4° across; false hits come from the one-cell margin around each query box, so they
    # fall as the cells shrink: 512 cells (4e-4°) let through 2.64×, 1024 cells (2e-4°) 1.72×
    for cells, bound in ((512, 2.8), (1024, 1.8)):
        got = meets_any(own, query, cells)
        assert not (want & ~got).any()
        assert want.sum() < got.sum() <= bound * want.sum()


def test_empty_geometries_meet_nothing() -> None:
    """An empty geometry's bounds are NaN: such a query box meets nothing, such an own box is False."""
    nan = [np.nan] * 4
    own = np.array([[0, 0, 1, 1], nan, [5, 5, 6, 6]], float)
    query = np.array([nan, [0.5, 0.5, 2, 2]], float)
    assert meets_any(own, query).tolist() == [True, False, False]
    assert meets_any(own, np.array([nan])).tolist() == [False, False, False]
