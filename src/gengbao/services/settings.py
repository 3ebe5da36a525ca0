"""Settings, read once: explicit arguments, then the environment, then ``workspace.json``, then defaults.

Nothing else in gengbao reads the environment; a use case gets its settings from its context.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

ENV_DATABASE_URL = "GENGBAO_DATABASE_URL"
ENV_WORKER_START = "GENGBAO_WORKER_START"
ENV_CJK_FONT = "GENGBAO_CJK_FONT"
ENV_ACT_AS = "GENGBAO_AS"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable outside the data: where the database is, how Dask workers start,
    which font draws Chinese in maps, and whom the command line acts as (``act_as``: a user name,
    or empty for the local operator)."""

    database_url: str | None = None
    worker_start: str = ""
    cjk_font: str = ""
    act_as: str = ""

    @classmethod
    def load(cls, descriptor: Mapping[str, Any] | None = None,
             environ: Mapping[str, str] | None = None, **explicit: str | None) -> Settings:
        env = os.environ if environ is None else environ
        desc = descriptor or {}
        from_env = {
            "database_url": env.get(ENV_DATABASE_URL) or None,
            "worker_start": env.get(ENV_WORKER_START, "").strip(),
            "cjk_font": env.get(ENV_CJK_FONT, ""),
            "act_as": env.get(ENV_ACT_AS, "").strip(),
        }
        from_desc = {"database_url": desc.get("database_url"), "act_as": desc.get("act_as", "")}
        values: dict[str, Any] = {}
        for name in ("database_url", "worker_start", "cjk_font", "act_as"):
            for source in (explicit, from_env, from_desc):
                v = source.get(name)
                if v:
                    values[name] = v
                    break
        return cls(**values)

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)
