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
from gengbao.domain.errors import UsageError
from gengbao.sensing.change import ChangeClass, ChangeRule
from gengbao.services.imagery.compute import CHANGE_CODES, CHANGE_LABELS, Timer, candidates, change_rasters
from gengbao.services.imagery.overlay import after_class_of, overlay, reference
from gengbao.services.imagery.scenes import latest_parcels, parse_day, store_root
from gengbao.services.workspace import Workspace
from gengbao.spatial.crs import to_cgcs2000

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


def _epoch_for(ws: Workspace, after: str) -> int:
    """The survey the change is measured against: the latest epoch whose standard date (31 Dec) is before."""
    year = date.fromisoformat(after).year
    try:
        return latest_parcels(ws, year - 1)
    except Exception:  # noqa: BLE001 — no earlier epoch: the earliest one there is
        return latest_parcels(ws)


def detect_change(ws: Workspace, before: str, after: str, *, out: Path | None = None,
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
        geoms = to_cgcs2000(cand.geometry, grid.epsg) if len(cand.geometry) else np.empty(0, object)
        ev = cand.evidence
        codes = np.array([CHANGE_CODES[int(v)] for v in cand.change], dtype=object)
        epoch = _epoch_for(ws, after)
        ref = reference(ws, epoch, grid.lonlat_bounds())
        ov = overlay(geoms, after_class_of(codes), ref, date.fromisoformat(after))
        on_farm = ov.farmland_m2 >= np.minimum(0.5 * ov.area_m2, mmu_m2)
        frame = _frame(geoms, codes, cand.change, ev, ov, before, after)
        dropped = int((~on_farm).sum())
        frame = frame[on_farm].reset_index(drop=True)
        frame["id"] = [f"YX-{after.replace('-', '')}-{i + 1:05d}" for i in range(len(frame))]
    folder = Path(out) if out is not None else ws.layout.exports / "imagery"
    stem = f"change_{before}_{after}"
    files = write_result(frame, folder, stem, "imagery_change")
    if preview:
        files += write_change_previews(folder / f"{stem}_preview", rasters, cand.ids, grid)
    counts = {"candidates": int((frame["change"] != "obscured").sum()),
              "inconclusive": int(frame["inconclusive"].sum()), "obscured": int((frame["change"] == "obscured").sum()),
              "off_farmland": dropped}
    return ChangeReport(before, after, epoch, counts, float(frame["farmland_m2"].sum()), [str(f) for f in files],
                        t.rounded(), frame)


def _frame(geoms: np.ndarray, codes: np.ndarray, values: np.ndarray, ev: Any, ov: Any, before: str,
           after: str) -> gpd.GeoDataFrame:
    s = slice(1, None)
    return gpd.GeoDataFrame(pd.DataFrame({
        "id": "", "change": codes, "change_label": [CHANGE_LABELS[int(v)] for v in values],
        "inconclusive": ev.inconclusive[s], "confidence": np.round(ev.confidence[s], 3),
        "ndvi_before": np.round(ev.ndvi_before[s], 4), "ndvi_after": np.round(ev.ndvi_after[s], 4),
        "ndwi_after": np.round(ev.ndwi_after[s], 4), "clear_share": np.round(ev.clear_share[s], 3),
        "clear_pixels": ev.pixels[s], "area_m2": np.round(ov.area_m2, 2), "farmland_m2": np.round(ov.farmland_m2, 2),
        "pbf_m2": np.round(ov.pbf_m2, 2), "from_class": ov.from_class, "to_class": after_class_of(codes),
        "legality": ov.legality, "approval": ov.approval, "before_date": before, "after_date": after,
        "source": SOURCE, "obscured": values == ChangeClass.OBSCURED,
    }), geometry=gpd.GeoSeries(geoms, crs="EPSG:4490"), crs="EPSG:4490")
