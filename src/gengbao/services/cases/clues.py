"""Use cases: open clues — one per patch of a monitoring run that needs a check (the selection rule is
data: ``CaseRules.selection``), and manual clues from the other sources with a polygon, a point or a
described location. A clue whose land overlaps an open case of the same county (by more than
``link_min_overlap_m2``) is linked to that case instead of opening a duplicate.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from gengbao.adapters import monitor_io
from gengbao.adapters.db import case_store
from gengbao.domain.access import Action
from gengbao.domain.cases.numbers import ClueSource, case_number
from gengbao.domain.cases.profile import CaseRules
from gengbao.domain.cases.states import OPEN_STATES, CaseState
from gengbao.domain.errors import InputError, NotFoundError, UsageError
from gengbao.services.cases.land import areas_for, latest_epoch
from gengbao.services.cases.rules import rules_for
from gengbao.services.cases.views import AREA_FIELDS, OpenResult
from gengbao.services.context import Context
from gengbao.spatial.area import ellipsoidal_area, round_m2

_OPEN = [str(s) for s in OPEN_STATES]


def _links(s: Any, county: str, geoms: np.ndarray, min_m2: float) -> dict[int, tuple[int, str]]:
    """index of a new geometry → (case id, number) of the open case it overlaps most."""
    if not len(geoms):
        return {}
    existing = case_store.open_cases_near(s, county, _OPEN, tuple(shapely.total_bounds(geoms)))
    if not existing:
        return {}
    eg = shapely.from_wkb(np.array([g for _, _, g in existing], dtype=object))
    ni, ei = shapely.STRtree(eg).query(geoms, predicate="intersects")
    if not len(ni):
        return {}
    area = ellipsoidal_area(np.array([_areal(g) for g in shapely.intersection(geoms[ni], eg[ei])], dtype=object))
    best: dict[int, tuple[float, int]] = {}
    for n, e, a in zip(ni.tolist(), ei.tolist(), area.tolist(), strict=True):
        if a > min_m2 and a > best.get(n, (0.0, -1))[0]:
            best[n] = (a, e)
    return {n: (existing[e][0], existing[e][1]) for n, (_, e) in best.items()}


def _areal(g: BaseGeometry) -> BaseGeometry:
    if g.geom_type in ("Polygon", "MultiPolygon"):
        return g
    polys = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(polys) if polys else shapely.Polygon()


def _bbox(g: BaseGeometry) -> dict[str, float]:
    minx, miny, maxx, maxy = g.bounds
    return {"minx": minx, "miny": miny, "maxx": maxx, "maxy": maxy}


def _groups(chosen: pd.DataFrame, sel: Any) -> dict[str, Any]:
    """One row per patch: the union of its selected parts and the sums of their areas (vectorised)."""
    chosen = chosen.sort_values("patch", kind="stable")
    codes, first, inverse = np.unique(chosen["patch"].to_numpy(dtype=str), return_index=True, return_inverse=True)
    geoms = chosen.geometry.to_numpy()
    out: dict[str, Any] = {"patch": codes, "first": first}
    counts = np.bincount(inverse, minlength=len(codes))
    g = geoms[first].copy()
    for k in np.flatnonzero(counts > 1):
        g[k] = shapely.union_all(geoms[inverse == k])
    out["geometry"] = g
    for f in ("area_m2", "farmland_m2", "pbf_m2", "agricultural_m2", "unused_m2", "redline_m2"):
        vals = chosen[f].to_numpy(dtype=np.float64) if f in chosen else np.zeros(len(chosen))
        out[f] = [f"{v:.2f}" for v in round_m2(np.bincount(inverse, weights=vals, minlength=len(codes)))]
    for f in ("county", "region", "change_type", "legality", "source_id"):
        out[f] = chosen[f].to_numpy(dtype=object)[first]
    return out


def open_from_run(ctx: Context, run_id: int, on: date, rules: CaseRules | None = None) -> OpenResult:
    rules = rules_for(ctx, rules)
    with ctx.sessions() as s:
        run = case_store.run(s, run_id)
        if run is None:
            raise NotFoundError(f"找不到监测运行 {run_id}。用 gengbao monitor run 先运行变化监测。",
                                code="cases.run_not_found", run_id=run_id)
        from_epoch, to_epoch, layer = run.from_epoch, run.to_epoch, run.layer_path
    patches = monitor_io.read_patches(ctx.layout.layers, run_id) if layer else pd.DataFrame()
    if not len(patches):
        return OpenResult((), ())
    sel = rules.selection
    keep = np.array([sel.selects(str(lg), str(ct), bool(pb)) for lg, ct, pb in
                     zip(patches["legality"], patches["change_type"], patches["on_pbf"], strict=True)], dtype=bool)
    grp = _groups(patches[keep], sel)
    for county in sorted(set(grp["county"])):
        ctx.authorise(Action.EDIT, str(county))
    opened: list[str] = []
    linked: list[tuple[str, str]] = []
    with ctx.transaction() as s:
        done = case_store.clued_patches(s, run_id)
        fresh = np.array([p not in done for p in grp["patch"]], dtype=bool)
        cases: list[dict[str, Any]] = []
        clues: list[tuple[int | None, dict[str, Any]]] = []
        for county in sorted(set(grp["county"][fresh])):
            idx = np.flatnonzero(fresh & (grp["county"] == county))
            links = _links(s, county, grp["geometry"][idx], rules.link_min_overlap_m2)
            prefix = f"{county}{ClueSource.SATELLITE.letters}{on.year:04d}"
            serial = case_store.next_serial(s, prefix)
            wkb = shapely.to_wkb(grp["geometry"][idx])
            bounds = shapely.bounds(grp["geometry"][idx])
            for k, i in enumerate(idx):
                patch = str(grp["patch"][i])
                src = grp["source_id"][i]
                clue = {"source": str(ClueSource.SATELLITE), "run_id": run_id, "patch_ref": patch,
                        "reference": str(src) if src is not None and src == src else patch, "opened_on": on,
                        "linked": k in links}
                if k in links:
                    clues.append((links[k][0], clue))
                    linked.append((patch, links[k][1]))
                    continue
                number = case_number(county, ClueSource.SATELLITE, on.year, serial)
                serial += 1
                cases.append({
                    "number": number, "county": county, "region": str(grp["region"][i]),
                    "source": str(ClueSource.SATELLITE), "year": on.year, "state": str(CaseState.PENDING_CHECK),
                    "run_id": run_id, "patch_ref": patch, "from_epoch": from_epoch, "to_epoch": to_epoch,
                    "change_type": str(grp["change_type"][i]), "prejudged": str(grp["legality"][i]), "location": "",
                    "opened_on": on, "geometry": wkb[k], "minx": bounds[k, 0], "miny": bounds[k, 1],
                    "maxx": bounds[k, 2], "maxy": bounds[k, 3],
                    **{f: Decimal(grp[f][i]) for f in AREA_FIELDS},
                    "demolished_m2": Decimal(0), "legalised_m2": Decimal(0)})
                clues.append((None, clue))
                opened.append(number)
        ids = case_store.add_cases(s, cases)
        new_ids = iter(ids[c["number"]] for c in cases)
        case_store.add_clues(s, [{**c, "case_id": cid if cid is not None else next(new_ids)} for cid, c in clues])
        if opened or linked:
            ctx.audit(s, "cases.open", f"monitor_run/{run_id}",
                      {"date": on.isoformat(), "opened": opened, "linked": [list(x) for x in linked],
                       "state": str(CaseState.PENDING_CHECK)})
    return OpenResult(tuple(opened), tuple(linked), int((~fresh).sum()))


def open_manual(ctx: Context, source: ClueSource, region: str, on: date, *, geometry: BaseGeometry | None = None,
                location: str = "", reference: str = "", rules: CaseRules | None = None) -> OpenResult:
    """A clue from 督察/审计/巡察/举报/巡查/媒体: a polygon, a point, or only a described location."""
    rules = rules_for(ctx, rules)
    if source is ClueSource.SATELLITE:
        raise UsageError("卫片图斑线索请用 --run 从监测运行打开。", code="cases.manual_satellite")
    if geometry is None and not location.strip():
        raise InputError("手工线索须给出范围（--wkt）、位置点（--point）或文字描述的位置（--location）。",
                         code="cases.no_location")
    if geometry is not None and (geometry.is_empty or not geometry.is_valid or
                                 geometry.geom_type not in ("Polygon", "MultiPolygon", "Point")):
        raise InputError(f"线索的几何无效（{geometry.geom_type}）：须为有效的面或点（CGCS2000 经纬度）。",
                         code="cases.bad_geometry")
    code = ctx.catalog.normalise_code(region) if len(region) in (6, 9, 12) else region
    county = code[:6]
    ctx.authorise(Action.EDIT, code)
    areal = geometry is not None and geometry.geom_type != "Point"
    areas = (areas_for(ctx.layout.layers, county, [geometry], latest_epoch(ctx.layout.layers, "parcels"))[0]
             if areal and geometry is not None else {f: Decimal("0.00") for f in AREA_FIELDS})
    with ctx.transaction() as s:
        if areal and geometry is not None:
            links = _links(s, county, np.array([geometry], dtype=object), rules.link_min_overlap_m2)
            if 0 in links:
                case_store.add_clue(s, case_id=links[0][0], source=str(source), reference=reference or location,
                                    linked=True, opened_on=on)
                ctx.audit(s, "cases.link", f"case/{links[0][1]}",
                          {"date": on.isoformat(), "source": str(source), "reference": reference or location})
                return OpenResult((), ((reference or location or str(source), links[0][1]),))
        prefix = f"{county}{source.letters}{on.year:04d}"
        number = case_number(county, source, on.year, case_store.next_serial(s, prefix))
        geo: dict[str, Any] = ({"geometry": shapely.to_wkb(geometry), **_bbox(geometry)} if geometry is not None
                               else {"geometry": None})
        rec = case_store.add_case(
            s, number=number, county=county, region=code, source=str(source), year=on.year,
            state=str(CaseState.PENDING_CHECK), location=location, opened_on=on, change_type="", prejudged="",
            demolished_m2=Decimal(0), legalised_m2=Decimal(0), **geo, **areas)
        case_store.add_clue(s, case_id=rec.id, source=str(source), reference=reference or location, linked=False,
                            opened_on=on)
        ctx.audit(s, "cases.open", f"case/{number}", {"date": on.isoformat(), "source": str(source),
                                                      "state": str(CaseState.PENDING_CHECK)})
    return OpenResult((number,), ())
