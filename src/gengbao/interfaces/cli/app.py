"""The ``gengbao`` command line: thin commands that parse, call one service, render."""

from __future__ import annotations

import sys

import typer

from gengbao.interfaces.cli import commands

app = typer.Typer(
    name="gengbao",
    help="耕保 gengbao：耕地保护监管平台。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
commands.register(app)


def main() -> None:
    app(prog_name="gengbao")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
