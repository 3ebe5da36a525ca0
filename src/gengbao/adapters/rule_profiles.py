"""Rule profiles from YAML: the packaged ones (``gengbao/data/rules/*.yaml``) or a file; the domain
validates the plain data (:func:`gengbao.domain.rules.validate_profile`)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from gengbao.adapters.yaml_profiles import read_yaml_profile
from gengbao.domain.errors import RuleError
from gengbao.domain.findings import Finding
from gengbao.domain.ledger import ProfileSchedule
from gengbao.domain.ledger.profile_schema import validate_ledger_profile
from gengbao.domain.rules import RuleProfile, validate_profile

DEFAULT_PROFILE = "jingdezhen_2024.yaml"
LEDGER_PROFILE = "ledger_default.yaml"


def packaged_names() -> list[str]:
    """Packaged accountability profiles (the ledger profile is listed apart)."""
    return sorted(p.name for p in (resources.files("gengbao.data") / "rules").iterdir()
                  if p.name.endswith(".yaml") and p.name != LEDGER_PROFILE)


def read_raw(path: Path | str | None = None) -> tuple[Any, str]:
    """The raw data of a profile (a file path, a packaged name, or the default) and its name for messages."""
    if path is None or (isinstance(path, str) and path in (*packaged_names(), LEDGER_PROFILE)):
        return read_yaml_profile(None, f"rules/{DEFAULT_PROFILE if path is None else path}", what="规则方案",
                                 code="rules.profile.yaml")
    return read_yaml_profile(Path(path), "", what="规则方案", code="rules.profile.yaml")


def check_profile(path: Path | str | None = None) -> tuple[RuleProfile | None, tuple[Finding, ...], str]:
    data, origin = read_raw(path)
    profile, findings = validate_profile(data, origin)
    return profile, findings, origin


def load_profile(path: Path | str | None = None) -> RuleProfile:
    """A valid profile, or ``RuleError`` listing every finding."""
    profile, findings, origin = check_profile(path)
    if profile is None:
        lines = "\n".join(f"  [{f.code}] {f.message}" for f in findings)
        raise RuleError(f"规则方案 {origin} 有 {len(findings)} 处问题：\n{lines}", code="rules.profile.invalid",
                        findings=[f.to_dict() for f in findings])
    return profile


def load_ledger_schedule(path: Path | None = None) -> ProfileSchedule:
    """The ledger profile (``gengbao.ledger/1``) from a file, or the packaged default."""
    data, origin = read_raw(LEDGER_PROFILE if path is None else path)
    schedule, findings = validate_ledger_profile(data, origin)
    if schedule is None:
        lines = "\n".join(f"  [{f.code}] {f.message}" for f in findings)
        raise RuleError(f"台账规则方案 {origin} 有 {len(findings)} 处问题：\n{lines}", code="ledger.profile.invalid",
                        findings=[f.to_dict() for f in findings])
    return schedule
