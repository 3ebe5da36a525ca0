"""``make_scenario``: create the workspace, generate the counties (each in a worker process that writes its
layers to a scratch spool), import the layers epoch by epoch through the survey import, write the truth.

Memory is bounded by one county's working table per worker and one spool chunk in the importing
process, not by the total number of parcels.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gengbao import __version__
from gengbao.adapters.region_data import load_catalog
from gengbao.api import init_workspace
from gengbao.domain.errors import UsageError
from gengbao.domain.regions import RegionCatalog, RegionLevel
from gengbao.scenario.county import CountyOutcome, spool_county
from gengbao.scenario.frame import geodesic_area
from gengbao.scenario.profile import EventsProfile, load_profile
from gengbao.scenario.schedule import memory_budget, run_jobs
from gengbao.scenario.spool import Spool
from gengbao.scenario.targets import CountyTarget, county_targets, planar_area, read_table
from gengbao.scenario.truth import event_summary, truth_layers, write_truth
from gengbao.scenario.writer import import_layer, write_gpkgs, write_previews
from gengbao.services.approvals.importing import import_approvals_frame

Progress = Callable[[str], None]
MIN_PARCELS = 100


@dataclass
class ScenarioReport:
    workspace: Path
    region: str
    counties: list[str]
    epochs: list[int]
    summary: dict[str, Any]
    files: list[Path] = field(default_factory=list)


def resolve_region(catalog: RegionCatalog, codes: list[str]) -> tuple[str, list[str]]:
    """Workspace region (a city or county) and the counties to generate, from CLI codes."""
    counties: list[str] = []
    for raw in codes:
        node = catalog.get(raw)
        if node.level == RegionLevel.COUNTY:
            counties.append(node.code)
        elif node.level == RegionLevel.CITY:
            counties.extend(r.code for r in catalog.descendants(node.code, RegionLevel.COUNTY))
        else:
            raise UsageError(f"--region 须为市或县级行政区划代码，{node.code}（{node.name}）是{node.level.label}。",
                             code="scenario.region_level")
    counties = sorted(dict.fromkeys(counties))
    if not counties:
        raise UsageError("--region 没有给出任何县级行政区。", code="scenario.no_county")
    if len(counties) == 1:
        return counties[0], counties
    cities = {c[:4] for c in counties}
    if len(cities) > 1:
        raise UsageError(f"一个工作空间只能覆盖一个市：{'、'.join(sorted(cities))} 分属不同的市。",
                         code="scenario.several_cities")
    return cities.pop(), counties


def allocate(total: int, counties: list[str], targets: dict[str, CountyTarget]) -> dict[str, int]:
    """Parcels per county: in proportion to area, weighted up where farmland (small fields) is dense."""
    weight = {}
    for c in counties:
        a = planar_area(c)
        weight[c] = a * (0.5 + 3.0 * min(targets[c].farmland_m2 / a, 1.0))
    s = sum(weight.values())
    return {c: max(MIN_PARCELS, int(math.floor(total * w / s + 0.5))) for c, w in weight.items()}


def _run(args: tuple[Path, str, int, list[int], int, CountyTarget, EventsProfile]) -> CountyOutcome:
    root, code, n, epochs, seed, target, profile = args
    return spool_county(Spool(root), code, load_catalog(), n, epochs, seed, target, profile)


def generate(spool: Spool, counties: list[str], parcels: dict[str, int], epochs: list[int], seed: int,
             targets: dict[str, CountyTarget], profile: EventsProfile, workers: int) -> list[CountyOutcome]:
    jobs = [(spool.root, c, parcels[c], epochs, seed, targets[c], profile) for c in counties]
    if workers <= 1 or len(jobs) == 1:
        return [_run(j) for j in jobs]
    return run_jobs(_run, jobs, [parcels[c] for c in counties], workers, memory_budget())


def _summary(results: list[CountyOutcome], args: dict[str, Any], profile: EventsProfile) -> dict[str, Any]:
    counties = {}
    for r in results:
        counties[r.code] = {
            "name": r.name, "target": r.target.to_dict(), "calibration": r.calibration.to_dict(),
            "county_area_m2": round(geodesic_area(r.outline), 2),
            "epochs": {str(e): s for e, s in r.stats.items()}, "pbf_parcels": r.pbf_parcels,
            "events": event_summary(r.truth.events),
        }
    return {"generator": f"gengbao {__version__} scenario", "arguments": args,
            "events_profile": {"source": profile.source, "sha256": profile.sha256}, "counties": counties}


def make_scenario(out: Path, regions: list[str], parcels: int, epochs: list[int], seed: int, *,
                  events: Path | None = None, targets: Path | None = None, gpkg: bool = False,
                  preview: bool = False, workers: int | None = None, progress: Progress | None = None
                  ) -> ScenarioReport:
    say = progress or (lambda _m: None)
    epochs = sorted(dict.fromkeys(int(e) for e in epochs))
    if not epochs or parcels < 1:
        raise UsageError("须至少给出一期（--epochs），图斑数（--parcels）须为正整数。", code="scenario.arguments")
    catalog = load_catalog()
    region, counties = resolve_region(catalog, regions)
    profile = load_profile(events)
    table = read_table(targets, catalog, region) if targets is not None else None
    goal = county_targets(counties, catalog, table)
    per_county = allocate(parcels, counties, goal)
    ws = init_workspace(out, region)
    say(f"生成 {len(counties)} 个县的模拟数据（约 {parcels} 个图斑、{len(epochs)} 期）")
    with tempfile.TemporaryDirectory(prefix=".scenario-spool-", dir=ws.root) as scratch:
        spool = Spool(Path(scratch))
        results = generate(spool, counties, per_county, epochs, seed, goal, profile,
                           workers or min(2, os.cpu_count() or 1))
        for e in epochs:
            say(f"导入 {e} 年地类图斑")
            import_layer(ws, spool.read("parcels", e, counties), e, "parcels")
        say("导入永久基本农田")
        import_layer(ws, spool.read("pbf", epochs[0], counties), epochs[0], "pbf")
        args = {"regions": regions, "parcels": parcels, "epochs": epochs, "seed": seed,
                "targets": Path(targets).name if targets else None}
        summary = _summary(results, args, profile)
        layers = truth_layers([e for r in results for e in r.truth.events],
                              [a for r in results for a in r.truth.approvals],
                              [p for r in results for p in r.truth.projects], [r.regions for r in results])
        files = write_truth(ws.layout.truth, layers, summary)
        if len(layers["approvals"]):
            say("导入批准、备案与临时用地文件")
            import_approvals_frame(ws, layers["approvals"], None, "truth/approvals（模拟数据）")
        if gpkg:
            say("写出 GeoPackage")
            files += write_gpkgs(ws.layout.exports, spool, results, epochs, layers)
        if preview:
            say("绘制预览图")
            files += write_previews(ws.layout.exports / "preview", spool, results, epochs, layers["events"])
    return ScenarioReport(Path(out), region, counties, epochs, summary, files)
