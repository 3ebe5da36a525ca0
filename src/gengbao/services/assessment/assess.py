"""Yearly assessment (考核) of regions by a scorecard profile, with item kinds from a registry.

An item kind is provided by a *provider*: an object with ``spec`` (a ``KindSpec``: the kind's name,
unit, description and parameters, used to validate profiles) and ``compute(ctx, region, params)``
returning a ``Figure`` for one region and year. Capabilities register providers with
``register_provider`` from their own ``services/assess_<capability>.py`` module, listed once in
``PROVIDER_MODULES``; a profile may then use their kinds. ``ctx.cached`` lets a provider load its
data once per assessment rather than once per region.

    class MyProvider:
        spec = KindSpec("cases.handling_rate", "ratio", "案件办结率", {"min_area_mu": ParamSpec("number", 0)})
        def compute(self, ctx, region, params): ...
    register_provider(MyProvider())
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from gengbao.adapters.task_documents.yaml_data import read_profile
from gengbao.domain.assessment.profile import KindSpec, Profile, parse_profile
from gengbao.domain.assessment.scorecard import Figure, RegionScore, evaluate, needed_figures
from gengbao.domain.errors import NotFoundError, RuleError, UsageError
from gengbao.domain.regions import Region, RegionLevel
from gengbao.services.context import Context

T = TypeVar("T")

# Modules whose import registers providers. Each capability adds its module here (one line).
PROVIDER_MODULES = ("gengbao.services.assessment.task_items", "gengbao.services.assessment.target_items")


@dataclass
class AssessContext:
    """What providers get: the workspace, the year, and a per-run cache. Providers read their facts
    through their capability's use cases (which open their own sessions)."""

    ws: Context
    year: int
    _cache: dict[str, Any] = field(default_factory=dict)

    def cached(self, key: str, load: Callable[[], T]) -> T:
        if key not in self._cache:
            self._cache[key] = load()
        value: T = self._cache[key]
        return value


class Provider(Protocol):
    spec: KindSpec

    def compute(self, ctx: AssessContext, region: Region, params: Mapping[str, Any]) -> Figure: ...


_REGISTRY: dict[str, Provider] = {}
_loaded = False


def register_provider(provider: Provider) -> Provider:
    kind = provider.spec.kind
    if kind in _REGISTRY and _REGISTRY[kind] is not provider:
        raise RuleError(f"考核项类型 {kind} 已被登记", code="assess.kind_duplicate")
    _REGISTRY[kind] = provider
    return provider


def providers() -> dict[str, Provider]:
    global _loaded
    if not _loaded:
        for name in PROVIDER_MODULES:
            importlib.import_module(name)
        _loaded = True
    return dict(_REGISTRY)


def kind_specs() -> dict[str, KindSpec]:
    return {k: p.spec for k, p in providers().items()}


def load_profile(path: Path | None = None) -> Profile:
    data, origin = read_profile(path)
    return parse_profile(data, kind_specs(), origin)


_LEVELS = {"county": RegionLevel.COUNTY, "township": RegionLevel.TOWNSHIP, "city": RegionLevel.CITY}


def assessed_regions(ws: Context, level: str) -> list[Region]:
    """The regions that get a score: those at ``level`` under the workspace (or the workspace itself)."""
    want = _LEVELS[level]
    top = ws.catalog.get(ws.region)
    if top.level == want:
        return [top]
    regions = ws.catalog.descendants(ws.region, want)
    if not regions:
        raise NotFoundError(
            f"{top.name}（{top.code}）下没有{want.label}行政区可考核", code="assess.no_regions"
        )
    return regions


@dataclass(frozen=True)
class Assessment:
    year: int
    profile: Profile
    scores: list[RegionScore]


def assess(ws: Context, year: int, *, profile: Path | None = None, level: str | None = None) -> Assessment:
    """Score every region of the workspace at the profile's level for ``year``."""
    if not 1900 < year < 2200:
        raise UsageError(f"年度 {year} 不合理", code="assess.year_invalid")
    prof = load_profile(profile)
    lvl = level or prof.level
    if lvl not in _LEVELS:
        raise UsageError(f"考核层级“{lvl}”不可用（county、township、city）", code="assess.level_invalid")
    regions = assessed_regions(ws, lvl)
    registry = providers()
    scores: list[RegionScore] = []
    ctx = AssessContext(ws, year)
    for region in regions:
        figures = {
            key: registry[kind].compute(ctx, region, params)
            for key, (kind, params) in needed_figures(prof).items()
        }
        scores.append(evaluate(prof, region.code, region.name, figures))
    return Assessment(year, prof, scores)
