"""Every query of the users capability: users, tokens (hashes only) and failed login attempts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from gengbao.adapters.db.models_users import AuthTokenRecord, LoginAttempt, UserRecord


@dataclass(frozen=True, slots=True)
class UserRow:
    id: int
    name: str
    display_name: str
    role: str
    jurisdiction: str
    password_hash: str
    disabled: bool
    version: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class TokenRow:
    id: int
    kind: str
    label: str
    expires_at: datetime
    revoked_at: datetime | None
    user: UserRow


def _row(r: UserRecord) -> UserRow:
    return UserRow(r.id, r.name, r.display_name, r.role, r.jurisdiction, r.password_hash, r.disabled, r.version,
                   r.created_at)


def get_user(session: Session, name: str) -> UserRow | None:
    r = session.scalar(select(UserRecord).where(UserRecord.name == name))
    return _row(r) if r is not None else None


def list_users(session: Session, jurisdiction_prefix: str = "") -> list[UserRow]:
    q = select(UserRecord).order_by(UserRecord.name)
    if jurisdiction_prefix:
        q = q.where(UserRecord.jurisdiction.startswith(jurisdiction_prefix, autoescape=True))
    return [_row(r) for r in session.scalars(q)]


def add_user(session: Session, *, name: str, display_name: str, role: str, jurisdiction: str,
             password_hash: str, at: datetime) -> UserRow:
    rec = UserRecord(name=name, display_name=display_name, role=role, jurisdiction=jurisdiction,
                     password_hash=password_hash, disabled=False, version=1, created_at=at)
    session.add(rec)
    session.flush()
    return _row(rec)


def set_disabled(session: Session, user_id: int, version: int, disabled: bool) -> bool:
    """Optimistic update; False when the row changed since it was read."""
    res = session.execute(update(UserRecord).where(UserRecord.id == user_id, UserRecord.version == version)
                          .values(disabled=disabled, version=version + 1))
    return bool(res.rowcount)  # type: ignore[attr-defined]


def set_password_hash(session: Session, user_id: int, password_hash: str) -> None:
    session.execute(update(UserRecord).where(UserRecord.id == user_id).values(password_hash=password_hash))


def add_token(session: Session, *, token_hash: str, user_id: int, kind: str, label: str, at: datetime,
              expires_at: datetime) -> int:
    rec = AuthTokenRecord(token_hash=token_hash, user_id=user_id, kind=kind, label=label, created_at=at,
                          expires_at=expires_at, revoked_at=None)
    session.add(rec)
    session.flush()
    return rec.id


def find_token(session: Session, token_hash: str) -> TokenRow | None:
    row = session.execute(select(AuthTokenRecord, UserRecord).join(UserRecord, UserRecord.id == AuthTokenRecord.user_id)
                          .where(AuthTokenRecord.token_hash == token_hash)).first()
    if row is None:
        return None
    t, u = row
    return TokenRow(t.id, t.kind, t.label, t.expires_at, t.revoked_at, _row(u))


def revoke_token(session: Session, token_hash: str, at: datetime) -> int | None:
    t = session.scalar(select(AuthTokenRecord).where(AuthTokenRecord.token_hash == token_hash,
                                                     AuthTokenRecord.revoked_at.is_(None)))
    if t is None:
        return None
    t.revoked_at = at
    return t.id


def revoke_user_tokens(session: Session, user_id: int, at: datetime) -> int:
    res = session.execute(update(AuthTokenRecord).where(AuthTokenRecord.user_id == user_id,
                                                        AuthTokenRecord.revoked_at.is_(None)).values(revoked_at=at))
    return int(res.rowcount)  # type: ignore[attr-defined]


def record_failure(session: Session, account: str, address: str, at: datetime) -> None:
    session.add(LoginAttempt(account=account[:64], address=address[:64], at=at))


def recent_failures(session: Session, account: str, address: str, since: datetime) -> tuple[int, int]:
    """Failed logins since ``since``: (for this account, from this address)."""
    by_account = session.scalar(select(func.count()).select_from(LoginAttempt)
                                .where(LoginAttempt.account == account[:64], LoginAttempt.at >= since)) or 0
    by_address = session.scalar(select(func.count()).select_from(LoginAttempt)
                                .where(LoginAttempt.address == address[:64], LoginAttempt.at >= since)) or 0
    return int(by_account), int(by_address)


def forget_failures(session: Session, before: datetime) -> None:
    session.execute(delete(LoginAttempt).where(LoginAttempt.at < before))


def purge_expired_tokens(session: Session, now: datetime) -> None:
    session.execute(delete(AuthTokenRecord).where(AuthTokenRecord.expires_at < now))
