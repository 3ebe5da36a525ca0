"""Facts for the rules from the workspace's own monitoring runs (监测预判), while cases are not yet judged.

Year Y's facts are the changes between the survey epoch of year Y−1 and that of year Y (epochs stand for
31 December): the latest finished diff run from Y−1 to Y gives, per county, the illegal farmland and
PBF occupation it prejudged and the key ratio's numerator (illegal construction on farmland) and
denominator (all new construction on farmland). Every fact says it comes from the prejudgment.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from gengbao.adapters.db import monitoring_store
from gengbao.domain.rules.facts import CountyYearFacts, FactSource
from gengbao.services.context import Context


class MonitoringFacts:
    """A ``FactsProvider`` over the stored county summaries of epoch-diff runs."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def facts(self, year: int) -> Sequence[CountyYearFacts]:
        with self.ctx.sessions() as s:
            rows = monitoring_store.county_figures(s)
        latest: dict[tuple[str, int], dict[str, str]] = {}
        for _run, before, after, county, figures in rows:  # oldest first: a later run replaces an earlier one
            if after == before + 1 and after <= year and self.ctx.actor.covers(county):
                latest[(county, after)] = figures
        out = []
        for county in sorted({c for c, _ in latest}):
            for y in _consecutive_tail(sorted(y for c, y in latest if c == county)):
                f = latest[(county, y)]
                out.append(CountyYearFacts(
                    county, y, Decimal(f["illegal_farmland_m2"]), Decimal(f["illegal_pbf_m2"]),
                    Decimal(f["illegal_construction_farmland_m2"]), Decimal(f["new_construction_farmland_m2"]),
                    source=FactSource.MONITORING))
        return out


def _consecutive_tail(years: list[int]) -> list[int]:
    """The longest run of consecutive years that ends with the last one (the history the rules read)."""
    tail = years[-1:]
    for y in reversed(years[:-1]):
        if y != tail[0] - 1:
            break
        tail.insert(0, y)
    return tail
