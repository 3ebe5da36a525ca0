"""Benchmark: scenario generation time and peak memory (synthetic data).

    .venv/bin/python bench/scenario.py [--region 3602] [--parcels 300000] [--epochs 2020,2021,2022,2023]
                                       [--seed 1] [--workers 2] [--out /tmp/gengbao-bench-ws]

Runs ``make_scenario`` into a fresh workspace and prints, per phase (county generation, each epoch's
survey import, truth), the wall time, and the peak resident memory of the whole process tree (the
main process plus worker processes, sampled every 50 ms). Target (DESIGN.md §3 scale, issue brief):
300,000 parcels with four epochs in under 2 minutes and 4 GB on a 2-core machine.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import threading
import time
from pathlib import Path

import psutil

from gengbao.scenario import make_scenario


class PeakMemory:
    """Peak RSS (bytes) of this process and its children, sampled in a background thread."""

    def __init__(self, interval: float = 0.05) -> None:
        self.peak = 0
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
            self._stop.wait(interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--region", default="3602")
    ap.add_argument("--parcels", type=int, default=300_000)
    ap.add_argument("--epochs", default="2020,2021,2022,2023")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", default="/tmp/gengbao-bench-ws")
    args = ap.parse_args()
    out = Path(args.out)
    shutil.rmtree(out, ignore_errors=True)
    marks: list[tuple[float, str]] = []
    start = time.perf_counter()

    def progress(msg: str) -> None:
        marks.append((time.perf_counter() - start, msg))

    with PeakMemory() as mem:
        report = make_scenario(out, args.region.split(","), args.parcels, [int(e) for e in args.epochs.split(",")],
                               args.seed, workers=args.workers, progress=progress)
    total = time.perf_counter() - start
    marks.append((total, "完成"))
    print(f"region {args.region}  counties {','.join(report.counties)}  epochs {args.epochs}  workers {args.workers}")
    for (t0, msg), (t1, _) in zip(marks[:-1], marks[1:], strict=True):
        print(f"  {t1 - t0:7.2f} s  {msg}")
    parcels = {c: v["epochs"][str(report.epochs[0])]["parcels"] for c, v in report.summary["counties"].items()}
    events = sum(sum(t["count"] for t in v["events"].values()) for v in report.summary["counties"].values())
    print(f"parcels (base epoch) {sum(parcels.values())} {parcels}  events {events}")
    print(f"total {total:.1f} s  peak memory (process tree) {mem.peak / 2**30:.2f} GiB")


if __name__ == "__main__":
    main()
