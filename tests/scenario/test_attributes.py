"""DLTB fields of the generated layers are complete and consistent with the survey's rules."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
import pytest
import shapely

from gengbao.adapters.region_data import load_catalog
from gengbao.scenario.attributes import PARCEL_FIELDS
from gengbao.scenario.classes import DEFAULT_KCXS
from gengbao.scenario.frame import geodesic_area
from tests.scenario.conftest import EPOCHS

FARMLAND = ("0101", "0102", "0103")


@pytest.fixture(scope="module")
def base(rich_layers) -> pd.DataFrame:
    return rich_layers[EPOCHS[0]]


def test_every_field_is_there(rich_layers) -> None:
    for e, layer in rich_layers.items():
        assert set(PARCEL_FIELDS) <= set(layer.columns)
        assert layer["BSM"].is_unique
        assert (layer["SJNF"] == e).all()


def test_deduction_arithmetic_is_exact(base) -> None:
    for tbmj, kcxs, kcmj, tbdlmj in base[["TBMJ", "KCXS", "KCMJ", "TBDLMJ"]].itertuples(index=False):
        t, k = Decimal(str(tbmj)), Decimal(str(kcxs))
        assert Decimal(str(kcmj)) == (t * k).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert Decimal(str(tbdlmj)) == t - Decimal(str(kcmj))


def test_tbmj_is_the_ellipsoidal_area(base) -> None:
    sample = base.sample(400, random_state=1)
    for g, tbmj in zip(sample.geometry, sample["TBMJ"], strict=True):
        assert tbmj == pytest.approx(geodesic_area(g), abs=0.011)
    assert shapely.is_valid(base.geometry.to_numpy()).all()


def test_farmland_slope_fields(base) -> None:
    farm = base["DLBM"].isin(FARMLAND)
    grade = base["GDPDJB"]
    assert grade[farm].between(1, 5).all() and grade[~farm].isna().all()
    sloped = farm & (grade > 1)
    assert set(base.loc[sloped, "GDLX"]) == {"PD", "TT"} and base.loc[~sloped, "GDLX"].isna().all()
    assert (base.loc[sloped, "KCDLBM"] == "1203").all() and base.loc[~sloped, "KCDLBM"].isna().all()
    for gdlx, grade, kcxs in base.loc[sloped, ["GDLX", "GDPDJB", "KCXS"]].itertuples(index=False):
        assert kcxs == DEFAULT_KCXS[gdlx][int(grade)]
    assert (base.loc[~sloped, "KCXS"] == 0).all()
    assert base.loc[farm, "GDDB"].between(1, 10).all() and base.loc[~farm, "GDDB"].isna().all()


def test_planting_and_refinement_codes(base) -> None:
    farm = base["DLBM"].isin(FARMLAND)
    assert set(base.loc[farm, "ZZSXDM"]) == {"LS", "FLS", "LYFL", "XG", "LLJZ"}
    restorable = base.loc[~farm, "ZZSXDM"].dropna()
    assert set(restorable) == {"JKHF", "GCHF"}
    assert base.loc[restorable.index, "DLBM"].str.match(r"^(02|03|04|1104)").all()
    assert set(base["TBXHDM"].dropna()) == {"HDGD", "LQGD"} and base.loc[~farm, "TBXHDM"].isna().all()
    assert set(base["CZCSXM"].dropna()) <= {"201", "202", "203"}


def test_located_in_and_owner_codes(base) -> None:
    catalog = load_catalog()
    z = base["ZLDWDM"]
    assert z.str.fullmatch(r"\d{19}").all()
    assert all(code in catalog for code in z.str.slice(0, 12).unique())
    assert z.str.slice(12).str.fullmatch(r"\d{5}00").all()
    names = {r.code: r.name for r in catalog.descendants("360202")}
    assert (base["ZLDWMC"] == z.str.slice(0, 12).map(names)).all()
    state = base["QSXZ"] == "10"
    assert set(base["QSXZ"]) == {"10", "30"}
    assert (base.loc[~state, "QSDWDM"] == z[~state]).all()
    assert (base.loc[state, "QSDWDM"] == "3602020000000000000").all()


def test_tbbh_numbers_parcels_within_each_village(rich_layers) -> None:
    for layer in rich_layers.values():
        key = layer["ZLDWDM"].str.slice(0, 12) + "/" + layer["TBBH"]
        assert key.is_unique


def test_parcel_sizes_are_field_like(base) -> None:
    mu = base["TBMJ"] * 15 / 10000
    fields = mu[base["DLBM"].isin(FARMLAND)]
    forest = mu[base["DLBM"].str.startswith("03")]
    assert np.median(forest) > np.median(fields)
    lines = base["DLBM"].isin(["1006", "1107", "1003", "1101"])
    assert lines.sum() > 0
    # linear parcels are long and thin
    g = base.loc[lines, "geometry"].to_numpy()
    assert np.median(shapely.length(g) ** 2 / shapely.area(g)) > 50
