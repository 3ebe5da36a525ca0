"""Cloud and shadow test on the four minimum bands; dilation; no data never clear."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gengbao.sensing.masks import clear_mask, cloud_and_shadow, grow
from tests.sensing.synth import BUILT, CLOUD, SOIL, VEG, WATER


def _px(spec: np.ndarray) -> list[np.ndarray]:
    return [np.full((5, 5), v, np.float32) for v in spec[:4]]


def test_spectra() -> None:
    for name, spec, cloud, shadow in (("cloud", CLOUD, True, False), ("built", BUILT, False, False),
                                      ("soil", SOIL, False, False), ("veg", VEG, False, False),
                                      ("water", WATER, False, False), ("veg shadow", VEG * 0.25, False, True),
                                      ("soil shadow", SOIL * 0.25, False, True)):
        c, s = cloud_and_shadow(*_px(np.asarray(spec, np.float32)))
        assert bool(c.all()) is cloud and bool(s.all()) is shadow, name


def test_nodata_is_never_clear_and_given_mask_wins() -> None:
    b = _px(np.asarray(VEG, np.float32))
    b[0][2, 2] = np.nan
    given = np.zeros((5, 5), bool)
    given[0, 0] = True
    ok = clear_mask(*b, given=given)
    assert not ok[2, 2] and not ok[0, 0] and ok.sum() == 23


@given(arrays(bool, st.tuples(st.integers(1, 12), st.integers(1, 12))), st.integers(0, 3))
def test_grow_is_square_dilation(mask: np.ndarray, px: int) -> None:
    out = grow(mask, px)
    h, w = mask.shape
    want = np.zeros_like(mask)
    for y, x in zip(*np.nonzero(mask), strict=True):
        want[max(0, y - px):y + px + 1, max(0, x - px):x + px + 1] = True
    assert np.array_equal(out, want)
