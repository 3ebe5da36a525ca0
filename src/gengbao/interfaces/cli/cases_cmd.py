"""``gengbao cases …``: clues → judgement → review → rectification → closure, with statistics and
exports. Every command takes ``--json``, ``--as`` (the acting user) and, where it records work, ``--date``."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import shapely
import typer
from rich.table import Table

from gengbao.adapters.vector_io import read_layer
from gengbao.domain.cases.judgement import Judgement, parse_category, parse_subtype
from gengbao.domain.cases.numbers import parse_source
from gengbao.domain.cases.rectification import parse_way
from gengbao.domain.cases.states import CaseState
from gengbao.domain.errors import InputError, UsageError
from gengbao.interfaces.cli.cases_view import (
    AsOption,
    DateOption,
    VersionOption,
    case_detail,
    case_table,
    context,
    day,
    findings,
    run,
)
from gengbao.interfaces.cli.common import DbOption, JsonOption, console
from gengbao.services.cases import clues, queries, rectify, reports, workflow

app = typer.Typer(help="执法案件：线索、核查填报、审核、整改、销号、统计与导出", no_args_is_help=True)
WsArg = typer.Argument(..., help="工作空间文件夹")
CaseArg = typer.Argument(..., help="案件编号，如 360281WPZF2023000123")


def _dec(text: str | None, option: str) -> Decimal | None:
    if text is None:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise UsageError(f"{option} 应为数字，收到“{text}”。", code="usage.number") from None


def _state(text: str) -> CaseState:
    for st in CaseState:
        if text in (st.value, st.label):
            return st
    raise UsageError(f"不认识的案件状态“{text}”。可用：{'、'.join(f'{x.label}（{x.value}）' for x in CaseState)}",
                     code="usage.state")


def _changed(res: object) -> None:
    case_table(res.cases, f"{res.action}：已完成")  # type: ignore[attr-defined]
    findings(res.findings)  # type: ignore[attr-defined]


@app.command("open")
def open_cmd(ws: Path = WsArg, run_id: int | None = typer.Option(None, "--run", help="监测运行编号：为需核查的图斑开线索"),
             source: str | None = typer.Option(None, "--source", help="手工线索来源：督察、审计、巡察、举报、巡查、媒体"),
             region: str | None = typer.Option(None, "--region", help="手工线索所在县/乡镇/村代码"),
             wkt: str | None = typer.Option(None, "--wkt", help="线索范围（WKT，CGCS2000 经纬度）"),
             point: str | None = typer.Option(None, "--point", help="线索位置点：经度,纬度"),
             location: str = typer.Option("", "--location", help="文字描述的位置"),
             ref: str = typer.Option("", "--ref", help="线索来源的文号或编号"),
             date_: str | None = DateOption, as_: str | None = AsOption, db: str | None = DbOption,
             as_json: bool = JsonOption) -> None:
    """打开线索：--run 从监测运行（重叠已有案件的只关联不重复）；或 --source 手工线索。"""
    def call() -> object:
        ctx = context(ws, db, as_)
        if run_id is not None:
            return clues.open_from_run(ctx, run_id, day(date_))
        if source is None or region is None:
            raise UsageError("请给出 --run，或手工线索的 --source 与 --region。", code="usage.missing")
        geom = None
        try:
            if wkt:
                geom = shapely.from_wkt(wkt)
            elif point:
                lon, lat = (float(x) for x in point.split(","))
                geom = shapely.Point(lon, lat)
        except (ValueError, shapely.errors.GEOSException) as exc:
            raise InputError(f"线索几何无法解析：{exc}", code="cases.bad_geometry") from None
        return clues.open_manual(ctx, parse_source(source), region, day(date_), geometry=geom, location=location,
                                 reference=ref)
    run(as_json, call, lambda r: console.print(f"新开案件 {len(r.opened)} 个：{'、'.join(r.opened[:20])}；"
                                               f"关联已有案件 {len(r.linked)} 条；跳过已开 {r.skipped} 个"))


@app.command("list")
def list_cmd(ws: Path = WsArg, state: str | None = typer.Option(None, "--state", help="按状态筛选，如 pending_check"),
             overdue: bool = typer.Option(False, "--overdue", help="只列逾期未整改的案件及逾期天数"),
             date_: str | None = DateOption, as_: str | None = AsOption, db: str | None = DbOption,
             as_json: bool = JsonOption) -> None:
    """列出案件（仅本人管辖区域内）。"""
    def call() -> object:
        ctx = context(ws, db, as_)
        if overdue:
            return [{"number": c.number, "deadline": str(c.deadline), "days_overdue": d}
                    for c, d in queries.overdue(ctx, day(date_))]
        return [c.to_dict() for c in queries.list_cases(ctx, _state(state) if state else None)]
    def show_(rows: list[dict[str, object]]) -> None:
        t = Table(title="案件")
        for k in (rows[0] if rows else {"number": 0}):
            if k in ("number", "state_label", "region", "deadline", "days_overdue", "version"):
                t.add_column(k)
        for r in rows:
            t.add_row(*(str(v) for k, v in r.items() if k in ("number", "state_label", "region", "deadline",
                                                              "days_overdue", "version")))
        console.print(t)
    run(as_json, call, show_)


@app.command("show")
def show_cmd(ws: Path = WsArg, case: str = CaseArg, as_: str | None = AsOption, db: str | None = DbOption,
             as_json: bool = JsonOption) -> None:
    """显示案件：线索、认定、整改、照片及全部问题（距离、时间、重复使用、缺少视角、虚假整改……）。"""
    run(as_json, lambda: queries.show(context(ws, db, as_), case), case_detail)


@app.command("judge")
def judge_cmd(ws: Path = WsArg, case: str = CaseArg,
              category: str = typer.Option(..., "--category", help="认定分类：合法、其他、非农违法、非粮违法、伪变化、实地未变化"),
              subtype: str = typer.Option(..., "--subtype", help="用途细化，如 批文、农村道路、工矿商服"),
              project: str = typer.Option("", "--project", help="项目名称"),
              builder: str = typer.Option("", "--builder", help="项目主体"),
              built: str | None = typer.Option(None, "--built", help="建设时间 YYYY-MM-DD"),
              desc: str = typer.Option("", "--desc", help="现场核查描述"),
              approval: list[str] = typer.Option([], "--approval", help="批准文号（可多次）"),
              filing: str = typer.Option("", "--filing", help="设施农用地备案编号"),
              width: str | None = typer.Option(None, "--width", help="实测道路宽度（米）"),
              key_project: bool = typer.Option(False, "--key-project", help="省级重点项目（扣减后比例中扣除）"),
              version: int | None = VersionOption, date_: str | None = DateOption, as_: str | None = AsOption,
              db: str | None = DbOption, as_json: bool = JsonOption) -> None:
    """核查填报：分类与用途细化来自认定字典；缺少该分类所需证据时拒绝并逐项说明。"""
    def call() -> object:
        cat = parse_category(category)
        j = Judgement(cat, parse_subtype(cat, subtype), project, builder, day(built, "--built") if built else None,
                      desc, tuple(approval), filing, _dec(width, "--width"), key_project)
        return workflow.judge(context(ws, db, as_), case, j, day(date_), version)
    run(as_json, call, _changed)


@app.command("split")
def split_cmd(ws: Path = WsArg, case: str = CaseArg,
              pieces: Path | None = typer.Option(None, "--pieces", help="子图斑文件（GeoPackage/Shapefile/GeoJSON）"),
              wkt: list[str] = typer.Option([], "--wkt", help="子图斑 WKT（可多次）"),
              version: int | None = VersionOption, date_: str | None = DateOption, as_: str | None = AsOption,
              db: str | None = DbOption, as_json: bool = JsonOption) -> None:
    """拆分：子图斑须恰好覆盖原图斑且互不重叠；面积由几何重新计算。"""
    def call() -> object:
        geoms = list(read_layer(pieces, None, "pieces")[0].to_crs("EPSG:4490").geometry) if pieces else \
            [shapely.from_wkt(w) for w in wkt]
        return workflow.split(context(ws, db, as_), case, geoms, day(date_), version)
    run(as_json, call, _changed)


def _simple(name: str, fn: object, needs_reason: bool = False, help_: str = "") -> None:
    def cmd(ws: Path = WsArg, case: str = CaseArg,
            reason: str = typer.Option("", "--reason", help="理由（退回、异议时必填）"),
            version: int | None = VersionOption, date_: str | None = DateOption, as_: str | None = AsOption,
            db: str | None = DbOption, as_json: bool = JsonOption) -> None:
        ctx_args = (ws, db, as_)
        if needs_reason:
            run(as_json, lambda: fn(context(*ctx_args), case, reason, day(date_), version), _changed)  # type: ignore[operator]
        else:
            run(as_json, lambda: fn(context(*ctx_args), case, day(date_), version), _changed)  # type: ignore[operator]
    cmd.__doc__ = help_
    app.command(name)(cmd)


_simple("submit", workflow.submit, help_="提交审核（县级填报 → 市级审核）。")
_simple("review", workflow.review, help_="审核通过：市级审核 → 省级审核 → 审核结束（按案件当前所在级别）。")
_simple("return", workflow.return_case, True, "退回县级重新填报（须 --reason）。")
_simple("dispute", workflow.dispute, True, "提出异议（须 --reason），由省级处理。")
_simple("resolve", workflow.resolve, True, "省级处理异议，案件回到省级审核（须 --reason）。")


@app.command("rectify")
def rectify_cmd(ws: Path = WsArg, case: str = CaseArg,
                way: str | None = typer.Option(None, "--way", help="整改方式：拆除复耕、补办手续、没收（制定方案）"),
                deadline: str | None = typer.Option(None, "--deadline", help="整改期限（默认认定后 60 天）"),
                approval: str = typer.Option("", "--approval", help="补办的批准文号"),
                demolished: str | None = typer.Option(None, "--demolished", help="本次报送已拆除面积 m²"),
                legalised: str | None = typer.Option(None, "--legalised", help="本次报送已补办面积 m²"),
                version: int | None = VersionOption, date_: str | None = DateOption, as_: str | None = AsOption,
                db: str | None = DbOption, as_json: bool = JsonOption) -> None:
    """一案一策：--way 制定整改方案；--demolished/--legalised 报送进度（面积恒等式每步检查）。"""
    def call() -> object:
        ctx, on = context(ws, db, as_), day(date_)
        res = None
        if way is not None:
            res = rectify.plan(ctx, case, parse_way(way), on, day(deadline, "--deadline") if deadline else None,
                               approval, expected_version=version)
            version_ = None
        else:
            version_ = version
        if demolished is not None or legalised is not None:
            res = rectify.report(ctx, case, on, _dec(demolished, "--demolished") or Decimal(0),
                                 _dec(legalised, "--legalised") or Decimal(0), version_)
        if res is None:
            raise UsageError("请给出 --way（制定方案）或 --demolished/--legalised（报送进度）。", code="usage.missing")
        return res
    run(as_json, call, _changed)


@app.command("close")
def close_cmd(ws: Path = WsArg, case: str = CaseArg,
              epoch: int | None = typer.Option(None, "--epoch", help="核验用的调查期（默认：下一期）"),
              run_id: int | None = typer.Option(None, "--run", help="改用下发图斑批次（监测运行编号）核验"),
              version: int | None = VersionOption, date_: str | None = DateOption, as_: str | None = AsOption,
              db: str | None = DbOption, as_json: bool = JsonOption) -> None:
    """销号：整改完成、有整改后的照片，且下一期调查显示地块已恢复；否则记为虚假整改并拒绝。"""
    run(as_json, lambda: rectify.close(context(ws, db, as_), case, day(date_), epoch, expected_version=version,
                                       run_id=run_id),
        _changed)


@app.command("recheck")
def recheck_cmd(ws: Path = WsArg, epoch: int = typer.Option(..., "--epoch", help="新导入的调查期"),
                date_: str | None = DateOption, as_: str | None = AsOption, db: str | None = DbOption,
                as_json: bool = JsonOption) -> None:
    """用新一期调查复核全部已销号案件：仍为建设用地的重新打开（反弹）。"""
    def show(r: Any) -> None:
        console.print(f"复核 {r.extra['checked']} 个已销号案件，反弹 {len(r.extra['relapsed'])} 个")
        findings(r.findings)

    run(as_json, lambda: rectify.recheck(context(ws, db, as_), epoch, day(date_)), show)


@app.command("stats")
def stats_cmd(ws: Path = WsArg, year: int | None = typer.Option(None, "--year", help="年度"),
              date_: str | None = DateOption, as_: str | None = AsOption, db: str | None = DbOption,
              as_json: bool = JsonOption) -> None:
    """按县和年度统计：各状态案件数、违法占耕/永农面积（认定后）、整改比例、未整改耕地占比、逾期数、违法占耕比例。"""
    cols = {"county": "县", "year": "年度", "violations": "违法案件", "illegal_farmland_m2": "违法占耕 m²",
            "illegal_pbf_m2": "违法占永农 m²", "rectified_share": "整改比例", "unrectified_farmland_share": "未整改耕地占比",
            "overdue": "逾期", "key_ratio": "违法占耕比例", "key_ratio_deducted": "扣减后"}

    def render(rows: list[dict[str, object]]) -> None:
        t = Table(title="案件统计（定义见 docs/cases.md）")
        for label in cols.values():
            t.add_column(label)
        for r in rows:
            t.add_row(*("—" if r[k] is None else str(r[k]) for k in cols))
        console.print(t)
    run(as_json, lambda: [s.to_dict() for s in reports.statistics(context(ws, db, as_), day(date_), year)], render)


@app.command("export")
def export_cmd(ws: Path = WsArg, out: Path = typer.Option(..., "--out", help="输出目录"),
               period: str = typer.Option("month", "--period", help="周报 week 或月报 month"),
               date_: str | None = DateOption, as_: str | None = AsOption, db: str | None = DbOption,
               as_json: bool = JsonOption) -> None:
    """导出案件台账与周报/月报（cases.xlsx，面积单位亩）和案件图层（cases.gpkg）。"""
    run(as_json, lambda: reports.export(context(ws, db, as_), out, day(date_), period),
        lambda r: console.print(f"已导出 {r.cases} 个案件：{'、'.join(r.files)}"))


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="cases")
