"""What every use case receives: the workspace, the acting user and the settings.

A :class:`Workspace` is the opened storage (folder, database engine, region catalogue); it is opened
once (by a command, or once per server process) and shared. A :class:`Context` binds it to one
:class:`~gengbao.domain.access.Actor` and the settings read once; use cases take a context, check
access with :meth:`Context.authorise` and record the actor in the audit with :meth:`Context.audit`.
The context forwards the workspace's attributes (``root``, ``layout``, ``engine``, ``region`` …), so
code that only needs storage reads them straight from it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gengbao.adapters.db import audit_store as audit
from gengbao.adapters.workspace_files import WorkspaceLayout, advance_audit_head
from gengbao.domain.access import LOCAL_OPERATOR, Action, Actor, authorise
from gengbao.domain.regions import RegionCatalog
from gengbao.services.settings import Settings

AUDIT_HEAD = "gengbao_audit_head"

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from gengbao.adapters.db.models import AuditRecord


@dataclass(frozen=True, slots=True)
class Workspace:
    """The opened storage of one workspace. ``writes`` opens write transactions (on SQLite they take
    the database's write lock when they begin, so a read-then-write never races another writer);
    ``sessions`` opens read sessions."""

    layout: WorkspaceLayout
    engine: Engine
    sessions: sessionmaker[Session]
    writes: sessionmaker[Session]
    region: str
    catalog: RegionCatalog


@dataclass(frozen=True, slots=True)
class Context:
    workspace: Workspace
    actor: Actor = LOCAL_OPERATOR
    settings: Settings = Settings()
    notices: tuple[str, ...] = ()  # what opening the workspace repaired, for the user to know

    # -- the workspace's storage, forwarded ------------------------------------------------------
    @property
    def layout(self) -> WorkspaceLayout:
        return self.workspace.layout

    @property
    def root(self) -> Path:
        return self.workspace.layout.root

    @property
    def engine(self) -> Engine:
        return self.workspace.engine

    @property
    def sessions(self) -> sessionmaker[Session]:
        return self.workspace.sessions

    @property
    def region(self) -> str:
        return self.workspace.region

    @property
    def catalog(self) -> RegionCatalog:
        return self.workspace.catalog

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One write transaction: committed when the block ends, rolled back on any error."""
        with self.workspace.writes.begin() as session:
            yield session
            head = session.info.get(AUDIT_HEAD)
        if head is not None:  # committed: anchor the chain's new head outside the database
            advance_audit_head(self.workspace.layout, *head)

    # -- who acts ---------------------------------------------------------------------------------
    def acting_as(self, actor: Actor) -> Context:
        return replace(self, actor=actor)

    def authorise(self, action: Action, region: str | None = None) -> None:
        authorise(self.actor, action, self.region if region is None else region)

    def audit(self, session: Session, action: str, subject: str, payload: dict[str, Any]) -> AuditRecord:
        """Append an audit record for the acting user inside ``session``'s transaction."""
        record = audit.append(session, self.actor.user_id, action, subject, payload)
        session.info[AUDIT_HEAD] = (record.seq, record.hash)
        return record
