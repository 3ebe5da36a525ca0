"""Field checks for scorecard profiles: every problem becomes a ``RuleError`` with a stable code
(``assess.profile.<what>``) and the path of the field (``items[2].score.per``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from gengbao.domain.errors import RuleError

LEVELS = ("county", "township", "city")
OPS = (">", ">=", "<", "<=", "==", "!=")
METHODS = {"ratio": (), "linear": ("zero_at", "full_at"), "deduct": ("per",), "threshold": ("op", "value")}


@dataclass(frozen=True, slots=True)
class ParamSpec:
    type: str  # str | int | number | bool
    default: Any = None
    choices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class KindSpec:
    """What a registered item kind measures and which parameters it takes."""

    kind: str
    unit: str
    description: str
    params: Mapping[str, ParamSpec] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ScoreRule:
    method: str
    zero_at: Decimal = Decimal(0)
    full_at: Decimal = Decimal(1)
    per: Decimal = Decimal(0)
    op: str = ">="
    value: Decimal = Decimal(0)


class Checker:
    def __init__(self, origin: str, kinds: Mapping[str, KindSpec]) -> None:
        self.origin = origin
        self.kinds = kinds

    def fail(self, path: str, problem: str, code: str) -> RuleError:
        where = f"{self.origin}：" if self.origin else ""
        return RuleError(f"考核方案 {where}{path} {problem}", code=f"assess.profile.{code}", path=path)

    def mapping(
        self, v: Any, path: str, allowed: tuple[str, ...], required: tuple[str, ...]
    ) -> dict[str, Any]:
        if not isinstance(v, Mapping):
            raise self.fail(path, f"应为键值表，实际为 {type(v).__name__}", "type")
        for k in v:
            if k not in allowed:
                raise self.fail(
                    f"{path}.{k}" if path else str(k),
                    f"不是可用的字段（可用：{'、'.join(allowed)}）",
                    "unknown_field",
                )
        for k in required:
            if k not in v or v[k] is None:
                raise self.fail(f"{path}.{k}" if path else k, "缺失", "missing_field")
        return dict(v)

    def text(self, v: Any, path: str) -> str:
        if not isinstance(v, str) or not v.strip():
            raise self.fail(path, f"应为非空文字，实际为 {v!r}", "type")
        return v.strip()

    def number(self, v: Any, path: str) -> Decimal:
        if isinstance(v, bool) or not isinstance(v, int | float | str | Decimal):
            raise self.fail(path, f"应为数字，实际为 {v!r}", "type")
        try:
            d = Decimal(str(v))
        except InvalidOperation:
            raise self.fail(path, f"应为数字，实际为 {v!r}", "type") from None
        if not d.is_finite():
            raise self.fail(path, f"应为有限数字，实际为 {v!r}", "type")
        return d

    def choice(self, v: Any, path: str, choices: tuple[str, ...]) -> str:
        if v not in choices:
            raise self.fail(path, f"应为 {' | '.join(choices)} 之一，实际为 {v!r}", "bad_value")
        return str(v)

    def kind(self, v: Any, path: str) -> KindSpec:
        name = self.text(v, path)
        if name not in self.kinds:
            known = "、".join(sorted(self.kinds)) or "（无）"
            raise self.fail(path, f"“{name}”不是已登记的考核项类型（已登记：{known}）", "unknown_kind")
        return self.kinds[name]

    def params(self, v: Any, path: str, spec: KindSpec) -> dict[str, Any]:
        given = self.mapping(v if v is not None else {}, path, tuple(spec.params), ())
        out: dict[str, Any] = {}
        for name, p in spec.params.items():
            val = given.get(name, p.default)
            if val is None:
                continue
            ok = {
                "str": isinstance(val, str),
                "int": isinstance(val, int) and not isinstance(val, bool),
                "number": isinstance(val, int | float) and not isinstance(val, bool),
                "bool": isinstance(val, bool),
            }.get(p.type, False)
            if not ok or (p.choices and val not in p.choices):
                want = " | ".join(p.choices) if p.choices else p.type
                raise self.fail(f"{path}.{name}", f"应为 {want}，实际为 {val!r}", "param")
            out[name] = val
        return out

    def rule(self, v: Any, path: str) -> ScoreRule:
        m = self.mapping(v, path, ("method", "zero_at", "full_at", "per", "op", "value"), ("method",))
        method = self.choice(m["method"], f"{path}.method", tuple(METHODS))
        for k in METHODS[method]:
            if k not in m:
                raise self.fail(f"{path}.{k}", f"计分方法 {method} 需要此字段", "missing_field")
        if method == "linear":
            zero, full = (
                self.number(m["zero_at"], f"{path}.zero_at"),
                self.number(m["full_at"], f"{path}.full_at"),
            )
            if zero == full:
                raise self.fail(path, "zero_at 与 full_at 不能相等", "score")
            return ScoreRule(method, zero_at=zero, full_at=full)
        if method == "deduct":
            per = self.number(m["per"], f"{path}.per")
            if per <= 0:
                raise self.fail(f"{path}.per", "应大于 0", "score")
            return ScoreRule(method, per=per)
        if method == "threshold":
            op = self.choice(m["op"], f"{path}.op", OPS)
            return ScoreRule(method, op=op, value=self.number(m["value"], f"{path}.value"))
        return ScoreRule(method)
