"""Write one layer-store version (``layers/<kind>/<epoch>/v-<id>/county=<code>/part-0.parquet``, the
layout of ``layer_store``) part by part, for layers too large to hold in memory at once.

Each part is split by county and written at once into a temporary folder as a chunk file (the same
GeoParquet options as ``layer_store.write_version``). ``commit`` turns the chunks of each county into
its ``part-0.parquet`` (a county with one chunk: renamed; with several: copied row group by row group
into one file whose GeoParquet metadata covers all of them) and renames the folder to its version; the
caller publishes it once the database has recorded it. ``abort`` removes everything written.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import geopandas as gpd
import pyarrow as pa
import pyarrow.parquet as pq

from gengbao.adapters.layer_store import COUNTY_COLUMN, WRITE_OPTIONS, new_version, remove_if_empty


class DatasetParts:
    def __init__(self, layers_root: Path, kind: str, epoch: int) -> None:
        self.tmp, self.version = new_version(layers_root, kind, epoch)
        self.tmp.mkdir()
        self.chunks: dict[str, int] = {}

    def write(self, frame: gpd.GeoDataFrame) -> None:
        """Add the rows of ``frame`` (with a ``county`` column) to their counties' partitions."""
        try:
            for county, part in frame.groupby(COUNTY_COLUMN, sort=True):
                k = self.chunks.get(str(county), 0)
                d = self.tmp / f"{COUNTY_COLUMN}={county}"
                d.mkdir(exist_ok=True)
                part.drop(columns=[COUNTY_COLUMN]).to_parquet(d / f"chunk-{k:05d}.parquet", **WRITE_OPTIONS)
                self.chunks[str(county)] = k + 1
        except BaseException:
            self.abort()
            raise

    def commit(self) -> Path:
        try:
            for county, n in sorted(self.chunks.items()):
                d = self.tmp / f"{COUNTY_COLUMN}={county}"
                files = [d / f"chunk-{k:05d}.parquet" for k in range(n)]
                if n == 1:
                    files[0].rename(d / "part-0.parquet")
                else:
                    merge_chunks(files, d / "part-0.parquet")
            self.tmp.rename(self.version)
        except BaseException:
            self.abort()
            raise
        return self.version

    def abort(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)
        shutil.rmtree(self.version, ignore_errors=True)
        remove_if_empty(self.version.parent)


def _geo_metadata(schemas: list[pa.Schema]) -> bytes:
    """The GeoParquet metadata of the first chunk, with bbox and geometry types covering every chunk."""
    metas = [json.loads(s.metadata[b"geo"]) for s in schemas]
    out = metas[0]
    for name, col in out["columns"].items():
        parts = [m["columns"][name] for m in metas]
        boxes = [p["bbox"] for p in parts if "bbox" in p]
        if boxes:
            col["bbox"] = [min(b[0] for b in boxes), min(b[1] for b in boxes),
                           max(b[2] for b in boxes), max(b[3] for b in boxes)]
        types = {t for p in parts for t in p.get("geometry_types", [])}
        col["geometry_types"] = sorted(types)
    return json.dumps(out).encode()


def merge_chunks(files: list[Path], out: Path) -> None:
    """One Parquet file of the chunks' rows in order (a column that is all-null in some chunk takes the
    type it has in the others); the chunks are removed."""
    schemas = [pq.read_schema(f) for f in files]
    schema = pa.unify_schemas(schemas, promote_options="permissive")
    schema = schema.with_metadata({**schemas[0].metadata, b"geo": _geo_metadata(schemas)})
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        for f in files:
            source = pq.ParquetFile(f)
            for g in range(source.num_row_groups):
                writer.write_table(source.read_row_group(g).cast(schema))
            f.unlink()
