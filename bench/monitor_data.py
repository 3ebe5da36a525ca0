"""Synthetic two-epoch workspaces for bench/monitor.py (all data synthetic): grid parcels in class zones,
then about 3 % of parcels changed — whole-parcel class changes, partial changes (a parcel cut in two),
2×2 blocks built over, and re-digitised boundaries that leave sub-m² slivers — plus a PBF layer
(farmland parcels of protected zones) and approvals for part of the changes.

Layers are written straight into the layer store (with the same columns and geometry hash an import
stores) to keep generating 3 M parcels quick; approvals go through ``import_approvals_frame``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gengbao.adapters import layer_store
from gengbao.adapters.db.models import Epoch
from gengbao.domain.regions import RegionLevel
from gengbao.services.approvals.importing import import_approvals_frame
from gengbao.services.workspace import Workspace, init_workspace
from gengbao.spatial.area import ellipsoidal_area, round_m2
from gengbao.spatial.geometry_hash import geometry_hashes

D = 0.0005  # parcel side in degrees (≈ 48 m × 55 m)
ZONE = 8
CLASSES = np.array(["0101", "0102", "0103", "0201", "0301", "0702", "1003", "1104", "1006", "1206"], dtype=object)
WEIGHTS = np.array([0.2, 0.1, 0.25, 0.05, 0.2, 0.08, 0.02, 0.04, 0.03, 0.03])
BUILT = np.array(["0601", "0702", "05H1", "1003"], dtype=object)
FARMLAND = ("0101", "0102", "0103")
E1, E2 = 2021, 2022


def _villages(ws: Workspace, county: str) -> np.ndarray:
    codes = [r.code for r in ws.catalog.descendants(county, RegionLevel.VILLAGE)]
    return np.array(codes or [county + "000000"], dtype=object)


def _county_layers(rng: np.random.Generator, n: int, k: int, villages: np.ndarray) -> dict[str, pd.DataFrame]:
    side = int(np.ceil(np.sqrt(n)))
    rows, cols = np.divmod(np.arange(n), side)
    x0, y0 = 116.8 + k * (side * D + 0.02), 29.2
    zone = (rows // ZONE) * (side // ZONE + 1) + cols // ZONE
    n_zones = int(zone.max()) + 1
    zone_class = rng.choice(CLASSES, size=n_zones, p=WEIGHTS)
    cls = zone_class[zone].copy()
    noise = rng.random(n) < 0.1
    cls[noise] = rng.choice(CLASSES, size=int(noise.sum()), p=WEIGHTS)
    vill = villages[np.minimum(zone * len(villages) // n_zones, len(villages) - 1)]
    zld = np.char.add(vill.astype(str), "0000100").astype(object)
    xs, ys = x0 + cols * D, y0 + rows * D
    b = pd.DataFrame({"x0": xs, "y0": ys, "x1": xs + D, "y1": ys + D, "DLBM": cls, "ZLDWDM": zld,
                      "BSM": [f"B{k}{i:09d}" for i in range(n)], "row": rows, "col": cols})
    pbf = b[np.isin(cls, FARMLAND) & (rng.random(n_zones) < 0.6)[zone]]
    # disjoint picks: whole changes, partial cuts, re-digitised right edges; 2×2 blocks from even cells
    pick = rng.permutation(n)
    n_whole, n_cut, n_shift = int(0.012 * n), int(0.012 * n), int(0.006 * n)
    whole, cut = pick[:n_whole], pick[n_whole:n_whole + n_cut]
    shift = pick[n_whole + n_cut:n_whole + n_cut + n_shift]
    shift = shift[(cols[shift] < side - 1) & ~np.isin(shift + 1, pick[:n_whole + n_cut])]
    a = b.copy()
    farm = np.isin(cls[whole], FARMLAND)
    a.loc[whole, "DLBM"] = np.where(farm, rng.choice(np.r_[BUILT, ["0201", "1104A", "1202", "1301"]], whole.size),
                                    rng.choice(np.array(FARMLAND, dtype=object), whole.size))
    a.loc[shift, "x1"] += 1e-7
    a.loc[shift + 1, "x0"] += 1e-7
    frac = rng.uniform(0.3, 0.7, cut.size)
    left = a.loc[cut].copy()
    left["x1"] = left["x0"] + frac * D
    a.loc[cut, "x0"] = left["x1"].to_numpy()
    left["DLBM"] = rng.choice(BUILT, cut.size)
    left["BSM"] = [f"N{k}{i:09d}" for i in range(cut.size)]
    blocks = b[(rows % 2 == 0) & (cols % 2 == 0) & (rows < rows.max()) & (cols < side - 1)].index.to_numpy()
    taken = np.zeros(n, bool)
    taken[pick[:n_whole + n_cut + n_shift]] = True
    taken[shift + 1] = True
    blocks = blocks[~(taken[blocks] | taken[blocks + 1] | taken[np.minimum(blocks + side, n - 1)]
                      | taken[np.minimum(blocks + side + 1, n - 1)])][: int(0.0005 * n) + 1]
    members = np.concatenate([blocks, blocks + 1, blocks + side, blocks + side + 1])
    merged = b.loc[blocks].copy()
    merged["x1"], merged["y1"] = merged["x0"] + 2 * D, merged["y0"] + 2 * D
    merged["DLBM"], merged["BSM"] = "0601", [f"M{k}{i:09d}" for i in range(blocks.size)]
    a = pd.concat([a.drop(index=members), left, merged], ignore_index=True)
    changed = pd.concat([a[a["BSM"].isin(b.loc[whole, "BSM"])], left, merged], ignore_index=True)
    return {"before": b, "after": a, "pbf": pbf, "changed": changed}


def _frame(df: pd.DataFrame, county: str) -> gpd.GeoDataFrame:
    geoms = shapely.box(df["x0"].to_numpy(), df["y0"].to_numpy(), df["x1"].to_numpy(), df["y1"].to_numpy())
    tbmj = round_m2(ellipsoidal_area(geoms))
    out = pd.DataFrame({"BSM": df["BSM"].to_numpy(), "DLBM": df["DLBM"].to_numpy(), "ZLDWDM": df["ZLDWDM"].to_numpy(),
                        "TBMJ": tbmj, "KCXS": 0.0, "KCMJ": 0.0, "TBDLMJ": tbmj, "area_m2": tbmj,
                        "geom_hash": geometry_hashes(geoms), "county": county})
    return gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(geoms, crs="EPSG:4490"), crs="EPSG:4490")


def _approvals(rng: np.random.Generator, changed: pd.DataFrame) -> gpd.GeoDataFrame:
    c = changed[rng.random(len(changed)) < 0.5].reset_index(drop=True)
    geoms = shapely.box(c["x0"].to_numpy(), c["y0"].to_numpy(), c["x1"].to_numpy(), c["y1"].to_numpy())
    kind = np.where(c["DLBM"] == "1202", "facility", np.where(c["DLBM"] == "1301", "temporary", "conversion"))
    fac = kind == "facility"
    geoms[fac] = shapely.box(c["x0"][fac], c["y0"][fac], c["x0"][fac] + 0.7 * (c["x1"][fac] - c["x0"][fac]),
                             c["y1"][fac])
    until = np.where(kind == "temporary", np.where(rng.random(len(c)) < 0.5, "2022-06-30", "2024-06-30"), None)
    return gpd.GeoDataFrame({"id": [f"A-{b}" for b in c["BSM"]], "kind": kind, "issued": "2022-03-01",
                             "valid_until": until, "filed_area": np.where(fac, 1000.0, None)},
                            geometry=geoms, crs="EPSG:4490")


def make_workspace(root: Path, parcels: int, counties: list[str], seed: int = 1) -> Workspace:
    """A workspace with epochs 2021 and 2022, PBF 2021 and approvals; ``parcels`` split over ``counties``."""
    rng = np.random.default_rng(seed)
    ws = init_workspace(root, counties[0][:4] if len(counties) > 1 else counties[0])
    frames: dict[str, list[gpd.GeoDataFrame]] = {"before": [], "after": [], "pbf": []}
    approvals = []
    for k, county in enumerate(counties):
        layers = _county_layers(rng, parcels // len(counties), k, _villages(ws, county))
        for key in frames:
            frames[key].append(_frame(layers[key], county))
        approvals.append(_approvals(rng, layers["changed"]))
    now = datetime.now(UTC)
    with ws.transaction() as s:
        for key, year, kind in (("before", E1, "parcels"), ("after", E2, "parcels"), ("pbf", E1, "pbf")):
            frame = pd.concat(frames[key], ignore_index=True)
            path = layer_store.write_dataset(ws.layout.layers, kind, year, gpd.GeoDataFrame(frame, crs="EPSG:4490"))
            s.add(Epoch(year=year, kind=kind, layer_path=str(path.relative_to(ws.root)), feature_count=len(frame),
                        counties=counties, source_file="synthetic", source_sha256="", source_crs="EPSG:4490",
                        imported_at=now))
    import_approvals_frame(ws, pd.concat(approvals, ignore_index=True), None, "synthetic-approvals")
    return ws
