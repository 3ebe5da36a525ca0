"""``detect_abandonment``: farmland parcels with no green-up in a year's growing season (撂荒 candidates).

Parcels (farmland of the latest survey epoch not after the year) are rasterised once onto the scenes' grid;
each scene adds one bincount per window (``gengbao.sensing.abandonment``). When the previous year's season
has scenes too, parcels that are candidates in both years and lie on PBF are flagged (seed 002).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from gengbao.adapters import layer_store
from gengbao.adapters.monitor_io import epochs_of
from gengbao.adapters.raster.grid import Grid
from gengbao.adapters.raster.outputs import write_result
from gengbao.adapters.raster.reader import SceneReader, offset_in, union_grid
from gengbao.adapters.raster.store import SceneRecord, row_blocks
from gengbao.adapters.raster.vector import rasterise
from gengbao.domain.errors import NotFoundError, UsageError
from gengbao.domain.land_classes import FARMLAND_CODES
from gengbao.sensing.abandonment import GreenUpRule, SeasonAccumulator, SeasonFigures, Verdict
from gengbao.sensing.bands import Band
from gengbao.sensing.indices import ndvi
from gengbao.sensing.masks import clear_mask
from gengbao.sensing.zonal import zonal_sums
from gengbao.services.context import Context
from gengbao.services.imagery.compute import Timer
from gengbao.services.imagery.scenes import latest_parcels, scenes
from gengbao.spatial.area import ellipsoidal_area
from gengbao.spatial.crs import from_cgcs2000
from gengbao.spatial.overlay import area_on

SEASON = ("04-01", "10-31")


@dataclass(frozen=True, slots=True)
class AbandonmentReport:
    year: int
    epoch: int
    scenes: list[str]
    previous_scenes: list[str]
    counts: dict[str, int]
    candidate_m2: float
    files: list[str]
    timings: dict[str, float]
    frame: gpd.GeoDataFrame = field(repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {"year": self.year, "survey_epoch": self.epoch, "scenes": self.scenes,
                "previous_year_scenes": self.previous_scenes, "counts": self.counts,
                "candidate_m2": round(self.candidate_m2, 2), "files": self.files, "timings_s": self.timings}


def season_scenes(ws: Context, year: int, season: tuple[str, str] = SEASON) -> list[SceneRecord]:
    lo, hi = f"{year}-{season[0]}", f"{year}-{season[1]}"
    return [r for r in scenes(ws) if lo <= r.date <= hi]


def season_figures(records: list[SceneRecord], ids: np.ndarray, n: int, grid: Grid, rule: GreenUpRule,
                   t: Timer) -> SeasonFigures:
    acc = SeasonAccumulator(ids, n, rule)
    for rec in records:  # each scene over its own extent; a parcel outside it is simply not observed
        count, total = np.zeros(n + 1, np.int64), np.zeros(n + 1)
        own = rec.grid
        row0, col0 = offset_in(grid, own)
        with SceneReader(rec) as reader:
            for r, h in row_blocks(own.height):
                with t("read"):
                    b, given = reader.read(own, r, h, (Band.BLUE, Band.GREEN, Band.RED, Band.NIR))
                with t("indices"):
                    v = ndvi(b[Band.RED], b[Band.NIR])
                    ok = clear_mask(b[Band.BLUE], b[Band.GREEN], b[Band.RED], b[Band.NIR], given)
                with t("zonal"):
                    s = zonal_sums(ids[row0 + r:row0 + r + h, col0:col0 + own.width], n, {"ndvi": v}, ok)
                    count += s.count
                    total += s.sums["ndvi"]
        acc.add_sums(count, total)
    return acc.result()


def detect_abandonment(ws: Context, year: int, *, out: Path | None = None, rule: GreenUpRule = GreenUpRule(),
                       season: tuple[str, str] = SEASON) -> AbandonmentReport:
    if not 1900 < year < 2200:
        raise UsageError(f"年份 {year} 不正确。", code="imagery.year_invalid")
    records = season_scenes(ws, year, season)
    if len(records) < rule.min_scenes:
        have = "、".join(r.date for r in records) or "无"
        raise NotFoundError(f"{year} 年生长季（{season[0]} 至 {season[1]}）只有 {len(records)} 景影像（{have}），"
                            f"至少需要 {rule.min_scenes} 景。请先导入该年生长季的影像。", code="imagery.season_scenes")
    previous = season_scenes(ws, year - 1, season)
    t = Timer()
    grid = union_grid(records + previous if len(previous) >= rule.min_scenes else records)
    epoch = latest_parcels(ws, year)
    with t("rasterise"):
        ext = grid.lonlat_bounds()
        parcels = layer_store.read_dataset(ws.layout.layers, "parcels", epoch,
                                           columns=["BSM", "DLBM", "ZLDWDM", "ZZSXDM", "TBDLMJ"])
        parcels = parcels[parcels["DLBM"].isin(FARMLAND_CODES)].cx[ext[0]:ext[2], ext[1]:ext[3]].reset_index(drop=True)
        geoms = parcels.geometry.to_numpy()
        ids = rasterise(from_cgcs2000(geoms, grid.epsg), (grid.height, grid.width), grid.transform)
    n = len(parcels)
    this = season_figures(records, ids, n, grid, rule, t)
    last = season_figures(previous, ids, n, grid, rule, t) if len(previous) >= rule.min_scenes else None
    with t("overlay"):
        pbf_years = [e for e in epochs_of(ws.layout.layers, "pbf") if e <= year] or epochs_of(ws.layout.layers, "pbf")
        pbf = layer_store.read_dataset(ws.layout.layers, "pbf", pbf_years[-1], columns=[]).geometry.to_numpy() \
            if pbf_years else np.empty(0, object)
        area = ellipsoidal_area(geoms) if n else np.empty(0)
        pbf_m2 = np.minimum(area_on(geoms, pbf, ellipsoidal_area, area), area) if n else np.empty(0)
    frame = _frame(parcels, this, last, pbf_m2, area)
    folder = Path(out) if out is not None else ws.layout.exports / "imagery"
    files = write_result(frame, folder, f"abandonment_{year}", "imagery_abandonment")
    verdicts = frame["verdict"].value_counts()
    counts = {v.value: int(verdicts.get(v.value, 0)) for v in Verdict}
    counts["two_years_on_pbf"] = int(frame["two_years_on_pbf"].sum())
    cand = frame["verdict"] == Verdict.CANDIDATE.value
    return AbandonmentReport(year, epoch, [r.date for r in records], [r.date for r in previous], counts,
                             float(frame.loc[cand, "farmland_m2"].sum()), [str(f) for f in files], t.rounded(), frame)


def _frame(parcels: gpd.GeoDataFrame, this: SeasonFigures, last: SeasonFigures | None, pbf_m2: np.ndarray,
           area: np.ndarray) -> gpd.GeoDataFrame:
    s = slice(1, None)
    cand = this.verdict[s] == Verdict.CANDIDATE.value
    before = last.verdict[s] if last is not None else np.full(len(parcels), None, dtype=object)
    on_pbf = pbf_m2 >= 0.5 * area
    two = cand & (before == Verdict.CANDIDATE.value) & on_pbf
    return gpd.GeoDataFrame(pd.DataFrame({
        "bsm": parcels["BSM"].to_numpy(), "zldwdm": parcels["ZLDWDM"].to_numpy(), "dlbm": parcels["DLBM"].to_numpy(),
        "verdict": this.verdict[s], "verdict_label": [Verdict(v).label for v in this.verdict[s]],
        "farmland_m2": np.round(parcels["TBDLMJ"].to_numpy(dtype=float), 2), "pbf_m2": np.round(pbf_m2, 2),
        "on_pbf": on_pbf, "peak_ndvi": np.round(this.peak_ndvi[s], 4), "mean_ndvi": np.round(this.mean_ndvi[s], 4),
        "scenes_observed": this.observed[s], "pixels": this.pixels[s], "previous_verdict": before,
        "two_years_on_pbf": two,
    }), geometry=parcels.geometry.reset_index(drop=True), crs=parcels.crs)
