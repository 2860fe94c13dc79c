"""Passwords, one-time secrets, CSRF tokens, login rate limiting and kiosk tokens."""
from __future__ import annotations

import functools
import hashlib
import hmac
import math
import os
import re
import secrets
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from sync.server.models import Account, LoginAttempt, utcnow

_hasher = PasswordHasher()  # argon2id, RFC 9106 low-memory profile (64 MiB, t=3)
# A hash of a random password, checked when the account does not exist, so a login takes as long
# for an unknown user as for a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored or _DUMMY_HASH, password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    try:
        return _hasher.check_needs_rehash(stored)
    except InvalidHashError:
        return True


def one_time_password() -> str:
    """Easy to read aloud and type: 4 groups of 4 letters and digits without 0/O/1/l/I."""
    alphabet = "abcdefghijkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))


COMMON_PASSWORDS_FILE = Path(__file__).resolve().with_name("common-passwords.txt")


@functools.cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def _easy(password: str) -> bool:
    """A short piece repeated (``abcdabcdab``, ``12121212``) or a run (``abcdefgh``, ``98765432``)."""
    n = len(password)
    if any(password == (password[:size] * (n // size + 1))[:n] for size in range(1, n // 2 + 1)):
        return True
    steps = {ord(b) - ord(a) for a, b in zip(password, password[1:])}
    return len(steps) == 1 and steps <= {1, -1}


def password_problem(password: str, *, min_length: int, username: str = "", old_password: str = "") -> str | None:
    """The reason a new password is refused (an English message id), or None. NIST SP 800-63B:
    a length, no list of common passwords, not the user name, not a repeated pattern."""
    if len(password) < min_length:
        return "The password must have at least {n} characters."
    if len(password) > 256:
        return "The password is too long (at most 256 characters)."
    lower = password.lower()
    if len(username) >= 3 and username.lower() in lower:
        return "The password must not contain the user name."
    if old_password and password == old_password:
        return "Choose a password different from the old one."
    core = re.sub(r"^[\d\W_]+|[\d\W_]+$", "", lower)  # Password2026! -> password
    if lower in common_passwords() or (len(core) >= 6 and core in common_passwords()):
        return "This is one of the most common passwords: choose another."
    if len(set(password)) < 4 or _easy(lower):
        return "The password is too easy to guess."
    return None


# ------------------------------------------------------------------------------- CSRF


def csrf_token(session: dict) -> str:
    token = session.get("csrf")
    if not isinstance(token, str) or len(token) < 32:
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def csrf_valid(session: dict, submitted: str | None) -> bool:
    expected = session.get("csrf")
    return (isinstance(expected, str) and isinstance(submitted, str) and len(expected) >= 32
            and hmac.compare_digest(expected.encode(), submitted.encode()))


# ------------------------------------------------------------------------------- login throttling


#: The first wait after too many failures; each further failure doubles it, up to the window.
FIRST_WAIT_SECONDS = 30


def _wait(db: Session, condition: Any, threshold: int, window_minutes: int, now: datetime) -> float:
    """Seconds still to wait for failures matching ``condition`` within the window."""
    since = now - timedelta(minutes=window_minutes)
    count, last = db.execute(select(func.count(), func.max(LoginAttempt.at)).where(
        condition, LoginAttempt.at >= since, LoginAttempt.success.is_(False))).one()
    if not count or count < threshold:
        return 0.0
    wait = min(FIRST_WAIT_SECONDS * 2 ** min(count - threshold, 20), window_minutes * 60)
    return max(0.0, wait - (now - last).total_seconds())


def login_wait(db: Session, username: str, ip: str, *, max_failures: int, window_minutes: int,
               now: datetime | None = None) -> int:
    """Seconds before this address may try this account again (0: now). Failures count per
    account *and* address, and per address over all accounts (4x as many): a stranger elsewhere
    cannot lock the owner out. Each failure past the limit doubles the wait."""
    now = now or utcnow()
    pair = _wait(db, (LoginAttempt.username == username.lower()[:64]) & (LoginAttempt.ip == ip[:64]),
                 max_failures, window_minutes, now)
    address = _wait(db, LoginAttempt.ip == ip[:64], 4 * max_failures, window_minutes, now)
    return math.ceil(max(pair, address))


def record_login(db: Session, username: str, ip: str, success: bool) -> None:
    db.add(LoginAttempt(username=username.lower()[:64], ip=ip[:64], success=success, at=utcnow()))
    if success:  # the owner's success forgets only the failures from where the owner is
        db.execute(delete(LoginAttempt).where(LoginAttempt.username == username.lower()[:64],
                                              LoginAttempt.ip == ip[:64], LoginAttempt.success.is_(False)))
    # Old attempts are of no use.
    db.execute(delete(LoginAttempt).where(LoginAttempt.at < utcnow() - timedelta(days=30)))


def authenticate(db: Session, username: str, password: str) -> Account | None:
    account = db.scalar(select(Account).where(func.lower(Account.username) == username.strip().lower()))
    ok = verify_password(account.password_hash if account else None, password)
    if not ok or account is None or not account.active:
        return None
    if needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
    return account


# ------------------------------------------------------------------------------- kiosk tokens


def new_kiosk_token() -> str:
    return "kt_" + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# ------------------------------------------------------------------------------- owner-only files


def write_secret_file(path: Path, data: bytes) -> None:
    """Create ``path`` owner-only (0600), exclusively: an existing file is never overwritten."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
