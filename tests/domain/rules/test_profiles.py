"""Rule profiles: the packaged ones are valid; bad profiles give every finding with a stable code."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from gengbao.adapters.rule_profiles import load_profile, packaged_names, read_raw
from gengbao.domain.errors import RuleError
from gengbao.domain.rules import Reading, validate_profile
from tests.conftest import seed_path


def base() -> dict[str, Any]:
    data, _ = read_raw()
    return copy.deepcopy(data)


def codes(data: Any) -> list[tuple[str, str | None]]:
    profile, findings = validate_profile(data, "t.yaml")
    assert (profile is None) == bool(findings)
    return sorted((f.code, f.field) for f in findings)


def test_packaged_profiles_are_valid() -> None:
    assert packaged_names() == ["jingdezhen_2024.yaml", "national_15pct_province.yaml"]
    p = load_profile()
    assert p.id == "jingdezhen-2024" and p.reading is Reading.PER_YEAR
    assert p.key_warning_consecutive == 2 and p.city_handling_at_least == 3
    assert p.fine_per_m2 is not None and [str(x) for x in p.fine_per_m2] == ["100", "1000"]
    assert p.discipline is None and load_profile("national_15pct_province.yaml").discipline is not None


def test_default_thresholds_match_seed_001() -> None:
    text = seed_path("001").read_text(encoding="utf-8")
    for figure in ("首次超过10亩", "首次超过5亩", "超过20亩", "超过10亩", "达到80亩以上", "达到12%以上"):
        assert figure in text
    p = load_profile()
    lines = {c.measure: str(c.threshold) for c in p.general_warning.conditions}
    assert lines == {"illegal_farmland": "超过 10 亩", "illegal_pbf": "超过 5 亩"}
    assert p.veto is not None and [str(c.threshold) for c in p.veto.conditions] == ["达到 80 亩", "达到 12%"]


def test_clause_texts_are_not_copied_from_the_seed() -> None:
    text = seed_path("001").read_text(encoding="utf-8")
    for name in packaged_names():
        for clause in load_profile(name).clauses.values():
            for i in range(0, max(len(clause.text) - 20, 1)):
                assert clause.text[i:i + 20] not in text, (name, clause.id)


def test_typo_gets_a_suggestion() -> None:
    d = base()
    d["clauses"]["genral_warning"] = d["clauses"].pop("general_warning")
    profile, findings = validate_profile(d, "t.yaml")
    assert profile is None
    assert sorted(f.code for f in findings) == ["rules.profile.missing_field", "rules.profile.unknown_field"]
    assert "general_warning" in [f for f in findings if f.code.endswith("unknown_field")][0].message


def test_measure_typo_and_missing_threshold_and_wrong_type() -> None:
    d = base()
    d["clauses"]["general_warning"]["any"][0]["measure"] = "ilegal_farmland"
    del d["clauses"]["veto"]["all"][0]["reaches"]
    d["clauses"]["key_warning"]["consecutive_general"] = "two"
    d["clauses"]["fines"]["per_m2_max"] = "lots"
    assert codes(d) == [
        ("rules.profile.bad_value", "clauses.general_warning.any[0].measure"),
        ("rules.profile.missing_threshold", "clauses.veto.all[0]"),
        ("rules.profile.type", "clauses.fines.per_m2_max"),
        ("rules.profile.type", "clauses.key_warning.consecutive_general"),
    ]


@pytest.mark.parametrize(("edit", "expected"), [
    (lambda d: d.update(schema="gengbao.rules/9"), ("rules.profile.schema", "schema")),
    (lambda d: d.update(reading="yearly"), ("rules.profile.bad_value", "reading")),
    (lambda d: d["clauses"]["veto"]["all"][1].update(unit="mu"), ("rules.profile.unit_mismatch", "clauses.veto.all[1].unit")),
    (lambda d: d["clauses"]["veto"]["all"][0].update(exceeds=80), ("rules.profile.both_ops", "clauses.veto.all[0]")),
    (lambda d: d["clauses"]["general_warning"]["any"][1].update(exceeds=-5),
     ("rules.profile.negative", "clauses.general_warning.any[1].exceeds")),
    (lambda d: d["clauses"]["general_warning"].pop("any"), ("rules.profile.missing_threshold", "clauses.general_warning")),
    (lambda d: d["clauses"]["approval_suspension"].update({"while": ["warning"]}),
     ("rules.profile.bad_value", "clauses.approval_suspension.while[0]")),
    (lambda d: d["clauses"]["criminal_referral"]["any"][0].update(measure="illegal_pbf"),
     ("rules.profile.bad_value", "clauses.criminal_referral.any[0].measure")),
    (lambda d: d.pop("version"), ("rules.profile.missing_field", "version")),
    (lambda d: d["clauses"]["freeze"].update(enabled="yes"), ("rules.profile.type", "clauses.freeze.enabled")),
])
def test_bad_profiles(edit: Any, expected: tuple[str, str]) -> None:
    d = base()
    edit(d)
    assert codes(d) == [expected]


def test_not_a_mapping_and_bad_yaml(tmp_path: Any) -> None:
    assert codes(["a"]) == [("rules.profile.type", "")]
    f = tmp_path / "bad.yaml"
    f.write_text("schema: [unclosed", encoding="utf-8")
    with pytest.raises(RuleError) as e:
        load_profile(f)
    assert e.value.code == "rules.profile.yaml"
    g = tmp_path / "typo.yaml"
    d = base()
    d["clauses"]["veto"]["targets_not_mett"] = True
    g.write_text(yaml.safe_dump(d, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RuleError) as e2:
        load_profile(g)
    assert e2.value.code == "rules.profile.invalid" and "targets_not_met" in e2.value.message
