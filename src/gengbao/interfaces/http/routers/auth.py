"""Login, logout, the current user, and bearer tokens for scripts."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from gengbao.domain.access import Action
from gengbao.interfaces.http.auth import SESSION_COOKIE, base_context, forget_token, guard
from gengbao.services import users
from gengbao.services.context import Context
from gengbao.services.users.accounts import UserInfo, get_row
from gengbao.services.users.sessions import SESSION, SESSION_HOURS, csrf_for

router = APIRouter(prefix="/api/auth", tags=["auth"])


class LoginBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class TokenBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str = Field(default="脚本令牌", max_length=128)
    days: int = Field(default=90, ge=1, le=366)


@router.post("/login", summary="登录（设置会话 Cookie，返回 CSRF 令牌）")
def login(body: LoginBody, request: Request, response: Response) -> dict[str, Any]:
    ctx = base_context(request)
    address = request.client.host if request.client else "unknown"
    user = users.authenticate(ctx, body.name, body.password, address)
    issued = users.create_session(ctx, user)
    response.set_cookie(SESSION_COOKIE, issued.token, httponly=True, samesite="strict", path="/",
                        max_age=SESSION_HOURS * 3600, secure=request.url.scheme == "https")
    return {"ok": True, **issued.to_dict()}


@router.post("/logout", summary="退出登录")
def logout(request: Request, response: Response, ctx: Context = Depends(guard(Action.READ))) -> dict[str, Any]:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        users.revoke(ctx, token)
        forget_token(request, token, SESSION)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return {"ok": True}


@router.get("/me", summary="当前用户")
def me(request: Request, ctx: Context = Depends(guard(Action.READ))) -> dict[str, Any]:
    user = UserInfo.of(get_row(ctx, ctx.actor.user_id))
    token = request.cookies.get(SESSION_COOKIE)
    out: dict[str, Any] = {"ok": True, "user": user.to_dict()}
    if token and not request.headers.get("authorization"):
        out["csrf_token"] = csrf_for(token)
    return out


@router.post("/tokens", summary="为当前用户签发脚本用的 Bearer 令牌（只显示一次）")
def create_token(body: TokenBody, ctx: Context = Depends(guard(Action.READ))) -> dict[str, Any]:
    return {"ok": True, **users.create_token(ctx, body.label, body.days).to_dict()}
