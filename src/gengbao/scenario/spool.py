"""Scratch files of one scenario run: each county's layers, written chunk by chunk by the process that
makes the county and read back chunk by chunk by the survey import, so that no process holds a whole
layer (at 10⁷ parcels one epoch is several GB in memory).

Layout: ``<root>/<kind>/<epoch>/<county>/<chunk:05d>.parquet`` (GeoParquet, EPSG:4490). The folder is
temporary: ``make_scenario`` removes it when done.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow.parquet as pq

CHUNK_ROWS = 100_000  # rows per chunk file: the most a worker converts to a layer at once
PART_ROWS = 250_000  # the most rows the survey import checks at once (consecutive chunks of a county joined)


@dataclass(frozen=True)
class Spool:
    root: Path

    def folder(self, kind: str, epoch: int, county: str) -> Path:
        return self.root / kind / str(epoch) / county

    def write(self, kind: str, epoch: int, county: str, chunks: Iterable[gpd.GeoDataFrame]) -> int:
        """Write ``chunks`` in order; → the number of rows written."""
        folder = self.folder(kind, epoch, county)
        folder.mkdir(parents=True, exist_ok=True)
        rows = 0
        for i, chunk in enumerate(chunks):
            chunk.to_parquet(folder / f"{i:05d}.parquet", index=False, compression="zstd", write_covering_bbox=False)
            rows += len(chunk)
        return rows

    def files(self, kind: str, epoch: int, county: str) -> list[Path]:
        return sorted(self.folder(kind, epoch, county).glob("*.parquet"))

    def read(self, kind: str, epoch: int, counties: Iterable[str]) -> Iterator[gpd.GeoDataFrame]:
        """The counties' layer in parts of at most ``PART_ROWS`` rows (a county's chunks joined in order; a
        county with fewer rows is one part), counties in the order given."""
        for county in counties:
            batch: list[Path] = []
            rows = 0
            for path in self.files(kind, epoch, county):
                n = pq.ParquetFile(path).metadata.num_rows
                if batch and rows + n > PART_ROWS:
                    yield _joined(batch)
                    batch, rows = [], 0
                batch.append(path)
                rows += n
            if batch:
                yield _joined(batch)

    def county(self, kind: str, epoch: int, county: str) -> gpd.GeoDataFrame:
        """A county's whole layer (for GeoPackage export and previews)."""
        return _joined(self.files(kind, epoch, county))


def _joined(paths: list[Path]) -> gpd.GeoDataFrame:
    frames = [gpd.read_parquet(p) for p in paths]
    if len(frames) == 1:
        return frames[0]
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=frames[0].crs)


def chunks_of(n: int, rows: int | None = None) -> list[tuple[int, int]]:
    """Row ranges [a, b) of at most ``rows`` rows covering ``n`` rows (one empty range when n is 0)."""
    rows = rows or CHUNK_ROWS
    return [(a, min(a + rows, n)) for a in range(0, n, rows)] or [(0, 0)]
