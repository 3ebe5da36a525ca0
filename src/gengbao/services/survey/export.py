"""Use case: write a stored survey layer back out as a GeoPackage/Shapefile for QGIS/ArcGIS."""

from __future__ import annotations

from pathlib import Path

from gengbao.adapters import layer_store
from gengbao.adapters.vector_io import write_layer
from gengbao.domain.survey import LayerKind
from gengbao.services.context import Context

LAYER_NAMES = {LayerKind.PARCELS: "DLTB", LayerKind.PBF: "YJJBNTTB"}
INTERNAL_COLUMNS = ("geom_hash", "area_m2", layer_store.COUNTY_COLUMN)


def export_layer(ws: Context, epoch: int, out: Path, kind: LayerKind | str = LayerKind.PARCELS) -> int:
    kind = LayerKind(kind)
    frame = layer_store.read_dataset(ws.layout.layers, str(kind), epoch)
    frame = frame.drop(columns=[c for c in INTERNAL_COLUMNS if c in frame.columns])
    write_layer(frame, out, layer=LAYER_NAMES[kind] if Path(out).suffix.lower() == ".gpkg" else None)
    return len(frame)
