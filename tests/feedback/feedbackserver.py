"""A real HTTP server on 127.0.0.1 that plays the municipal server's two feedback routes.

It parses with the contract (:mod:`sync.feed.telemetry`), checks the bearer token, is idempotent by
id like the real one must be (a repeat is accepted, not counted), and can be told to misbehave on
the next requests: ``drop_before`` (close the connection without reading on), ``drop_after_commit``
(store, then close the connection without an answer), ``500``, or ``accept:N`` (store and accept
only the first N items).
"""
from __future__ import annotations

import json
import socket
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from sync.feed import telemetry


class FeedbackServer:
    def __init__(self, token: str = "kiosk-token-1"):
        self.token = token
        self.faults: list[str] = []
        self.seen: set[tuple[str, str]] = set()
        self.counts: Counter[str] = Counter()
        self.terms: Counter[str] = Counter()
        self.reports: list[telemetry.ReportIn] = []
        self.records: list[telemetry.UsageHour] = []
        self.user_agents: set[str] = set()
        self.posts = 0
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}/api/"

    def __enter__(self) -> "FeedbackServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def next_fault(self) -> str:
        with self.lock:
            self.posts += 1
            return self.faults.pop(0) if self.faults else ""

    def store(self, kind: str, items: list, limit: int | None) -> list[str]:
        accepted = []
        with self.lock:
            for item in items[:limit]:
                key = (kind, str(item.id))
                if key not in self.seen:
                    self.seen.add(key)
                    if kind == "reports":
                        self.reports.append(item)
                    else:
                        self.records.append(item)
                        self.counts.update(item.counts)
                        self.terms.update(item.unmet_searches)
                accepted.append(str(item.id))
        return accepted


def _handler(server: FeedbackServer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:
            pass

        def _answer(self, status: int, payload: dict) -> None:
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _drop(self) -> None:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)

        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            server.user_agents.add(self.headers.get("User-Agent", ""))
            kind = {"/api/reports": "reports", "/api/usage": "usage"}.get(self.path)
            if kind is None:
                return self._answer(404, {"error": "not found"})
            if self.headers.get("Authorization") != f"Bearer {server.token}":
                return self._answer(401, {"error": "a kiosk token is required"})
            length = int(self.headers.get("Content-Length") or 0)
            cap = telemetry.MAX_REPORTS_BYTES if kind == "reports" else telemetry.MAX_USAGE_BYTES
            if length > cap:
                return self._answer(413, {"error": "too large"})
            body = self.rfile.read(length)
            fault = server.next_fault()
            if fault == "drop_before":
                return self._drop()
            if fault == "500":
                return self._answer(500, {"error": "busy"})
            try:
                post = telemetry.parse_reports(body) if kind == "reports" else telemetry.parse_usage(body)
            except telemetry.TelemetryError as exc:
                return self._answer(422 if exc.code == "invalid" else 413, {"error": str(exc)})
            items = post.reports if kind == "reports" else post.hours
            limit = int(fault.split(":")[1]) if fault.startswith("accept:") else None
            accepted = server.store(kind, list(items), limit)
            if fault == "drop_after_commit":
                return self._drop()
            self._answer(200, {"accepted": accepted})

    return Handler
