"""Engine creation and schema migration (Alembic, run programmatically)."""

from __future__ import annotations

import os
import weakref
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).with_name("migrations")
WRITE_OPTION = "gengbao_write"
_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()


def _forget_connections_in_child() -> None:
    """A forked process (a Dask worker started by fork) must not use or close its parent's pooled
    connections: it drops them without closing, as SQLAlchemy advises for os.fork()."""
    for engine in list(_ENGINES):
        engine.dispose(close=False)


os.register_at_fork(after_in_child=_forget_connections_in_child)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.resolve()}"


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL mode and foreign keys, PostgreSQL uses psycopg 3."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    engine = create_engine(url, future=True)
    _ENGINES.add(engine)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            # Transactions are begun by us (below), not implicitly by the driver.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn):  # type: ignore[no-untyped-def]
            # A write transaction takes SQLite's write lock when it begins, so that what it read
            # cannot be changed by another writer before it writes (no lost updates, no forked
            # audit chain); read transactions stay deferred and never block.
            immediate = conn.get_execution_options().get(WRITE_OPTION, False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def pending_migrations(engine: Engine) -> list[str]:
    """Revisions of this version's migrations that the database has not applied (sorted)."""
    script = ScriptDirectory.from_config(alembic_config(engine))
    with engine.connect() as conn:
        applied = set(MigrationContext.configure(conn).get_current_heads())
    pending: set[str] = set()
    for head in script.get_heads():
        for rev in script.iterate_revisions(head, "base"):
            if rev.revision in applied:
                break
            pending.add(rev.revision)
    # a revision below an applied head on another branch is applied too
    done: set[str] = set()
    for head in applied:
        done.update(r.revision for r in script.iterate_revisions(head, "base"))
    return sorted(pending - done)


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision of every migration branch."""
    command.upgrade(alembic_config(engine), "heads")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions for reading (and for writes that need no serialisation)."""
    return sessionmaker(engine, expire_on_commit=False, future=True)


def write_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions for write transactions: on SQLite they begin with ``BEGIN IMMEDIATE``."""
    return sessionmaker(engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False, future=True)
