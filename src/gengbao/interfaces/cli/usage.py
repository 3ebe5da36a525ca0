"""Command-line usage errors in Chinese, with a stable code and the one JSON envelope.

Click reports a wrong command line (a missing option, an unknown one, a value of the wrong type) in
English and without a code; the root group of ``gengbao`` catches those reports and says them again in
Chinese (``usage.*`` codes, exit 2), keeping click's own text in ``detail``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

from gengbao.domain.errors import UsageError
from gengbao.interfaces.schemas import error_envelope

try:  # Typer ≥ 0.26 carries its own copy of click
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover - older Typer uses click itself
    from click import exceptions as click_exceptions  # type: ignore[no-redef]

ClickException = click_exceptions.ClickException

_PATTERNS: tuple[tuple[str, str, str], ...] = (
    (r"Missing option '([^']+)'", "usage.missing_option", "缺少必填选项 {0}"),
    (r"Missing argument '([^']+)'", "usage.missing_argument", "缺少必填参数 {0}"),
    (r"No such option: (\S+)", "usage.unknown_option", "没有选项 {0}"),
    (r"No such command '([^']+)'", "usage.unknown_command", "没有命令 {0}"),
    (r"Got unexpected extra arguments? \(([^)]*)\)", "usage.extra_argument", "多余的参数：{0}"),
    (r"Invalid value for '([^']+)': (.*)", "usage.invalid_value", "{0} 的取值无效（{1}）"),
    (r"Option '([^']+)' requires an argument", "usage.missing_value", "选项 {0} 需要一个值"),
)


def translate(exc: click_exceptions.UsageError) -> UsageError:
    text = exc.format_message()
    for pattern, code, message in _PATTERNS:
        m = re.search(pattern, text)
        if m:
            return UsageError(message.format(*m.groups()) + "。用 --help 查看用法。", code=code, detail=text)
    return UsageError(f"命令行用法有误：{text}。用 --help 查看用法。", code="usage.invalid", detail=text)


class GengbaoGroup(TyperGroup):
    """The root group: usage errors are reported in Chinese, with a code, as JSON under ``--json``."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, windows_expand_args: bool = True, **extra: Any) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        try:
            rv = super().main(args=argv, prog_name=prog_name, complete_var=complete_var, standalone_mode=False,
                              windows_expand_args=windows_expand_args, **extra)
            code = rv if isinstance(rv, int) else 0  # an exit code, when a command ended with typer.Exit
        except click_exceptions.NoArgsIsHelpError as exc:
            exc.show()
            code = 0
        except click_exceptions.UsageError as exc:
            error = translate(exc)
            if "--json" in argv:
                import json

                sys.stdout.write(json.dumps(error_envelope(error), ensure_ascii=False) + "\n")
            else:
                Console(stderr=True).print(f"[bold red]用法错误[/] {escape(f'[{error.code}]')} {escape(error.message)}")
            code = 2
        except typer.Exit as exc:
            code = exc.exit_code
        except typer.Abort:
            code = 130
        except click_exceptions.ClickException as exc:
            exc.show()
            code = exc.exit_code
        if standalone_mode:
            sys.exit(code)
        return code
