"""Without a facts file, the rules read the workspace's own monitoring runs (prejudgment), and say so."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from gengbao.domain.errors import NotFoundError
from gengbao.domain.rules.facts import FactSource
from gengbao.services.monitoring.run import run_monitor
from gengbao.services.rules.evaluation import evaluate_rules
from gengbao.services.rules.monitoring_facts import MonitoringFacts, _consecutive_tail
from tests.monitoring import builder as b
from tests.monitoring.conftest import build_workspace


def test_facts_are_the_runs_county_figures(tmp_path: Path) -> None:
    ws = build_workspace(tmp_path / "ws", b.hand_scenario())
    with pytest.raises(NotFoundError) as none:
        evaluate_rules(ws, 2022, None)
    assert none.value.code == "rules.facts.none"
    run = run_monitor(ws, 2021, 2022)
    facts = {f.county: f for f in MonitoringFacts(ws).facts(2022)}
    counties = {r.region: r for r in run.regions if r.level == "county"}
    assert set(facts) == set(counties)
    for code, f in facts.items():
        r = counties[code]
        assert (f.year, f.source) == (2022, FactSource.MONITORING)
        assert (f.illegal_farmland_m2, f.illegal_pbf_m2) == (r.illegal_farmland_m2, r.illegal_pbf_m2)
        assert (f.ratio_numerator_m2, f.ratio_denominator_m2) == (r.illegal_construction_farmland_m2,
                                                                    r.new_construction_farmland_m2)
    assert sum(f.illegal_farmland_m2 for f in facts.values()) > Decimal(0)  # the scenario has violations
    report = evaluate_rules(ws, 2022, None)
    assert sorted(c.county for c in report.results) == sorted(facts)
    assert MonitoringFacts(ws).facts(2021) == []  # nothing before the run's later epoch


def test_history_is_the_consecutive_years_ending_with_the_latest() -> None:
    assert _consecutive_tail([2019, 2021, 2022, 2023]) == [2021, 2022, 2023]
    assert _consecutive_tail([2020]) == [2020]
    assert _consecutive_tail([2018, 2019, 2021]) == [2021]
