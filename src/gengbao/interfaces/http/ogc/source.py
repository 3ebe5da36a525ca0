"""Read access to the layer store for features and tiles: each county partition is loaded once (attributes
as Arrow, geometries as WKB, boxes from the GeoParquet covering column) and kept while the server runs;
the layers are immutable snapshots, so nothing goes stale (a run's patch layer is replaced only by its
own re-run, which writes a new folder: the cache key carries the folder's modification time)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import shapely

from gengbao.adapters import layer_store, monitor_io
from gengbao.domain.errors import NotFoundError

KINDS = {"parcels": "地类图斑", "pbf": "永久基本农田", "patches": "变化图斑"}
REGION_COLUMN = {"parcels": "ZLDWDM", "pbf": "ZLDWDM", "patches": "region"}
ID_COLUMNS = ("BSM", "id")
HIDDEN = ("geometry", "bbox", "geom_hash")
MAX_LAYERS = 6


@dataclass
class Part:
    county: str
    attrs: pa.Table
    wkb: np.ndarray
    boxes: np.ndarray
    region: np.ndarray
    ids: np.ndarray
    _masks: dict[str, np.ndarray] = field(default_factory=dict)
    _columns: dict[str, np.ndarray] = field(default_factory=dict)
    _tree: shapely.STRtree | None = None

    def __len__(self) -> int:
        return len(self.wkb)

    @property
    def names(self) -> list[str]:
        return list(self.attrs.column_names)

    def rows(self, idx: np.ndarray, names: list[str] | tuple[str, ...] | None = None) -> list[dict[str, object]]:
        """Attributes of rows ``idx`` as plain Python values (columns kept as NumPy arrays once loaded)."""
        cols = [n for n in (names or self.names) if n in self.attrs.column_names]
        for n in cols:
            if n not in self._columns:
                self._columns[n] = self.attrs.column(n).to_numpy(zero_copy_only=False)
        values = [self._columns[n][idx].tolist() for n in cols]
        return [dict(zip(cols, row, strict=True)) for row in zip(*values, strict=True)] if cols else [{} for _ in idx]

    def near(self, bbox: tuple[float, float, float, float]) -> np.ndarray:
        """Rows whose box meets ``bbox`` (an STR tree over the boxes, built on first use)."""
        if self._tree is None:
            self._tree = shapely.STRtree(shapely.box(self.boxes[:, 0], self.boxes[:, 1], self.boxes[:, 2], self.boxes[:, 3]))
        return np.sort(self._tree.query(shapely.box(*bbox)))

    def within(self, jurisdiction: str) -> np.ndarray | None:
        """Rows inside ``jurisdiction`` (None: all of them)."""
        if self.county.startswith(jurisdiction):
            return None
        mask = self._masks.get(jurisdiction)
        if mask is None:
            mask = np.fromiter((str(r).startswith(jurisdiction) for r in self.region), bool, len(self.region))
            self._masks[jurisdiction] = mask
        return mask


@dataclass(frozen=True, slots=True)
class Collection:
    id: str
    kind: str
    epoch: int

    @property
    def title(self) -> str:
        return f"{KINDS[self.kind]}（监测批次 {self.epoch}）" if self.kind == "patches" else \
            f"{KINDS[self.kind]}（{self.epoch} 年度）"


def parse_collection(cid: str) -> Collection:
    kind, _, epoch = cid.rpartition("-")
    if kind not in KINDS or not epoch.isdigit() or len(epoch) > 9:
        raise NotFoundError(f"图层集合“{cid[:80]}”不存在", code="ogc.collection_not_found")
    return Collection(cid, kind, int(epoch))


def _load(path: Path, county: str, kind: str) -> Part:
    table = pq.read_table(path)
    names = table.column_names
    wkb = table.column("geometry").to_numpy(zero_copy_only=False)
    if "bbox" in names:
        b = table.column("bbox").combine_chunks()
        boxes = np.column_stack([b.field(f).to_numpy(zero_copy_only=False) for f in ("xmin", "ymin", "xmax", "ymax")])
    else:
        boxes = shapely.bounds(shapely.from_wkb(wkb))
    attrs = table.drop_columns([c for c in HIDDEN if c in names])
    rcol = REGION_COLUMN[kind]
    region = attrs.column(rcol).to_numpy(zero_copy_only=False).astype(object) if rcol in attrs.column_names \
        else np.full(len(wkb), county, dtype=object)
    idcol = next((c for c in ID_COLUMNS if c in attrs.column_names), None)
    ids = attrs.column(idcol).to_numpy(zero_copy_only=False).astype(object) if idcol else \
        np.arange(1, len(wkb) + 1).astype(object)
    return Part(county, attrs, wkb, boxes.astype(np.float64), region, ids)


class LayerSource:
    def __init__(self, layers_root: Path) -> None:
        self.root = layers_root
        self._cache: OrderedDict[tuple[str, int, float], list[Part]] = OrderedDict()
        self._lock = threading.Lock()

    def collections(self) -> list[Collection]:
        out = []
        for kind in KINDS:
            out += [Collection(f"{kind}-{e}", kind, e) for e in monitor_io.epochs_of(self.root, kind)]
        return out

    def counties(self, c: Collection) -> list[str]:
        return layer_store.counties(self.root, c.kind, c.epoch)

    def extent(self, c: Collection, counties: list[str]) -> list[float] | None:
        boxes = [monitor_io.extent(self.root, c.kind, c.epoch, k) for k in counties]
        got = [b for b in boxes if b is not None]
        if not got:
            return None
        a = np.array(got)
        return [float(a[:, 0].min()), float(a[:, 1].min()), float(a[:, 2].max()), float(a[:, 3].max())]

    def parts(self, c: Collection, jurisdiction: str) -> list[Part]:
        """The loaded partitions of the counties that overlap ``jurisdiction``."""
        folder = layer_store.dataset_path(self.root, c.kind, c.epoch)
        if not folder.is_dir():
            raise NotFoundError(f"图层集合“{c.id}”不存在", code="ogc.collection_not_found")
        key = (c.kind, c.epoch, folder.stat().st_mtime)
        with self._lock:
            parts = self._cache.get(key)
            if parts is None:
                parts = [_load(monitor_io.partition(self.root, c.kind, c.epoch, k), k, c.kind) for k in self.counties(c)]
                self._cache[key] = parts
                while len(self._cache) > MAX_LAYERS:
                    self._cache.popitem(last=False)
            else:
                self._cache.move_to_end(key)
        return [p for p in parts if p.county.startswith(jurisdiction) or jurisdiction.startswith(p.county)]


def select(parts: list[Part], jurisdiction: str, bbox: tuple[float, float, float, float] | None) -> list[tuple[Part, np.ndarray]]:
    """Row indices per partition inside the jurisdiction whose geometry meets ``bbox`` (lon/lat)."""
    out = []
    for p in parts:
        mask = p.within(jurisdiction)
        if bbox is None:
            idx = np.arange(len(p)) if mask is None else np.flatnonzero(mask)
        else:
            idx = p.near(bbox)
            if mask is not None:
                idx = idx[mask[idx]]
            if len(idx):
                idx = idx[shapely.intersects(shapely.from_wkb(p.wkb[idx]), shapely.box(*bbox))]
        if len(idx):
            out.append((p, idx))
    return out
