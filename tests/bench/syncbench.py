"""A feed server on 127.0.0.1 that counts the bytes it sends and receives, for the sync figures.

It serves a directory as a static web server does (``kiosk-feed build`` output): ``ETag`` (a hash
of the file) and ``Last-Modified`` on every file, ``304 Not Modified`` to a matching
``If-None-Match`` (or ``If-Modified-Since``). Every byte written to or read from the sockets is
counted (status lines, headers and bodies: what the kiosk's TCP connection carries, without the
TCP/IP headers), with the list of requests, so a sync's cost on the wire is what this server saw.
"""
from __future__ import annotations

import hashlib
import http.server
import threading
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path
from typing import Any


class _CountingWriter:
    def __init__(self, raw, server: "CountingServer"):
        self.raw, self.server = raw, server

    def write(self, data) -> int:
        n = self.raw.write(data)
        with self.server.lock:
            self.server.sent += len(data)
        return n

    def flush(self) -> None:
        self.raw.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)


class _CountingReader:
    def __init__(self, raw, server: "CountingServer"):
        self.raw, self.server = raw, server

    def _count(self, data: bytes) -> bytes:
        with self.server.lock:
            self.server.received += len(data)
        return data

    def readline(self, *args) -> bytes:
        return self._count(self.raw.readline(*args))

    def read(self, *args) -> bytes:
        return self._count(self.raw.read(*args))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "CountingServer"

    def setup(self) -> None:
        super().setup()
        self.wfile = _CountingWriter(self.wfile, self.server)
        self.rfile = _CountingReader(self.rfile, self.server)

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        file = (self.server.root / path.lstrip("/")).resolve()
        if not str(file).startswith(str(self.server.root.resolve())) or not file.is_file():
            self.server.log.append(("GET", path, 404))
            self.send_error(404)
            return
        etag, modified = self.server.validators(file)
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        fresh = (inm == etag) if inm else bool(ims) and _not_after(modified, ims)
        if fresh:
            self.server.log.append(("GET", path, 304))
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", modified)
            self.end_headers()
            return
        data = file.read_bytes()
        self.server.log.append(("GET", path, 200))
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", modified)
        self.end_headers()
        self.wfile.write(data)


def _not_after(modified: str, since: str) -> bool:
    try:
        return parsedate_to_datetime(modified) <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False


class CountingServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.root = Path(root)
        self.lock = threading.Lock()
        self.sent = 0
        self.received = 0
        self.log: list[tuple[str, str, int]] = []
        self._validators: dict[tuple, tuple[str, str]] = {}
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def validators(self, file: Path) -> tuple[str, str]:
        st = file.stat()
        key = (str(file), st.st_mtime_ns, st.st_size)
        if key not in self._validators:
            h = hashlib.sha256()
            with open(file, "rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    h.update(chunk)
            self._validators[key] = ('"' + h.hexdigest()[:20] + '"', formatdate(int(st.st_mtime), usegmt=True))
        return self._validators[key]

    def reset(self) -> None:
        with self.lock:
            self.sent = self.received = 0
            self.log = []

    def start(self) -> "CountingServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
