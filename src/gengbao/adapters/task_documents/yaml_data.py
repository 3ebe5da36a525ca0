"""YAML inputs of the task capability: the packaged unit directory and scorecard profiles."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from gengbao.domain.errors import InputError, RuleError
from gengbao.domain.tasks.organisations import Unit, UnitKind

UNITS_FILE = "tasks_units.yaml"
DEFAULT_PROFILE = "assess_default.yaml"


@lru_cache(maxsize=1)
def packaged_units() -> tuple[Unit, ...]:
    text = (resources.files("gengbao.data") / UNITS_FILE).read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    out: list[Unit] = []
    for region, units in data.items():
        for u in units or []:
            out.append(
                Unit(
                    str(u["name"]),
                    str(region),
                    UnitKind(u.get("kind", "department")),
                    tuple(u.get("aliases") or ()),
                )
            )
    return tuple(out)


def read_profile(path: Path | None) -> tuple[Any, str]:
    """The raw data of a profile file (or the packaged default) and the name to cite in errors."""
    if path is None:
        text = (resources.files("gengbao.data") / DEFAULT_PROFILE).read_text(encoding="utf-8")
        origin = f"（默认）{DEFAULT_PROFILE}"
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InputError(f"考核方案文件不存在：{path}", code="file.not_found", file=str(path)) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(
                f"无法读取考核方案 {path}：{exc}", code="file.unreadable", file=str(path)
            ) from exc
        origin = Path(path).name
    try:
        return yaml.safe_load(text), origin
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark is not None else ""
        raise RuleError(
            f"考核方案 {origin} 不是合法的 YAML{where}：{exc}", code="assess.profile.yaml"
        ) from exc
