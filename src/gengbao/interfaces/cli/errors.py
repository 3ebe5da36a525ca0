"""One table mapping error classes to exit codes, and one renderer for errors."""

from __future__ import annotations

import json

from rich.console import Console
from rich.markup import escape

from gengbao.domain.errors import (
    ConflictError,
    CrsError,
    GengbaoError,
    InputError,
    NotFoundError,
    RuleError,
    UsageError,
    ValidationFailed,
    WorkspaceError,
)

# Exit codes (documented in docs/cli.md). Order matters: the first matching class wins.
EXIT_CODES: tuple[tuple[type[GengbaoError], int], ...] = (
    (ValidationFailed, 3),
    (CrsError, 4),
    (InputError, 4),
    (WorkspaceError, 5),
    (NotFoundError, 6),
    (ConflictError, 7),
    (RuleError, 8),
    (UsageError, 2),
    (GengbaoError, 1),
)


def exit_code_for(exc: GengbaoError) -> int:
    for cls, code in EXIT_CODES:
        if isinstance(exc, cls):
            return code
    return 1


def render_error(exc: GengbaoError, *, as_json: bool, console: Console) -> None:
    if as_json:
        print(json.dumps({"ok": False, "error": exc.to_dict()}, ensure_ascii=False, default=str))
    else:
        console.print(f"[bold red]错误[/] {escape(f'[{exc.code}]')} {escape(exc.message)}")
