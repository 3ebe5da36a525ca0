"""The kinds of events an epoch plays, with their approvals, filings, permits and projects."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from gengbao.scenario.attributes import RESTORABLE, farmland_deduction, net_area
from gengbao.scenario.classes import FACILITY, FARMLAND, PADDY, TEMPORARY
from gengbao.scenario.cut import split_share
from gengbao.scenario.events import CUT_FACTOR, EpochPlayer
from gengbao.scenario.frame import ellipsoidal_area, round_half_up, unpacked
from gengbao.scenario.profile import EventSpec, EventsProfile
from gengbao.scenario.records import ACCEPTANCE_DAYS, APPROVAL_DAYS, Approval, Project, add_years, day_in_year
from gengbao.scenario.subdivide import FEATURE

RECLAIMABLE = ("0404", "1201", "1205", "1206", "0702")
APPROVAL_CODES = {"conversion": ("ZY", "农转用"), "facility": ("SS", "设施农用地备"), "temporary": ("LS", "临用地")}
YIELD_KG_PER_MU = {PADDY: 450.0, "0102": 380.0, "0103": 300.0}


def _draw(p: EpochPlayer, weights: dict[str, float]) -> str:
    codes = list(weights)
    w = np.array([weights[c] for c in codes], dtype=np.float64)
    return codes[int(p.rng.choice(len(codes), p=w / w.sum()))]


def _approval(p: EpochPlayer, kind: str, geom, filed: float, event_id: str | None, **extra) -> Approval:
    code, label = APPROVAL_CODES[kind]
    n = p.county.truth.next_id(f"{kind}-{p.epoch}")
    issue = day_in_year(p.rng, p.epoch, *APPROVAL_DAYS)
    a = Approval(f"SYN-{p.county.code}-{code}-{p.epoch}-{n:04d}", p.county.code, kind,
                 f"{p.county.names.name}{label}〔{p.epoch}〕{n}号（模拟）", issue.isoformat(), None, filed, geom,
                 event_id, **extra)
    p.county.truth.approvals.append(a)
    return a


def _pools(p: EpochPlayer) -> tuple[np.ndarray, np.ndarray]:
    farm = p.df["dlbm"].isin(FARMLAND).to_numpy()
    pbf = p.df["pbf"].to_numpy()
    return p.free(farm & ~pbf), p.free(farm & pbf)


def _weights(p: EpochPlayer, labels: np.ndarray, how: str) -> np.ndarray:
    df = p.df.loc[labels]
    if how == "town":
        return 1.0 / (1.0 + df["town_d"].to_numpy() / 800.0) ** 2
    if how == "poor":
        return np.exp(-1.5 * np.clip(df["score"].to_numpy(), -5, 5))
    if how == "river":
        return np.exp(-df["river_d"].to_numpy() / 1500.0)
    return np.ones(len(labels))


def _split_counts(p: EpochPlayer, spec: EventSpec, n: int) -> tuple[int, int]:
    on_pbf = int(np.floor(n * spec.on_pbf_share + p.rng.random()))
    return n - on_pbf, on_pbf


def _choose(p: EpochPlayer, spec: EventSpec, n: int, how: str, pbf_only: bool = False) -> list[int]:
    ordinary, pbf = _pools(p)
    n_ord, n_pbf = (0, n) if pbf_only else _split_counts(p, spec, n)
    out: list[int] = []
    for pool, k in ((ordinary, n_ord), (pbf, n_pbf)):
        out.extend(int(x) for x in p.pick(pool, _weights(p, pool, how), k))
    return out


def to_other_use(p: EpochPlayer, spec: EventSpec, n: int) -> None:
    """Construction (approved or illegal) and orchards, ponds, forest on farmland."""
    how = {"approved_construction": "town", "illegal_construction": "town", "illegal_construction_pbf": "town",
           "pond": "river"}.get(spec.kind, "poor")
    for label in _choose(p, spec, n, how, pbf_only=spec.kind == "illegal_construction_pbf"):
        from_class = str(p.df.at[label, "dlbm"])
        row = p.carve(label, p.area(spec.area_m2))
        row.update(dlbm=_draw(p, spec.to), tbxh=None, czcs="")
        row["zzsx"] = None
        if spec.kind in ("orchard", "forest"):
            row["zzsx"] = "JKHF" if row["w"] < 0.7 else "GCHF"
        elif spec.kind == "pond":
            row["zzsx"] = "GCHF"
        if spec.kind == "approved_construction":
            a = _approval(p, "conversion", row["geometry"], float(row["tbmj"]), None, used_area_m2=float(row["tbmj"]))
            a.event_id = p.record("approved_construction", row, from_class, True, approval_id=a.approval_id).event_id
        elif spec.kind.startswith("illegal_construction"):
            p.record("illegal_construction", row, from_class, False)
        else:
            p.record(spec.kind, row, from_class, not bool(row["pbf"]))


def facility(p: EpochPlayer, spec: EventSpec, n: int) -> None:
    lo, hi = spec.extra.get("filed_ratio", (0.5, 0.85))
    for label in _choose(p, spec, n, "town"):
        from_class = str(p.df.at[label, "dlbm"])
        row = p.carve(label, p.area(spec.area_m2))
        row.update(dlbm=FACILITY, zzsx=None, tbxh=None)
        understated = bool(p.rng.random() < float(spec.extra.get("understated_share", 0.4)))
        geom = row["geometry"]
        if understated:
            geom = split_share(geom, float(p.rng.uniform(lo, hi)))[0]
        filed = float(round_half_up(ellipsoidal_area(np.array([geom], dtype=object)))[0])
        a = _approval(p, "facility", geom, filed, None, used_area_m2=float(row["tbmj"]), understated=understated)
        a.event_id = p.record("facility", row, from_class, not understated, approval_id=a.approval_id).event_id


def temporary_use(p: EpochPlayer, spec: EventSpec, n: int) -> None:
    lo, hi = spec.extra.get("term_years", (1, 2))
    for label in _choose(p, spec, n, "town"):
        from_class = str(p.df.at[label, "dlbm"])
        row = p.carve(label, p.area(spec.area_m2))
        row.update(dlbm=TEMPORARY, zzsx=None, tbxh=None)
        will_restore = bool(p.rng.random() < float(spec.extra.get("restored_share", 0.5)))
        a = _approval(p, "temporary", row["geometry"], float(row["tbmj"]), None, used_area_m2=float(row["tbmj"]),
                      will_restore=will_restore)
        term = int(p.rng.integers(int(lo), int(hi) + 1))
        a.valid_until = (add_years(_date(a.issue_date), term) - timedelta(days=1)).isoformat()
        a.event_id = p.record("temporary_use", row, from_class, True, approval_id=a.approval_id).event_id


def abandonment(p: EpochPlayer, spec: EventSpec, n: int) -> None:
    for label in _choose(p, spec, n, "poor"):
        row = p.carve(label, p.area(spec.area_m2))
        row["zzsx"] = "WG"
        p.record("abandonment", row, str(row["dlbm"]), True)


def inflow(p: EpochPlayer, spec: EventSpec, n: int) -> None:
    """Restoration of 园/林/草 to farmland, and supplementary (reclamation) projects."""
    df = p.df
    if spec.kind == "restoration":
        mask = df["dlbm"].isin(RESTORABLE).to_numpy() & df["zzsx"].isin(("JKHF", "GCHF")).to_numpy()
    else:
        mask = df["dlbm"].isin(RECLAIMABLE).to_numpy() & (df["role"].to_numpy() != FEATURE)
    pool = p.free(mask & np.isfinite(df["score"].to_numpy()))
    w = np.exp(np.clip(df.loc[pool, "score"].to_numpy(), -5, 5))
    for label in p.pick(pool, w, n):
        from_class = str(p.df.at[label, "dlbm"])
        row = p.carve(int(label), p.area(spec.area_m2))
        row.update(dlbm=row["fcls"], zzsx="LS", tbxh=None, czcs="")
        kind = "restoration" if spec.kind == "restoration" else "reclamation"
        n_id = p.county.truth.next_id(f"project-{p.epoch}")
        pid = f"SYN-{p.county.code}-BC-{p.epoch}-{n_id:04d}"
        ev = p.record(spec.kind, row, from_class, True, approval_id=pid)
        net = _net(row)
        grade = int(np.clip(round(1 + 1.4 * (row["grade"] - 1) + 3 * row["u"]), 1, 10))
        mu = net * 15.0 / 10000.0
        p.county.truth.projects.append(Project(
            pid, p.county.code, kind, p.epoch, ev.event_id, net, net if row["dlbm"] == PADDY else 0.0, grade,
            round(mu * YIELD_KG_PER_MU.get(row["dlbm"], 300.0) * (1.1 - 0.05 * grade), 1),
            day_in_year(p.rng, p.epoch, *ACCEPTANCE_DAYS).isoformat(), row["geometry"]))


def approved_unbuilt(p: EpochPlayer, spec: EventSpec, n: int) -> None:
    ordinary, _ = _pools(p)
    for label in p.pick(ordinary, _weights(p, ordinary, "town"), n):
        row = p.df.loc[label]
        want = p.area(spec.area_m2)
        geom = unpacked(row["geometry"])
        if row["tbmj"] > CUT_FACTOR * want:
            geom = split_share(geom, want / row["area"])[0]
        filed = float(round_half_up(ellipsoidal_area(np.array([geom], dtype=object)))[0])
        _approval(p, "conversion", geom, filed, None, used_area_m2=0.0)


def _net(row: dict) -> float:
    kcxs, _ = farmland_deduction(np.array([row["dlbm"]], dtype=object), np.array([row["grade"]]), np.array([row["u"]]))
    return float(net_area(np.array([row["tbmj"]]), kcxs)[1][0])


def _date(iso: str) -> date:
    return date.fromisoformat(iso)


HANDLERS = {
    "approved_construction": to_other_use, "illegal_construction": to_other_use,
    "illegal_construction_pbf": to_other_use, "orchard": to_other_use, "pond": to_other_use, "forest": to_other_use,
    "facility": facility, "temporary_use": temporary_use, "abandonment": abandonment, "restoration": inflow,
    "supplementary": inflow, "approved_unbuilt": approved_unbuilt,
}


def play_random(p: EpochPlayer, profile: EventsProfile, base_parcels: int) -> None:
    for kind, handler in HANDLERS.items():
        spec = profile[kind]
        handler(p, spec, spec.count(base_parcels, profile.per_parcels))
