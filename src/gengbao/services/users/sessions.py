"""Sign-in, sessions and bearer tokens. Tokens are 32 random bytes (URL-safe text) shown once; only
their SHA-256 is stored. A session's CSRF token is derived from the session token, so it needs no
storage: a page reads it from the login answer and sends it back on every write."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2.exceptions import InvalidHashError, VerificationError

from gengbao.adapters.db import user_store
from gengbao.domain.access import Action, Actor
from gengbao.domain.errors import InputError
from gengbao.services.context import Context
from gengbao.services.users.accounts import HASHER, UserInfo, get_row
from gengbao.services.users.errors import AuthenticationError, RateLimited

SESSION_HOURS = 12
MAX_FAILURES_PER_MINUTE = 10
SESSION, BEARER = "session", "bearer"
_DUMMY_HASH = HASHER.hash("gengbao-no-such-user")


def _now() -> datetime:
    return datetime.now(UTC)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def csrf_for(session_token: str) -> str:
    return hashlib.sha256(b"gengbao-csrf\x1f" + session_token.encode("utf-8")).hexdigest()


def csrf_ok(session_token: str, header: str | None) -> bool:
    return header is not None and hmac.compare_digest(csrf_for(session_token), header)


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: str
    kind: str
    expires_at: datetime
    user: UserInfo
    csrf_token: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"kind": self.kind, "expires_at": self.expires_at.isoformat(), "user": self.user.to_dict()}
        if self.kind == BEARER:
            d["token"] = self.token
        if self.csrf_token:
            d["csrf_token"] = self.csrf_token
        return d


def authenticate(ctx: Context, name: str, password: str, address: str = "local") -> UserInfo:
    """Check a name and password. At most ``MAX_FAILURES_PER_MINUTE`` failures a minute per account and
    per address; beyond that every attempt is refused with :class:`RateLimited` before any check."""
    now = _now()
    with ctx.transaction() as s:
        by_account, by_address = user_store.recent_failures(s, name, address, now - timedelta(minutes=1))
        if by_account >= MAX_FAILURES_PER_MINUTE or by_address >= MAX_FAILURES_PER_MINUTE:
            raise RateLimited(retry_after=60)
        row = user_store.get_user(s, name)
    ok = False
    try:
        ok = HASHER.verify(row.password_hash if row else _DUMMY_HASH, password) and row is not None
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or row is None or row.disabled:
        with ctx.transaction() as s:
            user_store.record_failure(s, name, address, now)
            user_store.forget_failures(s, now - timedelta(hours=1))
        raise AuthenticationError()
    if HASHER.check_needs_rehash(row.password_hash):
        with ctx.transaction() as s:
            user_store.set_password_hash(s, row.id, HASHER.hash(password))
    return UserInfo.of(row)


def _issue(ctx: Context, user: UserInfo, kind: str, label: str, lifetime: timedelta) -> IssuedToken:
    token = secrets.token_urlsafe(32)
    now = _now()
    with ctx.transaction() as s:
        row = user_store.get_user(s, user.name)
        if row is None or row.disabled:
            raise AuthenticationError()
        user_store.add_token(s, token_hash=token_hash(token), user_id=row.id, kind=kind, label=label[:128], at=now,
                             expires_at=now + lifetime)
        if kind == BEARER:
            ctx.audit(s, "users.token_create", f"user/{user.name}", {"label": label[:128],
                                                                     "expires_at": (now + lifetime).isoformat()})
    return IssuedToken(token, kind, now + lifetime, user, csrf_for(token) if kind == SESSION else None)


def create_session(ctx: Context, user: UserInfo, hours: int = SESSION_HOURS) -> IssuedToken:
    """A browser session for an authenticated user."""
    return _issue(ctx, user, SESSION, "浏览器会话", timedelta(hours=hours))


def create_token(ctx: Context, label: str, days: int = 90) -> IssuedToken:
    """A bearer token for scripts and GIS clients, for the acting user itself."""
    if not 1 <= days <= 366:
        raise InputError("令牌有效期须为 1–366 天", code="users.token_days", field="days")
    ctx.authorise(Action.READ, None if ctx.actor.jurisdiction == "" else ctx.actor.jurisdiction)
    return _issue(ctx, UserInfo.of(get_row(ctx, ctx.actor.user_id)), BEARER, label or "脚本令牌",
                  timedelta(days=days))


def revoke(ctx: Context, token: str) -> bool:
    """Revoke a session or token (logout); True when it was active."""
    with ctx.transaction() as s:
        rid = user_store.revoke_token(s, token_hash(token), _now())
        if rid is not None:
            ctx.audit(s, "users.revoke", f"token/{rid}", {})
    return rid is not None


def actor_for_token(ctx: Context, token: str, kind: str) -> Actor:
    """The actor a session or bearer token stands for; :class:`AuthenticationError` when it is unknown,
    of the other kind, revoked, expired or its user disabled."""
    with ctx.sessions() as s:
        row = user_store.find_token(s, token_hash(token))
    if row is None or row.kind != kind:
        raise AuthenticationError("登录凭据无效，请重新登录", code="auth.invalid_token")
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=UTC)
    if row.revoked_at is not None or expires <= _now():
        raise AuthenticationError("登录已过期或已退出，请重新登录", code="auth.expired")
    if row.user.disabled:
        raise AuthenticationError("账号已停用", code="auth.disabled")
    return UserInfo.of(row.user).actor
