"""The case pages in Debian's Chromium: a county filler opens a case from the list, uploads a distant
and a close photo, judges it with the dictionary form and submits it; a city reviewer returns it
with a reason. Screenshots go to ``$GENGBAO_ARTIFACTS`` like tests/http/test_web_ui.py."""

from __future__ import annotations

from pathlib import Path

from gengbao.domain.access import Role
from tests.http.cases_setup import cases, photo_at
from tests.http.conftest import INSIDE, Platform, user_name
from tests.http.test_ogc import server as server  # noqa: F401  (the uvicorn subprocess fixture)
from tests.http.test_web_ui import _login, artifacts, browser, pytestmark  # noqa: F401
from tests.http.test_web_ui import _serve_the_built_ui as _serve_the_built_ui  # noqa: F401


def _pick(page: object, select: str, label: str) -> None:
    page.click(f"[data-test={select}]")  # type: ignore[attr-defined]
    page.locator(".el-select-dropdown__item:visible", has_text=label).last.click()  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]  (the dropdown has finished closing)
        "() => ![...document.querySelectorAll('.el-select__popper')].some(e => getComputedStyle(e).display !== 'none')")


def _state_is(page: object, label: str) -> None:
    page.wait_for_function(  # type: ignore[attr-defined]
        "l => document.querySelector('[data-test=case-state]')?.textContent.trim() === l", arg=label, timeout=15000)


def test_judge_with_photos_submit_and_return(platform: Platform, server: str, browser: object,  # noqa: F811
                                             artifacts: Path, tmp_path: Path) -> None:  # noqa: F811
    number = cases(platform)[INSIDE][6]
    shots = []
    for seed in (501, 502):
        f = tmp_path / f"现场{seed}.jpg"
        f.write_bytes(photo_at(platform, number, seed, azimuth=45.0 + seed % 2 * 180))
        shots.append(f)
    outside: list[str] = []
    filler = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()  # type: ignore[attr-defined]
    filler.on("request", lambda r: outside.append(r.url) if not r.url.startswith((server, "data:", "blob:")) else None)
    _login(filler, server, user_name(Role.COUNTY_FILLER, INSIDE))
    filler.goto(server + "/#/cases")
    filler.wait_for_selector("[data-test=cases] .el-table__row")
    filler.screenshot(path=str(artifacts / "cases.png"))
    filler.locator("[data-test=cases] .el-table__row", has_text=number).click()
    filler.wait_for_selector("[data-test=judge-form]")
    _state_is(filler, "待核查")
    filler.set_input_files("[data-test=photo-input]", str(shots[0]))  # kind 远景 is the default
    filler.wait_for_function("() => document.querySelectorAll('[data-test=photos] figure').length === 1")
    _pick(filler, "kind", "近景")
    filler.set_input_files("[data-test=photo-input]", str(shots[1]))
    filler.wait_for_function("() => document.querySelectorAll('[data-test=photos] figure').length === 2")
    _pick(filler, "category", "伪变化")
    _pick(filler, "subtype", "伪变化")
    filler.fill("textarea[data-test=description], [data-test=description] textarea", "现场为耕地，影像阴影造成伪变化")
    filler.click("[data-test=do-judge]")
    _state_is(filler, "县级填报")
    filler.wait_for_function("() => window.gengbaoCaseMap && window.gengbaoCaseMap.loaded()", timeout=30000)
    arrows = filler.evaluate("() => window.gengbaoCaseMap.querySourceFeatures('photos').map(f => f.properties.azimuth)")
    assert sorted(arrows) == [45.0, 225.0]
    filler.screenshot(path=str(artifacts / "case-judged.png"))
    filler.click("[data-test=do-submit]")
    _state_is(filler, "市级审核")
    assert filler.locator("[data-test=do-return]").count() == 0  # a county filler may not return a case

    city = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()  # type: ignore[attr-defined]
    city.on("request", lambda r: outside.append(r.url) if not r.url.startswith((server, "data:", "blob:")) else None)
    _login(city, server, user_name(Role.CITY_REVIEWER, INSIDE))
    city.goto(f"{server}/#/cases/{number}")
    _state_is(city, "市级审核")
    city.wait_for_function("() => window.gengbaoCaseMap && window.gengbaoCaseMap.loaded()", timeout=30000)
    assert city.evaluate("() => window.gengbaoCaseMap.querySourceFeatures('patch').length") >= 1
    assert city.locator("[data-test=do-judge]").count() == 0
    city.click("[data-test=do-return]")
    city.fill(".el-message-box__input input", "近景照片不清晰，请重拍")
    city.click(".el-message-box__btns .el-button--primary")
    _state_is(city, "已退回")
    city.wait_for_function("() => document.querySelector('[data-test=history]').textContent.includes('近景照片不清晰')")
    city.screenshot(path=str(artifacts / "case-returned.png"))
    history = city.inner_text("[data-test=history]")
    assert "核查填报" in history and "提交审核" in history and "退回" in history
    assert outside == []
