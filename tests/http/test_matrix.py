"""Every route × every role × inside / outside the workspace: what each may do, and no row, feature or
figure of a region outside the caller's jurisdiction in any answer (on SQLite and PostgreSQL)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import mapbox_vector_tile
import pytest

from gengbao.domain.access import Action, Role
from tests.http.cases_setup import case_with_photo
from tests.http.conftest import INSIDE, OTHER_COUNTIES, OUTSIDE, Platform, user_name


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    action: Action
    ok: int = 200
    body: dict[str, Any] | None = None
    workspace_wide: bool = False  # the action needs a jurisdiction covering the whole workspace


def _tile(z: int, lon: float, lat: float) -> str:
    n = 2 ** z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return f"{z}/{y}/{x}"


TILE = _tile(11, 117.205, 29.302)
ROUTES = [
    Route("GET", "/api/workspace", Action.READ),
    Route("GET", "/api/survey/stats?epoch=2022", Action.READ),
    Route("GET", "/api/survey/stats?epoch=2022&level=village", Action.READ),
    Route("GET", "/api/targets", Action.READ),
    Route("GET", "/api/targets/check?epoch=2022", Action.READ),
    Route("GET", "/api/monitoring/runs", Action.READ),
    Route("GET", "/api/monitoring/runs/{run}", Action.READ),
    Route("GET", "/api/assessment?year=2022", Action.READ),
    Route("GET", "/api/tasks/status", Action.READ, ok=404),  # no task list imported: tasks.no_documents
    Route("GET", "/api/auth/me", Action.READ),
    Route("GET", "/ogc", Action.READ),
    Route("GET", "/ogc/conformance", Action.READ),
    Route("GET", "/ogc/collections", Action.READ),
    Route("GET", "/ogc/collections/parcels-2022", Action.READ),
    Route("GET", "/ogc/collections/parcels-2022/items?limit=1000", Action.READ),
    Route("GET", "/ogc/collections/pbf-2021/items?limit=1000", Action.READ),
    Route("GET", "/ogc/collections/patches-{run}/items?limit=1000", Action.READ),
    Route("GET", f"/ogc/collections/parcels-2022/tiles/WebMercatorQuad/{TILE}", Action.READ),
    Route("GET", f"/ogc/collections/patches-{{run}}/tiles/WebMercatorQuad/{TILE}", Action.READ),
    Route("POST", "/api/auth/tokens", Action.READ, body={"label": "matrix"}),
    Route("GET", "/api/users", Action.ADMINISTER),
    Route("POST", "/api/users", Action.ADMINISTER, ok=201,
          body={"name": "{me}-made", "role": "viewer", "jurisdiction": INSIDE + "101", "password": "password-123"}),
    Route("POST", "/api/monitoring/runs", Action.RUN, ok=202, body={"from_epoch": 2021, "to_epoch": 2022},
          workspace_wide=True),
    Route("GET", "/api/cases/dictionary", Action.READ),
    Route("GET", "/api/cases", Action.READ),
    Route("GET", "/api/cases?overdue=true", Action.READ),
    Route("GET", "/api/cases/{case}", Action.READ),
    Route("GET", "/api/cases/{case}/photos/{photo}", Action.READ),
    # a case of another county: refused to everyone (role or region), and nothing changes
    Route("POST", "/api/cases/{outside_case}/submit", Action.EDIT, ok=403, body={}),
    Route("POST", "/api/cases/{outside_case}/dispute", Action.EDIT, ok=403, body={"reason": "matrix"}),
]
FORBIDDEN_TEXT = (*OTHER_COUNTIES, "浮梁县", "乐平市")


def _expected(role: Role, where: str, route: Route) -> int:
    from gengbao.domain.access import Actor

    actor = Actor("x", role, where)
    if not actor.may(route.action):
        return 403
    if where == OUTSIDE and route.action is not Action.ADMINISTER:
        return 403  # no jurisdiction overlap with the workspace at all
    if route.workspace_wide:
        return 403  # a county user may not run the whole city's monitoring
    if where == OUTSIDE and route.action is Action.ADMINISTER and route.method == "POST":
        return 403  # creating a user inside 昌江区 is outside its jurisdiction
    return route.ok


def _regions_in_tile(data: bytes) -> set[str]:
    if not data:
        return set()
    out = set()
    for layer in mapbox_vector_tile.decode(data).values():
        for f in layer["features"]:
            p = f["properties"]
            out.add(str(p.get("ZLDWDM") or p.get("region")))
    return out


@pytest.mark.parametrize("where", [INSIDE, OUTSIDE])
@pytest.mark.parametrize("role", list(Role))
def test_matrix(any_platform: Platform, role: Role, where: str) -> None:
    p = any_platform
    me = user_name(role, where)
    case, photo, outside_case = case_with_photo(p)
    for route in ROUTES:
        path = route.path.replace("{run}", str(p.run_id)).replace("{case}", case).replace("{photo}", photo)
        path = path.replace("{outside_case}", outside_case)
        body = None if route.body is None else {k: (v.replace("{me}", me) if isinstance(v, str) else v)
                                                for k, v in route.body.items()}
        r = p.client.request(route.method, path, json=body, headers=p.as_user(me))
        want = _expected(role, where, route)
        assert r.status_code == want, (me, route.method, path, r.text[:300])
        if r.headers["content-type"].startswith("application/vnd.mapbox-vector-tile"):
            regions = _regions_in_tile(r.content)
            assert regions and all(x.startswith(INSIDE) for x in regions), (me, path, regions)
            continue
        text = r.text.replace(outside_case, "")  # the case number the caller itself asked for
        if want >= 400:
            assert r.json()["ok"] is False and r.json()["error"]["code"].split(".")[0] in ("access", "tasks")
        for word in FORBIDDEN_TEXT:
            assert word not in text, (me, path, word)


def test_the_leak_check_would_see_a_leak(any_platform: Platform) -> None:
    """Positive control: the whole-country administrator does see the other counties."""
    p = any_platform
    r = p.client.get("/api/survey/stats?epoch=2022", headers=p.as_user("root"))
    assert all(code in r.text for code in OTHER_COUNTIES)
    r = p.client.get("/ogc/collections/parcels-2022/items?limit=1000", headers=p.as_user("root"))
    assert r.json()["numberMatched"] > sum(
        1 for f in r.json()["features"] if f["properties"]["ZLDWDM"].startswith(INSIDE)) > 0
    tile = p.client.get(f"/ogc/collections/parcels-2022/tiles/WebMercatorQuad/{TILE}", headers=p.as_user("root"))
    assert {x[:6] for x in _regions_in_tile(tile.content)} == {INSIDE, *OTHER_COUNTIES}


def test_a_village_field_chief_sees_its_village_only(platform: Platform) -> None:
    from gengbao.services import users

    village, neighbour = "360202101200", "360202101201"
    info = users.add_user(platform.ctx, "chief-200", Role.FIELD_CHIEF, village, "password-123")
    h = {"Authorization": f"Bearer {users.create_token(platform.ctx.acting_as(info.actor), 't').token}"}
    r = platform.client.get("/api/survey/stats?epoch=2022&level=village", headers=h)
    assert [x["region"] for x in r.json()["regions"]] == [village]
    r = platform.client.get("/api/survey/stats?epoch=2022&level=township", headers=h)
    assert r.json()["regions"] == []  # the township's total would reveal the neighbour's figures
    feats = platform.client.get("/ogc/collections/parcels-2022/items?limit=1000", headers=h).json()["features"]
    assert feats and {f["properties"]["ZLDWDM"][:12] for f in feats} == {village}
    assert neighbour not in platform.client.get(f"/api/monitoring/runs/{platform.run_id}", headers=h).text
    r = platform.client.post("/api/monitoring/runs", json={}, headers=h)
    assert (r.status_code, r.json()["error"]["code"]) == (403, "access.role")
