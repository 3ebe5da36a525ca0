"""Ledger profiles as data (``gengbao.ledger/1``), validated into a :class:`ProfileSchedule`::

    schema: gengbao.ledger/1
    id: ledger-default
    name: …
    reform_from: 2024-01-01        # from this date every farmland loss enters the ledger
    price_caps:                    # unit price caps for trades (local); omitted = no cap
      quantity_m2: 300000          # 元/亩
      paddy_m2: 100000             # 元/亩
      grain_kg: 20                 # 元/kg

Findings: ``ledger.profile.unknown_field``, ``.missing_field``, ``.type``, ``.schema``, ``.negative``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from gengbao.domain.findings import Finding
from gengbao.domain.ledger.model import Commodity
from gengbao.domain.ledger.profile import ProfileSchedule

SCHEMA = "gengbao.ledger/1"
_TOP = ("schema", "id", "name", "reform_from", "price_caps")


def validate_ledger_profile(data: Any, origin: str = "") -> tuple[ProfileSchedule | None, tuple[Finding, ...]]:
    found: list[Finding] = []

    def bad(code: str, path: str, problem: str) -> None:
        found.append(Finding(f"ledger.profile.{code}", f"台账规则方案 {origin}：{path} {problem}", field=path))

    if not isinstance(data, Mapping):
        bad("type", "", f"应为键值表，实际为 {type(data).__name__}")
        return None, tuple(found)
    for k in data:
        if k not in _TOP:
            bad("unknown_field", str(k), f"不是可用的字段（可用：{'、'.join(_TOP)}）")
    for k in ("schema", "id", "reform_from"):
        if data.get(k) is None:
            bad("missing_field", k, "缺失")
    if data.get("schema") not in (None, SCHEMA):
        bad("schema", "schema", f"应为 {SCHEMA}，实际为 {data.get('schema')!r}")
    reform = data.get("reform_from")
    if isinstance(reform, str):
        with contextlib.suppress(ValueError):
            reform = dt.date.fromisoformat(reform)
    if reform is not None and not isinstance(reform, dt.date):
        bad("type", "reform_from", f"应为日期 YYYY-MM-DD，实际为 {data.get('reform_from')!r}")
    caps: list[tuple[Commodity, Decimal]] = []
    raw = data.get("price_caps") or {}
    if not isinstance(raw, Mapping):
        bad("type", "price_caps", "应为键值表")
        raw = {}
    for k, v in raw.items():
        try:
            c = Commodity(k)
        except ValueError:
            bad("unknown_field", f"price_caps.{k}", f"不是可用的指标（可用：{'、'.join(Commodity)}）")
            continue
        if v is None:
            continue
        try:
            d = Decimal(str(v)) if not isinstance(v, bool) else Decimal("NaN")
        except InvalidOperation:
            d = Decimal("NaN")
        if not d.is_finite():
            bad("type", f"price_caps.{k}", f"应为数字，实际为 {v!r}")
        elif d < 0:
            bad("negative", f"price_caps.{k}", f"不能为负数：{v}")
        else:
            caps.append((c, d))
    if found or not isinstance(reform, dt.date):
        return None, tuple(found)
    return ProfileSchedule.switching(reform, caps), ()
