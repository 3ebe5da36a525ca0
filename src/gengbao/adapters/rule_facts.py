"""Rule facts from a YAML file (until cases and monitoring provide them from the workspace).

::

    counties:
      - county: "360222"
        years:
          - year: 2024
            source: judged_cases | monitoring_prejudgment
            illegal_farmland_m2: 8000          # numbers or decimal text, m²
            illegal_pbf_m2: 0
            ratio_numerator_m2: 8000
            ratio_denominator_m2: 100000
            targets_met: true                  # optional
            offset_achieved: true              # optional
            rectified: false
            summons: [{decided_by: …, date: 2024-05-10, reason: …}]
            serious_consequences: [{decided_by: …, date: …, reason: …}]
            cases: [{case_id: …, farmland_m2: …, pbf_m2: …, responsible_party: …, non_agricultural: true}]
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from gengbao.domain.errors import InputError
from gengbao.domain.rules import CaseFact, CountyYearFacts, Decision, FactSource


class _Reader:
    def __init__(self, origin: str) -> None:
        self.origin = origin

    def fail(self, path: str, problem: str) -> InputError:
        return InputError(f"事实文件 {self.origin}：{path} {problem}", code="rules.facts.bad_value", file=self.origin,
                          field=path)

    def get(self, m: Any, key: str, path: str, required: bool = True) -> Any:
        if not isinstance(m, dict):
            raise self.fail(path, "应为键值表")
        if required and m.get(key) is None:
            raise self.fail(f"{path}.{key}", "缺失")
        return m.get(key)

    def area(self, m: Any, key: str, path: str, required: bool = True) -> Decimal:
        v = self.get(m, key, path, required)
        if v is None:
            return Decimal(0)
        try:
            if isinstance(v, bool):
                raise InvalidOperation
            d = Decimal(str(v))
        except InvalidOperation:
            raise self.fail(f"{path}.{key}", f"应为数字，实际为 {v!r}") from None
        if not d.is_finite() or d < 0:
            raise InputError(f"事实文件 {self.origin}：{path}.{key} 不能为负数或非数值：{v}",
                             code="rules.facts.negative_area", file=self.origin, field=f"{path}.{key}")
        return d

    def flag(self, m: dict[str, Any], key: str, path: str) -> bool | None:
        v = m.get(key)
        if v is not None and not isinstance(v, bool):
            raise self.fail(f"{path}.{key}", f"应为 true 或 false，实际为 {v!r}")
        return v

    def decisions(self, m: dict[str, Any], key: str, path: str) -> tuple[Decision, ...]:
        out = []
        for i, d in enumerate(m.get(key) or []):
            p = f"{path}.{key}[{i}]"
            day = self.get(d, "date", p)
            if isinstance(day, str):
                try:
                    day = dt.date.fromisoformat(day)
                except ValueError:
                    raise self.fail(f"{p}.date", f"应为 YYYY-MM-DD，实际为 {day!r}") from None
            if not isinstance(day, dt.date):
                raise self.fail(f"{p}.date", f"应为日期，实际为 {day!r}")
            out.append(Decision(str(self.get(d, "decided_by", p)), day, str(d.get("reason") or "")))
        return tuple(out)


def read_facts(path: Path) -> list[CountyYearFacts]:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"事实文件不存在：{path}", code="file.not_found", file=str(path)) from None
    except yaml.YAMLError as exc:
        raise InputError(f"事实文件 {path} 不是合法的 YAML：{exc}", code="rules.facts.yaml", file=str(path)) from exc
    r = _Reader(Path(path).name)
    out: list[CountyYearFacts] = []
    for i, c in enumerate(r.get(data, "counties", "") or []):
        cp = f"counties[{i}]"
        county = str(r.get(c, "county", cp))
        for j, y in enumerate(r.get(c, "years", cp) or []):
            p = f"{cp}.years[{j}]"
            year = r.get(y, "year", p)
            if isinstance(year, bool) or not isinstance(year, int):
                raise r.fail(f"{p}.year", f"应为年份整数，实际为 {year!r}")
            try:
                source = FactSource(y.get("source") or FactSource.JUDGED_CASES)
            except ValueError:
                raise r.fail(f"{p}.source", f"应为 judged_cases 或 monitoring_prejudgment，实际为 {y.get('source')!r}") from None
            cases = tuple(
                CaseFact(str(r.get(k, "case_id", f"{p}.cases[{n}]")), r.area(k, "farmland_m2", f"{p}.cases[{n}]"),
                         r.area(k, "pbf_m2", f"{p}.cases[{n}]", False), str(k.get("responsible_party") or ""),
                         bool(k.get("non_agricultural", True)))
                for n, k in enumerate(y.get("cases") or []))
            out.append(CountyYearFacts(
                county, year, r.area(y, "illegal_farmland_m2", p), r.area(y, "illegal_pbf_m2", p, False),
                r.area(y, "ratio_numerator_m2", p, False), r.area(y, "ratio_denominator_m2", p, False),
                r.flag(y, "targets_met", p), r.flag(y, "offset_achieved", p), r.decisions(y, "summons", p),
                r.decisions(y, "serious_consequences", p), bool(r.flag(y, "rectified", p)), cases, source))
    return out
