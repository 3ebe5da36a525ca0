"""Put a generated scenario into a workspace: survey layers through the survey import (the same
validation a user's file gets), GeoPackages for QGIS, all marked synthetic.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd

from gengbao.services.survey_import import ImportReport, import_survey_frame
from gengbao.services.workspace import Workspace

SYNTHETIC_NOTE = "模拟数据（synthetic）：由 gengbao scenario 生成，非真实调查成果，仅供测试、演示与评估。"

Progress = Callable[[str], None]


def concat(frames: list[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    if len(frames) == 1:
        return frames[0]
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=frames[0].crs)


def import_layer(ws: Workspace, frame: gpd.GeoDataFrame, epoch: int, kind: str) -> ImportReport:
    return import_survey_frame(ws, frame, epoch, kind, source=f"synthetic-{kind}-{epoch}（模拟数据）",
                               notes=(SYNTHETIC_NOTE,))


def write_gpkg(path: Path, layers: dict[str, gpd.GeoDataFrame]) -> Path:
    """One GeoPackage, every layer named ``synthetic_…`` and described as synthetic."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    for name, frame in layers.items():
        frame.to_file(path, layer=f"synthetic_{name}", driver="GPKG", engine="pyogrio",
                      layer_options={"IDENTIFIER": f"模拟 {name}", "DESCRIPTION": SYNTHETIC_NOTE})
    return path
