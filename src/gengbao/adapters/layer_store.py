"""GeoParquet layer store: one immutable dataset per layer kind and epoch, partitioned by county.

Layout: ``layers/<kind>/<epoch>/v-<n>/county=<6-digit code>/part-0.parquet`` and a ``CURRENT`` file in
``layers/<kind>/<epoch>/`` naming the version readers see (versions are numbered 1, 2, … per layer and
epoch, so the same imports give the same files). GeoParquet 1.1 with a covering ``bbox`` column
(xmin, ymin, xmax, ymax) so a reader can pick rows by extent before decoding any geometry.

Writing never touches what readers see: a new version is written into ``.tmp-<n>`` and renamed to
``v-<n>`` (:func:`write_version`); it becomes visible only when :func:`publish` points ``CURRENT`` at it
(an atomic rename), after the database has recorded it; only then are older versions removed. A failed
import discards its own version (:func:`discard`) and nothing else. Writers of one layer and epoch hold
:func:`epoch_lock` (an OS file lock, released by the kernel when a process dies), so two imports of one
epoch never interleave; :func:`sweep` removes what crashed writers left (temporary folders, versions never
published) and says what it removed. Datasets written before versions existed (county folders directly
under the epoch folder) are still read, and replaced by the first version published there.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager, suppress
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow.parquet as pq

from gengbao.adapters import locks
from gengbao.domain.errors import ConflictError, NotFoundError

COUNTY_COLUMN = "county"
CURRENT = "CURRENT"
LOCKS = ".locks"
WRITE_OPTIONS = {"index": False, "compression": "zstd", "geometry_encoding": "WKB", "write_covering_bbox": True}


def epoch_dir(layers_root: Path, kind: str, epoch: int) -> Path:
    return layers_root / kind / str(epoch)


def dataset_path(layers_root: Path, kind: str, epoch: int) -> Path:
    """The folder readers read for ``kind``/``epoch``: the published version (or a legacy dataset)."""
    root = epoch_dir(layers_root, kind, epoch)
    try:
        name = (root / CURRENT).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return root
    return root / name


def has_dataset(layers_root: Path, kind: str, epoch: int) -> bool:
    root = epoch_dir(layers_root, kind, epoch)
    return (root / CURRENT).is_file() or _legacy_counties(root) != []


def _legacy_counties(root: Path) -> list[Path]:
    return [p for p in root.iterdir() if p.name.startswith(f"{COUNTY_COLUMN}=")] if root.is_dir() else []


# -- writing -----------------------------------------------------------------------------------------

def lock_path(layers_root: Path, name: str) -> Path:
    return layers_root / LOCKS / f"{name}.lock"


def epoch_lock(layers_root: Path, kind: str, epoch: int, *, what: str = "") -> AbstractContextManager[None]:
    """The writer's lock of ``kind``/``epoch`` (re-entrant within a process). Another process holding it
    means another import of the same layer is running: a ConflictError, at once."""
    return locks.held(layers_root / LOCKS / f"{kind}-{epoch}.lock", lambda: ConflictError(
        f"另一个导入正在写入 {epoch} 期{what or kind}图层，请等它结束后再试。", code="layer.busy", kind=kind, epoch=epoch))


def new_version(layers_root: Path, kind: str, epoch: int) -> tuple[Path, Path]:
    """(temporary folder to write into, the version folder it becomes): the next number after every
    version and temporary folder there (callers hold the epoch's lock)."""
    root = epoch_dir(layers_root, kind, epoch)
    root.mkdir(parents=True, exist_ok=True)
    taken = [int(p.name.split("-", 1)[1]) for p in root.iterdir()
             if p.name.split("-", 1)[0] in ("v", ".tmp") and p.name.split("-", 1)[1].isdigit()]
    n = max(taken, default=0) + 1
    return root / f".tmp-{n}", root / f"v-{n}"


def write_version(layers_root: Path, kind: str, epoch: int, frame: gpd.GeoDataFrame) -> Path:
    """Write ``frame`` (with a ``county`` column) partitioned by county as a new, unpublished version."""
    tmp, version = new_version(layers_root, kind, epoch)
    tmp.mkdir()
    try:
        for county, part in frame.groupby(COUNTY_COLUMN, sort=True):
            d = tmp / f"{COUNTY_COLUMN}={county}"
            d.mkdir()
            part.drop(columns=[COUNTY_COLUMN]).to_parquet(d / "part-0.parquet", **WRITE_OPTIONS)
        tmp.rename(version)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        remove_if_empty(tmp.parent)
        raise
    return version


def publish(version: Path) -> None:
    """Make ``version`` the one readers see, then remove every other version of its layer and epoch."""
    root = version.parent
    pointer = root / f".{CURRENT}.{uuid.uuid4().hex[:8]}"
    pointer.write_text(version.name, encoding="utf-8")
    os.replace(pointer, root / CURRENT)
    for p in root.iterdir():
        if p != version and (p.name.startswith("v-") or p.name.startswith(f"{COUNTY_COLUMN}=")):
            shutil.rmtree(p, ignore_errors=True)


def discard(version: Path) -> None:
    """Remove one unpublished version (never the published one)."""
    try:
        published = (version.parent / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        published = ""
    if published != version.name:
        shutil.rmtree(version, ignore_errors=True)
        remove_if_empty(version.parent)


def remove_if_empty(root: Path) -> None:
    """Remove an epoch folder that holds nothing (an import that stored nothing leaves no trace)."""
    with suppress(OSError):
        root.rmdir()


def write_dataset(layers_root: Path, kind: str, epoch: int, frame: gpd.GeoDataFrame, *, replace: bool = False) -> Path:
    """Write and publish at once (for datasets no database row tracks, e.g. a run's patches)."""
    with epoch_lock(layers_root, kind, epoch):
        if has_dataset(layers_root, kind, epoch) and not replace:
            raise ConflictError(f"{kind} 图层 {epoch} 期已存在。", code="layer.exists")
        version = write_version(layers_root, kind, epoch, frame)
        publish(version)
    return version


def remove_dataset(layers_root: Path, kind: str, epoch: int) -> None:
    shutil.rmtree(epoch_dir(layers_root, kind, epoch), ignore_errors=True)


def sweep(layers_root: Path) -> list[str]:
    """Remove what interrupted writers left — temporary folders and versions never published — in every
    layer and epoch no writer holds now. Returns the removed paths (relative to ``layers_root``)."""
    removed: list[str] = []
    if not layers_root.is_dir():
        return removed
    for kind_dir in sorted(p for p in layers_root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for root in sorted(p for p in kind_dir.iterdir() if p.is_dir() and p.name.isdigit()):
            try:
                with epoch_lock(layers_root, kind_dir.name, int(root.name)):
                    live = dataset_path(layers_root, kind_dir.name, int(root.name))
                    for p in sorted(root.iterdir()):
                        stale = p.name.startswith(".tmp-") or p.name.startswith(f".{CURRENT}.") or (
                            p.name.startswith("v-") and p != live)
                        if stale:
                            shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
                            removed.append(str(p.relative_to(layers_root)))
                    remove_if_empty(root)
            except ConflictError:
                continue  # a writer is at work there
    return removed


def counties(layers_root: Path, kind: str, epoch: int) -> list[str]:
    root = dataset_path(layers_root, kind, epoch)
    if not root.is_dir() or not has_dataset(layers_root, kind, epoch):
        return []
    return sorted(p.name.split("=", 1)[1] for p in root.iterdir() if p.name.startswith(f"{COUNTY_COLUMN}="))


def _parts(layers_root: Path, kind: str, epoch: int, only: Iterable[str] | None) -> list[tuple[str, Path]]:
    root = dataset_path(layers_root, kind, epoch)
    if not root.is_dir() or not has_dataset(layers_root, kind, epoch):
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
