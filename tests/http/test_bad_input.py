"""Bad input on every kind of route: a clear error with a stable code in the shared envelope, nothing
changed (the audit chain has not grown)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from gengbao.adapters.db.models import AuditRecord
from gengbao.interfaces.http.app import create_app
from tests.http.conftest import Platform


def _audit(p: Platform) -> int:
    with p.ctx.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(AuditRecord)) or 0)


def _code(r: object) -> tuple[int, str]:
    body = r.json()  # type: ignore[attr-defined]
    assert body["ok"] is False and body["error"]["message"]
    return r.status_code, body["error"]["code"]  # type: ignore[attr-defined]


CASES = [
    ("POST", "/api/auth/login", b'{"name": "a", ', "application/json", (422, "request.invalid")),
    ("POST", "/api/auth/login", b'["a"]', "application/json", (422, "request.invalid")),
    ("POST", "/api/auth/login", b'{"name": 5, "password": []}', "application/json", (422, "request.invalid")),
    ("POST", "/api/users", b'{"name": "ab", "role": "boss", "password": "password-1"}', "application/json",
     (422, "request.invalid")),
    ("POST", "/api/users", b'{"name": "../../etc", "role": "viewer", "password": "password-1"}', "application/json",
     (400, "users.name_invalid")),
    ("POST", "/api/users", b'{"name": "ok-name", "role": "viewer", "password": "password-1", "jurisdiction": "x"}',
     "application/json", (400, "users.jurisdiction_invalid")),
    ("POST", "/api/users", b'{"name": "ok", "role": "viewer", "password": "p", "extra": 1}', "application/json",
     (422, "request.invalid")),
    ("POST", "/api/monitoring/runs", b'{"from_epoch": "soon"}', "application/json", (422, "request.invalid")),
    ("POST", "/api/monitoring/runs", b'{"from_epoch": 2021}', "text/plain", (422, "request.invalid")),
    ("POST", "/api/users/nobody/disable", b"", "application/json", (404, "users.not_found")),
    ("GET", "/api/monitoring/runs/999", None, None, (404, "monitor.run_not_found")),
    ("GET", "/api/monitoring/runs/abc", None, None, (422, "request.invalid")),
    ("GET", "/api/monitoring/runs/-1", None, None, (422, "request.invalid")),
    ("GET", "/api/jobs/no-such-job", None, None, (404, "jobs.not_found")),
    ("GET", "/api/survey/stats?epoch=1999", None, None, (404, "survey.epoch_missing")),
    ("GET", "/api/survey/stats?epoch=2022&level=province", None, None, (422, "request.invalid")),
    ("GET", "/api/survey/stats", None, None, (422, "request.invalid")),
    ("GET", "/api/tasks/status?as_of=yesterday", None, None, (422, "request.invalid")),
    ("GET", "/api/assessment?year=99999", None, None, (422, "request.invalid")),
    ("GET", "/ogc/collections/parcels-1999/items", None, None, (404, "ogc.collection_not_found")),
    ("GET", "/ogc/collections/..%2F..%2Fetc/items", None, None, (404, "http.not_found")),
    ("GET", "/ogc/collections/parcels-..%2F2021/items", None, None, (404, "http.not_found")),
    ("GET", "/ogc/collections/parcels-..%5C2021/items", None, None, (404, "ogc.collection_not_found")),
    ("GET", "/ogc/collections/nonsense", None, None, (404, "ogc.collection_not_found")),
    ("GET", "/ogc/collections/parcels-2022/items/no-such-feature", None, None, (404, "ogc.feature_not_found")),
    ("GET", "/ogc/collections/parcels-2022/items?bbox=1,2,3", None, None, (400, "ogc.bbox_invalid")),
    ("GET", "/ogc/collections/parcels-2022/items?bbox=3,2,1,4", None, None, (400, "ogc.bbox_invalid")),
    ("GET", "/ogc/collections/parcels-2022/items?bbox=nan,2,3,4", None, None, (400, "ogc.bbox_invalid")),
    ("GET", "/ogc/collections/parcels-2022/items?crs=EPSG:3857", None, None, (400, "ogc.crs_unsupported")),
    ("GET", "/ogc/collections/parcels-2022/items?limit=0", None, None, (422, "request.invalid")),
    ("GET", "/ogc/collections/parcels-2022/items?limit=100000", None, None, (422, "request.invalid")),
    ("GET", "/ogc/collections/parcels-2022/tiles/WebMercatorQuad/3/9/9", None, None, (404, "ogc.tile_not_found")),
    ("GET", "/ogc/collections/parcels-2022/tiles/WebMercatorQuad/99/0/0", None, None, (422, "request.invalid")),
    ("GET", "/api/no/such/route", None, None, (404, "http.not_found")),
    ("DELETE", "/api/workspace", None, None, (405, "http.method_not_allowed")),
]


@pytest.mark.parametrize(("method", "path", "body", "ctype", "want"), CASES, ids=[f"{c[0]} {c[1]}" for c in CASES])
def test_bad_request(platform: Platform, method: str, path: str, body: bytes | None, ctype: str | None,
                     want: tuple[int, str]) -> None:
    before = _audit(platform)
    headers = platform.as_user("root")
    if ctype:
        headers["Content-Type"] = ctype
    r = platform.client.request(method, path, content=body, headers=headers)
    assert _code(r) == want, r.text
    assert _audit(platform) == before


def test_json_body_over_the_limit_is_refused_unread(platform: Platform) -> None:
    before = _audit(platform)
    big = b'{"name": "' + b"a" * (1024 * 1024) + b'", "password": "x"}'
    r = platform.client.post("/api/auth/login", content=big, headers={"Content-Type": "application/json"})
    assert _code(r) == (413, "http.body_too_large")

    def chunks():  # no Content-Length: counted as it arrives
        for _ in range(40):
            yield b" " * 65536

    r = platform.client.post("/api/users", content=chunks(), headers={**platform.as_user("root"),
                                                                        "Content-Type": "application/json"})
    assert _code(r) == (413, "http.body_too_large")
    assert _audit(platform) == before


def test_upload_over_30_mb_is_refused_before_the_body_is_read(platform: Platform) -> None:
    app = platform.client.app
    sent: list[dict[str, object]] = []
    read: list[bool] = []

    async def receive() -> dict[str, object]:
        read.append(True)
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/api/auth/login", "raw_path": b"/api/auth/login",
             "query_string": b"", "root_path": "", "scheme": "http", "server": ("testserver", 80),
             "client": ("10.9.9.9", 1), "http_version": "1.1",
             "headers": [(b"content-type", b"multipart/form-data; boundary=x"),
                         (b"content-length", str(30 * 1024 * 1024 + 1).encode())]}
    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    assert sent[0]["status"] == 413 and not read
    assert b"http.body_too_large" in sent[1]["body"]  # type: ignore[operator]


def test_static_files_do_not_leave_their_folder(platform: Platform, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "index.html").write_text("<!doctype html><title>耕保</title>", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    with TestClient(create_app(platform.root, platform.db_url, web_dist=dist), raise_server_exceptions=False) as c:
        assert "耕保" in c.get("/").text
        for path in ("/../secret.txt", "/..%2fsecret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt"):
            r = c.get(path)
            assert r.status_code == 404 and "secret" not in r.text, path
        assert c.get("/api/health").json()["ok"] is True  # the API is not shadowed by the web files
