"""Workspace-level records: settings and the record of every import attempt."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gengbao.adapters.db.models import ImportRecord, Setting


def put_settings(session: Session, values: dict[str, str]) -> None:
    for key, value in values.items():
        session.merge(Setting(key=key, value=value))


def get_setting(session: Session, key: str) -> str | None:
    return session.scalar(select(Setting.value).where(Setting.key == key))


def record_import(session: Session, *, what: str, source_file: str, source_sha256: str, ok: bool, imported: int,
                  error_count: int, warning_count: int, summary: dict[str, Any]) -> None:
    session.add(ImportRecord(what=what, source_file=source_file, source_sha256=source_sha256, ok=ok,
                             imported=imported, error_count=error_count, warning_count=warning_count,
                             summary=summary, at=datetime.now(UTC)))
