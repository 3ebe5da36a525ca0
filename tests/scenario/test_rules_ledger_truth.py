"""Rules and the offset ledger on a generated county's ground truth, against a second, plain method.

Facts per year come straight from the truth (illegal construction events of the epoch; the key
ratio's denominator is all construction on farmland of the epoch); the expected outcomes are worked
out here by a deliberately plain re-reading of the default profile's clauses, and the ledger's
balances by a running scalar sum — neither shares code with the domain.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gengbao.adapters.region_data import load_catalog
from gengbao.adapters.rule_profiles import load_profile as load_rules
from gengbao.domain.ledger import Amounts, Certification, FreezeState, Ledger, ProjectAction
from gengbao.domain.rules import CaseFact, CountyYearFacts, evaluate_county
from gengbao.scenario import load_profile, make_county
from gengbao.scenario.targets import county_targets
from tests.scenario.conftest import RICH_PROFILE

pytestmark = pytest.mark.slow
COUNTY = "360222"
EPOCHS = [2020, 2021, 2022, 2023, 2024]
D = lambda v: Decimal(str(v))  # noqa: E731  (truth areas are floats with 2 decimals)


@pytest.fixture(scope="module")
def truth(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("truth") / "events.yaml"
    path.write_text(RICH_PROFILE, encoding="utf-8")
    catalog = load_catalog()
    target = county_targets([COUNTY], catalog)[COUNTY]
    return make_county(COUNTY, catalog, 1500, EPOCHS, 11, target, load_profile(path)).truth


def facts_of(truth) -> list[CountyYearFacts]:  # type: ignore[no-untyped-def]
    out = []
    for y in EPOCHS[1:]:
        illegal = [e for e in truth.events if e.type == "illegal_construction" and e.epoch == y]
        built = [e for e in truth.events if e.type in ("illegal_construction", "approved_construction") and e.epoch == y]
        f = sum((D(e.farmland_m2) for e in illegal), Decimal(0))
        out.append(CountyYearFacts(
            COUNTY, y, f, sum((D(e.pbf_m2) for e in illegal), Decimal(0)), f,
            sum((D(e.farmland_m2) for e in built), Decimal(0)), True, True,
            cases=tuple(CaseFact(e.event_id, D(e.farmland_m2), D(e.pbf_m2)) for e in illegal)))
    return out


def plain_expectation(facts: list[CountyYearFacts]) -> dict[int, set[str]]:
    """The default profile read plainly: 1 亩 = 10000/15 m², so x m² > n 亩 ⇔ 15x > 10000n."""
    def over(m2: Decimal, mu: int) -> bool:
        return m2 * 15 > mu * 10000

    out: dict[int, set[str]] = {}
    streak = key_streak = keys = 0
    cum_f = cum_p = Decimal(0)
    suspended = False
    for f in facts:
        got: set[str] = set()
        old_f, old_p = cum_f, cum_p
        cum_f, cum_p = cum_f + f.illegal_farmland_m2, cum_p + f.illegal_pbf_m2
        general = over(f.illegal_farmland_m2, 10) or over(f.illegal_pbf_m2, 5)
        streak = streak + 1 if general else 0
        key = False
        if streak == 2:
            key, streak = True, 0
        if (over(cum_f, 20) and not over(old_f, 20)) or (over(cum_p, 10) and not over(old_p, 10)):
            key = True
        key_streak = key_streak + 1 if key else 0
        keys += key
        if general:
            got.add("general_warning")
        if key:
            got.add("key_warning")
        if key_streak == 2:
            got.add("accountability")
            key_streak = 0
        if keys >= 3 and key:
            got.add("city_handling")
        suspended = suspended or key or "accountability" in got
        if suspended:
            got.add("approval_suspension")
        ratio_ok = f.ratio_denominator_m2 > 0 and f.ratio_numerator_m2 * 100 >= 12 * f.ratio_denominator_m2
        if f.illegal_farmland_m2 * 15 >= 80 * 10000 and ratio_ok:
            got.add("veto")
        if any(c.farmland_m2 > 0 for c in f.cases):
            got.add("freeze")
        out[f.year] = got
    return out


def test_outcomes_match_the_plain_reading(truth) -> None:  # type: ignore[no-untyped-def]
    facts = facts_of(truth)
    assert sum(f.illegal_farmland_m2 for f in facts) > 0  # the rich profile makes violations every year
    result = evaluate_county(load_rules(), facts)
    got: dict[int, set[str]] = {f.year: set() for f in facts}
    for o in result.outcomes:
        got[o.year].add(str(o.consequence))
    assert got == plain_expectation(facts)
    freezes = sorted(o.cases[0] for o in result.outcomes if o.consequence == "freeze")
    assert freezes == sorted(e.event_id for e in truth.events if e.type == "illegal_construction" and e.farmland_m2 > 0)
    assert any(got.values())


def test_ledger_balances_match_a_running_sum(truth) -> None:  # type: ignore[no-untyped-def]
    ops: list[tuple[dt.date, int, object]] = []
    for p in truth.projects:
        ops.append((dt.date.fromisoformat(p.accepted_date), 0, p))
    illegal = {e.event_id: e for e in truth.events if e.type == "illegal_construction" and e.farmland_m2 > 0}
    for e in illegal.values():
        ops.append((dt.date.fromisoformat(e.date), 1, e))
    for e in truth.events:
        if e.type == "demolition" and e.related_event in illegal:
            ops.append((dt.date.fromisoformat(e.date), 2, e))
    ops.sort(key=lambda o: (o[0], o[1]))
    lg = Ledger()
    avail, frozen = Decimal(0), {}
    for day, kind, x in ops:
        if kind == 0:
            q = D(x.new_farmland_m2)  # type: ignore[attr-defined]
            lg.add_project(x.project_id, COUNTY, x.kind, day)  # type: ignore[attr-defined]
            for action in (ProjectAction.START_WORKS, ProjectAction.CERTIFY, ProjectAction.ACCEPT, ProjectAction.FILE):
                cert = Certification(Amounts(q, D(x.paddy_m2), D(x.grain_capacity_kg)), x.quality_grade)  # type: ignore[attr-defined]
                lg.advance_project(x.project_id, action, day, cert if action is ProjectAction.CERTIFY else None)  # type: ignore[attr-defined]
            avail += q
        elif kind == 1:
            want = D(x.farmland_m2)  # type: ignore[attr-defined]
            lg.freeze(x.event_id, COUNTY, want, day)  # type: ignore[attr-defined]
            frozen[x.event_id] = min(want, avail)  # type: ignore[attr-defined]
            avail -= frozen[x.event_id]  # type: ignore[attr-defined]
        else:
            lg.release(x.related_event, day)  # type: ignore[attr-defined]
            avail += frozen.pop(x.related_event)  # type: ignore[attr-defined]
    assert truth.projects and illegal
    assert lg.available(COUNTY).quantity_m2 == avail
    open_ = {f.case_id: f.frozen_m2 for f in lg.freezes() if f.state is FreezeState.FROZEN}
    assert open_ == frozen
    assert lg.available(COUNTY).quantity_m2 + sum(open_.values()) == sum(D(p.new_farmland_m2) for p in truth.projects)
