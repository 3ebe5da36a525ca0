"""``detect_change``: candidate change areas between two imported scenes, overlaid with the survey and PBF like
monitoring patches, written as GeoPackage + GeoParquet (and PNG quicklooks with ``preview``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from gengbao.adapters.raster.outputs import write_result
from gengbao.adapters.raster.preview import write_change_previews
from gengbao.adapters.raster.reader import SceneReader, common_grid
from gengbao.adapters.raster.store import get_scene
from gengbao.domain.errors import NotFoundError, UsageError
from gengbao.sensing.change import ChangeClass, ChangeRule
from gengbao.services.context import Context
from gengbao.services.imagery.compute import CHANGE_CODES, CHANGE_LABELS, Timer, candidates, change_rasters
from gengbao.services.imagery.overlay import after_class_of, overlay, reference
from gengbao.services.imagery.scenes import latest_parcels, parse_day, store_root

SOURCE = "卫片"
DEFAULT_MMU_M2 = 400.0


@dataclass(frozen=True, slots=True)
class ChangeReport:
    before: str
    after: str
    epoch: int
    counts: dict[str, int]
    farmland_m2: float
    files: list[str]
    timings: dict[str, float]
    frame: gpd.GeoDataFrame = field(repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {"before": self.before, "after": self.after, "survey_epoch": self.epoch, "counts": self.counts,
                "farmland_m2": round(self.farmland_m2, 2), "files": self.files, "timings_s": self.timings}


def _epoch_for(ws: Context, after: str) -> int:
    """The survey the change is measured against: the latest epoch whose standard date (31 Dec) is before."""
    year = date.fromisoformat(after).year
    try:
        return latest_parcels(ws, year - 1)
    except NotFoundError:  # no earlier epoch: the earliest one there is
        return latest_parcels(ws)


def detect_change(ws: Context, before: str, after: str, *, out: Path | None = None,
                  mmu_m2: float = DEFAULT_MMU_M2, preview: bool = False, rule: ChangeRule = ChangeRule()) -> ChangeReport:
    before, after = parse_day(before), parse_day(after)
    if after <= before:
        raise UsageError(f"--after（{after}）须晚于 --before（{before}）。", code="imagery.date_order")
    if mmu_m2 <= 0:
        raise UsageError("最小上图面积须为正数（平方米）。", code="imagery.mmu_invalid")
    rb, ra = get_scene(store_root(ws), before), get_scene(store_root(ws), after)
    grid = common_grid([rb, ra])
    t = Timer()
    with SceneReader(rb) as sb, SceneReader(ra) as sa:
        rasters = change_rasters(sb, sa, grid, t, rule, keep_colour=preview)
    cand = candidates(rasters, grid, mmu_m2, t, rule)
    with t("overlay"):
        geoms = cand.geometry
        ev = cand.evidence
        codes = np.array([CHANGE_CODES[int(v)] for v in cand.change], dtype=object)
        epoch = _epoch_for(ws, after)
        ref = reference(ws, epoch, grid.lonlat_bounds())
        ov = overlay(geoms, grid.epsg, grid.pixel, after_class_of(codes), ref, date.fromisoformat(after))
        frame = _frame(ov, codes, cand.change, ev, before, after)
        farm = np.bincount(ov.source, weights=ov.farmland_m2, minlength=len(geoms))
        whole = np.bincount(ov.source, weights=ov.area_m2, minlength=len(geoms))
        on_farm = farm >= np.minimum(0.5 * whole, mmu_m2)
        dropped = int((~on_farm).sum())
        frame = frame[on_farm[ov.source]].reset_index(drop=True)
        frame = _ids(frame, after)
    folder = Path(out) if out is not None else ws.layout.exports / "imagery"
    stem = f"change_{before}_{after}"
    files = write_result(frame, folder, stem, "imagery_change")
    if preview:
        files += write_change_previews(folder / f"{stem}_preview", rasters, cand.ids, grid,
                                       cand.geometry[cand.change == ChangeClass.OBSCURED])
    patches = frame.drop_duplicates("patch")
    counts = {"candidates": int((patches["change"] != "obscured").sum()),
              "inconclusive": int(patches["inconclusive"].sum()),
              "obscured": int((patches["change"] == "obscured").sum()), "off_farmland": dropped, "parts": len(frame)}
    return ChangeReport(before, after, epoch, counts, float(frame.loc[~frame["obscured"], "farmland_m2"].sum()), [str(f) for f in files],
                        t.rounded(), frame)


def _ids(frame: gpd.GeoDataFrame, after: str) -> gpd.GeoDataFrame:
    """Patch ids ``YX-<after date>-00001`` in order; parts of a patch split by approvals get ``-1``, ``-2`` …"""
    src = frame["patch"].to_numpy()
    number = pd.Series(src).rank(method="dense").astype(int).to_numpy() if len(src) else np.empty(0, int)
    rank = pd.Series(src).groupby(src).cumcount().to_numpy() + 1
    multi = pd.Series(src).map(pd.Series(src).value_counts()).to_numpy() > 1
    base = [f"YX-{after.replace('-', '')}-{k:05d}" for k in number]
    frame["patch"] = base
    frame["id"] = [f"{b}-{r}" if m else b for b, r, m in zip(base, rank, multi, strict=True)]
    return frame


def _frame(ov: Any, codes: np.ndarray, values: np.ndarray, ev: Any, before: str, after: str) -> gpd.GeoDataFrame:
    k = ov.source + 1  # evidence is per candidate (index 0 unused)
    return gpd.GeoDataFrame(pd.DataFrame({
        "id": "", "patch": ov.source, "change": codes[ov.source],
        "change_label": [CHANGE_LABELS[int(v)] for v in values[ov.source]],
        "inconclusive": ev.inconclusive[k], "confidence": np.round(ev.confidence[k], 3),
        "ndvi_before": np.round(ev.ndvi_before[k], 4), "ndvi_after": np.round(ev.ndvi_after[k], 4),
        "ndwi_after": np.round(ev.ndwi_after[k], 4), "clear_share": np.round(ev.clear_share[k], 3),
        "clear_pixels": ev.pixels[k], "area_m2": np.round(ov.area_m2, 2), "farmland_m2": np.round(ov.farmland_m2, 2),
        "pbf_m2": np.round(ov.pbf_m2, 2), "from_class": ov.from_class, "to_class": after_class_of(codes[ov.source]),
        "legality": ov.legality, "approval": ov.approval, "before_date": before, "after_date": after,
        "source": SOURCE, "obscured": values[ov.source] == ChangeClass.OBSCURED,
    }), geometry=gpd.GeoSeries(ov.geometry, crs="EPSG:4490"), crs="EPSG:4490")
