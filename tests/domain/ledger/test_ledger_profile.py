"""Ledger profiles as data: the packaged default, caps, and bad profiles with stable codes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from gengbao.adapters.rule_profiles import load_ledger_schedule
from gengbao.domain.ledger import Commodity, LossKind
from gengbao.domain.ledger.profile_schema import validate_ledger_profile

BASE = {"schema": "gengbao.ledger/1", "id": "t", "reform_from": "2025-07-01", "price_caps": {"grain_kg": 20}}


def test_default_and_switch_date() -> None:
    s = load_ledger_schedule()
    assert not s.at(dt.date(2023, 12, 31)).enters_ledger(LossKind.FOREST)
    assert s.at(dt.date(2024, 1, 1)).enters_ledger(LossKind.FOREST)
    own, findings = validate_ledger_profile(BASE)
    assert findings == () and own is not None
    assert own.at(dt.date(2025, 6, 30)).id == "before_2024" and own.at(dt.date(2025, 7, 1)).all_losses
    assert own.at(dt.date(2025, 7, 1)).price_caps == {Commodity.GRAIN: Decimal(20)}


@pytest.mark.parametrize(("edit", "code"), [
    ({"schema": "x"}, "ledger.profile.schema"),
    ({"reform_from": "2024-13-01"}, "ledger.profile.type"),
    ({"reform_from": None}, "ledger.profile.missing_field"),
    ({"price_caps": {"quantity": 1}}, "ledger.profile.unknown_field"),
    ({"price_caps": {"paddy_m2": -1}}, "ledger.profile.negative"),
    ({"price_caps": {"paddy_m2": "cheap"}}, "ledger.profile.type"),
    ({"extra": 1}, "ledger.profile.unknown_field"),
])
def test_bad_profiles(edit: dict[str, Any], code: str) -> None:
    schedule, findings = validate_ledger_profile({**BASE, **edit}, "t.yaml")
    assert schedule is None and [f.code for f in findings] == [code]
