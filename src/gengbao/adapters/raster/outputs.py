"""Imagery result layers as files people and programs open: GeoPackage (QGIS/ArcGIS) and GeoParquet."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from gengbao.adapters.vector_io import write_layer


def write_result(frame: gpd.GeoDataFrame, folder: Path, stem: str, layer: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    gpkg, parquet = folder / f"{stem}.gpkg", folder / f"{stem}.parquet"
    if gpkg.exists():
        gpkg.unlink()
    write_layer(frame, gpkg, layer)
    frame.to_parquet(parquet, index=False, compression="zstd")
    return [gpkg, parquet]
