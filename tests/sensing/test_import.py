"""``gengbao imagery import``: scenes onto the county grid; bad input refused with nothing stored."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import rasterio
from pyproj import Transformer
from typer.testing import CliRunner

from gengbao.adapters.raster.reader import SceneReader
from gengbao.domain.errors import GengbaoError
from gengbao.interfaces.cli.app import app
from gengbao.services.imagery.scenes import import_scene, scenes, store_root
from tests.sensing.conftest import EPOCHS, World
from tests.sensing.synth import Window, render, write_mask

DAY = "2022-06-01"


@pytest.fixture(scope="module")
def scene(world_c: World, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Window]:
    win = world_c.change_window(1000)
    path = tmp_path_factory.mktemp("scene") / "scene.tif"
    render(world_c.parcels[EPOCHS[0]], win, 160, path, seed=4)
    return path, win


def _copy(src: Path, dst: Path, **changes: object) -> Path:
    with rasterio.open(src) as ds:
        profile = {**ds.profile, **changes}
        data = ds.read()
    count = int(profile["count"])  # type: ignore[call-overload]
    with rasterio.open(dst, "w", **profile) as out:
        out.write(data[:count])
    return dst


def _refused(world: World, files: list[Path], code: str, **kw: object) -> None:
    before = sorted(p.name for p in store_root(world.ws).glob("*")) if store_root(world.ws).exists() else []
    with pytest.raises(GengbaoError) as exc:
        import_scene(world.ws, files, "2030-01-01", **kw)  # type: ignore[arg-type]
    assert exc.value.code == code
    after = sorted(p.name for p in store_root(world.ws).glob("*")) if store_root(world.ws).exists() else []
    assert after == before  # nothing stored, no temporary folder left


def test_stored_scene_is_a_tiled_compressed_cog_on_the_county_grid(world_c: World, scene: tuple[Path, Window]) -> None:
    path, win = scene
    rec = import_scene(world_c.ws, [path], DAY, replace=True).record
    assert rec.grid.epsg == 4548 and rec.grid.pixel == 10.0
    assert (rec.grid.x0, rec.grid.y0, rec.grid.width, rec.grid.height) == (win.x0, win.y0, win.width, win.height)
    with rasterio.open(rec.folder / "scene.tif") as ds:
        assert ds.profile["tiled"] and ds.compression.name.lower() == "deflate"
        assert ds.tags(ns="IMAGE_STRUCTURE").get("LAYOUT") == "COG"
        assert ds.block_shapes[0] == (512, 512)
    with rasterio.open(path) as src, SceneReader(rec) as r:
        bands, _ = r.read(rec.grid, 0, rec.grid.height)
        assert np.allclose(bands["nir"], src.read(4) / 1e4, atol=1e-6)
    assert [s.date for s in scenes(world_c.ws)].count(DAY) == 1


def test_scene_in_another_crs_is_reprojected(world_c: World, scene: tuple[Path, Window], tmp_path: Path) -> None:
    """Rendered in UTM 50N, imported onto the Gauss-Krüger grid: parcel interiors keep their values."""
    _, win = scene
    t = Transformer.from_crs(4548, 32650, always_xy=True)
    x0, y0 = t.transform(win.x0, win.y0)
    utm = Window(32650, float(np.floor(x0 / 10) * 10), float(np.ceil(y0 / 10) * 10), win.width + 40, win.height + 40)
    r = render(world_c.parcels[EPOCHS[0]], utm, 160, tmp_path / "utm.tif", seed=4, noise=0.0)
    g = render(world_c.parcels[EPOCHS[0]], win, 160, tmp_path / "gk.tif", seed=4, noise=0.0)
    rec = import_scene(world_c.ws, [r.path], "2022-06-02", replace=True).record
    assert rec.grid.epsg == 4548
    with rasterio.open(g.path) as ds, SceneReader(rec) as reader:
        truth = ds.read(4) / 1e4
        got, _ = reader.read(rec.grid, 0, rec.grid.height)
        col = int(round((win.x0 - rec.grid.x0) / 10))
        row = int(round((rec.grid.y0 - win.y0) / 10))
        nir = got["nir"][row:row + win.height, col:col + win.width]
    interior = np.zeros(truth.shape, bool)  # pixels whose 3×3 neighbourhood is uniform in the GK rendering
    interior[1:-1, 1:-1] = True
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            interior[1:-1, 1:-1] &= truth[1:-1, 1:-1] == truth[1 + dy:truth.shape[0] - 1 + dy, 1 + dx:truth.shape[1] - 1 + dx]
    assert interior.mean() > 0.5
    assert float(np.nanmax(np.abs(nir[interior] - truth[interior]))) < 1e-3


def test_jpeg2000_is_read(world_c: World, scene: tuple[Path, Window], tmp_path: Path) -> None:
    with rasterio.open(scene[0]) as ds:
        data, profile = ds.read(), {k: ds.profile[k] for k in ("width", "height", "count", "dtype", "crs", "transform")}
    jp2 = tmp_path / "scene.jp2"
    with rasterio.open(jp2, "w", driver="JP2OpenJPEG", QUALITY="100", REVERSIBLE="YES", **profile) as out:
        out.write(data)
    with rasterio.open(jp2) as ds:
        assert ds.driver == "JP2OpenJPEG"
    rec = import_scene(world_c.ws, [jp2], "2022-06-03", replace=True).record
    with rasterio.open(scene[0]) as src, SceneReader(rec) as r:
        bands, _ = r.read(rec.grid, 0, rec.grid.height)
        assert np.allclose(bands["red"], src.read(3) / 1e4, atol=1e-6)


def test_mask_file_replaces_the_spectral_test(world_c: World, scene: tuple[Path, Window], tmp_path: Path) -> None:
    path, win = scene
    m = np.zeros((win.height, win.width), bool)
    m[:10, :20] = True
    rec = import_scene(world_c.ws, [path], "2022-06-04", mask=write_mask(m, win, tmp_path / "m.tif"), replace=True).record
    with SceneReader(rec) as r:
        _, cloud = r.read(rec.grid, 0, rec.grid.height)
    assert cloud is not None and np.array_equal(cloud, m)


def test_no_crs(world_c: World, scene: tuple[Path, Window], tmp_path: Path) -> None:
    _refused(world_c, [_copy(scene[0], tmp_path / "nocrs.tif", crs=None)], "imagery.no_crs")


def test_fewer_than_four_bands(world_c: World, scene: tuple[Path, Window], tmp_path: Path) -> None:
    _refused(world_c, [_copy(scene[0], tmp_path / "three.tif", count=3)], "imagery.bands_missing")


def test_truncated_file(world_c: World, scene: tuple[Path, Window], tmp_path: Path) -> None:
    data = scene[0].read_bytes()
    bad = tmp_path / "cut.tif"
    bad.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(GengbaoError) as exc:
        import_scene(world_c.ws, [bad], "2030-01-01")
    assert exc.value.code in ("imagery.read_failed", "imagery.unreadable")
    assert not (store_root(world_c.ws) / "2030-01-01").exists()
    assert not [p for p in store_root(world_c.ws).iterdir() if p.name.startswith(".")]


def test_scene_outside_the_workspace(world_c: World, scene: tuple[Path, Window], tmp_path: Path) -> None:
    _, win = scene
    far = Window(4548, win.x0 + 300_000, win.y0, win.width, win.height)
    r = render(world_c.parcels[EPOCHS[0]], win, 160, tmp_path / "a.tif")
    moved = _copy(r.path, tmp_path / "far.tif", transform=far.transform)
    _refused(world_c, [moved], "imagery.no_overlap")


def test_same_date_twice_needs_replace(world_c: World, scene: tuple[Path, Window]) -> None:
    import_scene(world_c.ws, [scene[0]], "2022-06-05", replace=True)
    with pytest.raises(GengbaoError) as exc:
        import_scene(world_c.ws, [scene[0]], "2022-06-05")
    assert exc.value.code == "imagery.exists"


def test_cli_import_json_and_error(world_c: World, scene: tuple[Path, Window], tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(app, ["imagery", "import", str(world_c.root), str(scene[0]), "--date", "2022-06-06",
                             "--replace", "--json"])
    assert ok.exit_code == 0, ok.output
    body = json.loads(ok.output)
    assert body["date"] == "2022-06-06" and body["bands"][:4] == ["blue", "green", "red", "nir"]
    bad = runner.invoke(app, ["imagery", "import", str(world_c.root), str(scene[0]), "--date", "6/6/2022", "--json"])
    assert bad.exit_code != 0 and json.loads(bad.output)["error"]["code"] == "imagery.date_invalid"
