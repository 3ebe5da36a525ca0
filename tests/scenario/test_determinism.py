"""Same arguments, byte-identical layers and truth; counties independent of each other."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from gengbao.adapters import layer_store
from gengbao.adapters.region_data import load_catalog
from gengbao.scenario import load_profile, make_county, make_scenario, spool
from gengbao.scenario.targets import county_targets

REGION = ["360202", "360203"]
ARGS = dict(parcels=2500, epochs=[2020, 2021, 2022], seed=5)


def _hashes(root: Path) -> dict[str, str]:
    out = {}
    for sub in ("layers", "truth"):
        for p in sorted((root / sub).rglob("*")):
            if p.is_file() and ".locks" not in p.parts:  # writers' lock files are empty and not data
                out[str(p.relative_to(root))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("determinism")
    make_scenario(base / "a", REGION, workers=1, **ARGS)
    make_scenario(base / "b", REGION, workers=2, **ARGS)  # counties made in two processes
    with pytest.MonkeyPatch.context() as mp:  # made in chunks of 700 parcels, imported in parts of 1400
        mp.setattr(spool, "CHUNK_ROWS", 700)
        mp.setattr(spool, "PART_ROWS", 1400)
        make_scenario(base / "chunked", REGION, workers=1, **ARGS)
    return base


@pytest.fixture(scope="module")
def twice(made: Path) -> tuple[dict[str, str], dict[str, str]]:
    return _hashes(made / "a"), _hashes(made / "b")


def test_same_arguments_give_identical_bytes(twice) -> None:
    a, b = twice
    # per county: 3 parcel epochs and 1 PBF part; one CURRENT per layer and epoch; 7 truth files
    assert len(a) == 2 * (3 + 1) + (3 + 1) + 7
    assert a == b


def test_layers_are_partitioned_by_county(twice) -> None:
    a, _ = twice
    assert {k for k in a if k.startswith("layers/parcels/2020/")} == {
        "layers/parcels/2020/v-1/county=360202/part-0.parquet", "layers/parcels/2020/v-1/county=360203/part-0.parquet",
        "layers/parcels/2020/CURRENT"}


def test_seed_changes_the_county_and_nothing_leaks_between_counties() -> None:
    catalog = load_catalog()
    target = county_targets(["360203"], catalog)["360203"]
    one = make_county("360203", catalog, 800, [2020, 2021], 5, target, load_profile())
    again = make_county("360203", catalog, 800, [2020, 2021], 5, target, load_profile())
    other = make_county("360203", catalog, 800, [2020, 2021], 6, target, load_profile())
    for e in (2020, 2021):
        assert one.parcels[e].to_wkb().equals(again.parcels[e].to_wkb())
    assert not one.parcels[2020].to_wkb().equals(other.parcels[2020].to_wkb())


def test_chunk_size_changes_no_parcel(made: Path) -> None:
    a, chunked = made / "a", made / "chunked"
    for kind, epoch in [("parcels", e) for e in ARGS["epochs"]] + [("pbf", 2020)]:
        want = layer_store.read_dataset(a / "layers", kind, epoch)
        pd.testing.assert_frame_equal(layer_store.read_dataset(chunked / "layers", kind, epoch), want)
    part = chunked / "layers" / "parcels" / "2020" / "v-1" / "county=360202" / "part-0.parquet"
    rows = pq.ParquetFile(part).metadata.num_rows
    assert rows > 1400 and pq.ParquetFile(part).num_row_groups == -(-rows // 1400)  # parts merged into one file
    assert [p.name for p in chunked.iterdir() if p.name.startswith(".")] == []  # the spool is gone
    assert {p.name for p in (chunked / "layers").rglob("*") if p.is_file() and ".locks" not in p.parts} == {
        "part-0.parquet", "CURRENT"}
