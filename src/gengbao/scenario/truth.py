"""Ground truth files under ``WS/truth/``: GeoParquet layers and a JSON summary (all synthetic).

Layers (EPSG:4490): ``events``, ``approvals`` (every kind), ``filings`` (facility filings),
``temporary_permits``, ``supplementary_projects``, ``regions`` (county outline, synthetic township and
village polygons with their real codes and names). The summary holds ``synthetic: true``, the
arguments, per-county calibration and per-epoch totals, and event counts and areas by type.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from gengbao.scenario.frame import GEOGRAPHIC
from gengbao.scenario.records import TYPE_LABELS, Approval, Event, Project

SCHEMA_VERSION = 1
LAYERS = ("events", "approvals", "filings", "temporary_permits", "supplementary_projects", "regions")


def _frame(records: Sequence[Any], cls: type) -> gpd.GeoDataFrame:
    names = [f.name for f in fields(cls) if f.name != "geometry"]
    rows = [asdict(r) for r in records]
    df = pd.DataFrame([{k: r[k] for k in names} for r in rows], columns=names)
    geom = [r["geometry"] for r in rows]
    return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(geom, crs=GEOGRAPHIC), crs=GEOGRAPHIC)


def events_frame(events: Sequence[Event]) -> gpd.GeoDataFrame:
    df = _frame(events, Event)
    df["restored_epoch"] = df["restored_epoch"].astype("Int64")
    return df


def approvals_frame(approvals: Sequence[Approval]) -> gpd.GeoDataFrame:
    df = _frame(approvals, Approval)
    df["restored_epoch"] = df["restored_epoch"].astype("Int64")
    return df


def projects_frame(projects: Sequence[Project]) -> gpd.GeoDataFrame:
    return _frame(projects, Project)


def truth_layers(events: Sequence[Event], approvals: Sequence[Approval], projects: Sequence[Project],
                 regions: Sequence[gpd.GeoDataFrame]) -> dict[str, gpd.GeoDataFrame]:
    a = approvals_frame(approvals)
    return {
        "events": events_frame(events),
        "approvals": a.drop(columns=["understated", "will_restore", "restored_epoch"]),
        "filings": a[a["kind"] == "facility"].drop(columns=["kind", "will_restore", "restored_epoch", "valid_until"]),
        "temporary_permits": a[a["kind"] == "temporary"].drop(columns=["kind", "understated"]),
        "supplementary_projects": projects_frame(projects),
        "regions": gpd.GeoDataFrame(pd.concat(regions, ignore_index=True), crs=GEOGRAPHIC),
    }


def event_summary(events: Sequence[Event]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for e in events:
        s = out.setdefault(e.type, {"label": TYPE_LABELS[e.type], "count": 0, "area_m2": 0.0, "farmland_m2": 0.0,
                                    "pbf_m2": 0.0, "unlawful": 0, "restored": 0})
        s["count"] += 1
        s["area_m2"] += e.area_m2
        s["farmland_m2"] += e.farmland_m2
        s["pbf_m2"] += e.pbf_m2
        s["unlawful"] += 0 if e.lawful else 1
        s["restored"] += 1 if e.restored else 0
    for s in out.values():
        for k in ("area_m2", "farmland_m2", "pbf_m2"):
            s[k] = round(s[k], 2)
    return dict(sorted(out.items()))


def write_truth(root: Path, layers: dict[str, gpd.GeoDataFrame], summary: dict[str, Any]) -> list[Path]:
    root.mkdir(parents=True, exist_ok=True)
    written = []
    for name in LAYERS:
        path = root / f"{name}.parquet"
        layers[name].reset_index(drop=True).to_parquet(path, index=False, compression="zstd",
                                                       write_covering_bbox=False)
        written.append(path)
    path = root / "summary.json"
    path.write_text(json.dumps({"synthetic": True, "schema_version": SCHEMA_VERSION, **summary}, ensure_ascii=False,
                               indent=2, sort_keys=False) + "\n", encoding="utf-8")
    written.append(path)
    return written
