"""``gengbao ledger``: the offset ledger (占补平衡台账) — projects, draws, transfers, freezes, balances."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import typer
from rich.table import Table

from gengbao.domain.area_units import AreaUnit, round_area, to_decimal, to_m2
from gengbao.domain.errors import UsageError
from gengbao.domain.findings import Finding, Severity
from gengbao.domain.ledger import (
    Amounts,
    Certification,
    Commodity,
    DrawRequest,
    LossKind,
    Outcome,
    ProjectAction,
    TradeRequest,
)
from gengbao.interfaces.cli.common import (
    DbOption,
    JsonOption,
    console,
    handle_errors,
    open_ws,
    print_json,
    render_findings,
)
from gengbao.services import ledgers as service
from gengbao.services.ledgers import reports

ledger_app = typer.Typer(help="占补平衡台账：补充耕地项目、指标使用、市级调剂、违法用地指标冻结与余额", no_args_is_help=True)
project_app = typer.Typer(help="补充耕地项目：立项 → 施工 → 新增耕地核定 → 验收 → 报备入库（入库后指标进入县级指标库）",
                          no_args_is_help=True)
ledger_app.add_typer(project_app, name="project")

WsArg = typer.Argument(..., help="工作空间文件夹")
DateOpt = typer.Option(..., "--date", help="日期（YYYY-MM-DD）")
UnitOpt = typer.Option("m2", "--unit", help="面积单位：m2（平方米）或 mu（亩）；亩按 1 亩 = 10000/15 平方米换算后保留 2 位小数")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"日期应为 YYYY-MM-DD：{text!r}", code="usage.bad_date") from None


def _m2(value: str, unit: str) -> Decimal:
    return round_area(to_m2(to_decimal(value), unit), AreaUnit.M2)


def _amounts(area: str, paddy: str, grain: str, unit: str) -> Amounts:
    return Amounts(_m2(area, unit), _m2(paddy, unit), to_decimal(grain))


def _show(out: Outcome, done: str, as_json: bool, extra: dict[str, object] | None = None) -> None:
    if as_json:
        print_json({**out.to_dict(), **(extra or {})})
        return
    console.print(done + (f"（分录 {out.entry.id}）" if out.entry is not None else ""))
    _findings(list(out.findings))


def _findings(items: list[Finding]) -> None:
    for sev, title, style in ((Severity.WARNING, "提示", "yellow"), (Severity.INFO, "信息", "cyan")):
        render_findings([f for f in items if f.severity is sev], title, style)


@project_app.command("add")
def project_add(ws: Path = WsArg, project_id: str = typer.Argument(..., help="项目编号"),
                county: str = typer.Option(..., "--county", help="县级行政区划代码（6 位）"),
                name: str = typer.Option("", "--name", help="项目名称"), date: str = DateOpt, db: str | None = DbOption, as_json: bool = JsonOption) -> None:
    """登记（立项）一个补充耕地项目。"""
    with handle_errors(as_json):
        p = service.add_project(open_ws(ws, db), project_id, county, name or project_id, _date(date))
    if as_json:
        print_json({"ok": True, "project": p.to_dict()})
    else:
        console.print(f"已立项：{p.id}（县 {p.county}）")


@project_app.command("advance")
def project_advance(
    ws: Path = WsArg, project_id: str = typer.Argument(..., help="项目编号"),
    action: ProjectAction = typer.Argument(..., help="start_works 施工 | certify 核定 | accept 验收 | file 报备入库 | cancel 撤销"),
    date: str = DateOpt,
    area: str | None = typer.Option(None, "--area", help="核定新增耕地面积（核定时必填）"),
    paddy: str = typer.Option("0", "--paddy", help="其中水田面积"),
    grain: str = typer.Option("0", "--grain", help="新增粮食产能（千克）"),
    grade: int | None = typer.Option(None, "--grade", help="质量等别（1 最好）"),
    unit: str = UnitOpt, db: str | None = DbOption, as_json: bool = JsonOption,
) -> None:
    """推进项目一个环节；报备入库时把核定的指标记入县级指标库。"""
    with handle_errors(as_json):
        cert = None
        if area is not None or grade is not None:
            if area is None or grade is None:
                raise UsageError("核定需要同时给出 --area 和 --grade", code="usage.missing_option")
            cert = Certification(_amounts(area, paddy, grain, unit), grade)
        p, out = service.advance_project(open_ws(ws, db), project_id, action, _date(date), cert)
    _show(out, f"项目 {p.id} 已进入“{p.state.label}”", as_json)


@project_app.command("list")
def project_list(ws: Path = WsArg, db: str | None = DbOption, as_json: bool = JsonOption) -> None:
    """列出补充耕地项目及其环节。"""
    with handle_errors(as_json):
        projects = service.list_projects(open_ws(ws, db))
    if as_json:
        print_json({"ok": True, "projects": [p.to_dict() for p in projects]})
        return
    table = Table(title="补充耕地项目")
    for col in ("编号", "县", "名称", "环节", "日期"):
        table.add_column(col)
    for p in projects:
        table.add_row(p.id, p.county, p.name, p.state.label, p.last_date.isoformat())
    console.print(table)


@ledger_app.command("draw")
def draw_cmd(
    ws: Path = WsArg, use_id: str = typer.Argument(..., help="占用项目或案件编号"),
    county: str = typer.Option(..., "--county", help="使用哪个县的指标库"),
    area: str = typer.Option(..., "--area", help="占用耕地面积"), paddy: str = typer.Option("0", "--paddy", help="其中水田"),
    grain: str = typer.Option("0", "--grain", help="占用耕地的粮食产能（千克）"),
    grade: int = typer.Option(..., "--grade", help="被占耕地质量等别（1 最好）"),
    loss: LossKind = typer.Option(LossKind.CONSTRUCTION, "--loss", help="耕地减少类型"), date: str = DateOpt,
    unit: str = UnitOpt, db: str | None = DbOption, as_json: bool = JsonOption,
) -> None:
    """占用项目使用指标：核对先补后占、占一补一、占水田补水田、占优补优，全部满足才记账。"""
    with handle_errors(as_json):
        req = DrawRequest(use_id, county, _date(date), _amounts(area, paddy, grain, unit), grade, loss=loss)
        out = service.draw(open_ws(ws, db), req)
    _show(out, f"{use_id} 已使用县 {county} 的指标", as_json)


@ledger_app.command("transfer")
def transfer_cmd(
    ws: Path = WsArg, source: str = typer.Argument(..., help="调出县代码"), target: str = typer.Argument(..., help="调入县代码"),
    area: str = typer.Option("0", "--area", help="耕地数量指标"), paddy: str = typer.Option("0", "--paddy", help="水田指标"),
    grain: str = typer.Option("0", "--grain", help="粮食产能指标（千克）"), date: str = DateOpt, unit: str = UnitOpt, db: str | None = DbOption, as_json: bool = JsonOption,
) -> None:
    """市级调剂：同一市内两个县之间调剂指标。"""
    with handle_errors(as_json):
        out = service.transfer(open_ws(ws, db), source, target, _amounts(area, paddy, grain, unit), _date(date))
    _show(out, f"已从 {source} 调剂给 {target}", as_json)


@ledger_app.command("trade")
def trade_cmd(
    ws: Path = WsArg, seller: str = typer.Argument(..., help="卖方县代码"), buyer: str = typer.Argument(..., help="买方县代码"),
    area: str = typer.Option("0", "--area", help="耕地数量指标"), paddy: str = typer.Option("0", "--paddy", help="水田指标"),
    grain: str = typer.Option("0", "--grain", help="粮食产能指标（千克）"),
    price: str | None = typer.Option(None, "--price", help="数量指标单价（元/亩）"),
    paddy_price: str | None = typer.Option(None, "--paddy-price", help="水田指标单价（元/亩）"),
    grain_price: str | None = typer.Option(None, "--grain-price", help="产能指标单价（元/千克）"),
    seller_below_target: bool = typer.Option(False, "--seller-below-target", help="卖方未完成耕地保有量目标（不得出售）"),
    date: str = DateOpt, unit: str = UnitOpt, db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """指标交易：核对限价（工作空间 ledger_profile.yaml）与卖方是否完成保有量目标，审查通过才记账。"""
    with handle_errors(as_json):
        prices = {c: to_decimal(v) for c, v in ((Commodity.QUANTITY, price), (Commodity.PADDY, paddy_price),
                                                 (Commodity.GRAIN, grain_price)) if v is not None}
        req = TradeRequest(seller, buyer, _date(date), _amounts(area, paddy, grain, unit), prices, not seller_below_target)
        out = service.trade(open_ws(ws, db), req)
    _show(out, f"已成交：{seller} → {buyer}，金额 {out.details.get('value_yuan')} 元", as_json)


@ledger_app.command("freeze")
def freeze_cmd(
    ws: Path = WsArg, case_id: str = typer.Argument(..., help="违法用地案件编号"),
    action: str = typer.Option("freeze", "--action", help="freeze 冻结 | release 拆除复耕后解冻 | consume 补办手续后用于占补"),
    county: str | None = typer.Option(None, "--county", help="冻结哪个县的指标（冻结时必填）"),
    area: str | None = typer.Option(None, "--area", help="违法占用耕地面积（冻结时必填）"), date: str = DateOpt,
    unit: str = UnitOpt, db: str | None = DbOption, as_json: bool = JsonOption,
) -> None:
    """违法用地指标冻结：冻结同等数量指标，拆除复耕后解冻，补办手续后用于占补平衡。"""
    with handle_errors(as_json):
        w, day = open_ws(ws, db), _date(date)
        if action == "freeze":
            if county is None or area is None:
                raise UsageError("冻结需要 --county 和 --area", code="usage.missing_option")
            out = service.freeze(w, case_id, county, _m2(area, unit), day)
        elif action in ("release", "consume"):
            out = (service.release if action == "release" else service.consume)(w, case_id, day)
        else:
            raise UsageError(f"--action 应为 freeze、release 或 consume：{action!r}", code="usage.bad_option")
    _show(out, f"案件 {case_id}：{ {'freeze': '已冻结', 'release': '已解冻', 'consume': '冻结指标已用于占补平衡'}[action]}", as_json)


@ledger_app.command("balance")
def balance_cmd(
    ws: Path = WsArg, county: str | None = typer.Option(None, "--county", help="只看一个县"),
    as_of: str | None = typer.Option(None, "--as-of", help="截至日期（YYYY-MM-DD）"),
    xlsx: Path | None = typer.Option(None, "--xlsx", help="同时写出余额表 .xlsx"),
    statement: str | None = typer.Option(None, "--statement", help="写出该县指标库台账 .xlsx（与 --xlsx 同用）"),
    db: str | None = DbOption, as_json: bool = JsonOption,
) -> None:
    """指标余额（由分录推算）：可用、冻结、已使用，以及各项目批次。"""
    with handle_errors(as_json):
        w = open_ws(ws, db)
        day = _date(as_of) if as_of else None
        rows = service.balances(w, county, day)
        written = None
        if xlsx is not None:
            written = (reports.export_statement(w, statement, xlsx) if statement
                       else reports.export_balances(w, xlsx, day))
    if as_json:
        print_json({"ok": True, "as_of": as_of, "balances": [r.to_dict() for r in rows],
                    "xlsx": None if written is None else str(written)})
        return
    table = Table(title=f"补充耕地指标余额（{as_of or '当前'}）")
    for col in ("县", "类别", "数量（平方米）", "数量（亩）", "水田（平方米）", "产能（千克）"):
        table.add_column(col, justify="left" if col in ("县", "类别") else "right")
    for r in rows:
        for label, a in (("可用", r.available), ("冻结", r.frozen), ("已使用", r.spent)):
            d = a.to_dict()
            table.add_row(r.county, label, d["quantity_m2"], d["quantity_mu"], d["paddy_m2"], d["grain_kg"])
    console.print(table)
    if written is not None:
        console.print(f"已写出 {written}")


def register(app: typer.Typer) -> None:
    app.add_typer(ledger_app, name="ledger")
