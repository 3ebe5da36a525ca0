"""Who is asking: the one place every protected route gets its actor and checks role and jurisdiction.

A request authenticates with ``Authorization: Bearer <token>`` (scripts, GIS clients) or with the
HttpOnly session cookie (the browser); a cookie-authenticated write must also carry the session's
CSRF token in ``X-CSRF-Token``. :func:`guard` builds the request's :class:`Context` acting as that user
and asks :meth:`Context.authorise` for the route's action on the workspace region (a user whose
jurisdiction lies inside the workspace passes for reads as a filtered view: lists are then cut to
its regions with :func:`visible`)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from fastapi import Request

from gengbao.domain.access import AccessDenied, Action, Actor
from gengbao.services.context import Context
from gengbao.services.users import AuthenticationError, actor_for_token
from gengbao.services.users.sessions import BEARER, SESSION, csrf_ok, token_hash

TOKEN_CACHE_SECONDS = 5.0  # a token revoked by another worker process stops working within this time
SESSION_COOKIE = "gengbao_session"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def base_context(request: Request) -> Context:
    ctx: Context = request.app.state.context
    return ctx


def _actor(request: Request, token: str, kind: str) -> Actor:
    """The token's actor, remembered for a few seconds per process (a request then needs no query)."""
    cache: dict[tuple[str, str], tuple[float, Actor]] = request.app.state.token_cache
    key = (kind, token_hash(token))
    hit = cache.get(key)
    now = time.monotonic()
    if hit is not None and hit[0] > now:
        return hit[1]
    actor = actor_for_token(base_context(request), token, kind)
    if len(cache) > 10000:
        cache.clear()
    cache[key] = (now + TOKEN_CACHE_SECONDS, actor)
    return actor


def forget_token(request: Request, token: str, kind: str) -> None:
    request.app.state.token_cache.pop((kind, token_hash(token)), None)


def current_actor(request: Request) -> Actor:
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthenticationError("Authorization 头须为 “Bearer 令牌”", code="auth.invalid_token")
        return _actor(request, token.strip(), BEARER)
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        raise AuthenticationError("请先登录", code="auth.required")
    actor = _actor(request, cookie, SESSION)
    if request.method not in SAFE_METHODS and not csrf_ok(cookie, request.headers.get(CSRF_HEADER)):
        raise AccessDenied("缺少或错误的 CSRF 令牌（X-CSRF-Token 请求头），请刷新页面后重试。", code="auth.csrf")
    return actor


def guard(action: Action, *, workspace_wide: bool = True) -> Callable[[Request], Context]:
    """A dependency: the caller's context, after checking ``action`` on the workspace region (or, for
    routes whose use case checks each record's region itself, on the caller's own jurisdiction)."""

    def dependency(request: Request) -> Context:
        ctx = base_context(request).acting_as(current_actor(request))
        ctx.authorise(action, None if workspace_wide else ctx.actor.jurisdiction)
        return ctx

    dependency.__name__ = f"guard_{action.value}"
    return dependency


def visible(ctx: Context, region: str | None) -> bool:
    """Whether a row of ``region`` may be shown to the caller (rows without a region: only to callers
    whose jurisdiction covers the whole workspace)."""
    return ctx.actor.covers(region if region else ctx.region)


def keep(ctx: Context, rows: list[Any], region_of: Callable[[Any], str | None]) -> list[Any]:
    return [r for r in rows if visible(ctx, region_of(r))]
