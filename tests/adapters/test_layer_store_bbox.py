"""The layer store writes a covering bbox; the monitor picks reference polygons near its candidates by it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyarrow.parquet as pq
import shapely

from gengbao.adapters import layer_store, monitor_io
from gengbao.monitoring.model import CountyTask, layer_geometries


def _layer(root: Path, n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x, y = 116 + rng.uniform(0, 0.1, n), 29 + rng.uniform(0, 0.1, n)
    w, h = rng.uniform(1e-5, 2e-3, n), rng.uniform(1e-5, 2e-3, n)
    geoms = shapely.box(x, y, x + w, y + h)
    frame = gpd.GeoDataFrame({"BSM": [f"{i:06d}" for i in range(n)], "county": "360222"},
                             geometry=gpd.GeoSeries(geoms, crs="EPSG:4490"))
    layer_store.write_dataset(root, "pbf", 2021, frame)
    return geoms


def test_partition_has_a_bbox_column_equal_to_the_bounds(tmp_path: Path) -> None:
    geoms = _layer(tmp_path, 50, 1)
    t = pq.read_table(monitor_io.partition(tmp_path, "pbf", 2021, "360222"), columns=["bbox"]).column(0)
    got = np.column_stack([t.combine_chunks().field(f).to_numpy() for f in ("xmin", "ymin", "xmax", "ymax")])
    assert np.array_equal(got, shapely.bounds(geoms))
    assert list(layer_store.read_dataset(tmp_path, "pbf", 2021).columns) == ["BSM", "geometry", "county"]


def test_bboxes_of_a_partition_and_none_without_the_column(tmp_path: Path) -> None:
    geoms = _layer(tmp_path, 40, 5)
    assert np.array_equal(monitor_io.read_bboxes(tmp_path, "pbf", 2021, "360222"), shapely.bounds(geoms))
    path = monitor_io.partition(tmp_path, "pbf", 2021, "360222")
    gpd.read_parquet(path).to_parquet(path, write_covering_bbox=False)  # a workspace written before the column
    assert monitor_io.read_bboxes(tmp_path, "pbf", 2021, "360222") is None


def test_layer_geometries_near_candidates_hold_every_polygon_they_meet(tmp_path: Path) -> None:
    geoms = _layer(tmp_path, 3000, 11)
    rng = np.random.default_rng(12)
    x, y = 116 + rng.uniform(0, 0.1, 60), 29 + rng.uniform(0, 0.1, 60)
    near = shapely.buffer(shapely.points(x, y), 8e-4)
    task = CountyTask(str(tmp_path), "360222", 2020, 2021, 2021, None, date(2020, 1, 1), date(2021, 12, 31))
    got = layer_geometries(task, "pbf", 2021, near)
    want = geoms[np.unique(shapely.STRtree(geoms).query(near, predicate="intersects")[1])]  # second method
    got_meeting = got[shapely.intersects(got[:, None], near[None, :]).any(axis=1)]
    assert sorted(shapely.to_wkt(got_meeting)) == sorted(shapely.to_wkt(want))
    assert 0 < len(want) <= len(got) < len(geoms) // 2  # the filter kept them all and left most out
    assert len(layer_geometries(task, "pbf", 2021, near[:0])) == 0
    assert len(layer_geometries(task, "pbf", 2021)) == 3000


def test_extent_from_the_footer_equals_the_layer_bounds(tmp_path: Path) -> None:
    geoms = _layer(tmp_path, 500, 21)
    want = tuple(float(v) for v in shapely.total_bounds(geoms))
    assert monitor_io.extent(tmp_path, "pbf", 2021, "360222") == want
    path = monitor_io.partition(tmp_path, "pbf", 2021, "360222")
    gpd.read_parquet(path).to_parquet(path, write_covering_bbox=False)  # no bbox column: the extent is unknown
    assert monitor_io.extent(tmp_path, "pbf", 2021, "360222") is None
