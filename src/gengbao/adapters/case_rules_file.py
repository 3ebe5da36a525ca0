"""Reading a workspace's case rules file (``rules/cases.yaml``): plain YAML mapping, validated by
``gengbao.domain.cases.profile.CaseRules.from_mapping``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from gengbao.domain.errors import RuleError


def read_mapping(path: Path) -> dict[str, Any] | None:
    """The file's mapping, or None when there is no file."""
    if not path.is_file():
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise RuleError(f"案件规则文件 {path} 无法解析：{exc}", code="cases.rules_invalid", file=str(path)) from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise RuleError(f"案件规则文件 {path} 须为键值映射（YAML mapping）。", code="cases.rules_invalid", file=str(path))
    return data
