"""The kiosk's heartbeat: one small POST to the server after each sync attempt, best effort."""
from __future__ import annotations

import json
import logging
import threading
from typing import Any

from sync.client.http import ClientOptions, make_session

log = logging.getLogger(__name__)


def post_heartbeat(url: str, payload: dict[str, Any], *, token: str | None = None,
                   timeout: tuple[float, float] = (3.0, 5.0),
                   user_agent: str = ClientOptions.user_agent) -> bool:
    """POST the kiosk's heartbeat once: no retries, no redirects; True when the server took it.
    Never raises."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    try:
        with make_session(ClientOptions(retries=0, user_agent=user_agent)) as session:
            resp = session.post(url, data=body, headers=headers, timeout=timeout,
                                allow_redirects=False, stream=True)
            with resp:
                return 200 <= resp.status_code < 300
    except Exception as exc:  # noqa: BLE001 - best effort
        log.info("heartbeat to %s failed: %s", url, exc)
        return False


def send_heartbeat(url: str | None, payload: dict[str, Any], *, token: str | None = None,
                   **kwargs: Any) -> threading.Thread | None:
    """Post the heartbeat from a daemon thread, so nothing ever waits for it."""
    if not url:
        return None
    thread = threading.Thread(target=post_heartbeat, args=(url, payload),
                              kwargs={"token": token, **kwargs}, name="heartbeat", daemon=True)
    thread.start()
    return thread
