"""The layer store writes a covering bbox; geometries near given boxes are picked by it before decoding."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pyarrow.parquet as pq
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from gengbao.adapters import layer_store, monitor_io


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


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10**6), k=st.integers(0, 30))
def test_near_reads_exactly_the_rows_whose_extent_meets_a_box(tmp_path_factory, seed: int, k: int) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("near")
    geoms = _layer(root, 400, seed)
    rng = np.random.default_rng(seed + 1)
    x, y = 116 + rng.uniform(0, 0.1, k), 29 + rng.uniform(0, 0.1, k)
    boxes = np.column_stack([x, y, x + 3e-3, y + 3e-3]) if k else np.empty((0, 4))
    got = monitor_io.read_geometries_near(root, "pbf", 2021, "360222", boxes)
    # second method: brute force over every pair of extents
    b = shapely.bounds(geoms)
    meets = np.zeros(len(geoms), bool)
    for q in boxes:
        meets |= (b[:, 0] <= q[2]) & (b[:, 2] >= q[0]) & (b[:, 1] <= q[3]) & (b[:, 3] >= q[1])
    assert len(got) == int(meets.sum())
    assert all(shapely.equals(g, w) for g, w in zip(got, geoms[meets], strict=True))


def test_partition_without_bbox_is_read_whole(tmp_path: Path) -> None:
    """Workspaces written before the bbox column: every geometry comes back (a superset is safe)."""
    geoms = _layer(tmp_path, 30, 7)
    path = monitor_io.partition(tmp_path, "pbf", 2021, "360222")
    gpd.read_parquet(path).to_parquet(path, write_covering_bbox=False)
    got = monitor_io.read_geometries_near(tmp_path, "pbf", 2021, "360222", np.array([[0.0, 0.0, 1.0, 1.0]]))
    assert len(got) == 30 and all(shapely.equals(g, w) for g, w in zip(got, geoms, strict=True))
