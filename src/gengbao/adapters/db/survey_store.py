"""Stored survey epochs: which layers a workspace holds (the layers themselves are GeoParquet)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gengbao.adapters.db.models import Epoch


def epoch_exists(session: Session, year: int, kind: str) -> bool:
    return session.scalar(select(Epoch.id).where(Epoch.year == year, Epoch.kind == kind)) is not None


def epoch_years(session: Session, kind: str) -> list[int]:
    return sorted(session.scalars(select(Epoch.year).where(Epoch.kind == kind)))


def latest_epoch_up_to(session: Session, kind: str, year: int) -> int | None:
    """The latest epoch of ``kind`` imported for ``year`` or before."""
    found = session.scalar(select(func.max(Epoch.year)).where(Epoch.kind == kind, Epoch.year <= year))
    return int(found) if found is not None else None


def layer_paths(session: Session) -> list[tuple[str, int, str]]:
    """(kind, year, layer path relative to the workspace) of every recorded survey layer."""
    return [(k, int(y), p) for k, y, p in session.execute(select(Epoch.kind, Epoch.year, Epoch.layer_path))]


def replace_epoch(session: Session, *, year: int, kind: str, layer_path: str, feature_count: int,
                  counties: list[str], source_file: str, source_sha256: str, source_crs: str) -> None:
    """Record the layer of ``year``/``kind``, replacing the record of an earlier import."""
    old = session.scalars(select(Epoch).where(Epoch.year == year, Epoch.kind == kind)).first()
    if old is not None:
        session.delete(old)
        session.flush()
    session.add(Epoch(year=year, kind=kind, layer_path=layer_path, feature_count=feature_count, counties=counties,
                      source_file=source_file, source_sha256=source_sha256, source_crs=source_crs,
                      imported_at=datetime.now(UTC)))
