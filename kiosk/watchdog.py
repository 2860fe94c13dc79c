"""systemd's notify protocol, spoken by the kiosk so a frozen screen is restarted, not only a dead one.

The unit (``deploy/elbasan-kiosk.service``) says ``Type=notify`` and ``WatchdogSec=``: systemd
hands the process ``$NOTIFY_SOCKET`` (a Unix datagram socket; a leading ``@`` names an abstract
one) and ``$WATCHDOG_USEC``. The kiosk sends ``READY=1`` once its welcome screen is drawn, then
``WATCHDOG=1`` at half the watchdog period, from :meth:`Watchdog.tick`, which the Kivy main loop
calls: pings come only while the loop turns, so a loop stuck in a callback stops them and systemd
kills and restarts the kiosk after ``WatchdogSec``. The protocol is one datagram of
``KEY=value`` lines (sd_notify(3)); no library is needed.
"""
from __future__ import annotations

import logging
import os
import socket
import time
from typing import Callable, Mapping, Optional

log = logging.getLogger(__name__)

#: ping at this fraction of the watchdog period (systemd's own advice is half)
PING_FRACTION = 0.5


def _address(path: str) -> str:
    return "\0" + path[1:] if path.startswith("@") else path


def send(message: str, env: Mapping[str, str] | None = None) -> bool:
    """Send ``message`` to ``$NOTIFY_SOCKET``; False when there is none or it cannot be reached."""
    env = os.environ if env is None else env
    path = env.get("NOTIFY_SOCKET", "")
    if not path or not (path.startswith("/") or path.startswith("@")):
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.sendto(message.encode("utf-8"), _address(path))
    except OSError as exc:
        log.warning("systemd notify socket %s: %s", path, exc)
        return False
    return True


class Watchdog:
    """Tells systemd the kiosk is ready and, each time it is ticked, alive.

    Without ``$WATCHDOG_USEC`` (or when ``$WATCHDOG_PID`` names another process) :meth:`tick`
    sends nothing; without ``$NOTIFY_SOCKET`` nothing is ever sent.
    """

    def __init__(self, env: Mapping[str, str] | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self.env = dict(os.environ if env is None else env)
        self.clock = clock
        self.interval = self._interval(self.env)
        self._last_ping: Optional[float] = None
        self.pings = 0
        self.is_ready = False

    @staticmethod
    def _interval(env: Mapping[str, str]) -> Optional[float]:
        pid = env.get("WATCHDOG_PID", "")
        if pid and pid != str(os.getpid()):
            return None
        try:
            usec = int(env.get("WATCHDOG_USEC", "0"))
        except ValueError:
            return None
        return usec / 1e6 * PING_FRACTION if usec > 0 else None

    @property
    def enabled(self) -> bool:
        return bool(self.env.get("NOTIFY_SOCKET"))

    def ready(self, status: str = "") -> bool:
        """The welcome screen is drawn: ``READY=1`` (with ``STATUS=``), and the first ping."""
        if self.is_ready:
            return True
        self.is_ready = True
        message = "READY=1" + (f"\nSTATUS={status}" if status else "")
        sent = send(message, self.env)
        self._last_ping = self.clock()
        return sent

    def status(self, text: str) -> bool:
        return send(f"STATUS={text}", self.env)

    def tick(self, *_args) -> None:
        """Called by the main loop (``Clock.schedule_interval(watchdog.tick, 0.25)``): sends
        ``WATCHDOG=1`` when half the period has passed since the last one; nothing before
        :meth:`ready`. Returns None, never False, which would unschedule it from Kivy's Clock."""
        if self.interval is None or not self.is_ready:
            return
        now = self.clock()
        if self._last_ping is not None and now - self._last_ping < self.interval:
            return
        self._last_ping = now
        if send("WATCHDOG=1", self.env):
            self.pings += 1

    def stopping(self) -> bool:
        return send("STOPPING=1", self.env)
