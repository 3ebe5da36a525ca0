"""Users: accounts, Argon2 hashes, hashed tokens, sessions that end, the login limit, the audit."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text, update
from typer.testing import CliRunner

from gengbao.adapters.db.models import AuditRecord
from gengbao.adapters.db.models_users import AuthTokenRecord, UserRecord
from gengbao.domain.access import AccessDenied, Actor, Role
from gengbao.domain.errors import ConflictError, InputError, NotFoundError
from gengbao.interfaces.cli.app import app
from gengbao.services import users
from gengbao.services.context import Context
from gengbao.services.users.sessions import BEARER, SESSION, token_hash
from gengbao.services.workspace import init_workspace, open_workspace

PASSWORD = "long-enough-1"


@pytest.fixture
def ws(tmp_path: Path, db_url: str | None) -> Context:
    return init_workspace(tmp_path / "ws", "360200", db_url)


def test_add_list_disable_and_resolve(ws: Context) -> None:
    u = users.add_user(ws, "wang", "county_filler", "360281", PASSWORD, "王芳")
    assert (u.role, u.jurisdiction, u.disabled) == (Role.COUNTY_FILLER, "360281", False)
    assert users.resolve_actor(ws, "wang") == Actor("wang", Role.COUNTY_FILLER, "360281", "王芳")
    with ws.sessions() as s:
        stored = s.scalar(select(UserRecord.password_hash).where(UserRecord.name == "wang"))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert [x.name for x in users.list_users(ws)] == ["wang"]
    assert users.disable_user(ws, "wang").disabled
    with pytest.raises(AccessDenied) as e:
        users.resolve_actor(ws, "wang")
    assert e.value.code == "users.disabled"
    with ws.sessions() as s:
        rows = list(s.scalars(select(AuditRecord).where(AuditRecord.action.startswith("users."))))
    assert [(r.actor, r.action, r.subject) for r in rows] == [("local", "users.add", "user/wang"),
                                                              ("local", "users.disable", "user/wang")]


@pytest.mark.parametrize(("args", "code"), [
    (("x", "viewer", "", PASSWORD), "users.name_invalid"),
    (("../etc", "viewer", "", PASSWORD), "users.name_invalid"),
    (("li", "boss", "", PASSWORD), "users.role_invalid"),
    (("li", "viewer", "36028", PASSWORD), "users.jurisdiction_invalid"),
    (("li", "viewer", "3602ab", PASSWORD), "users.jurisdiction_invalid"),
    (("li", "viewer", "360281", "short"), "users.password_short"),
])
def test_bad_users_are_refused_and_nothing_is_stored(ws: Context, args: tuple[str, str, str, str], code: str) -> None:
    with pytest.raises(InputError) as e:
        users.add_user(ws, *args)
    assert e.value.code == code
    assert users.list_users(ws) == []


def test_only_administrators_manage_users_inside_their_jurisdiction(ws: Context) -> None:
    users.add_user(ws, "li", "viewer", "360281", PASSWORD)
    with pytest.raises(ConflictError):
        users.add_user(ws, "li", "viewer", "360281", PASSWORD)
    reviewer = ws.acting_as(Actor("zhao", Role.CITY_REVIEWER, "3602"))
    with pytest.raises(AccessDenied) as e:
        users.add_user(reviewer, "sun", "viewer", "360281", PASSWORD)
    assert e.value.code == "access.role"
    county_admin = ws.acting_as(Actor("chen", Role.ADMIN, "360202"))
    with pytest.raises(AccessDenied):
        users.add_user(county_admin, "sun", "viewer", "360281", PASSWORD)
    assert users.list_users(county_admin) == []
    with pytest.raises(NotFoundError):
        users.disable_user(county_admin, "li")


def test_tokens_are_stored_as_hashes_and_end(ws: Context) -> None:
    info = users.add_user(ws, "wang", "county_filler", "360281", PASSWORD)
    me = ws.acting_as(info.actor)
    issued = users.create_token(me, "脚本")
    session = users.create_session(ws, info)
    assert users.actor_for_token(ws, issued.token, BEARER).user_id == "wang"
    assert users.actor_for_token(ws, session.token, SESSION).user_id == "wang"
    with ws.sessions() as s:
        stored = set(s.scalars(select(AuthTokenRecord.token_hash)))
    assert stored == {token_hash(issued.token), token_hash(session.token)}
    with pytest.raises(users.AuthenticationError) as e:
        users.actor_for_token(ws, issued.token, SESSION)  # a bearer token is no session cookie
    assert e.value.code == "auth.invalid_token"
    with ws.transaction() as s:
        s.execute(update(AuthTokenRecord).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    with pytest.raises(users.AuthenticationError) as e:
        users.actor_for_token(ws, session.token, SESSION)
    assert e.value.code == "auth.expired"


def test_disabling_revokes_every_token(ws: Context) -> None:
    info = users.add_user(ws, "wang", "county_filler", "360281", PASSWORD)
    token = users.create_token(ws.acting_as(info.actor), "脚本").token
    users.disable_user(ws, "wang")
    with pytest.raises(users.AuthenticationError):
        users.actor_for_token(ws, token, BEARER)
    with pytest.raises(users.AuthenticationError):
        users.authenticate(ws, "wang", PASSWORD)


def test_ten_failures_a_minute_then_even_the_right_password_is_refused(ws: Context) -> None:
    users.add_user(ws, "wang", "viewer", "360281", PASSWORD)
    assert users.authenticate(ws, "wang", PASSWORD, "10.0.0.1").name == "wang"
    for _ in range(10):
        with pytest.raises(users.AuthenticationError):
            users.authenticate(ws, "wang", "wrong-password", "10.0.0.1")
    with pytest.raises(users.RateLimited):
        users.authenticate(ws, "wang", PASSWORD, "10.0.0.2")  # the account is limited from any address
    with pytest.raises(users.RateLimited):
        users.authenticate(ws, "nobody", PASSWORD, "10.0.0.1")  # and the address for any account
    with ws.transaction() as s:  # a minute later the limit is lifted
        s.execute(text("UPDATE login_attempt SET at = :t"), {"t": datetime.now(UTC) - timedelta(seconds=61)})
    assert users.authenticate(ws, "wang", PASSWORD, "10.0.0.1").name == "wang"


def test_cli_add_list_disable(tmp_path: Path) -> None:
    init_workspace(tmp_path / "ws", "360200")
    runner = CliRunner()
    r = runner.invoke(app, ["users", "add", str(tmp_path / "ws"), "wang", "--role", "township", "-j", "360281100",
                            "--display-name", "王芳", "--password", PASSWORD, "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["user"] == {"name": "wang", "display_name": "王芳", "role": "township",
                                            "role_label": "乡镇用户", "jurisdiction": "360281100", "disabled": False}
    r = runner.invoke(app, ["users", "list", str(tmp_path / "ws")])
    assert r.exit_code == 0 and "乡镇用户" in r.output and "360281100" in r.output
    r = runner.invoke(app, ["users", "add", str(tmp_path / "ws"), "li", "--role", "boss", "--password", PASSWORD,
                            "--json"])
    assert r.exit_code == 4 and json.loads(r.output)["error"]["code"] == "users.role_invalid"
    r = runner.invoke(app, ["users", "disable", str(tmp_path / "ws"), "wang", "--json"])
    assert r.exit_code == 0 and json.loads(r.output)["user"]["disabled"] is True
    r = runner.invoke(app, ["users", "disable", str(tmp_path / "ws"), "nobody", "--json"])
    assert r.exit_code == 6 and json.loads(r.output)["error"]["code"] == "users.not_found"
    assert users.list_users(open_workspace(tmp_path / "ws"))[0].disabled


def test_serve_refuses_a_missing_workspace(tmp_path: Path) -> None:
    r = CliRunner().invoke(app, ["serve", str(tmp_path / "nothing"), "--port", "8765"])
    assert r.exit_code != 0 and "工作空间" in r.output


def test_the_global_as_option_acts_as_a_stored_user(ws: Context) -> None:
    """``gengbao --as wang …`` resolves the user from the workspace: role, jurisdiction, and the audit."""
    from typer.testing import CliRunner

    from gengbao.interfaces.cli.app import app

    users.add_user(ws, "wang", "county_filler", "360281", PASSWORD, "王芳")
    runner = CliRunner()
    res = runner.invoke(app, ["--as", "wang", "migrate", str(ws.root), "--json"])
    assert res.exit_code == 0
    res = runner.invoke(app, ["--as", "nobody", "audit", "verify", str(ws.root), "--json"])
    assert res.exit_code == 2 and '"user.unknown"' in res.stdout
    res = runner.invoke(app, ["--as", "wang", "survey", "stats", str(ws.root), "--epoch", "2022", "--by", "county",
                              "--json"])
    assert res.exit_code == 6 and '"survey.epoch_missing"' in res.stdout  # a county user may read: the epoch is missing
