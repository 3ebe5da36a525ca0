"""Rule profiles from YAML: the packaged ones (``gengbao/data/rules/*.yaml``) or a file; the domain
validates the plain data (:func:`gengbao.domain.rules.validate_profile`)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from gengbao.domain.errors import InputError, RuleError
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
        name = DEFAULT_PROFILE if path is None else str(path)
        text = (resources.files("gengbao.data") / "rules" / name).read_text(encoding="utf-8")
        origin = f"（内置）{name}"
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InputError(f"规则方案文件不存在：{path}", code="file.not_found", file=str(path)) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"无法读取规则方案 {path}：{exc}", code="file.unreadable", file=str(path)) from exc
        origin = Path(path).name
    try:
        return yaml.safe_load(text), origin
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark is not None else ""
        raise RuleError(f"规则方案 {origin} 不是合法的 YAML{where}：{exc}", code="rules.profile.yaml") from exc


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
