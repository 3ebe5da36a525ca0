"""Spectral indices: exact values, undefined cases, and the normalised difference's invariants."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gengbao.sensing.bands import SENTINEL2, Band, missing_bands, resolve_order
from gengbao.sensing.indices import index_set, ndbi, ndvi, ndwi, normalised_difference, vnbi

refl = st.floats(0.0, 1.5, allow_nan=False, width=32)


def test_exact_values() -> None:
    assert ndvi([0.05], [0.45])[0] == pytest.approx(0.4 / 0.5, abs=1e-7)
    assert ndwi([0.07], [0.02])[0] == pytest.approx(0.05 / 0.09, abs=1e-7)
    assert ndbi([0.26], [0.21])[0] == pytest.approx(0.05 / 0.47, abs=1e-7)
    assert vnbi([0.16], [0.17], [0.18], [0.21])[0] == pytest.approx((0.17 - 0.21) / (0.17 + 0.21), abs=1e-7)


def test_undefined_is_nan_not_zero() -> None:
    out = normalised_difference([0.0, np.nan, 0.2], [0.0, 0.1, 0.2])
    assert np.isnan(out[0]) and np.isnan(out[1]) and out[2] == 0.0
    assert out.dtype == np.float32


@given(refl, refl)
def test_bounded_and_antisymmetric(a: float, b: float) -> None:
    x, y = normalised_difference([a], [b])[0], normalised_difference([b], [a])[0]
    if a + b == 0:
        assert np.isnan(x) and np.isnan(y)
    else:
        assert -1.0 <= x <= 1.0 and x == -y


def test_index_set_uses_ndbi_with_swir_else_vnbi() -> None:
    b = {k: np.array([[v]], np.float32) for k, v in zip(("blue", "green", "red", "nir"), (0.1, 0.12, 0.15, 0.3),
                                                        strict=True)}
    assert index_set(b).builtup_kind == "vnbi"
    assert index_set({**b, "swir1": np.array([[0.3]], np.float32)}).builtup_kind == "ndbi"


def test_band_names_and_codes() -> None:
    s = SENTINEL2
    assert [s.band_of(x) for x in ("B02", "b2", "T50RLU_20220601_B03_10m", "s2_B04.jp2", "B08", "nir", "红")] == [
        Band.BLUE, Band.BLUE, Band.GREEN, Band.RED, Band.NIR, Band.NIR, Band.RED]
    assert s.band_of("B8A") is None and s.band_of("B01") is None and s.band_of(None) is None
    assert s.band_of("B12") is Band.SWIR2 and s.band_of("B11") is Band.SWIR1


def test_band_order_from_descriptions_or_default() -> None:
    s = SENTINEL2
    assert resolve_order(["B08", "B04", "B03", "B02"], s) == (Band.NIR, Band.RED, Band.GREEN, Band.BLUE)
    assert resolve_order([None, None, None, None], s) == (Band.BLUE, Band.GREEN, Band.RED, Band.NIR)
    assert resolve_order(["B02", "B02", None, None], s)[:4] == (Band.BLUE, Band.GREEN, Band.RED, Band.NIR)  # untrusted
    assert resolve_order([None] * 7, s)[6] is None  # a seventh band is not used
    assert missing_bands([Band.BLUE, Band.GREEN, None]) == (Band.RED, Band.NIR)


def test_sensing_imports_numpy_only() -> None:
    """PyTorch is imported lazily: importing every sensing module loads neither torch nor any I/O library."""
    import subprocess
    import sys

    code = ("import sys, gengbao.sensing.backend, gengbao.sensing.change, gengbao.sensing.abandonment; "
            "print(sorted(m for m in ('torch', 'rasterio', 'geopandas', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
