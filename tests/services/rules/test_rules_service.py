"""Rule evaluation through the FactsProvider seam, and the outcome table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

from gengbao.domain.rules import CountyYearFacts, FactSource
from gengbao.services import rules as service
from tests.domain.rules.helpers import year


@dataclass
class Monitoring:
    rows: list[CountyYearFacts]
    asked: list[int]

    def facts(self, year: int) -> Sequence[CountyYearFacts]:
        self.asked.append(year)
        return self.rows


def test_provider_feeds_the_evaluation_and_later_years_are_ignored(tmp_path: Path) -> None:
    rows = [year("360222", 2023, "7000", source=FactSource.MONITORING),
            year("360222", 2024, "7000", source=FactSource.MONITORING),
            year("360222", 2025, "90000")]
    provider = Monitoring(rows, [])
    report = service.evaluate_rules(None, 2024, provider, "national_15pct_province.yaml")
    assert provider.asked == [2024]
    d = report.to_dict()
    assert d["profile"]["id"] == "national-15pct-province"
    outcomes = d["counties"][0]["outcomes"]
    assert sorted(o["consequence"] for o in outcomes) == ["general_warning", "key_warning"]
    assert {o["source_label"] for o in outcomes} == {"监测预判（尚未判定）"}
    path = service.export_outcomes(report, tmp_path / "r.xlsx")
    sheet = load_workbook(path).active
    assert sheet["A1"].value.startswith("2024 年耕地保护警示约谈问责结果")
    assert [r[2].value for r in sheet.iter_rows(min_row=4)] == ["一般警示", "重点警示"]


def test_validate_reports_every_finding(tmp_path: Path) -> None:
    bad = tmp_path / "p.yaml"
    bad.write_text("schema: gengbao.rules/1\nid: x\nname: x\nregion: '36'\nversion: '1'\nclauses: {}\n", encoding="utf-8")
    report = service.validate_profile_file(bad)
    assert not report.ok and [f.code for f in report.findings] == ["rules.profile.missing_field"]
    assert report.findings[0].field == "clauses.general_warning"
