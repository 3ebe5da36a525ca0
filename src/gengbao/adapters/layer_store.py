"""GeoParquet layer store: one immutable dataset per layer kind and epoch, partitioned by county.

Layout: ``layers/<kind>/<epoch>/county=<6-digit code>/part-0.parquet``, GeoParquet 1.1 with a covering
``bbox`` column (xmin, ymin, xmax, ymax) so a reader can pick rows by extent before decoding any geometry. A dataset is written into a
temporary folder and renamed into place, so a reader never sees half a layer and a failed import
leaves nothing behind.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow.parquet as pq

from gengbao.domain.errors import ConflictError, NotFoundError

COUNTY_COLUMN = "county"


def dataset_path(layers_root: Path, kind: str, epoch: int) -> Path:
    return layers_root / kind / str(epoch)


def write_dataset(layers_root: Path, kind: str, epoch: int, frame: gpd.GeoDataFrame, *, replace: bool = False) -> Path:
    """Write ``frame`` (with a ``county`` column) partitioned by county; returns the dataset path."""
    final = dataset_path(layers_root, kind, epoch)
    if final.exists() and not replace:
        raise ConflictError(f"{kind} 图层 {epoch} 期已存在。", code="layer.exists")
    tmp = final.parent / f".tmp-{epoch}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir(parents=True)
    try:
        for county, part in frame.groupby(COUNTY_COLUMN, sort=True):
            d = tmp / f"{COUNTY_COLUMN}={county}"
            d.mkdir()
            part.drop(columns=[COUNTY_COLUMN]).to_parquet(
                d / "part-0.parquet", index=False, compression="zstd", geometry_encoding="WKB", write_covering_bbox=True
            )
        if final.exists():
            old = final.parent / f".old-{epoch}-{uuid.uuid4().hex[:8]}"
            final.rename(old)
            tmp.rename(final)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final


def remove_dataset(layers_root: Path, kind: str, epoch: int) -> None:
    shutil.rmtree(dataset_path(layers_root, kind, epoch), ignore_errors=True)


def counties(layers_root: Path, kind: str, epoch: int) -> list[str]:
    root = dataset_path(layers_root, kind, epoch)
    if not root.is_dir():
        return []
    return sorted(p.name.split("=", 1)[1] for p in root.iterdir() if p.name.startswith(f"{COUNTY_COLUMN}="))


def _parts(layers_root: Path, kind: str, epoch: int, only: Iterable[str] | None) -> list[tuple[str, Path]]:
    root = dataset_path(layers_root, kind, epoch)
    if not root.is_dir():
        raise NotFoundError(f"工作空间中没有 {epoch} 期的 {kind} 图层，请先导入。", code="layer.not_found")
    wanted = set(only) if only is not None else None
    return [
        (c, root / f"{COUNTY_COLUMN}={c}" / "part-0.parquet")
        for c in counties(layers_root, kind, epoch)
        if wanted is None or c in wanted
    ]


def read_table(
    layers_root: Path, kind: str, epoch: int, columns: Sequence[str], only: Iterable[str] | None = None
) -> pd.DataFrame:
    """Attribute columns only (no geometry decoding): the fast path for statistics."""
    frames = []
    for county, p in _parts(layers_root, kind, epoch, only):
        t = pq.read_table(p, columns=list(columns)).to_pandas()
        t[COUNTY_COLUMN] = county
        frames.append(t)
    if not frames:
        return pd.DataFrame({c: [] for c in [*columns, COUNTY_COLUMN]})
    return pd.concat(frames, ignore_index=True)


def read_dataset(
    layers_root: Path, kind: str, epoch: int, columns: Sequence[str] | None = None, only: Iterable[str] | None = None
) -> gpd.GeoDataFrame:
    """Geometries and attributes, in EPSG:4490."""
    frames = []
    for county, p in _parts(layers_root, kind, epoch, only):
        cols = None if columns is None else [*columns, "geometry"]
        g = gpd.read_parquet(p, columns=cols)
        g[COUNTY_COLUMN] = county
        frames.append(g)
    if not frames:
        raise NotFoundError(f"{epoch} 期 {kind} 图层没有所请求县的数据。", code="layer.empty")
    out = pd.concat(frames, ignore_index=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=frames[0].crs)
