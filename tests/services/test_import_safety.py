"""No data lost when imports race or die: concurrent imports of one epoch leave exactly one winner and an
intact epoch; an import killed at any moment leaves nothing that blocks or misleads the next command; a
replace that fails keeps the previous layer (SQLite and PostgreSQL)."""

from __future__ import annotations

import multiprocessing as mp
import os
import random
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

import gengbao.api as gb
from gengbao.adapters import layer_store
from gengbao.domain.errors import ConflictError
from tests.support import survey_factory as sf

FARMLAND = ("0101", "0102", "0103")
IMPORTERS = 6


def _files(tmp_path: Path, n: int) -> list[Path]:
    """``n`` different valid layers: each has its own number of parcels per village (4 villages)."""
    out = []
    for i in range(n):
        path = tmp_path / f"dltb-{i}.gpkg"
        sf.frame(sf.parcels(per_village=4 + i)).to_file(path, driver="GPKG")
        out.append(path)
    return out


def _import(root: str, db_url: str | None, path: str, start: mp.synchronize.Event, results: mp.Queue) -> None:  # type: ignore[name-defined]
    ctx = gb.open_workspace(Path(root), db_url)
    start.wait()
    try:
        report = gb.import_survey(ctx, Path(path), epoch=2022)
        results.put(("ok", path, report.imported))
    except gb.GengbaoError as exc:
        results.put((exc.code, path, 0))


def _farmland(ctx: gb.Context) -> Decimal:
    return sum((r.farmland_m2 for r in gb.survey_statistics(ctx, 2022)), Decimal(0))


def test_concurrent_imports_of_one_epoch_leave_one_winner(tmp_path: Path, db_url: str | None) -> None:
    root = tmp_path / "ws"
    gb.init_workspace(root, "360200", db_url)
    files = _files(tmp_path, IMPORTERS)
    mpc = mp.get_context("spawn")
    start, results = mpc.Event(), mpc.Queue()
    procs = [mpc.Process(target=_import, args=(str(root), db_url, str(f), start, results)) for f in files]
    for p in procs:
        p.start()
    time.sleep(2.0)  # every process has opened the workspace
    start.set()
    for p in procs:
        p.join(180)
    outcomes = [results.get(timeout=5) for _ in procs]
    winners = [o for o in outcomes if o[0] == "ok"]
    assert len(winners) == 1, outcomes
    assert {o[0] for o in outcomes if o[0] != "ok"} <= {"layer.busy", "survey.epoch_exists"}
    won = Path(winners[0][1])
    ctx = gb.open_workspace(root, db_url)
    assert ctx.notices == ()
    # the epoch holds exactly the winner's layer, readable
    items = sf.parcels(per_village=4 + files.index(won))
    assert winners[0][2] == len(items)
    assert _farmland(ctx) == sum((p.tbdlmj for p in items if p.dlbm in FARMLAND), Decimal(0))
    assert gb.verify_audit(ctx).ok
    with pytest.raises(ConflictError):  # and it is there: a new import is told so
        gb.import_survey(ctx, files[0], epoch=2022)


def test_failed_replace_keeps_the_previous_layer(tmp_path: Path, db_url: str | None,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = _files(tmp_path, 2)
    ctx = gb.init_workspace(tmp_path / "ws", "360200", db_url)
    gb.import_survey(ctx, first, epoch=2022)
    before = _farmland(ctx)

    def broken(*_a: object, **_k: object) -> None:
        raise RuntimeError("the database went away mid-commit")

    monkeypatch.setattr("gengbao.adapters.db.survey_store.replace_epoch", broken)
    with pytest.raises(RuntimeError):
        gb.import_survey(ctx, second, epoch=2022, replace=True)
    monkeypatch.undo()
    assert _farmland(gb.open_workspace(tmp_path / "ws", db_url)) == before
    versions = sorted(p.name for p in layer_store.epoch_dir(ctx.layout.layers, "parcels", 2022).iterdir())
    assert versions == ["CURRENT", "v-1"]  # the failed version is gone, the published one untouched
    gb.import_survey(ctx, second, epoch=2022, replace=True)
    items = sf.parcels(per_village=5)
    assert _farmland(ctx) == sum((p.tbdlmj for p in items if p.dlbm in FARMLAND), Decimal(0))


def test_a_killed_import_leaves_nothing_that_blocks_the_retry(tmp_path: Path) -> None:
    big = tmp_path / "big.gpkg"
    sf.frame(sf.parcels(per_village=600)).to_file(big, driver="GPKG")  # 2,400 parcels: a few seconds
    rng = random.Random(20261202)
    cli = [sys.executable, "-m", "gengbao.interfaces.cli.app"]
    for round_ in range(3):
        root = tmp_path / f"ws{round_}"
        gb.init_workspace(root, "360200")
        proc = subprocess.Popen([*cli, "survey", "import", str(root), str(big), "--epoch", "2022", "--json"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(1.0, 4.0))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        ctx = gb.open_workspace(root)
        epochs = ctx.layout.layers / "parcels"
        recorded = gb.survey_statistics(ctx, 2022) if layer_store.has_dataset(ctx.layout.layers, "parcels", 2022) else None
        if recorded is None:  # killed before it committed: nothing of it is left, and a retry succeeds
            assert not epochs.exists() or [p.name for p in epochs.iterdir()] == []
            assert gb.import_survey(ctx, big, epoch=2022).imported == 2400
        assert len(gb.survey_statistics(ctx, 2022)) == 3
        assert gb.verify_audit(ctx).ok
