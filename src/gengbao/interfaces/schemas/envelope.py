"""One JSON shape for every error, and one way to turn a result into JSON data.

An error, from any command or route::

    {"ok": false, "error": {"code": "survey.epoch_exists", "message": "…", ...details}}

``code`` is stable (see docs/cli.md), ``message`` is Chinese; details name the data (``file``, ``field``,
``value`` …). A rejected import adds ``error.report``: the import report with every finding. Results are
typed (frozen dataclasses with ``to_dict``) and become JSON through :func:`to_json_data`.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from gengbao.domain.errors import GengbaoError

MAX_VALUE_CHARS = 200  # echoed values are cut: a 100,000-character value must not flood a terminal or log


class ErrorBody(BaseModel):
    model_config = ConfigDict(extra="allow")
    code: str
    message: str


class ErrorEnvelope(BaseModel):
    ok: Literal[False] = False
    error: ErrorBody


def _plain(value: Any) -> Any:
    """JSON-ready data from results: dataclasses (``to_dict`` when they have one), enums, decimals as
    strings (exact), dates as ISO text, paths as text."""
    if hasattr(value, "to_dict") and callable(value.to_dict):
        return _plain(value.to_dict())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return value


def to_json_data(result: Any) -> Any:
    """The JSON data of a typed result (what ``--json`` prints and a route returns)."""
    return json.loads(json.dumps(_plain(result), ensure_ascii=False, default=str))


def _cut(value: Any) -> Any:
    if isinstance(value, str) and len(value) > MAX_VALUE_CHARS:
        return value[:MAX_VALUE_CHARS] + f"…（共 {len(value)} 个字符）"
    return value


def error_envelope(exc: GengbaoError) -> dict[str, Any]:
    """The envelope of an error, with its import report when it has one."""
    body: dict[str, Any] = {"code": exc.code, "message": _cut(exc.message)}
    body.update({k: _cut(v) for k, v in to_json_data(dict(exc.details)).items() if k not in body})
    report = getattr(exc, "report", None)
    if report is not None:
        body["report"] = to_json_data(report)
    return ErrorEnvelope(error=ErrorBody(**body)).model_dump(mode="json")
