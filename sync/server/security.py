"""Passwords, one-time secrets, CSRF tokens, login rate limiting and kiosk tokens."""
from __future__ import annotations

import functools
import hashlib
import hmac
import ipaddress
import math
import os
import re
import secrets
from dataclasses import dataclass
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
#: Failures per address over all accounts, and per account over all addresses, as multiples of
#: ``login_max_failures``: past the account's, every address waits but those the account has
#: logged in from before (so a guesser with many addresses cannot lock the owner out either).
ADDRESS_FACTOR = 4
ACCOUNT_FACTOR = 3
#: How long a failure counts at all, and how long a success makes its address known.
KEEP_FAILURES = timedelta(days=30)
KEEP_SUCCESSES = timedelta(days=365)


def address_group(ip: str) -> str:
    """The unit the throttle counts by: an IPv4 address, or an IPv6 address's /64 network (one
    home or office gets a whole /64 and may pick any address in it)."""
    try:
        address = ipaddress.ip_address(ip.split("%", 1)[0])
    except ValueError:
        return ip[:64]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def attempt_name(db: Session, username: str, secret: str) -> str:
    """What the throttle stores for a typed user name: the account's name, or a keyed digest of
    what was typed when no account has it (someone may have typed a password there). The digest
    keeps each unknown name its own counter, as a known name has: a 429 tells nothing about which
    names exist."""
    typed = username.strip().lower()[:64]
    if db.scalar(select(Account.id).where(func.lower(Account.username) == typed)) is not None:
        return typed
    digest = hmac.new(secret.encode("utf-8"), typed.encode("utf-8"), hashlib.sha256).hexdigest()
    return "?" + digest[:40]


@dataclass(frozen=True)
class LoginBlock:
    seconds: int          # still to wait
    since: datetime       # the failure that started this wait


def _wait(db: Session, condition: Any, threshold: int, window_minutes: int,
          now: datetime) -> tuple[float, datetime | None]:
    """(Seconds still to wait, the last failure) for failures matching ``condition`` in the window."""
    since = now - timedelta(minutes=window_minutes)
    count, last = db.execute(select(func.count(), func.max(LoginAttempt.at)).where(
        condition, LoginAttempt.at >= since, LoginAttempt.success.is_(False))).one()
    if not count or count < threshold:
        return 0.0, None
    wait = min(FIRST_WAIT_SECONDS * 2 ** min(count - threshold, 20), window_minutes * 60)
    return max(0.0, wait - (now - last).total_seconds()), last


def known_address(db: Session, name: str, group: str) -> bool:
    """Whether the account logged in from this address (group) before."""
    return db.scalar(select(LoginAttempt.id).where(
        LoginAttempt.username == name, LoginAttempt.ip == group, LoginAttempt.success.is_(True)).limit(1)) is not None


def login_block(db: Session, name: str, ip: str, *, max_failures: int, window_minutes: int,
                now: datetime | None = None) -> LoginBlock | None:
    """Whether this address must wait before trying the account ``name`` (an :func:`attempt_name`)
    again. Failures count per account *and* address, per address over all accounts
    (:data:`ADDRESS_FACTOR` times as many) and per account over all addresses
    (:data:`ACCOUNT_FACTOR` times as many; addresses the account logged in from before are spared
    that one). Addresses are grouped by :func:`address_group`. Each failure past a limit doubles
    the wait."""
    now = now or utcnow()
    group = address_group(ip)
    waits = [_wait(db, (LoginAttempt.username == name) & (LoginAttempt.ip == group), max_failures,
                   window_minutes, now),
             _wait(db, LoginAttempt.ip == group, ADDRESS_FACTOR * max_failures, window_minutes, now)]
    account = _wait(db, LoginAttempt.username == name, ACCOUNT_FACTOR * max_failures, window_minutes, now)
    if account[0] and not known_address(db, name, group):
        waits.append(account)
    seconds, since = max(waits, key=lambda w: w[0])
    return LoginBlock(math.ceil(seconds), since) if seconds > 0 and since is not None else None


def login_wait(db: Session, name: str, ip: str, *, max_failures: int, window_minutes: int,
               now: datetime | None = None) -> int:
    """Seconds before this address may try this account again (0: now); see :func:`login_block`."""
    block = login_block(db, name, ip, max_failures=max_failures, window_minutes=window_minutes, now=now)
    return block.seconds if block else 0


def record_login(db: Session, name: str, ip: str, success: bool) -> None:
    group = address_group(ip)
    db.add(LoginAttempt(username=name, ip=group, success=success, at=utcnow()))
    if success:  # the owner's success forgets only the failures from where the owner is
        db.execute(delete(LoginAttempt).where(LoginAttempt.username == name, LoginAttempt.ip == group,
                                              LoginAttempt.success.is_(False)))
    # Old attempts are of no use; a success is kept longer, as the mark of a known address.
    now = utcnow()
    db.execute(delete(LoginAttempt).where(LoginAttempt.at < now - KEEP_FAILURES, LoginAttempt.success.is_(False)))
    db.execute(delete(LoginAttempt).where(LoginAttempt.at < now - KEEP_SUCCESSES))


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
