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


_DB_REASONS = (
    ("Connection refused", "db.unreachable", "无法连接数据库服务器（连接被拒绝）：请确认 PostgreSQL 已启动、地址与端口正确"),
    ("could not translate host name", "db.unreachable", "无法解析数据库服务器的主机名：请检查 --db 中的地址"),
    ("timeout expired", "db.unreachable", "连接数据库服务器超时：请检查网络与地址"),
    ("does not exist", "db.not_found", "数据库不存在：请先创建该数据库，或检查 --db 中的库名"),
    ("password authentication failed", "db.auth", "数据库用户名或密码不正确"),
    ("Could not parse SQLAlchemy URL", "db.url_invalid", "数据库地址格式不正确，应如 postgresql://用户@主机:5432/库名"),
    ("Can't load plugin", "db.url_invalid", "不支持的数据库类型：只支持 SQLite 与 PostgreSQL（postgresql://…）"),
    ("malformed", "db.corrupt", "数据库文件已损坏：请从备份恢复 gengbao.sqlite"),
    ("file is not a database", "db.corrupt", "数据库文件已损坏或不是 SQLite 数据库：请从备份恢复 gengbao.sqlite"),
    ("readonly database", "db.read_only", "数据库是只读的：没有写入权限，不能执行修改数据的命令"),
    ("unable to open database file", "db.unopenable", "无法打开数据库文件：请检查工作空间文件夹的权限"),
    ("database is locked", "db.locked", "数据库正被其他进程长时间占用，请稍后再试"),
    ("value too long", "db.value_too_long", "某个值超过了数据库字段允许的长度"),
)


def explain(exc: BaseException) -> tuple[str, str]:
    """(stable code, Chinese reason) for a database failure; the driver's text stays in the details."""
    text = str(exc)
    for needle, code, reason in _DB_REASONS:
        if needle.lower() in text.lower():
            return code, reason
    return "db.error", "数据库操作失败"
