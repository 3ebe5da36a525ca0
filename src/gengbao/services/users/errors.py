"""Errors of sign-in and sessions (the HTTP error table maps them to 401 and 429)."""

from __future__ import annotations

from gengbao.domain.errors import GengbaoError


class AuthenticationError(GengbaoError):
    """No valid credentials: wrong name or password, a missing, expired or revoked session or token."""

    code = "auth.failed"
    default_message = "用户名或密码不正确"


class RateLimited(GengbaoError):
    """Too many failed logins for one account or from one address within a minute."""

    code = "auth.rate_limited"
    default_message = "登录失败次数过多，请一分钟后再试"
