"""Benchmark: scenario generation time and peak memory (synthetic data).

    .venv/bin/python bench/scenario.py [--region 3602] [--parcels 300000] [--epochs 2020,2021,2022,2023]
                                       [--seed 1] [--workers 2] [--out /tmp/gengbao-bench-ws] [--keep]

Runs ``make_scenario`` into a fresh workspace and prints, per phase (county generation, each epoch's
survey import, truth), the wall time and the peak resident memory of the whole process tree (the
main process plus worker processes, sampled every 50 ms), then each county's calibration error
(farmland Σ TBDLMJ and PBF against the targets). Target (DESIGN.md §3 scale, issue brief): 300,000
parcels with four epochs in under 2 minutes and 4 GB on a 2-core machine. At scale, e.g.
``--parcels 10000000 --epochs 2020``: memory is bounded by one county's working table per worker and
one chunk of a layer in the importing process. The workspace is removed afterwards unless ``--keep``.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import threading
import time
from pathlib import Path

import psutil

from gengbao.adapters import layer_store
from gengbao.scenario import ScenarioReport, make_scenario

FARMLAND = ("0101", "0102", "0103")


class PeakMemory:
    """Peak RSS (bytes) of this process and its children, sampled in a background thread."""

    def __init__(self, interval: float = 0.05) -> None:
        self.peak = 0
        self.phase = 0  # peak since the last ``mark``
        self._stop = threading.Event()
        self._proc = psutil.Process()
        self._thread = threading.Thread(target=self._run, args=(interval,), daemon=True)

    def _run(self, interval: float) -> None:
        while not self._stop.is_set():
            total = 0
            for p in [self._proc, *self._proc.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    total += p.memory_info().rss
            self.peak = max(self.peak, total)
            self.phase = max(self.phase, total)
            self._stop.wait(interval)

    def mark(self) -> int:
        """The peak since the last mark (and start a new phase)."""
        out, self.phase = self.phase, 0
        return out

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def print_calibration(ws: Path, report: ScenarioReport) -> None:
    """Per county: farmland (Σ TBDLMJ of 0101–0103) of the base epoch and PBF as stored in the workspace,
    against the targets."""
    base = report.epochs[0]
    parcels = layer_store.read_table(ws / "layers", "parcels", base, ["DLBM", "TBDLMJ"])
    farm = parcels[parcels["DLBM"].isin(FARMLAND)].groupby("county")["TBDLMJ"].sum()
    pbf = layer_store.read_table(ws / "layers", "pbf", base, ["TBDLMJ"]).groupby("county")["TBDLMJ"].sum()
    for code, c in report.summary["counties"].items():
        cal = c["calibration"]
        for what, got, want in (("farmland", farm.get(code, 0.0), cal["farmland_target_m2"]),
                                ("PBF", pbf.get(code, 0.0), cal["pbf_target_m2"])):
            error = f"{(got / want - 1) * 100:+.5f} %" if want else "no target"
            print(f"  {code} {c['name']} {what}: stored {got:,.2f} m², target {want:,.2f} m², error {error}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--region", default="3602")
    ap.add_argument("--parcels", type=int, default=300_000)
    ap.add_argument("--epochs", default="2020,2021,2022,2023")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", default="/tmp/gengbao-bench-ws")
    ap.add_argument("--keep", action="store_true", help="keep the workspace")
    args = ap.parse_args()
    out = Path(args.out)
    shutil.rmtree(out, ignore_errors=True)
    marks: list[tuple[float, str, int]] = []
    start = time.perf_counter()
    with PeakMemory() as mem:

        def progress(msg: str) -> None:
            marks.append((time.perf_counter() - start, msg, mem.mark()))

        report = make_scenario(out, args.region.split(","), args.parcels, [int(e) for e in args.epochs.split(",")],
                               args.seed, workers=args.workers, progress=progress)
        total = time.perf_counter() - start
        marks.append((total, "完成", mem.mark()))
    print(f"region {args.region}  counties {','.join(report.counties)}  epochs {args.epochs}  workers {args.workers}")
    for (t0, msg, _), (t1, _, peak) in zip(marks[:-1], marks[1:], strict=True):
        print(f"  {t1 - t0:8.2f} s  peak {peak / 2**30:5.2f} GiB  {msg}")
    parcels = {c: v["epochs"][str(report.epochs[0])]["parcels"] for c, v in report.summary["counties"].items()}
    events = sum(sum(t["count"] for t in v["events"].values()) for v in report.summary["counties"].values())
    print(f"parcels (base epoch) {sum(parcels.values())} {parcels}  events {events}")
    print(f"total {total:.1f} s  peak memory (process tree) {mem.peak / 2**30:.2f} GiB")
    print_calibration(out, report)
    if not args.keep:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
