"""Events profile: how many events of each kind per county and epoch, and how large (YAML).

The packaged default is ``gengbao/data/events_default.yaml``; a user profile replaces any kind it
names and keeps the default for the rest. Problems are reported in Chinese with the file and key.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from gengbao.domain.errors import InputError

DEFAULT_FILE = "events_default.yaml"
KINDS = ("approved_construction", "illegal_construction", "illegal_construction_pbf", "orchard", "pond", "forest",
         "facility", "temporary_use", "abandonment", "restoration", "supplementary", "approved_unbuilt")
FOLLOW_UPS = ("demolition", "fake_rectification")


@dataclass(frozen=True)
class EventSpec:
    kind: str
    rate: float = 0.0
    minimum: int = 0
    area_m2: tuple[float, float] = (500.0, 5000.0)
    on_pbf_share: float = 0.0
    to: dict[str, float] = field(default_factory=dict)
    share: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    def count(self, parcels: int, per_parcels: int) -> int:
        return max(self.minimum, int(math.floor(self.rate * parcels / per_parcels + 0.5)))


@dataclass(frozen=True)
class EventsProfile:
    per_parcels: int
    specs: dict[str, EventSpec]
    source: str
    sha256: str

    def __getitem__(self, kind: str) -> EventSpec:
        return self.specs[kind]


def _err(source: str, msg: str) -> InputError:
    return InputError(f"事件配置 {source}：{msg}", code="scenario.profile_invalid", source=source)


def _spec(kind: str, raw: Any, source: str) -> EventSpec:
    if not isinstance(raw, dict):
        raise _err(source, f"events.{kind} 应为键值表")
    known = {"rate", "min", "area_m2", "on_pbf_share", "to", "share"}
    try:
        area = tuple(float(x) for x in raw.get("area_m2", (500.0, 5000.0)))
        if len(area) != 2 or not 0 < area[0] <= area[1]:
            raise ValueError
        to = {str(k): float(v) for k, v in (raw.get("to") or {}).items()}
        spec = EventSpec(kind, float(raw.get("rate", 0.0)), int(raw.get("min", 0)), (area[0], area[1]),
                         float(raw.get("on_pbf_share", 0.0)), to, float(raw.get("share", 0.0)),
                         {k: v for k, v in raw.items() if k not in known})
    except (TypeError, ValueError) as exc:
        raise _err(source, f"events.{kind} 的取值无效（rate/min 为数字，area_m2 为 [下限, 上限] 且 0 < 下限 ≤ 上限）") from exc
    if spec.rate < 0 or spec.minimum < 0 or not 0 <= spec.on_pbf_share <= 1 or not 0 <= spec.share <= 1:
        raise _err(source, f"events.{kind}：rate、min 不能为负，on_pbf_share、share 须在 0 到 1 之间")
    if any(w < 0 for w in spec.to.values()) or (spec.to and sum(spec.to.values()) <= 0):
        raise _err(source, f"events.{kind}.to 的权重须为非负数且不全为 0")
    return spec


def _parse(text: str, source: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise _err(source, f"不是有效的 YAML：{exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("events", {}), dict):
        raise _err(source, "顶层应为键值表，事件写在 events 下")
    unknown = set(data.get("events", {})) - set(KINDS) - set(FOLLOW_UPS)
    if unknown:
        raise _err(source, f"未知的事件类型 {'、'.join(sorted(unknown))}；可用：{'、'.join(KINDS + FOLLOW_UPS)}")
    return data


def load_profile(path: Path | None = None) -> EventsProfile:
    default_text = (resources.files("gengbao.data") / DEFAULT_FILE).read_text(encoding="utf-8")
    base = _parse(default_text, DEFAULT_FILE)
    raw_events = dict(base["events"])
    per = base.get("per_parcels", 100000)
    source, text = DEFAULT_FILE, default_text
    if path is not None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise _err(str(path), f"无法读取：{exc.strerror}") from exc
        source = Path(path).name
        user = _parse(text, source)
        raw_events.update(user.get("events", {}))
        per = user.get("per_parcels", per)
    if not isinstance(per, int) or per <= 0:
        raise _err(source, "per_parcels 须为正整数")
    specs = {k: _spec(k, raw_events.get(k, {}), source) for k in KINDS + FOLLOW_UPS}
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return EventsProfile(per, specs, source, digest)
