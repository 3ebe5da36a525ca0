"""Cases over HTTP on SQLite and PostgreSQL: the review chain county filler → city reviewer → province
reviewer with session cookies and CSRF, photo upload (real JPEGs with GPS EXIF) and bad uploads, wrong
role / wrong region refusals in the envelope, version conflicts (409), and the audit history."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from gengbao.domain.access import Role
from tests.cases.photos import jpeg, png
from tests.http.cases_setup import cases, photo_at
from tests.http.conftest import INSIDE, OTHER_COUNTIES, PASSWORD, Platform, user_name


def _login(p: Platform, role: Role) -> tuple[TestClient, dict[str, str]]:
    c = TestClient(p.client.app, raise_server_exceptions=False)
    r = c.post("/api/auth/login", json={"name": user_name(role, INSIDE), "password": PASSWORD})
    assert r.status_code == 200, r.text
    return c, {"X-CSRF-Token": r.json()["csrf_token"]}


def _state(p: Platform, number: str) -> tuple[str, int]:
    c = p.client.get(f"/api/cases/{number}", headers=p.as_user("root")).json()["case"]
    return c["state"], c["version"]


def _error(r: Any, status: int, code: str) -> None:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["ok"] is False and body["error"]["code"] == code and body["error"]["message"], body


def test_dictionary_lists_categories_subtypes_and_their_needs(any_platform: Platform) -> None:
    d = any_platform.client.get("/api/cases/dictionary", headers=any_platform.as_user("root")).json()
    cats = {c["code"]: c for c in d["categories"]}
    assert cats["illegal_non_agricultural"]["label"] == "非农违法"
    sub = {s["code"]: s for s in cats["lawful"]["subtypes"]}
    assert sub["approval"]["label"] == "批文" and sub["approval"]["needs"] == ["approval", "photos"]
    road = {s["code"]: s for s in cats["other"]["subtypes"]}["farm_road"]
    assert road["needs"] == ["photos", "road_width"]
    assert [s["label"] for s in d["states"]][0] == "待核查"


def test_the_review_chain_over_http(any_platform: Platform) -> None:
    p = any_platform
    number = cases(p)[INSIDE][0]
    filler, fh = _login(p, Role.COUNTY_FILLER)
    body = {"category": "非农违法", "subtype": "工矿商服", "project": "某厂房", "builder": "某公司",
            "build_date": "2022-06-01", "description": "现场为新建厂房", "date": "2023-03-05"}
    # a judgement without photos is refused, naming what is missing; nothing changed
    _error(filler.post(f"/api/cases/{number}/judge", json=body, headers=fh), 400, "cases.missing_photos")
    assert _state(p, number) == ("pending_check", 1)
    # without the CSRF header a cookie write is refused
    _error(filler.post(f"/api/cases/{number}/judge", json=body), 403, "auth.csrf")
    for seed, kind in ((301, "远景"), (302, "近景")):
        r = filler.post(f"/api/cases/{number}/photos", headers=fh, data={"kind": kind, "on": "2023-03-04"},
                        files={"files": (f"p{seed}.jpg", photo_at(p, number, seed), "image/jpeg")})
        assert r.status_code == 200, r.text
        assert r.json()["stored"][0]["azimuth"] == 135.5
        assert not [f for f in r.json()["findings"] if f["code"] == "evidence.too_far"]
    r = filler.post(f"/api/cases/{number}/judge", json={**body, "version": 1}, headers=fh)
    assert r.status_code == 200, r.text
    assert r.json()["cases"][0]["state"] == "county_filed"
    # a stale version is a conflict (409), nothing changed
    _error(filler.post(f"/api/cases/{number}/submit", json={"version": 1}, headers=fh), 409, "cases.conflict")
    # the filler may not review its own case; the city reviewer may
    assert filler.post(f"/api/cases/{number}/submit", json={"version": 2}, headers=fh).status_code == 200
    r = filler.post(f"/api/cases/{number}/review", json={}, headers=fh)
    _error(r, 403, "cases.wrong_role")
    _error(filler.post(f"/api/cases/{number}/submit", json={}, headers=fh), 409, "cases.wrong_state")
    city, ch = _login(p, Role.CITY_REVIEWER)
    assert city.post(f"/api/cases/{number}/return", json={"reason": ""}, headers=ch).status_code == 422
    r = city.post(f"/api/cases/{number}/review", json={"date": "2023-03-08"}, headers=ch)
    assert r.json()["cases"][0]["state"] == "province_review", r.text
    prov, ph = _login(p, Role.PROVINCE_REVIEWER)
    r = prov.post(f"/api/cases/{number}/review", json={"date": "2023-03-09"}, headers=ph)
    assert r.json()["cases"][0]["state"] == "review_done", r.text
    r = filler.post(f"/api/cases/{number}/plan", json={"way": "拆除复耕", "date": "2023-03-10"}, headers=fh)
    assert r.status_code == 200, r.text
    plan = r.json()["cases"][0]["plan"]
    assert (plan["way"], plan["deadline"]) == ("demolish", "2023-05-04")  # judged 03-05 + 60 days
    area = r.json()["cases"][0]["areas"]["area_m2"]
    r = filler.post(f"/api/cases/{number}/progress", json={"demolished_m2": area}, headers=fh)
    assert r.json()["cases"][0]["progress"]["unrectified_m2"] in ("0", "0.00"), r.text
    detail = p.client.get(f"/api/cases/{number}", headers=p.as_user(user_name(Role.VIEWER, INSIDE))).json()
    actions = [(h["action"], h["actor"]) for h in detail["history"]]
    assert actions[-6:] == [("cases.judge", user_name(Role.COUNTY_FILLER, INSIDE)),
                            ("cases.submit", user_name(Role.COUNTY_FILLER, INSIDE)),
                            ("cases.city_approve", user_name(Role.CITY_REVIEWER, INSIDE)),
                            ("cases.province_approve", user_name(Role.PROVINCE_REVIEWER, INSIDE)),
                            ("cases.rectify", user_name(Role.COUNTY_FILLER, INSIDE)),
                            ("cases.progress", user_name(Role.COUNTY_FILLER, INSIDE))]
    assert detail["geometry"]["type"] in ("Polygon", "MultiPolygon")
    photos = detail["case"]["evidence"]
    assert {e["kind"] for e in photos} == {"distant", "close"} and all("path" not in e for e in photos)
    got = p.client.get(photos[0]["url"], headers=p.as_user(user_name(Role.VIEWER, INSIDE)))
    assert got.status_code == 200 and got.headers["content-type"] == "image/jpeg"
    assert got.content == photo_at(p, number, 301) or got.content == photo_at(p, number, 302)


def test_a_returned_case_goes_back_to_the_county_with_its_reason(any_platform: Platform) -> None:
    p = any_platform
    number = cases(p)[INSIDE][1]
    filler, fh = _login(p, Role.COUNTY_FILLER)
    for seed, kind in ((311, "远景"), (312, "近景")):
        filler.post(f"/api/cases/{number}/photos", headers=fh, data={"kind": kind},
                    files={"files": (f"p{seed}.jpg", photo_at(p, number, seed), "image/jpeg")})
    assert filler.post(f"/api/cases/{number}/judge", headers=fh,
                       json={"category": "false_change", "subtype": "false_change"}).status_code == 200
    assert filler.post(f"/api/cases/{number}/submit", json={}, headers=fh).status_code == 200
    city, ch = _login(p, Role.CITY_REVIEWER)
    r = city.post(f"/api/cases/{number}/return", json={"reason": "照片未反映现状"}, headers=ch)
    assert r.status_code == 200 and r.json()["cases"][0]["state"] == "returned", r.text
    assert r.json()["cases"][0]["note"] == "照片未反映现状"
    listed = city.get("/api/cases?state=returned").json()["cases"]
    assert number in [c["number"] for c in listed]


def test_wrong_region_and_wrong_role_are_refused_and_nothing_changes(any_platform: Platform) -> None:
    p = any_platform
    outside_case = cases(p)[OTHER_COUNTIES[0]][0]
    before = _state(p, outside_case)
    me = user_name(Role.COUNTY_FILLER, INSIDE)
    _error(p.client.get(f"/api/cases/{outside_case}", headers=p.as_user(me)), 403, "access.region")
    for route, body in (("judge", {"category": "伪变化", "subtype": "伪变化"}), ("submit", {}),
                        ("dispute", {"reason": "不同意"})):
        _error(p.client.post(f"/api/cases/{outside_case}/{route}", json=body, headers=p.as_user(me)), 403,
               "access.region")
    r = p.client.post(f"/api/cases/{outside_case}/photos", headers=p.as_user(me),
                      files={"files": ("a.jpg", jpeg(321), "image/jpeg")})
    _error(r, 403, "access.region")
    viewer = user_name(Role.VIEWER, INSIDE)
    inside_case = cases(p)[INSIDE][2]
    _error(p.client.post(f"/api/cases/{inside_case}/submit", json={}, headers=p.as_user(viewer)), 403, "access.role")
    assert _state(p, outside_case) == before
    _error(p.client.get("/api/cases/360202WPZF2099999999", headers=p.as_user(me)), 404, "cases.not_found")


def test_bad_uploads_are_refused_with_the_evidence_codes(any_platform: Platform) -> None:
    p = any_platform
    number = cases(p)[INSIDE][3]
    me = p.as_user(user_name(Role.COUNTY_FILLER, INSIDE))
    good = photo_at(p, number, 331)
    bad = {"evidence.not_image": ("notes.jpg", b"this is not a picture", "image/jpeg"),
           "evidence.extension_mismatch": ("renamed.jpg", png(332), "image/jpeg"),
           "evidence.no_gps": ("nogps.jpg", jpeg(333, lon=None, lat=None), "image/jpeg"),
           "evidence.no_time": ("notime.jpg", jpeg(334, taken=None), "image/jpeg"),
           "evidence.corrupt": ("cut.jpg", photo_at(p, number, 335)[:2000], "image/jpeg")}
    for code, upload in bad.items():
        # each bad file is sent together with a good one: nothing at all is stored
        r = p.client.post(f"/api/cases/{number}/photos", headers=me,
                          files=[("files", ("good.jpg", good, "image/jpeg")), ("files", upload)])
        _error(r, 400, code)
    assert p.client.get(f"/api/cases/{number}", headers=me).json()["case"]["evidence"] == []
    _error(p.client.post(f"/api/cases/{number}/photos", headers=me, data={"kind": "航拍"},
                         files={"files": ("good.jpg", good, "image/jpeg")}), 400, "evidence.unknown_kind")
    # a file name with a path in it is reduced to its last part; the store names files by content
    r = p.client.post(f"/api/cases/{number}/photos", headers=me, data={"kind": "近景"},
                      files={"files": ("../../etc/passwd.jpg", good, "image/jpeg")})
    assert r.status_code == 200 and r.json()["stored"][0]["file"] == "passwd.jpg", r.text
    sha = r.json()["stored"][0]["sha256"]
    for path in (f"/api/cases/{number}/photos/..%2F..%2Fworkspace.key", f"/api/cases/{number}/photos/{sha[:-1]}X",
                 f"/api/cases/{number}/photos/{'0' * 64}"):
        assert p.client.get(path, headers=me).status_code in (404, 422), path
    other = cases(p)[INSIDE][4]
    _error(p.client.get(f"/api/cases/{other}/photos/{sha}", headers=me), 404, "evidence.not_found")
