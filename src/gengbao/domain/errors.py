"""The error hierarchy: one root, stable codes, Chinese user messages.

Every error carries a stable machine ``code`` (dotted, lower case, never renamed once released)
and a Chinese ``message`` for people. Interfaces map error classes to HTTP statuses and exit codes
in one table each; nothing else in the code base inspects messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar


class GengbaoError(Exception):
    """Root of every error gengbao raises on purpose."""

    code: ClassVar[str] = "gengbao.error"
    default_message: ClassVar[str] = "发生错误"

    def __init__(self, message: str | None = None, *, code: str | None = None, **details: Any) -> None:
        self.message: str = message or self.default_message
        self.details: Mapping[str, Any] = details
        if code is not None:
            self.code = code  # type: ignore[misc]
        super().__init__(self.message)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, **{k: v for k, v in self.details.items()}}


class UsageError(GengbaoError):
    """The user asked for something that cannot be done as asked (bad option, bad argument)."""

    code = "usage.invalid"
    default_message = "参数不正确"


class NotFoundError(GengbaoError):
    """A workspace, epoch, layer or record that does not exist."""

    code = "not_found"
    default_message = "找不到所请求的对象"


class WorkspaceError(GengbaoError):
    """A workspace that is missing, not initialised, or inconsistent."""

    code = "workspace.invalid"
    default_message = "工作空间无效"


class InputError(GengbaoError):
    """Bad input data: a file, a table or a value that cannot be accepted."""

    code = "input.invalid"
    default_message = "输入数据无效"


class CrsError(InputError):
    """Coordinate reference system missing, unsupported or inconsistent with the coordinates."""

    code = "crs.invalid"
    default_message = "坐标参考系无效"


class ValidationFailed(InputError):
    """An import whose checks found errors; nothing was stored. ``report`` holds every finding."""

    code = "import.rejected"
    default_message = "数据未通过检查，未导入任何内容"

    def __init__(self, message: str | None = None, *, report: Any = None, **details: Any) -> None:
        super().__init__(message, **details)
        self.report = report


class UnreadableInput(ValidationFailed):
    """A file that could not be read at all (missing, truncated, of another format); the rejected import
    is recorded, and the code is the file's own (``file.not_found`` …)."""

    code = "file.unreadable"
    default_message = "文件无法读取，未导入任何内容"


class ConflictError(GengbaoError):
    """The request conflicts with stored state (an epoch already imported, a duplicate id)."""

    code = "conflict"
    default_message = "与已有数据冲突"


class RuleError(GengbaoError):
    """A rule profile or configuration that is invalid."""

    code = "rules.invalid"
    default_message = "规则配置无效"
