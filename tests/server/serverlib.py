"""A real server on 127.0.0.1 for tests that need HTTP (kiosk sync, the browser), and a plain
static file server that plays a mirror or an attacker replaying old files."""
from __future__ import annotations

import functools
import http.server
import socket
import threading
import time
from pathlib import Path
from typing import Any


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """uvicorn serving ``app`` in a thread, on 127.0.0.1 only."""

    def __init__(self, app: Any):
        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on",
                                access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="live-server", daemon=True)

    def start(self) -> "LiveServer":
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:  # noqa: D401
        pass


class StaticServer:
    def __init__(self, root: Path):
        self.root = Path(root)
        handler = functools.partial(_Quiet, directory=str(self.root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> "StaticServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class MemoryTarget:
    """The smallest kiosk catalogue for sync.client: it keeps the last accepted document."""

    def __init__(self) -> None:
        self.version = 0
        self.doc: dict | None = None

    def current_version(self) -> int:
        return self.version

    def pending_version(self) -> int | None:
        return None

    def accept(self, doc: dict, raw: bytes) -> str:
        self.version, self.doc = doc["version"], doc
        return "applied"


def fast_options():
    from sync.client import ClientOptions

    return ClientOptions(connect_timeout=3, read_timeout=5, deadline=20, retries=0, backoff_factor=0,
                         backoff_jitter=0)
