"""Add, list and disable users; resolve a user name to the :class:`Actor` it acts as."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from argon2 import PasswordHasher

from gengbao.adapters.db import user_store
from gengbao.adapters.db.user_store import UserRow
from gengbao.domain.access import AccessDenied, Action, Actor, Role
from gengbao.domain.errors import ConflictError, InputError, NotFoundError
from gengbao.services import workspace
from gengbao.services.context import Context

NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{1,63}$")
MIN_PASSWORD = 8
HASHER = PasswordHasher()


@dataclass(frozen=True, slots=True)
class UserInfo:
    name: str
    display_name: str
    role: Role
    jurisdiction: str
    disabled: bool

    @classmethod
    def of(cls, row: UserRow) -> UserInfo:
        return cls(row.name, row.display_name, Role(row.role), row.jurisdiction, row.disabled)

    @property
    def actor(self) -> Actor:
        return Actor(self.name, self.role, self.jurisdiction, self.display_name)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "display_name": self.display_name, "role": str(self.role),
                "role_label": self.role.label, "jurisdiction": self.jurisdiction, "disabled": self.disabled}


def parse_role(text: str) -> Role:
    try:
        return Role(text)
    except ValueError:
        names = "、".join(f"{r.value}（{r.label}）" for r in Role)
        raise InputError(f"角色“{text}”不存在；可用角色：{names}", code="users.role_invalid", field="role") from None


def _check_jurisdiction(ctx: Context, jurisdiction: str) -> None:
    if not jurisdiction:
        return
    try:
        Actor("check", Role.VIEWER, jurisdiction)
    except AccessDenied:
        raise InputError(f"管辖区域“{jurisdiction}”不是合法的行政区划代码（2、4、6、9 或 12 位数字）",
                         code="users.jurisdiction_invalid", field="jurisdiction") from None
    ctx.authorise(Action.ADMINISTER, jurisdiction)


def add_user(ctx: Context, name: str, role: str | Role, jurisdiction: str, password: str,
             display_name: str = "") -> UserInfo:
    """Create a user (administrators only, inside their own jurisdiction)."""
    ctx.authorise(Action.ADMINISTER, ctx.actor.jurisdiction)
    if not NAME_PATTERN.match(name):
        raise InputError(f"用户名“{name[:80]}”不合法：须为 2–64 位字母、数字、下划线、点或短横线，以字母或数字开头",
                         code="users.name_invalid", field="name")
    r = role if isinstance(role, Role) else parse_role(role)
    _check_jurisdiction(ctx, jurisdiction)
    if len(password) < MIN_PASSWORD:
        raise InputError(f"密码至少 {MIN_PASSWORD} 位", code="users.password_short", field="password")
    if len(display_name) > 128:
        raise InputError("显示名称不能超过 128 个字符", code="users.display_name_long", field="display_name")
    hashed = HASHER.hash(password)
    with ctx.transaction() as s:
        if user_store.get_user(s, name) is not None:
            raise ConflictError(f"用户“{name}”已存在", code="users.exists", name=name)
        row = user_store.add_user(s, name=name, display_name=display_name or name, role=str(r),
                                  jurisdiction=jurisdiction, password_hash=hashed, at=datetime.now(UTC))
        ctx.audit(s, "users.add", f"user/{name}", {"role": str(r), "jurisdiction": jurisdiction})
    return UserInfo.of(row)


def list_users(ctx: Context) -> list[UserInfo]:
    """Users whose jurisdiction lies inside the caller's (administrators only)."""
    ctx.authorise(Action.ADMINISTER, ctx.actor.jurisdiction)
    with ctx.sessions() as s:
        return [UserInfo.of(r) for r in user_store.list_users(s, ctx.actor.jurisdiction)]


def get_row(ctx: Context, name: str) -> UserRow:
    with ctx.sessions() as s:
        row = user_store.get_user(s, name)
    if row is None:
        raise NotFoundError(f"用户“{name[:80]}”不存在", code="users.not_found", name=name[:80])
    return row


def disable_user(ctx: Context, name: str) -> UserInfo:
    """Disable a user and revoke every session and token it holds."""
    ctx.authorise(Action.ADMINISTER, ctx.actor.jurisdiction)
    row = get_row(ctx, name)
    if not ctx.actor.covers(row.jurisdiction):  # users outside the caller's jurisdiction are not shown to it
        raise NotFoundError(f"用户“{name}”不存在", code="users.not_found", name=name)
    if row.name == ctx.actor.user_id:
        raise InputError("不能停用自己的账号", code="users.disable_self")
    with ctx.transaction() as s:
        if not user_store.set_disabled(s, row.id, row.version, True):
            raise ConflictError(f"用户“{name}”已被他人修改，请刷新后重试", code="users.conflict")
        revoked = user_store.revoke_user_tokens(s, row.id, datetime.now(UTC))
        ctx.audit(s, "users.disable", f"user/{name}", {"revoked_tokens": revoked})
    return UserInfo(row.name, row.display_name, Role(row.role), row.jurisdiction, True)


def resolve_actor(ctx: Context, user_name: str) -> Actor:
    """The actor of an enabled user (what the CLI's ``--as USER`` acts as; one rule, in services.workspace)."""
    return workspace.resolve_actor(ctx, user_name)
