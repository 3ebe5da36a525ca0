"""Bounded memory at scale: layers written chunk by chunk, the same parcels whatever the chunk size, BSM
lookups without a string per parcel, and county jobs scheduled within a memory budget."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gengbao.adapters.region_data import load_catalog
from gengbao.scenario import load_profile, make_county, spool
from gengbao.scenario.attributes import CountyNames
from gengbao.scenario.base import Ids
from gengbao.scenario.county import spool_county
from gengbao.scenario.events import County, EpochPlayer
from gengbao.scenario.records import Truth
from gengbao.scenario.schedule import memory_budget, plan_next, worker_bytes
from gengbao.scenario.spool import Spool, chunks_of
from gengbao.scenario.targets import county_targets

GB = 2**30


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Equal values; a column with no value in a chunk comes back as nulls of no type, so compare NA as None."""
    def norm(f: pd.DataFrame) -> pd.DataFrame:
        f = pd.DataFrame(f).astype(object)
        return f.where(f.notna(), None)
    pd.testing.assert_frame_equal(norm(a), norm(b))


def test_chunks_cover_every_row_once() -> None:
    assert chunks_of(5, 2) == [(0, 2), (2, 4), (4, 5)]
    assert chunks_of(4, 2) == [(0, 2), (2, 4)]
    assert chunks_of(0, 2) == [(0, 0)]  # an empty layer is still written (one empty chunk)


def test_spooled_county_in_small_chunks_equals_the_county_in_memory(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = load_catalog()
    target = county_targets(["360203"], catalog)["360203"]
    args = ("360203", catalog, 800, [2020, 2021], 5, target, load_profile())
    whole = make_county(*args)
    monkeypatch.setattr(spool, "CHUNK_ROWS", 300)
    store = Spool(tmp_path)
    out = spool_county(store, *args)
    assert out.pbf_parcels == len(whole.pbf) and out.stats == whole.stats
    for e in (2020, 2021):
        files = store.files("parcels", e, "360203")
        assert len(files) == -(-len(whole.parcels[e]) // 300)
        assert [len(pd.read_parquet(f, columns=["BSM"])) for f in files[:-1]] == [300] * (len(files) - 1)
        _same(store.county("parcels", e, "360203"), whole.parcels[e])
    monkeypatch.setattr(spool, "PART_ROWS", 700)  # the import reads two chunks at a time
    n = len(whole.parcels[2021])
    chunks = [300] * (n // 300) + ([n % 300] if n % 300 else [])
    assert [len(f) for f in store.read("parcels", 2021, ["360203"])] == [
        sum(chunks[i:i + 2]) for i in range(0, len(chunks), 2)]
    pbf = store.county("pbf", 2020, "360203")
    assert len(store.files("pbf", 2020, "360203")) == -(-len(whole.pbf) // 300)
    _same(pbf, whole.pbf)  # BSM numbered on across chunks
    assert pbf["BSM"].iloc[-1] == f"3602039{len(pbf):09d}"


def test_parcels_are_found_by_bsm_at_the_start_of_an_epoch() -> None:
    ids = Ids("360203", 1, np.ones(1, dtype=np.int64))
    df = pd.DataFrame({"bsm": ids.bsm(3), "evt": ""}, index=[0, 1, 2])
    df = df.iloc[[2, 0]]  # rows need not be in BSM order
    player = EpochPlayer(np.random.default_rng(0), df, 2021, County("360203", CountyNames("360203", "珠山区", []),
                                                                     ids, Truth()))
    assert player.label_of("3602030000000001") == 0 and player.label_of("3602030000000003") == 2
    assert player.label_of("3602030000000002") is None  # gone before the epoch
    assert player.label_of("3602020000000001") is None and player.label_of("360203x") is None


def test_large_counties_are_not_run_side_by_side_beyond_the_budget() -> None:
    need = [8 * GB, 6 * GB, 2 * GB, 1 * GB]
    assert plan_next([0, 1, 2, 3], [], need, 2, 12 * GB) == [0, 2]  # 1 would not fit beside 0: a small one does
    assert plan_next([1, 3], [0], need, 2, 12 * GB) == [3]
    assert plan_next([1], [3], need, 2, 12 * GB) == [1]
    assert plan_next([0, 1, 2, 3], [], need, 2, None) == [0, 1]
    assert plan_next([0], [], [20 * GB], 2, 12 * GB) == [0]  # alone, a job runs whatever its size
    assert plan_next([2, 3], [0, 1], need, 2, 100 * GB) == []  # no free worker
    assert worker_bytes(1_000_000) == 400 * 2**20 + 1_000_000_000
    budget = memory_budget()
    assert budget is not None and budget > GB
