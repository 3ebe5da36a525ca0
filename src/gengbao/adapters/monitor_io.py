"""Monitoring I/O on the GeoParquet layer store: columns without geometry, geometries of chosen rows
only, and the patch layers a run writes (``layers/patches/<run id>/county=…``).

Reading ``geom_hash`` and class columns first and fetching the WKB of only the changed rows is what
keeps a diff's reading cost proportional to the change, not to the county (DESIGN.md §3).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pyogrio
import shapely

from gengbao.adapters import layer_store
from gengbao.adapters.vector_io import write_layer

PATCH_KIND = "patches"


def partition(layers: Path, kind: str, epoch: int, county: str) -> Path:
    return layer_store.dataset_path(layers, kind, epoch) / f"{layer_store.COUNTY_COLUMN}={county}" / "part-0.parquet"


def has_partition(layers: Path, kind: str, epoch: int | None, county: str) -> bool:
    return epoch is not None and partition(layers, kind, epoch, county).is_file()


def epochs_of(layers: Path, kind: str) -> list[int]:
    root = layers / kind
    return sorted(int(p.name) for p in root.iterdir()
                  if p.is_dir() and p.name.isdigit() and layer_store.has_dataset(layers, kind, int(p.name))
                  ) if root.is_dir() else []


def read_table(layers: Path, kind: str, epoch: int, county: str, columns: Sequence[str]) -> pa.Table:
    """Attribute columns of one county partition; low-cardinality text columns stay dictionary-encoded."""
    dictionary = [c for c in ("DLBM", "ZLDWDM") if c in columns]
    return pq.read_table(partition(layers, kind, epoch, county), columns=list(columns), read_dictionary=dictionary)


def objects(table: pa.Table, column: str, rows: npt.NDArray[np.int64] | None = None) -> np.ndarray:
    """A column as a NumPy object array (of ``rows`` only when given), decoding dictionaries cheaply."""
    col = table.column(column).combine_chunks()
    if rows is not None:
        col = col.take(pa.array(rows, type=pa.int64()))
    if pa.types.is_dictionary(col.type):
        values = col.dictionary.to_numpy(zero_copy_only=False).astype(object)
        return values[col.indices.to_numpy(zero_copy_only=False)]
    return col.to_numpy(zero_copy_only=False).astype(object)


def hashes_u64(table: pa.Table, column: str = "geom_hash") -> np.ndarray:
    """The 16-hex-digit geometry hashes as uint64, decoded from the Arrow buffer without Python strings."""
    col = table.column(column).combine_chunks()
    if len(col) == 0:
        return np.empty(0, np.uint64)
    width = np.int64 if pa.types.is_large_string(col.type) or pa.types.is_large_binary(col.type) else np.int32
    offsets = np.frombuffer(col.buffers()[1], dtype=width)[col.offset: col.offset + len(col) + 1]
    if col.null_count or not (np.diff(offsets) == 16).all():
        return np.array([int(h, 16) for h in col.to_pylist()], dtype=np.uint64)
    data = col.buffers()[2].to_pybytes()[offsets[0]: offsets[-1]]
    return np.frombuffer(bytes.fromhex(data.decode("ascii")), dtype=">u8").astype(np.uint64)


def read_geometries(layers: Path, kind: str, epoch: int, county: str,
                    rows: npt.NDArray[np.int64] | None = None) -> np.ndarray:
    """Decoded geometries of one county partition, of ``rows`` only when given (in that order)."""
    col = pq.read_table(partition(layers, kind, epoch, county), columns=["geometry"]).column(0)
    if rows is not None:
        col = col.take(pa.array(rows, type=pa.int64()))
    return shapely.from_wkb(col.to_numpy(zero_copy_only=False))


def read_bboxes(layers: Path, kind: str, epoch: int, county: str) -> npt.NDArray[np.float64] | None:
    """The stored covering bbox of each row (xmin, ymin, xmax, ymax), or None for a partition written
    without one: a caller can choose rows by extent before decoding any geometry."""
    path = partition(layers, kind, epoch, county)
    if "bbox" not in pq.read_schema(path).names:
        return None
    bbox = pq.read_table(path, columns=["bbox"]).column(0).combine_chunks()
    return np.column_stack([bbox.field(f).to_numpy(zero_copy_only=False) for f in ("xmin", "ymin", "xmax", "ymax")])


def extent(layers: Path, kind: str, epoch: int, county: str) -> tuple[float, float, float, float] | None:
    """The partition's extent from the statistics of its bbox column (the file footer only, no data),
    or None where a partition has no bbox column or no statistics."""
    meta = pq.ParquetFile(partition(layers, kind, epoch, county)).metadata
    where = {meta.schema.column(i).path: i for i in range(meta.num_columns)}
    cols = [where.get(f"bbox.{f}") for f in ("xmin", "ymin", "xmax", "ymax")]
    if None in cols or meta.num_row_groups == 0:
        return None
    lo, hi = [np.inf, np.inf], [-np.inf, -np.inf]
    for g in range(meta.num_row_groups):
        stats = [meta.row_group(g).column(c).statistics for c in cols]  # type: ignore[arg-type]
        if any(s is None or not s.has_min_max for s in stats):
            return None
        lo = [min(lo[0], stats[0].min), min(lo[1], stats[1].min)]
        hi = [max(hi[0], stats[2].max), max(hi[1], stats[3].max)]
    return float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1])


def write_patches(layers: Path, run_id: int, frame: gpd.GeoDataFrame) -> Path:
    """Store a run's patches (``frame`` has a ``county`` column) as GeoParquet partitioned by county."""
    return layer_store.write_dataset(layers, PATCH_KIND, run_id, frame, replace=True)


def read_patches(layers: Path, run_id: int) -> gpd.GeoDataFrame:
    return layer_store.read_dataset(layers, PATCH_KIND, run_id)


def remove_patches(layers: Path, run_id: int) -> None:
    layer_store.remove_dataset(layers, PATCH_KIND, run_id)


def export_patches(frame: gpd.GeoDataFrame, path: Path, layer: str = "BHTB") -> Path:
    """Write patches for desktop GIS: GeoPackage layer ``BHTB`` (变化图斑) through pyogrio's Arrow path
    (the same library and output as ``vector_io.write_layer``, half the time); other formats through
    ``write_layer``."""
    if path.suffix.lower() != ".gpkg":
        return write_layer(frame, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    pyogrio.write_dataframe(frame, path, layer=layer, driver="GPKG", use_arrow=True)
    return path


def export_table(rows: list[dict[str, object]], path: Path) -> Path:
    """Write rows as UTF-8 CSV with a BOM (Excel opens it with Chinese intact); nested values as JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    flat = [{k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v for k, v in r.items()}
            for r in rows]
    pd.DataFrame(flat).to_csv(path, index=False, encoding="utf-8-sig")
    return path
