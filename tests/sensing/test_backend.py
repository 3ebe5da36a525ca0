"""The PyTorch back end agrees with NumPy (1e-6) — runs only where PyTorch sees a CUDA device, skips otherwise."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from gengbao.sensing import backend
from gengbao.sensing.bands import Band
from gengbao.sensing.change import classify_pixels
from gengbao.sensing.indices import ndvi, ndwi, vnbi
from gengbao.sensing.masks import spectral_test
from gengbao.sensing.zonal import zonal_sums
from tests.sensing.conftest import EPOCHS, World
from tests.sensing.synth import render

pytestmark = pytest.mark.skipif(not backend.available(), reason="PyTorch with a CUDA device is not present")


def _bands(path: Path) -> dict[str, np.ndarray]:
    import rasterio

    with rasterio.open(path) as ds:
        data = ds.read().astype(np.float32) / np.float32(1e4)
    return dict(zip((Band.BLUE, Band.GREEN, Band.RED, Band.NIR, Band.SWIR1, Band.SWIR2)[: len(data)], data, strict=True))


def test_change_pixels_agree(world_a: World, tmp_path: Path) -> None:
    win = world_a.change_window(2000)
    b = _bands(render(world_a.parcels[EPOCHS[0]], win, 145, tmp_path / "b.tif", seed=1, cloud_share=0.2,
                      swir=False).path)
    a = _bands(render(world_a.parcels[EPOCHS[1]], win, 275, tmp_path / "a.tif", seed=2, cloud_share=0.2,
                      swir=False).path)
    got = backend.change_pixels(backend.to_device(b), backend.to_device(a)).numpy()
    nb, na = ndvi(b["red"], b["nir"]), ndvi(a["red"], a["nir"])
    wb, wa = ndwi(b["green"], b["nir"]), ndwi(a["green"], a["nir"])
    labels = classify_pixels(nb, na, wb, wa, vnbi(a["blue"], a["green"], a["red"], a["nir"]), "vnbi")
    cb, sb, mb = spectral_test(b["blue"], b["green"], b["red"], b["nir"])
    ca, sa, ma = spectral_test(a["blue"], a["green"], a["red"], a["nir"])
    assert np.nanmax(np.abs(got["ndvi_before"] - nb)) <= 1e-6 and np.nanmax(np.abs(got["ndwi_after"] - wa)) <= 1e-6
    assert (got["labels"] != labels).mean() < 1e-5
    assert np.array_equal(got["bad"], cb | sb | ca | sa) and np.array_equal(got["missing"], mb | ma)


def test_zonal_sums_agree() -> None:
    import torch

    rng = np.random.default_rng(1)
    ids = rng.integers(0, 500, (300, 400)).astype(np.intp)
    v = rng.normal(0, 1, ids.shape).astype(np.float32)
    ok = rng.random(ids.shape) < 0.8
    want = zonal_sums(ids, 499, {"v": v}, ok)
    count, total = backend.zonal_sums(torch.from_numpy(ids).cuda(), 499, torch.from_numpy(v).cuda(),
                                      torch.from_numpy(ok).cuda())
    assert np.array_equal(count.cpu().numpy()[1:], want.count[1:])
    assert np.allclose(total.cpu().numpy()[1:], want.sums["v"][1:], atol=1e-6)
