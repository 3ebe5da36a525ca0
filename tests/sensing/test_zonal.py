"""Zonal sums by bincount equal a per-zone loop; evidence figures per candidate."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gengbao.sensing.change import ChangeClass, ChangeRule, classify, evidence, ring_counts
from gengbao.sensing.indices import IndexSet
from gengbao.sensing.zonal import zonal_sums


@settings(max_examples=50)
@given(st.integers(1, 20), st.integers(0, 2**31 - 1))
def test_bincount_equals_loop(n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    ids = rng.integers(0, n + 1, (17, 23))
    v = rng.normal(0, 1, ids.shape).astype(np.float32)
    v[rng.random(ids.shape) < 0.1] = np.nan
    ok = rng.random(ids.shape) < 0.8
    s = zonal_sums(ids, n, {"v": v}, ok)
    assert s.count[0] == 0 and s.sums["v"][0] == 0
    for z in range(1, n + 1):
        sel = (ids == z) & ok & np.isfinite(v)
        assert s.count[z] == sel.sum()
        assert abs(s.sums["v"][z] - v[sel].astype(np.float64).sum()) < 1e-9


def _set(ndvi: np.ndarray, ndwi: np.ndarray, built: np.ndarray) -> IndexSet:
    return IndexSet(ndvi.astype(np.float32), ndwi.astype(np.float32), built.astype(np.float32), "ndbi")


def test_classify_and_evidence_by_hand() -> None:
    shape = (6, 8)
    nb, na = np.full(shape, 0.6), np.full(shape, 0.6)
    wb, wa = np.full(shape, -0.5), np.full(shape, -0.5)
    bb, ba = np.full(shape, -0.4), np.full(shape, -0.4)
    na[1:3, 1:3], ba[1:3, 1:3] = 0.1, 0.1  # 4 px built
    wa[4, 5:8] = 0.5  # 3 px water
    clear = np.ones(shape, bool)
    clear_after = clear.copy()
    clear_after[0, 7] = False  # one cloudy pixel
    labels = classify(_set(nb, wb, bb), _set(na, wa, ba), clear, clear_after)
    assert (labels == ChangeClass.BUILT).sum() == 4 and (labels == ChangeClass.WATER).sum() == 3
    assert labels[0, 7] == ChangeClass.OBSCURED
    ids = np.zeros(shape, np.int32)
    ids[1:3, 1:3] = 1
    ids[4, 5:8] = 2
    ev = evidence(ids, 2, np.array([ChangeClass.BUILT, ChangeClass.WATER]), nb.astype(np.float32),
                  na.astype(np.float32), wa.astype(np.float32), clear & clear_after, 4, ChangeRule(ring_px=1))
    assert ev.pixels.tolist() == [0, 4, 3]  # zone 0 (no candidate) is not counted
    assert ev.ndvi_before[1] == np.float32(0.6) and abs(ev.ndvi_after[1] - 0.1) < 1e-7
    assert abs(ev.ndwi_after[2] - 0.5) < 1e-7
    assert ev.clear_share[1] == 1.0  # 4 px + its 12 px ring, all clear
    assert not ev.inconclusive[1]
    assert ev.inconclusive[2]  # 3 clear pixels: fewer than the 4 the mapping unit needs
    # built strength: 0.5 + (0.5 − 0.25) / 0.3, clipped to 1
    assert ev.confidence[1] == 1.0


@settings(max_examples=30)
@given(st.integers(0, 2**31 - 1), st.integers(1, 3), st.integers(1, 7))
def test_ring_counts_in_blocks_equal_whole(seed: int, px: int, rows: int) -> None:
    rng = np.random.default_rng(seed)
    ids = (rng.random((19, 13)) < 0.1) * rng.integers(1, 5, (19, 13))
    clear = rng.random(ids.shape) < 0.7
    whole = ring_counts(ids.astype(np.int32), 4, clear, px, rows=1000)
    blocks = ring_counts(ids.astype(np.int32), 4, clear, px, rows=rows)
    assert np.array_equal(whole[0], blocks[0]) and np.array_equal(whole[1], blocks[1])
