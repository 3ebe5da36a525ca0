"""User administration (administrators only, inside their jurisdiction)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, ConfigDict, Field

from gengbao.domain.access import Action, Role
from gengbao.interfaces.http.auth import guard
from gengbao.services import users
from gengbao.services.context import Context

router = APIRouter(prefix="/api/users", tags=["users"])
UserName = Path(min_length=1, max_length=64)
ADMIN = guard(Action.ADMINISTER, workspace_wide=False)  # the use cases check each user's region


class NewUser(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=2, max_length=64)
    role: Role
    jurisdiction: str = Field(default="", max_length=12)
    password: str = Field(min_length=8, max_length=256)
    display_name: str = Field(default="", max_length=128)


@router.get("", summary="用户列表")
def list_users(ctx: Context = Depends(ADMIN)) -> dict[str, Any]:
    return {"ok": True, "users": [u.to_dict() for u in users.list_users(ctx)]}


@router.post("", status_code=201, summary="添加用户")
def add_user(body: NewUser, ctx: Context = Depends(ADMIN)) -> dict[str, Any]:
    u = users.add_user(ctx, body.name, body.role, body.jurisdiction, body.password, body.display_name)
    return {"ok": True, "user": u.to_dict()}


@router.post("/{name}/disable", summary="停用用户")
def disable_user(name: str = UserName, ctx: Context = Depends(ADMIN)) -> dict[str, Any]:
    return {"ok": True, "user": users.disable_user(ctx, name).to_dict()}
