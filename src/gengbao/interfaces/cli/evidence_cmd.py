"""``gengbao evidence add|verify``: field photos of a case, and the check of every stored photo."""

from __future__ import annotations

from pathlib import Path

import typer

from gengbao.interfaces.cli.cases_view import AsOption, DateOption, context, day, findings, run
from gengbao.interfaces.cli.common import DbOption, JsonOption, console
from gengbao.services.cases.evidence import add_evidence, verify_evidence

app = typer.Typer(help="举证照片：添加（读取 EXIF、生成校验码）与校验", no_args_is_help=True)


@app.command("add")
def add_cmd(ws: Path = typer.Argument(..., help="工作空间文件夹"), case: str = typer.Argument(..., help="案件编号"),
            photos: list[Path] = typer.Argument(..., help="照片文件（JPEG，须带拍摄时间与 GPS）"),
            kind: str = typer.Option("近景", "--kind", help="远景、近景、内景、无人机"),
            date_: str | None = DateOption, as_: str | None = AsOption, db: str | None = DbOption,
            as_json: bool = JsonOption) -> None:
    """添加举证照片：按内容哈希存储、从不覆盖；距离、时间、重复使用、缺少视角等问题随结果列出。"""
    def render(r: object) -> None:
        console.print(f"已存储 {len(r.stored)} 张照片到案件 {r.case}")  # type: ignore[attr-defined]
        findings(r.findings)  # type: ignore[attr-defined]
    run(as_json, lambda: add_evidence(context(ws, db, as_), case, photos, kind, day(date_)), render)


@app.command("verify")
def verify_cmd(ws: Path = typer.Argument(..., help="工作空间文件夹"), as_: str | None = AsOption,
               db: str | None = DbOption, as_json: bool = JsonOption) -> None:
    """校验全部举证照片：文件缺失、内容被改、登记信息与校验码不符的都列出。"""
    def render(items: object) -> None:
        console.print("全部照片校验通过" if not items else f"{len(items)} 张照片未通过校验")  # type: ignore[arg-type]
        findings(items)  # type: ignore[arg-type]
    with_dict = lambda: {"ok": True, "findings": [f.to_dict() for f in verify_evidence(context(ws, db, as_))]}  # noqa: E731
    if as_json:
        run(True, with_dict, lambda _: None)
    else:
        run(False, lambda: verify_evidence(context(ws, db, as_)), render)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="evidence")
