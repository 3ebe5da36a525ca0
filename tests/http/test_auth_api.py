"""Sign-in over HTTP: the cookie, CSRF on writes, bearer tokens, logout, expiry and the login limit."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from gengbao.adapters.db.models import AuditRecord
from gengbao.domain.access import Role
from tests.http.conftest import INSIDE, PASSWORD, Platform, user_name


def _client(p: Platform, address: str) -> TestClient:
    return TestClient(p.client.app, client=(address, 50000), raise_server_exceptions=False)


def _audit_count(p: Platform) -> int:
    with p.ctx.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(AuditRecord)) or 0)


def test_public_routes_and_the_rest_need_a_login(platform: Platform) -> None:
    c = _client(platform, "10.1.0.1")
    assert c.get("/api/health").json()["status"] == "ok"
    assert c.get("/api/openapi.json").json()["openapi"].startswith("3.")
    for path in ("/api/workspace", "/api/monitoring/runs", "/ogc/collections", "/api/users"):
        r = c.get(path)
        assert r.status_code == 401, path
        assert r.json() == {"ok": False, "error": {"code": "auth.required", "message": "请先登录"}}
    r = c.get("/api/workspace", headers={"Authorization": "Bearer not-a-token"})
    assert (r.status_code, r.json()["error"]["code"]) == (401, "auth.invalid_token")
    r = c.get("/api/workspace", headers={"Authorization": "Basic abc"})
    assert (r.status_code, r.json()["error"]["code"]) == (401, "auth.invalid_token")


def test_login_cookie_csrf_and_logout(platform: Platform) -> None:
    c = _client(platform, "10.1.0.2")
    name = user_name(Role.COUNTY_FILLER, INSIDE)
    r = c.post("/api/auth/login", json={"name": name, "password": PASSWORD})
    assert r.status_code == 200, r.text
    cookie = r.headers["set-cookie"]
    assert "gengbao_session=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    csrf = r.json()["csrf_token"]
    assert r.json()["user"]["role"] == "county_filler" and "token" not in r.json()
    assert c.get("/api/auth/me").json()["user"]["name"] == name
    before = _audit_count(platform)
    r = c.post("/api/auth/tokens", json={"label": "qgis"})  # a write without the CSRF header
    assert (r.status_code, r.json()["error"]["code"]) == (403, "auth.csrf")
    r = c.post("/api/auth/tokens", json={"label": "qgis"}, headers={"X-CSRF-Token": "0" * 64})
    assert (r.status_code, r.json()["error"]["code"]) == (403, "auth.csrf")
    assert _audit_count(platform) == before
    r = c.post("/api/auth/tokens", json={"label": "qgis", "days": 30}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200
    token = r.json()["token"]
    with platform.ctx.sessions() as s:
        last = s.scalars(select(AuditRecord).order_by(AuditRecord.seq.desc()).limit(1)).one()
    assert (last.actor, last.action) == (name, "users.token_create")  # the real user in the audit
    bearer = _client(platform, "10.1.0.3")
    assert bearer.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}).json()["user"]["name"] == name
    r = bearer.post("/api/auth/tokens", json={}, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200  # bearer requests need no CSRF token
    assert c.post("/api/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 200
    c.cookies.set("gengbao_session", cookie.split("gengbao_session=")[1].split(";")[0].strip('"'))
    r = c.get("/api/workspace")
    assert (r.status_code, r.json()["error"]["code"]) == (401, "auth.expired")


def test_wrong_password_then_the_limit(platform: Platform) -> None:
    c = _client(platform, "10.1.0.4")
    name = user_name(Role.VIEWER, INSIDE)
    for _ in range(10):
        r = c.post("/api/auth/login", json={"name": name, "password": "wrong-password"})
        assert (r.status_code, r.json()["error"]["code"]) == (401, "auth.failed")
    r = c.post("/api/auth/login", json={"name": name, "password": PASSWORD})
    assert (r.status_code, r.json()["error"]["code"]) == (429, "auth.rate_limited")
    assert r.headers["retry-after"] == "60"
    other = _client(platform, "10.1.0.5")  # a different account from the same address is refused too
    r = c.post("/api/auth/login", json={"name": user_name(Role.TOWNSHIP, INSIDE), "password": PASSWORD})
    assert r.status_code == 429
    r = other.post("/api/auth/login", json={"name": user_name(Role.TOWNSHIP, INSIDE), "password": PASSWORD})
    assert r.status_code == 200
