"""YAML inputs of the task capability: the packaged unit directory and scorecard profiles."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from gengbao.adapters.yaml_profiles import read_yaml_profile
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
    """The raw data of an assessment profile file (or the packaged default) and the name to cite in errors."""
    return read_yaml_profile(path, DEFAULT_PROFILE, what="考核方案", code="assess.profile.yaml")
