"""Benchmark: offset ledger, rules and balances at national scale, against a naive recompute.

    .venv/bin/python bench/ledger.py [--counties 3000] [--years 5] [--postings 1000000] [--seed 1]

Builds a ledger of ~10⁶ postings for 3,000 counties × 5 years (one filed project per county-year,
draws against it, a few freezes), then times:
- posting every entry through the ledger (balanced-entry check + balance index);
- balance queries: current and as-of-date balances of random county banks and lots, indexed vs
  ``naive_balance`` (sum of all postings) on the same accounts — prints ms per query and the ratio;
- every county's year-end balances (3,000 × 5 × 3 commodities) from the index;
- rule evaluation (default 景德镇 profile) for 3,000 counties × 5 years of facts;
- 进出平衡 plan checks and plan-vs-actual for every county-year, 以补定占 caps.
Targets (issue 14): rules and balances for 3,000 × 5 with 10⁶ postings ≤ 10 s; a balance query ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import statistics
import time
from decimal import Decimal

from gengbao.adapters.rule_profiles import load_profile
from gengbao.domain.balance import ActualFlows, Direction, Plan, PlanRow, check_plan, compare, occupation_cap
from gengbao.domain.ledger import (
    COMMODITIES,
    Account,
    AccountKind,
    Commodity,
    Entry,
    EntryKind,
    Ledger,
    Posting,
    bank,
    naive_balance,
)
from gengbao.domain.rules import CaseFact, CountyYearFacts, evaluate

D = Decimal


def county_codes(n: int) -> list[str]:
    return [f"{11 + i // 900:02d}{1 + (i // 30) % 30:02d}{1 + i % 30:02d}" for i in range(n)]


def build_entries(counties: list[str], years: int, target: int, rng: random.Random) -> list[Entry]:
    per_cy = max(1, math.ceil((target / (len(counties) * years) - 6) / 4))  # draws per county-year, 4 postings each
    entries: list[Entry] = []
    n = 0
    for y in range(years):
        year = 2020 + y
        for c in counties:
            pid = f"{c}-{year}"
            day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(0, 60))
            q = D(rng.randrange(500_000, 900_000))
            amounts = (q, D(rng.randrange(0, int(q) // 2)), D(rng.randrange(50_000, 300_000)))
            posts = []
            for com, v in zip(COMMODITIES, amounts, strict=True):
                posts += [Posting(Account(AccountKind.ORIGIN, pid), com, -v), Posting(bank(c, pid), com, v)]
            n += 1
            entries.append(Entry(f"e{n}", day, EntryKind.CREDIT, tuple(posts)))
            for k in range(per_cy):
                a = D(rng.randrange(100, 5000)) / 100
                use = Account(AccountKind.SPENT, c, f"{pid}-u{k}")
                n += 1
                entries.append(Entry(f"e{n}", day + dt.timedelta(days=61 + k % 200), EntryKind.DRAW, (
                    Posting(bank(c, pid), Commodity.QUANTITY, -a), Posting(use, Commodity.QUANTITY, a),
                    Posting(bank(c, pid), Commodity.PADDY, -a / 4), Posting(use, Commodity.PADDY, a / 4))))
    entries.sort(key=lambda e: e.date)
    return entries


def facts_for(counties: list[str], years: int, rng: random.Random) -> list[CountyYearFacts]:
    out = []
    for c in counties:
        for y in range(years):
            farmland = D(rng.randrange(0, 80_000_00)) / 100
            pbf = min(farmland, D(rng.randrange(0, 5_000_00)) / 100)
            cases = tuple(CaseFact(f"{c}-{y}-{i}", farmland / 3, pbf / 3, f"主体{rng.randrange(20)}") for i in range(3))
            out.append(CountyYearFacts(c, 2020 + y, farmland, pbf, farmland, farmland * rng.randrange(5, 20),
                                       targets_met=rng.random() > 0.05, offset_achieved=rng.random() > 0.05,
                                       cases=cases))
    return out


def plans_for(counties: list[str], years: int, rng: random.Random) -> list[tuple[Plan, ActualFlows]]:
    out = []
    for c in counties:
        for y in range(years):
            rows = tuple(PlanRow(f"{i}", Direction.INFLOW if i % 2 == 0 else Direction.OUTFLOW, f"p{i}",
                                 D(rng.randrange(100, 5000)), dt.date(2020 + y, 1 + i, 1), quality_grade=rng.randrange(3, 9))
                         for i in range(10))
            out.append((Plan(c, 2020 + y, rows), ActualFlows(c, 2020 + y, D(rng.randrange(0, 12000)), D(rng.randrange(0, 15000)))))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--counties", type=int, default=3000)
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--postings", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--queries", type=int, default=20)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    counties = county_codes(args.counties)

    entries = build_entries(counties, args.years, args.postings, rng)
    n_post = sum(len(e.postings) for e in entries)
    t = time.perf_counter()
    lg = Ledger()
    for e in entries:
        lg.post(e)
    t_post = time.perf_counter() - t
    print(f"ledger: {len(entries):,} entries, {n_post:,} postings posted and indexed in {t_post:.2f} s")

    picks = [(bank(c), None) for c in rng.sample(counties, args.queries // 2)]
    picks += [(bank(c, f"{c}-{2020 + rng.randrange(args.years)}"), dt.date(2020 + rng.randrange(args.years), 7, 1))
              for c in rng.sample(counties, args.queries - len(picks))]
    fast, slow = [], []
    for account, as_of in picks:
        t = time.perf_counter()
        a = lg.balance(account, Commodity.QUANTITY, as_of)
        fast.append(time.perf_counter() - t)
        t = time.perf_counter()
        b = naive_balance(lg.entries, account, Commodity.QUANTITY, as_of)
        slow.append(time.perf_counter() - t)
        assert a == b, (account, as_of, a, b)
    mf, ms = statistics.median(fast) * 1000, statistics.median(slow) * 1000
    print(f"balance query: indexed median {mf:.4f} ms (max {max(fast) * 1000:.4f} ms), naive recompute median "
          f"{ms:.1f} ms; ratio {ms / mf:,.0f}×; target ≤ 50 ms; {len(picks)} queries, results equal")

    t0 = time.perf_counter()
    for c in counties:
        for y in range(args.years):
            lg.available(c, dt.date(2020 + y, 12, 31))
    t_bal = time.perf_counter() - t0

    facts = facts_for(counties, args.years, rng)
    profile = load_profile()
    t = time.perf_counter()
    results = evaluate(profile, facts)
    t_rules = time.perf_counter() - t
    n_out = sum(len(r.outcomes) for r in results)

    plans = plans_for(counties, args.years, rng)
    t = time.perf_counter()
    n_find = 0
    for plan, actual in plans:
        chk = check_plan(plan)
        n_find += len(chk.findings) + len(compare(chk, actual).findings)
        occupation_cap(plan.county, plan.year, D(1_000_000), D(990_000), D(3000))
    t_plans = time.perf_counter() - t
    total = t_bal + t_rules + t_plans
    print(f"year-end balances {args.counties:,} × {args.years} × 3: {t_bal:.2f} s; rules {len(facts):,} county-years "
          f"({n_out:,} outcomes): {t_rules:.2f} s; balance plans {len(plans):,} ({n_find:,} findings): {t_plans:.2f} s")
    print(f"rules and balances for {args.counties:,} counties × {args.years} years with {n_post:,} postings: "
          f"{total:.2f} s (target ≤ 10 s){'' if total <= 10 else '  — TARGET NOT MET'}")


if __name__ == "__main__":
    main()
