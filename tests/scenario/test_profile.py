"""The events profile: default counts, user overrides, and clear errors for bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from gengbao.domain.errors import InputError
from gengbao.scenario import load_profile
from gengbao.scenario.profile import FOLLOW_UPS, KINDS


def test_default_profile_counts_scale_with_parcels() -> None:
    p = load_profile()
    assert set(p.specs) == set(KINDS + FOLLOW_UPS)
    assert p.source == "events_default.yaml" and len(p.sha256) == 64
    spec = p["approved_construction"]
    assert spec.count(300_000, p.per_parcels) == 180  # 60 per 100,000 parcels
    assert spec.count(1_000, p.per_parcels) == 2  # the minimum
    assert p["illegal_construction_pbf"].count(150_000, p.per_parcels) == 12


def test_user_profile_overrides_named_kinds(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("per_parcels: 1000\nevents:\n  pond: {rate: 3, min: 0, area_m2: [100, 200]}\n", encoding="utf-8")
    p = load_profile(path)
    assert p.per_parcels == 1000 and p["pond"].count(5000, p.per_parcels) == 15
    assert p["pond"].area_m2 == (100.0, 200.0)
    assert p["orchard"] == load_profile()["orchard"]


@pytest.mark.parametrize(("text", "fragment"), [
    ("events:\n  ufo: {rate: 1}\n", "未知的事件类型 ufo"),
    ("events:\n  pond: {area_m2: [500, 100]}\n", "events.pond 的取值无效"),
    ("events:\n  pond: {on_pbf_share: 2}\n", "须在 0 到 1 之间"),
    ("events: [1, 2\n", "不是有效的 YAML"),
    ("per_parcels: -5\n", "per_parcels 须为正整数"),
])
def test_bad_profiles_are_rejected_with_the_file_and_key(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_profile(path)
    assert err.value.code == "scenario.profile_invalid"
    assert "bad.yaml" in err.value.message and fragment in err.value.message
