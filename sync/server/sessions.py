"""Staff sessions in the database, so that logging out is real and every worker process sees it.

The signed session cookie carries a random token (``sid``) and nothing that grants access by
itself. :func:`account_of` finds the token's row (by its SHA-256), checks that it has not expired,
that the account is active and that the account's ``session_epoch`` is still the one of the
login: a password change, a reset or a disabled account bumps the epoch and so ends every
session at once, and "log out everywhere" does the same on purpose.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from sync.server.models import Account, StaffSession, utcnow


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start(db: Session, account: Account, *, hours: int, ip: str | None) -> str:
    """A new session for ``account``; returns the token for the cookie."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.execute(delete(StaffSession).where(StaffSession.expires_at < now))
    db.add(StaffSession(id=_digest(token), account_id=account.id, epoch=account.session_epoch, created_at=now,
                        expires_at=now + timedelta(hours=hours), ip=(ip or "")[:64]))
    return token


def account_of(db: Session, token: object) -> Account | None:
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    row = db.get(StaffSession, _digest(token))
    if row is None or row.expires_at < utcnow():
        return None
    account = db.get(Account, row.account_id)
    if account is None or not account.active or account.session_epoch != row.epoch:
        return None
    return account


def end(db: Session, token: object) -> None:
    if isinstance(token, str):
        db.execute(delete(StaffSession).where(StaffSession.id == _digest(token)))


def end_all(db: Session, account: Account) -> None:
    """End every session of ``account`` (the caller may start a new one for this browser)."""
    account.session_epoch += 1
    db.execute(delete(StaffSession).where(StaffSession.account_id == account.id))
