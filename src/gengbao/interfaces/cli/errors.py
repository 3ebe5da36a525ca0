"""One table mapping error classes to exit codes, one boundary that turns every exception into a coded
error, and one renderer for errors (human or the JSON envelope)."""

from __future__ import annotations

import errno
import tempfile
import traceback
from datetime import datetime

from rich.console import Console
from rich.markup import escape

from gengbao.adapters.db.engine import explain as explain_db_error
from gengbao.domain.access import AccessDenied
from gengbao.domain.errors import (
    ConflictError,
    CrsError,
    GengbaoError,
    InputError,
    NotFoundError,
    RuleError,
    UnreadableInput,
    UsageError,
    ValidationFailed,
    WorkspaceError,
)
from gengbao.domain.findings import Finding

# Exit codes (documented in docs/cli.md). Order matters: the first matching class wins.
EXIT_CODES: tuple[tuple[type[GengbaoError], int], ...] = (
    (UnreadableInput, 4),
    (ValidationFailed, 3),
    (CrsError, 4),
    (InputError, 4),
    (WorkspaceError, 5),
    (NotFoundError, 6),
    (ConflictError, 7),
    (RuleError, 8),
    (AccessDenied, 9),
    (UsageError, 2),
    (GengbaoError, 1),
)
SHOWN = 30


def exit_code_for(exc: GengbaoError) -> int:
    for cls, code in EXIT_CODES:
        if isinstance(exc, cls):
            return code
    return 1


def as_gengbao_error(exc: BaseException) -> GengbaoError:
    """Any exception as a coded error: ours unchanged; the operating system's and the database's with a
    Chinese reason; anything else as ``internal.unexpected`` with its traceback kept in a file."""
    if isinstance(exc, GengbaoError):
        return exc
    if isinstance(exc, PermissionError):
        return InputError(f"没有权限：{exc.filename or exc}", code="file.permission", path=str(exc.filename or ""))
    if isinstance(exc, FileNotFoundError):
        return InputError(f"文件或文件夹不存在：{exc.filename or exc}", code="file.not_found", path=str(exc.filename or ""))
    if isinstance(exc, OSError) and exc.errno == errno.ENAMETOOLONG:
        return InputError("文件名或路径过长，请换用较短的名称", code="file.name_too_long")
    if isinstance(exc, OSError) and exc.errno in (errno.ENOTDIR, errno.EEXIST, errno.EISDIR):
        return InputError(f"路径无效：{exc.filename or exc}（其中一级是文件而不是文件夹，或已存在）",
                          code="file.path_invalid", path=str(exc.filename or ""))
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return GengbaoError("磁盘空间不足，操作未完成", code="file.disk_full")
    if type(exc).__module__.startswith("sqlalchemy"):
        code, reason = explain_db_error(exc)
        return WorkspaceError(f"{reason}。", code=code, db=str(exc).splitlines()[0][:300])
    log = _keep_traceback(exc)
    return GengbaoError(f"内部错误（{type(exc).__name__}）：操作未完成。详细信息已写入 {log}，请将该文件提供给维护人员。",
                        code="internal.unexpected", log=log)


def _keep_traceback(exc: BaseException) -> str:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    with tempfile.NamedTemporaryFile("w", prefix=f"gengbao-error-{stamp}-", suffix=".txt", delete=False,
                                     encoding="utf-8") as f:
        f.write("".join(traceback.format_exception(exc)))
        return f.name


def render_error(exc: GengbaoError, *, console: Console) -> None:
    """People's view of an error: the findings of a rejected import first, then the error itself."""
    report = getattr(exc, "report", None)
    if report is not None:
        errors: list[Finding] = list(getattr(report, "errors", []))
        for f in errors[:SHOWN]:
            console.print(f"[red]错误[/] {escape(f'[{f.code}]')} {escape(f.message)}")
        if len(errors) > SHOWN:
            console.print(f"[red]……另有 {len(errors) - SHOWN} 条错误未显示（用 --json 查看全部）[/]")
        console.print(f"[bold red]未导入[/]：{escape(exc.message)}")
        return
    console.print(f"[bold red]错误[/] {escape(f'[{exc.code}]')} {escape(exc.message)}")
