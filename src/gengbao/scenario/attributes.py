"""DLTB fields from the internal parcel table: ids, owners, located-in codes, deduction and farmland
attributes, consistent with the survey's formulas (KCMJ = round(TBMJ × KCXS, 2), TBDLMJ = TBMJ − KCMJ).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from gengbao.scenario.classes import DEFAULT_KCXS, FARMLAND, PADDY, TERRACE_DEDUCTION, class_name
from gengbao.scenario.frame import GEOGRAPHIC, round_half_up
from gengbao.scenario.regions import Village
from gengbao.spatial.degenerate import drop_degenerate

TERRACE_SHARE = 0.3  # sloped dry farmland recorded as terraces (TT) rather than slopes (PD)
STATE_CLASSES = ("1101", "1103", "1003", "1004")
PLANTING = (("LS", 0.80), ("FLS", 0.88), ("LYFL", 0.95), ("XG", 0.975), ("LLJZ", 1.0))
RESTORABLE = ("0201", "0201K", "0202", "0204", "0204K", "0301K", "0307", "0307K", "0404", "1104")
PARCEL_FIELDS = ("BSM", "TBBH", "DLBM", "DLMC", "QSXZ", "QSDWDM", "QSDWMC", "ZLDWDM", "ZLDWMC", "TBMJ", "KCDLBM",
                 "KCXS", "KCMJ", "TBDLMJ", "GDLX", "GDPDJB", "ZZSXDM", "GDDB", "TBXHDM", "CZCSXM", "SJNF")
PBF_FIELDS = ("BSM", "DLBM", "ZLDWDM", "TBMJ", "KCXS", "KCMJ", "TBDLMJ")


@dataclass(frozen=True)
class CountyNames:
    code: str
    name: str
    villages: list[Village]


def farmland_deduction(dlbm: np.ndarray, grade: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """→ (KCXS, GDLX) for parcels of class ``dlbm``; 0 and None where not sloped farmland."""
    farm = np.isin(dlbm, FARMLAND)
    sloped = farm & (grade > 1)
    tt = (dlbm == PADDY) | (u < TERRACE_SHARE)
    lut = {k: np.array([0.0] + [v[g] for g in range(1, 6)]) for k, v in DEFAULT_KCXS.items()}
    g = np.clip(grade.astype(np.int64), 1, 5)
    kcxs = np.where(sloped, np.where(tt, lut["TT"][g], lut["PD"][g]), 0.0)
    gdlx = np.where(sloped, np.where(tt, "TT", "PD"), None).astype(object)  # type: ignore[call-overload]
    return kcxs, gdlx


def net_area(tbmj: np.ndarray, kcxs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """→ (KCMJ, TBDLMJ)."""
    kcmj = round_half_up(tbmj * kcxs)
    return kcmj, np.round(tbmj - kcmj, 2)


def table_net(df: pd.DataFrame) -> np.ndarray:
    kcxs, _ = farmland_deduction(df["dlbm"].to_numpy(), df["grade"].to_numpy(), df["u"].to_numpy())
    return net_area(df["tbmj"].to_numpy(), kcxs)[1]


def base_planting(df: pd.DataFrame) -> None:
    """ZZSXDM and TBXHDM of the base survey (in place)."""
    dlbm = df["dlbm"].to_numpy()
    w = df["w"].to_numpy()
    farm = np.isin(dlbm, FARMLAND)
    codes = np.array([c for c, _ in PLANTING], dtype=object)
    zz = codes[np.searchsorted(np.array([p for _, p in PLANTING]), w, side="right").clip(0, len(codes) - 1)]
    zzsx = np.where(farm, zz, None).astype(object)  # type: ignore[attr-defined]
    restorable = np.isin(dlbm, RESTORABLE) & ((df["zone"].to_numpy() == 2) | np.char.endswith(dlbm.astype(str), "K"))
    zzsx[restorable] = np.where(w[restorable] < 0.6, "JKHF", "GCHF")
    df["zzsx"] = zzsx
    tbxh = np.full(len(df), None, dtype=object)
    river = farm & (df["river_d"].to_numpy() < 200.0) & (w < 0.5)
    tbxh[river] = "HDGD"
    score = df["score"].to_numpy()
    if farm.any():
        low = farm & (score < np.quantile(score[farm], 0.1)) & (df["u"].to_numpy() > 0.7)
        tbxh[low & ~river] = "LQGD"
    df["tbxh"] = tbxh


def _gddb(dlbm: np.ndarray, grade: np.ndarray, u: np.ndarray) -> np.ndarray:
    q = 1.0 + 1.4 * (grade - 1) + 3.0 * u + np.where(dlbm == PADDY, 0.0, 1.0)
    return np.clip(np.round(q), 1, 10).astype(np.int64)


def dltb_frame(df: pd.DataFrame, names: CountyNames, epoch: int) -> gpd.GeoDataFrame:
    """The DLTB layer (EPSG:4490) of the table at ``epoch``."""
    dlbm = df["dlbm"].to_numpy()
    grade = df["grade"].to_numpy()
    u = df["u"].to_numpy()
    farm = np.isin(dlbm, FARMLAND)
    kcxs, gdlx = farmland_deduction(dlbm, grade, u)
    tbmj = df["tbmj"].to_numpy()
    kcmj, tbdlmj = net_area(tbmj, kcxs)
    vcode = np.array([v.code for v in names.villages], dtype=object)[df["village"].to_numpy()]
    vname = np.array([v.name for v in names.villages], dtype=object)[df["village"].to_numpy()]
    group = df["group"].to_numpy().astype(np.int64)
    gcode = np.array([f"{g:05d}00" for g in range(64)], dtype=object)[group]
    zldwdm = vcode + gcode
    state = np.isin(dlbm, STATE_CLASSES) | (df["czcs"].to_numpy() == "201")
    gname = np.array([f"第{g}村民小组" for g in range(64)], dtype=object)[group]
    names_of = {c: class_name(c) for c in pd.unique(dlbm)}
    out = pd.DataFrame({
        "BSM": df["bsm"].to_numpy(),
        "TBBH": df["tbbh"].to_numpy(),
        "DLBM": dlbm,
        "DLMC": [names_of[c] for c in dlbm],
        "QSXZ": np.where(state, "10", "30").astype(object),
        "QSDWDM": np.where(state, names.code + "0" * 13, zldwdm).astype(object),
        "QSDWMC": np.where(state, names.name + "国有", vname + gname).astype(object),
        "ZLDWDM": zldwdm,
        "ZLDWMC": vname,
        "TBMJ": tbmj,
        "KCDLBM": np.where(kcxs > 0, TERRACE_DEDUCTION, None).astype(object),  # type: ignore[call-overload]
        "KCXS": kcxs,
        "KCMJ": kcmj,
        "TBDLMJ": tbdlmj,
        "GDLX": gdlx,
        "GDPDJB": pd.array(np.where(farm, grade, 0), dtype="Int64"),
        "ZZSXDM": df["zzsx"].to_numpy(),
        "GDDB": pd.array(_gddb(dlbm, grade, u), dtype="Int64"),
        "TBXHDM": df["tbxh"].to_numpy(),
        "CZCSXM": np.where(df["czcs"].to_numpy() == "", None, df["czcs"].to_numpy()).astype(object),  # type: ignore[attr-defined]
        "SJNF": np.full(len(df), epoch, dtype=np.int64),
    })
    out.loc[~farm, ["GDPDJB", "GDDB"]] = pd.NA
    geometry = gpd.GeoSeries.from_wkb(df["geometry"].to_numpy(), crs=GEOGRAPHIC)  # the table holds WKB
    clean, _ = drop_degenerate(geometry.to_numpy())  # cutting can leave slivers of no area: never written
    return gpd.GeoDataFrame(out, geometry=clean, crs=GEOGRAPHIC)


def pbf_frame(df: pd.DataFrame, names: CountyNames, first: int = 1) -> gpd.GeoDataFrame:
    """The PBF layer: one polygon per PBF parcel of the base survey, BSM numbered apart from DLTB (from
    ``first``, for a layer written in chunks)."""
    rows = df[df["pbf"].to_numpy()]
    full = dltb_frame(rows, names, 0)
    out = full[list(PBF_FIELDS)].copy()
    out["BSM"] = [f"{names.code}9{i:09d}" for i in range(first, first + len(out))]
    return gpd.GeoDataFrame(out, geometry=full.geometry.to_numpy(), crs=GEOGRAPHIC)
