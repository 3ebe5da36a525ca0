"""The web UI in Debian's Chromium (Playwright, Python): log in, open every page, check the map draws
patches (pixels of the patch colours on a screenshot) and that a village field chief's map shows
only its village. Screenshots go to ``$GENGBAO_ARTIFACTS`` (default: the test's temporary folder).
Needs ``make web`` (web/dist) and ``/usr/bin/chromium`` (``apt-get install chromium``)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from gengbao.domain.access import Role
from gengbao.services import users
from tests.http.conftest import PASSWORD, Platform, user_name
from tests.http.test_ogc import server as server  # noqa: F401  (the uvicorn subprocess fixture)

DIST = Path(__file__).resolve().parents[2] / "web" / "dist"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (DIST / "index.html").is_file(), reason="web/dist missing: run make web"),
    pytest.mark.skipif(not Path(CHROMIUM).is_file(), reason="Chromium missing: apt-get install chromium"),
]


@pytest.fixture(autouse=True)
def _serve_the_built_ui(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENGBAO_WEB_DIST", str(DIST))  # the server subprocess inherits it


@pytest.fixture
def artifacts(tmp_path: Path) -> Path:
    out = Path(os.environ.get("GENGBAO_ARTIFACTS", tmp_path)) / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    return out


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--use-gl=swiftshader",
                                                              "--enable-unsafe-swiftshader"])
        yield b
        b.close()


def _login(page: object, base: str, name: str) -> None:
    page.goto(f"{base}/#/login")  # type: ignore[attr-defined]
    page.fill("input[name=name]", name)  # type: ignore[attr-defined]
    page.fill("input[name=password]", PASSWORD)  # type: ignore[attr-defined]
    page.click("[data-test=login]")  # type: ignore[attr-defined]
    page.wait_for_selector("[data-test=user]")  # type: ignore[attr-defined]


def _patch_pixels(png: bytes) -> int:
    from io import BytesIO

    from PIL import Image

    img = np.asarray(Image.open(BytesIO(png)).convert("RGB")).astype(int)
    colours = [(0xD0, 0x30, 0x50), (0xF0, 0xA0, 0x20), (0x18, 0xA0, 0x58)]
    hit = np.zeros(img.shape[:2], bool)
    for c in colours:  # patches are drawn at 85 % opacity over the parcels: allow a margin
        hit |= (np.abs(img - np.array(c)).max(axis=2) < 40)
    return int(hit.sum())


def test_pages_and_the_map(platform: Platform, server: str, browser: object, artifacts: Path) -> None:  # noqa: F811
    page = browser.new_page(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((server, "data:", "blob:")) else None)
    _login(page, server, user_name(Role.COUNTY_FILLER, "360202"))
    page.wait_for_selector("[data-test=chart] canvas")
    page.screenshot(path=str(artifacts / "dashboard.png"))
    assert "县级填报员" in page.inner_text("[data-test=user]")
    for path, name, ready in (("/#/runs", "runs", "[data-test=runs]"), ("/#/targets", "targets", "[data-test=targets]"),
                              ("/#/tasks", "tasks", "[data-test=tasks]")):
        page.goto(server + path)
        page.wait_for_selector(ready)
        page.wait_for_timeout(300)
        page.screenshot(path=str(artifacts / f"{name}.png"))
    page.goto(server + "/#/map")
    page.wait_for_function("() => window.gengbaoMap && window.gengbaoMap.loaded() && window.gengbaoMap.areTilesLoaded()",
                           timeout=30000)
    page.wait_for_timeout(500)
    shot = page.locator("[data-test=map]").screenshot(path=str(artifacts / "map.png"))
    assert _patch_pixels(shot) > 200
    assert outside == []  # no request to any other host
    page.close()


def test_a_village_chief_sees_only_its_village_on_the_map(platform: Platform, server: str, browser: object,
                                                          artifacts: Path) -> None:  # noqa: F811
    name = "chief-ui-200"
    if name not in {u.name for u in users.list_users(platform.ctx)}:
        users.add_user(platform.ctx, name, Role.FIELD_CHIEF, "360202101200", PASSWORD)
    page = browser.new_page(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    _login(page, server, name)
    page.goto(server + "/#/map")
    page.wait_for_function("() => window.gengbaoMap && window.gengbaoMap.loaded() && window.gengbaoMap.areTilesLoaded()",
                           timeout=30000)
    page.wait_for_timeout(500)
    page.locator("[data-test=map]").screenshot(path=str(artifacts / "map-field-chief.png"))
    regions = page.evaluate("""() => [...new Set(window.gengbaoMap.querySourceFeatures('parcels', {sourceLayer: 'parcels'})
                                 .map(f => f.properties.ZLDWDM.slice(0, 12)))]""")
    assert regions == ["360202101200"]
    page.close()


def test_a_run_started_in_the_browser_reports_progress(platform: Platform, server: str, browser: object,
                                                        artifacts: Path) -> None:  # noqa: F811
    page = browser.new_page(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    _login(page, server, "root")
    page.goto(server + "/#/runs")
    page.click("[data-test=start-run]")
    try:
        page.wait_for_selector(".el-progress.is-success[data-test=progress]", timeout=60000)
        page.wait_for_timeout(300)
    finally:
        page.screenshot(path=str(artifacts / "run-progress.png"))
    assert "3/3 个县级分区已完成" in page.inner_text("body")
    page.close()
