"""The staff PIN: its salted hash (for ``[staff] pin_hash``) and the guard on the staff panel.

:func:`hash_pin` makes the configuration's value (scrypt, a new salt each time) and
:func:`verify_pin` checks a PIN against it in constant time. :class:`PinGuard` checks the PIN the
pad sends and keeps the lockout after wrong PINs in a small JSON file, so restarting the kiosk
does not reset it. No Kivy here.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import re
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from kiosk.i18n import _
from sync.feed.files import write_atomic

log = logging.getLogger(__name__)

_SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}
_PIN_RE = re.compile(r"[0-9]{4,8}")
_HASH_RE = re.compile(r"scrypt\$n=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})")


def parse_pin_hash(stored: str) -> tuple[int, int, int, bytes, bytes] | None:
    match = _HASH_RE.fullmatch(stored) if isinstance(stored, str) else None
    if not match:
        return None
    n, r, p = (int(match.group(i)) for i in (1, 2, 3))
    if n < 2 ** 10 or n > 2 ** 16 or n & (n - 1) or not 1 <= r <= 16 or not 1 <= p <= 4:
        return None
    try:
        salt = base64.b64decode(match.group(4), validate=True)
        digest = base64.b64decode(match.group(5), validate=True)
    except ValueError:
        return None
    if len(salt) < 8 or len(digest) < 16:
        return None
    return n, r, p, salt, digest


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(pin.encode("ascii"), salt=salt, n=n, r=r, p=p, dklen=length, maxmem=2 ** 27)


def hash_pin(pin: str) -> str:
    """The ``[staff] pin_hash`` value for ``pin`` (4 to 8 digits), salted, for :func:`verify_pin`."""
    if not isinstance(pin, str) or not _PIN_RE.fullmatch(pin):
        raise ValueError(_("A PIN must be 4 to 8 digits."))
    salt = secrets.token_bytes(16)
    digest = _scrypt(pin, salt, length=32, **_SCRYPT)
    b64 = lambda raw: base64.b64encode(raw).decode("ascii")  # noqa: E731
    return f"scrypt$n={_SCRYPT['n']},r={_SCRYPT['r']},p={_SCRYPT['p']}${b64(salt)}${b64(digest)}"


def verify_pin(pin: str, stored: str | None) -> bool:
    """Whether ``pin`` matches a hash made by :func:`hash_pin`; never raises."""
    parsed = parse_pin_hash(stored) if stored else None
    if parsed is None or not isinstance(pin, str) or not _PIN_RE.fullmatch(pin):
        return False
    n, r, p, salt, digest = parsed
    return hmac.compare_digest(_scrypt(pin, salt, n, r, p, len(digest)), digest)


@dataclass(frozen=True)
class PinResult:
    ok: bool
    locked_for: float = 0.0      # seconds until the pad opens again (0: not locked)
    attempts_left: int = 0


class PinGuard:
    """Checks the staff PIN; after ``max_attempts`` wrong PINs the pad locks.

    Each lockout lasts twice the previous one (30 s, 60 s, 120 s ... at most ``max_delay``) until
    a right PIN is entered. The state lives in ``state_path`` (JSON, written atomically) and uses
    wall-clock time so that a restart does not reset it; a lock that claims to last longer than
    ``max_delay`` (the clock went back) is cut to ``max_delay``.
    """

    def __init__(self, pin_hash: Optional[str], state_path: Path, *,
                 now: Callable[[], float] = time.time, max_attempts: int = 5,
                 base_delay: float = 30.0, max_delay: float = 3600.0,
                 verify: Optional[Callable[[str, Optional[str]], bool]] = None):
        self.pin_hash = pin_hash
        self.state_path = Path(state_path)
        self._now = now
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self._verify = verify or verify_pin
        self._lock = threading.Lock()
        self._state = self._read()

    @property
    def enabled(self) -> bool:
        return bool(self.pin_hash)

    def _read(self) -> dict[str, float]:
        try:
            data = json.loads(self.state_path.read_text(encoding="utf-8"))
            return {"failures": int(data.get("failures", 0)), "lockouts": int(data.get("lockouts", 0)),
                    "locked_until": float(data.get("locked_until", 0.0))}
        except FileNotFoundError:
            return {"failures": 0, "lockouts": 0, "locked_until": 0.0}
        except (OSError, ValueError, TypeError, AttributeError):
            # A damaged file must not open the pad: treat it as one lockout just begun.
            log.warning("PIN state %s unreadable; locking the pad", self.state_path)
            return {"failures": 0, "lockouts": 1, "locked_until": self._now() + self.base_delay}

    def _write(self) -> None:
        write_atomic(self.state_path, json.dumps(self._state).encode("utf-8"), mode=0o600)

    def locked_for(self) -> float:
        """Seconds until a PIN may be tried again; 0 when the pad is open."""
        with self._lock:
            return self._locked_for()

    def _locked_for(self) -> float:
        remaining = self._state["locked_until"] - self._now()
        if remaining <= 0:
            return 0.0
        return min(remaining, self.max_delay)

    @property
    def attempts_left(self) -> int:
        with self._lock:
            return self.max_attempts - int(self._state["failures"])

    def check(self, pin: str) -> PinResult:
        """Try ``pin`` (blocking, ~0.1 s of hashing: call it from a worker thread)."""
        with self._lock:
            wait = self._locked_for()
            if wait > 0:
                return PinResult(False, wait, 0)
            if self._state["locked_until"]:
                # A lock has run out: a fresh round of attempts, the lockout count stays.
                self._state["locked_until"] = 0.0
                self._state["failures"] = 0
            if self.pin_hash and self._verify(pin, self.pin_hash):
                self._state = {"failures": 0, "lockouts": 0, "locked_until": 0.0}
                self._write()
                return PinResult(True, 0.0, self.max_attempts)
            self._state["failures"] += 1
            if self._state["failures"] >= self.max_attempts:
                delay = min(self.base_delay * (2 ** int(self._state["lockouts"])), self.max_delay)
                self._state["lockouts"] += 1
                self._state["failures"] = 0
                self._state["locked_until"] = self._now() + delay
                self._write()
                return PinResult(False, delay, 0)
            self._write()
            return PinResult(False, 0.0, self.max_attempts - int(self._state["failures"]))
