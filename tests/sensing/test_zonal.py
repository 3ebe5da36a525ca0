"""Zonal sums by bincount equal a per-zone loop; evidence figures per candidate."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gengbao.sensing.change import (
    ChangeClass,
    ChangedPixels,
    ChangeRule,
    classify,
    evidence,
    ring_counts_sparse,
)
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
    every = ChangedPixels(np.arange(ids.size), nb.astype(np.float32).ravel(), na.astype(np.float32).ravel(),
                          wa.astype(np.float32).ravel())
    ev = evidence(ids, 2, np.array([ChangeClass.BUILT, ChangeClass.WATER]), every, clear & clear_after, 4,
                  ChangeRule(ring_px=1))
    assert ev.pixels.tolist() == [0, 4, 3]  # zone 0 (no candidate) is not counted
    assert ev.ndvi_before[1] == np.float32(0.6) and abs(ev.ndvi_after[1] - 0.1) < 1e-7
    assert abs(ev.ndwi_after[2] - 0.5) < 1e-7
    assert ev.clear_share[1] == 1.0  # 4 px + its 12 px ring, all clear
    assert not ev.inconclusive[1]
    assert ev.inconclusive[2]  # 3 clear pixels: fewer than the 4 the mapping unit needs
    # built strength: 0.5 + (0.5 − 0.25) / 0.3, clipped to 1
    assert ev.confidence[1] == 1.0


@settings(max_examples=40)
@given(st.integers(0, 2**31 - 1), st.integers(0, 3))
def test_ring_counts_equal_brute_force(seed: int, px: int) -> None:
    rng = np.random.default_rng(seed)
    ids = ((rng.random((15, 11)) < 0.1) * rng.integers(1, 5, (15, 11))).astype(np.int32)
    clear = rng.random(ids.shape) < 0.7
    total, ok = ring_counts_sparse(ids, 4, clear, px)
    want_total, want_ok = np.zeros(5), np.zeros(5)
    for y in range(ids.shape[0]):
        for x in range(ids.shape[1]):
            if ids[y, x]:
                z = ids[y, x]
            else:
                near = ids[max(0, y - px):y + px + 1, max(0, x - px):x + px + 1]
                z = near.max() if near.size else 0
            if z:
                want_total[z] += 1
                want_ok[z] += clear[y, x]
    assert np.array_equal(total[1:], want_total[1:]) and np.array_equal(ok[1:], want_ok[1:])


@settings(max_examples=40)
@given(st.integers(0, 2**31 - 1), st.booleans())
def test_classify_bands_equals_classify_pixels(seed: int, swir: bool) -> None:
    """The gated path (indices only where a test needs them) gives the classes of the full-index path."""
    from gengbao.sensing.change import classify_bands, classify_pixels
    from gengbao.sensing.indices import ndbi, ndvi, ndwi, vnbi

    rng = np.random.default_rng(seed)
    names = ("blue", "green", "red", "nir", "swir1")[: 5 if swir else 4]
    b = {k: rng.uniform(0, 0.5, (20, 30)).astype(np.float32) for k in names}
    a = {k: rng.uniform(0, 0.5, (20, 30)).astype(np.float32) for k in names}
    built = ndbi(a["swir1"], a["nir"]) if swir else vnbi(a["blue"], a["green"], a["red"], a["nir"])
    want = classify_pixels(ndvi(b["red"], b["nir"]), ndvi(a["red"], a["nir"]), ndwi(b["green"], b["nir"]),
                           ndwi(a["green"], a["nir"]), built, "ndbi" if swir else "vnbi")
    got, px = classify_bands(b, a)
    assert np.array_equal(got, want)
    assert np.array_equal(px.index, np.flatnonzero(want))
    assert np.array_equal(px.ndvi_before, ndvi(b["red"], b["nir"]).ravel()[px.index])
