"""The ``gengbao`` command line: thin commands that parse, call one service, render."""

from __future__ import annotations

import typer

from gengbao.interfaces.cli import commands
from gengbao.interfaces.cli.common import ACT_AS
from gengbao.interfaces.cli.usage import GengbaoGroup

app = typer.Typer(
    cls=GengbaoGroup,
    name="gengbao",
    help="耕保 gengbao：耕地保护监管平台。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _global_options(
    act_as: str | None = typer.Option(None, "--as", help="以哪个用户的身份操作（默认：本机操作员；或环境变量 GENGBAO_AS）"),
) -> None:
    """耕保 gengbao：耕地保护监管平台。"""
    ACT_AS.set(act_as)  # every invocation sets it (None: the setting or the local operator), nothing carries over


commands.register(app)


def main() -> None:
    app(prog_name="gengbao")


if __name__ == "__main__":  # pragma: no cover
    main()
