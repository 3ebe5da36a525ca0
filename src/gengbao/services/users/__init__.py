"""Users capability: accounts with a role and a jurisdiction, sign-in, sessions and bearer tokens, and
the actor a request or a ``--as USER`` command acts as."""

from gengbao.services.users.accounts import UserInfo, add_user, disable_user, list_users, resolve_actor
from gengbao.services.users.errors import AuthenticationError, RateLimited
from gengbao.services.users.sessions import (
    IssuedToken,
    actor_for_token,
    authenticate,
    create_session,
    create_token,
    revoke,
)

__all__ = [
    "AuthenticationError", "IssuedToken", "RateLimited", "UserInfo", "actor_for_token", "add_user", "authenticate",
    "create_session", "create_token", "disable_user", "list_users", "resolve_actor", "revoke",
]
