"""One county's candidate patches, split, measured and judged (the overlay, area and judge steps).

Splits, in order: at PBF (PBF-sensitive changes, planting attributes whose rule holds on PBF only, and
changes whose lawful exception needs the part off PBF), at the village construction boundary (changes
whose lawful exception needs the part inside it: homesteads), then by the approvals that may cover
each part. Planting parts outside their rule's PBF scope are no finding and are dropped. Parts whose
lawful exception limits their width (farm roads) are measured (``part_widths``) before judgement.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import shapely

from gengbao.domain import change
from gengbao.domain.change import PatchKind
from gengbao.domain.land_classes import FARMLAND_CODES, LegalCategory
from gengbao.domain.legality import KIND_PRIORITY, Cover, accepted_kinds, prejudge, width_limited, zone_layers
from gengbao.domain.status_rules import STATUS_LEGALITY
from gengbao.monitoring.model import VILLAGE, ApprovalTable, Candidates, CountyResult, CountyTask, Timer
from gengbao.monitoring.status import origin_farmland_m2
from gengbao.spatial.area import ellipsoidal_area
from gengbao.spatial.crs import county_gk_epsg, from_cgcs2000
from gengbao.spatial.overlay import area_on, split_by_covers, split_inside

INSIDE_VILLAGE = frozenset({VILLAGE})


def part_widths(geometry: np.ndarray) -> np.ndarray:
    """Width in metres of each part as the short side of the rectangle with its area and perimeter
    (L + W = P/2, L·W = A), measured in the part's 3° Gauss-Krüger zone: a strip's width; the side of a
    square for compact shapes."""
    out = np.empty(len(geometry))
    lon = shapely.get_x(shapely.centroid(geometry)) if len(geometry) else np.empty(0)
    for epsg in set(county_gk_epsg(float(x)) for x in lon):
        rows = np.flatnonzero([county_gk_epsg(float(x)) == epsg for x in lon])
        planar = from_cgcs2000(geometry[rows], epsg)
        half, area = shapely.length(planar) / 2, shapely.area(planar)
        out[rows] = (half - np.sqrt(np.maximum(half * half - 4 * area, 0.0))) / 2
    return out


def _approval_pairs(parts: np.ndarray, frm: np.ndarray, to: np.ndarray, on_pbf: np.ndarray, status: np.ndarray,
                    ends: np.ndarray, table: ApprovalTable, geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if not table.approvals or len(parts) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    qi, ai = shapely.STRtree(geoms).query(parts, predicate="intersects")
    kinds = np.array([a.kind.value for a in table.approvals], dtype=object)
    issued = np.array([a.issued.toordinal() for a in table.approvals], dtype=np.int64)
    accepted = {}
    for key in set(zip(frm[qi].tolist(), to[qi].tolist(), on_pbf[qi].tolist(), status[qi].tolist(), strict=True)):
        accepted[key] = {k.value for k in accepted_kinds(key[0], key[1], key[2], PatchKind(key[3]))}
    ok = np.array([kinds[a] in accepted[(frm[q], to[q], bool(on_pbf[q]), status[q])] for q, a in zip(qi, ai, strict=True)],
                  bool)
    ok &= issued[ai] <= ends[qi] if qi.size else ok
    qi, ai = qi[ok], ai[ok]
    rank = {k.value: r for r, k in enumerate(KIND_PRIORITY)}
    order = np.lexsort((ai, -issued[ai], np.array([rank[k] for k in kinds[ai]], dtype=np.int64), qi))
    return qi[order].astype(np.int64), ai[order].astype(np.int64)


def _cases(cand: Candidates, village: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per candidate: split at PBF, split at the village boundary."""
    keys = list(zip(cand.from_class.tolist(), cand.to_class.tolist(), cand.status.tolist(), cand.attribute.tolist(),
                    strict=True))
    memo: dict[tuple[str, str, str, str], tuple[bool, bool]] = {}
    for f, x, st, attr in set(keys):
        layer, pbf_scoped = zone_layers(f, x) if st == PatchKind.CLASS else ("", False)
        zoned = layer == VILLAGE and len(village) > 0
        memo[(f, x, st, attr)] = (change.is_pbf_sensitive(f, x, PatchKind(st), attr) or (zoned and pbf_scoped), zoned)
    pbf = np.array([memo[k][0] for k in keys], dtype=bool)
    zone = np.array([memo[k][1] for k in keys], dtype=bool)
    return pbf, zone


def finish_county(task: CountyTask, approvals: ApprovalTable, cand: Candidates, pbf: np.ndarray,
                  redline: np.ndarray, t: Timer, counts: dict[str, int], tag: str = "",
                  village: np.ndarray | None = None) -> CountyResult:
    """Slivers, PBF split, village split, approvals split, areas and judgement of one county's candidates."""
    village = np.empty(0, object) if village is None else village
    with t("area"):
        area = ellipsoidal_area(cand.geometry) if len(cand.geometry) else np.empty(0)
    small = area < task.min_area_m2
    slivers, sliver_area = int((small & (area > 0)).sum()), float(area[small].sum())
    cand = cand.take(np.flatnonzero(~small))
    with t("overlay"):
        sensitive, zoned = _cases(cand, village)
        pbf_tree = shapely.STRtree(pbf)
        s = split_inside(cand.geometry, pbf, sensitive, pbf_tree)
        cases = {}  # the declared table is consulted once per distinct case, not once per part
        for key in zip(cand.status[s.source].tolist(), cand.from_class[s.source].tolist(),
                       cand.to_class[s.source].tolist(), cand.attribute[s.source].tolist(), s.inside.tolist(),
                       strict=True):
            if key not in cases:
                cases[key] = change.type_of(PatchKind(key[0]), key[1], key[2], key[3], bool(key[4]))
        types = [cases[key] for key in zip(cand.status[s.source].tolist(), cand.from_class[s.source].tolist(),
                                           cand.to_class[s.source].tolist(), cand.attribute[s.source].tolist(),
                                           s.inside.tolist(), strict=True)]
        found = np.array([ty is not None for ty in types], dtype=bool)
        v = split_inside(s.geometry[found], village, zoned[s.source[found]])
        src, on_pbf, in_village = s.source[found][v.source], s.inside[found][v.source], v.inside
        frm, to, ends, status = cand.from_class[src], cand.to_class[src], cand.period_end[src], cand.status[src]
        agt = shapely.from_wkb(np.array(approvals.wkb, dtype=object)) if approvals.wkb else np.empty(0, object)
        pi, ai = _approval_pairs(v.geometry, frm, to, on_pbf, status, ends, approvals, agt)
        part, cover, geometry = split_by_covers(v.geometry, agt, pi, ai)
    with t("area"):
        part_area = ellipsoidal_area(geometry) if len(geometry) else np.empty(0)
    tiny = part_area < task.min_area_m2
    slivers += int((tiny & (part_area > 0)).sum())
    sliver_area += float(part_area[tiny].sum())
    part, cover, geometry, part_area = part[~tiny], cover[~tiny], geometry[~tiny], part_area[~tiny]
    with t("overlay"):
        pbf_m2 = np.minimum(area_on(geometry, pbf, ellipsoidal_area, part_area, pbf_tree), part_area)
        red_m2 = np.minimum(area_on(geometry, redline, ellipsoidal_area, part_area), part_area)
        origin = np.flatnonzero(status[part] == PatchKind.UNRESTORED.value)
        farm_m2 = np.where(np.isin(frm[part], FARMLAND_CODES), part_area, 0.0)
        if origin.size:
            permits = [approvals.approvals[c] if c >= 0 else None for c in cover[origin].tolist()]
            farm_m2[origin] = origin_farmland_m2(task, geometry[origin], part_area[origin], permits)
    with t("judge"):
        frame = _judge(task, cand, src[part], on_pbf[part], in_village[part], cover, geometry, part_area, farm_m2,
                       pbf_m2, red_m2, approvals, tag)
    counts.update(patches=int(frame["patch"].nunique()) if len(frame) else 0, parts=len(frame))
    return CountyResult(task.county, frame, slivers, sliver_area, t.spent, counts)


def _judge(task: CountyTask, cand: Candidates, src: np.ndarray, on_pbf: np.ndarray, in_village: np.ndarray,
           cover: np.ndarray, geometry: np.ndarray, area: np.ndarray, farm_m2: np.ndarray, pbf_m2: np.ndarray,
           red_m2: np.ndarray, approvals: ApprovalTable, tag: str) -> pd.DataFrame:
    frm, to, ends = cand.from_class[src], cand.to_class[src], cand.period_end[src]
    status, attr = cand.status[src], cand.attribute[src]
    is_facility = np.array([cover_i >= 0 and approvals.approvals[cover_i].kind.value == "facility"
                            for cover_i in cover.tolist()], dtype=bool)
    filed_patches = set(src[is_facility].tolist())
    limited = np.flatnonzero([width_limited(x) for x in to.tolist()]) if len(to) else np.empty(0, np.int64)
    width = np.full(len(src), -1.0)
    width[limited] = np.round(part_widths(geometry[limited]), 2)
    legal, ctype, cache = [], [], {}
    for i in range(len(src)):
        key = (frm[i], to[i], bool(on_pbf[i]), int(cover[i]), int(src[i]) in filed_patches, int(ends[i]), status[i],
               attr[i], bool(in_village[i]), float(width[i]))
        if key not in cache:
            st = PatchKind(key[6])
            cov = Cover(approvals.approvals[key[3]]) if key[3] >= 0 else None
            kind = change.type_of(st, key[0], key[1], key[7], key[2])
            assert kind is not None
            legality = STATUS_LEGALITY[st] if st is not PatchKind.CLASS else prejudge(
                key[0], key[1], key[2], cov, date.fromordinal(key[5]), partly_filed=key[4],
                inside=INSIDE_VILLAGE if key[8] else frozenset(), width_m=key[9] if key[9] >= 0 else None)
            cache[key] = (kind.value, legality.value)
        ctype.append(cache[key][0])
        legal.append(cache[key][1])
    cats = {c: change.category_of(c) for c in set(frm.tolist())}
    farmland = np.isin(frm, FARMLAND_CODES)
    cat = np.array([cats[c] for c in frm], dtype=object)
    rank = pd.Series(src).groupby(src).cumcount().to_numpy() + 1
    multi = pd.Series(src).map(pd.Series(src).value_counts()).to_numpy() > 1
    patch_no = pd.Series(src).rank(method="dense").astype(int).to_numpy()
    base = np.array([f"{task.county}-{tag}{n:06d}" for n in patch_no], dtype=object)
    ids = np.where(multi, [f"{b}-{r}" for b, r in zip(base, rank, strict=True)], base)
    return pd.DataFrame({
        "id": ids, "patch": base, "county": task.county, "region": cand.unit[src], "from_class": frm, "to_class": to,
        "change_type": ctype, "legality": legal,
        "approval": [approvals.approvals[c].id if c >= 0 else None for c in cover.tolist()],
        "on_pbf": on_pbf, "area_m2": area, "farmland_m2": farm_m2, "pbf_m2": pbf_m2,
        "agricultural_m2": np.where(~farmland & (cat == LegalCategory.AGRICULTURAL), area, 0.0),
        "unused_m2": np.where(cat == LegalCategory.UNUSED, area, 0.0), "redline_m2": red_m2,
        "before_bsm": cand.before_bsm[src], "after_bsm": cand.after_bsm[src], "source_id": cand.source_id[src],
        "geometry": shapely.to_wkb(geometry, byte_order=1, output_dimension=2) if len(geometry) else [],
    })
