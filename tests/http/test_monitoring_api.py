"""A monitoring run started over HTTP runs in the background; the client polls its progress."""

from __future__ import annotations

import time

from tests.http.conftest import Platform


def test_start_a_run_and_poll_it_to_the_end(platform: Platform) -> None:
    h = platform.as_user("root")
    r = platform.client.post("/api/monitoring/runs", json={"from_epoch": 2021, "to_epoch": 2022}, headers=h)
    assert r.status_code == 202, r.text
    job = r.json()["job"]
    assert job["state"] in ("queued", "running", "done")
    deadline = time.monotonic() + 60
    while job["state"] not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.1)
        job = platform.client.get(f"/api/jobs/{job['id']}", headers=h).json()["job"]
    assert job["state"] == "done", job
    assert job["done"] == job["total"] == 3  # three county partitions: 昌江区, 浮梁县, 乐平市
    assert "3/3" in job["message"]
    run_id = job["result"]["run_id"]
    runs = platform.client.get("/api/monitoring/runs", headers=h).json()["runs"]
    first = next(x for x in runs if x["id"] == platform.run_id)
    again = next(x for x in runs if x["id"] == run_id)
    assert again["patches"] == first["patches"] == job["result"]["patches"]
    from sqlalchemy import select

    from gengbao.adapters.db.models import AuditRecord

    with platform.ctx.sessions() as s:
        rec = s.scalars(select(AuditRecord).where(AuditRecord.subject == f"monitor_run/{run_id}")).one()
    assert (rec.actor, rec.action) == ("root", "monitor.run")  # the real user, not the server
    # only the user who started it sees the job
    other = platform.as_user("admin-360202")
    r = platform.client.get(f"/api/jobs/{job['id']}", headers=other)
    assert (r.status_code, r.json()["error"]["code"]) == (404, "jobs.not_found")


def test_a_failing_run_reports_its_error(platform: Platform) -> None:
    h = platform.as_user("root")
    r = platform.client.post("/api/monitoring/runs", json={"from_epoch": 1999, "to_epoch": 2022}, headers=h)
    job = r.json()["job"]
    deadline = time.monotonic() + 30
    while job["state"] not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.05)
        job = platform.client.get(f"/api/jobs/{job['id']}", headers=h).json()["job"]
    assert job["state"] == "failed" and job["error"]["code"] and job["error"]["message"]
