"""Helpers of the sync tests: a local feed server on 127.0.0.1 with fault injection, signed feeds,
kiosk configurations, a scaled-up feed. Nothing here reaches the network."""
from __future__ import annotations

import copy
import gzip
import hashlib
import http.server
import socket
import struct
import threading
import time
import uuid
from email.utils import formatdate
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable

from factories import make_feed

from sync.feed import document as feedmod
from sync.feed import signing
from sync.client import ClientOptions
from sync.feed.files import write_atomic
from sync.publish.build import normalize

FAST = ClientOptions(connect_timeout=1.0, read_timeout=1.0, deadline=6.0, retries=2,
                     backoff_factor=0.05, backoff_max=0.2, backoff_jitter=0.05, retry_after_max=2.0,
                     max_feed_bytes=4 * 1024 * 1024, user_agent="kiosk-test")


def clean_feed(version: int = 1, **envelope: Any) -> dict[str, Any]:
    """The factory feed as a publisher would publish it (no nulls: HSDS types forbid them)."""
    doc = normalize(make_feed(version))
    doc.update(envelope)
    return doc


def scaled_feed(n: int, version: int = 1, tag: str = "") -> dict[str, Any]:
    """``n`` services cloned from the factory feed, each with its own ids (uuid5 of its index)."""
    base = clean_feed(version)
    ns = uuid.UUID("11111111-2222-3333-4444-555555555555")
    templates = base["services"]

    def remap(obj: Any, i: int) -> Any:
        if isinstance(obj, dict):
            return {k: (str(uuid.uuid5(ns, f"{i}:{v}")) if k == "id" else remap(v, i)) for k, v in obj.items()}
        if isinstance(obj, list):
            return [remap(x, i) for x in obj]
        return obj

    services = []
    for i in range(n):
        s = copy.deepcopy(templates[i % len(templates)])
        org, attrs = s.pop("organization"), s.pop("attributes")
        s = remap(s, i)
        s["organization"] = org
        s["attributes"] = [dict(a, id=str(uuid.uuid5(ns, f"{i}:{a['id']}"))) for a in attrs]
        s["name"] = f"{s['name']} {i}{tag}"
        services.append(s)
    base["services"] = services
    return base


class Publisher:
    """Writes signed feed directories the way ``kiosk-feed build`` lays them out, but from any
    bytes (so tests can sign broken feeds)."""

    def __init__(self, root: Path, key: signing.SecretKey | None = None):
        self.root = Path(root)
        self.key = key or signing.generate()

    @property
    def public_b64(self) -> str:
        return self.key.public.b64

    def publish(self, doc: dict[str, Any] | None = None, *, raw: bytes | None = None,
                key: signing.SecretKey | None = None, assets: dict[str, bytes] | None = None) -> bytes:
        data = raw if raw is not None else feedmod.dumps(doc)
        for sha, content in (assets or {}).items():
            write_atomic(self.root / "assets" / sha, content)
        write_atomic(self.root / "feed.json", data)
        write_atomic(self.root / "feed.json.gz", gzip.compress(data, mtime=0))
        sig = signing.sign(data, key or self.key, trusted_comment="timestamp:0\tfile:feed.json")
        write_atomic(self.root / "feed.json.sig", sig.to_text().encode())
        return data


# ------------------------------------------------------------------------------- the server


class FeedServer(http.server.ThreadingHTTPServer):
    """Serves ``root`` with ETag and Last-Modified (conditional GET), records every request,
    and plays a fault for a path when one is set in ``faults``."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, root: Path):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.root = Path(root)
        self.faults: dict[str, Callable[[http.server.BaseHTTPRequestHandler], None]] = {}
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.heartbeats: list[bytes] = []
        self.stopping = threading.Event()
        self.etags = True
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def start(self) -> "FeedServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.shutdown()
        self.server_close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], (ConnectionError, OSError)):
            super().handle_error(request, client_address)  # clients hanging up are the point here

    def count(self, path: str) -> int:
        return sum(1 for method, p, _h in self.requests if p == path and method == "GET")


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: FeedServer

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        self.server.requests.append(("GET", path, dict(self.headers)))
        fault = self.server.faults.get(path) or self.server.faults.get("*")
        if fault is not None and fault(self) is not False:
            return
        self.serve_file(path)

    def do_POST(self) -> None:
        self.server.requests.append(("POST", self.path, dict(self.headers)))
        length = int(self.headers.get("Content-Length") or 0)
        self.server.heartbeats.append(self.rfile.read(length))
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def serve_file(self, path: str) -> None:
        file = (self.server.root / path.lstrip("/")).resolve()
        if not str(file).startswith(str(self.server.root.resolve())) or not file.is_file():
            self.send_error(404)
            return
        data = file.read_bytes()
        etag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"'
        modified = formatdate(int(file.stat().st_mtime), usegmt=True)
        inm = self.headers.get("If-None-Match")
        if (self.server.etags and inm == etag) or (not self.server.etags and
                                                   self.headers.get("If-Modified-Since") == modified):
            self.send_response(304)
            if self.server.etags:
                self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Content-Type", "application/octet-stream")
        if self.server.etags:
            self.send_header("ETag", etag)
        self.send_header("Last-Modified", modified)
        self.end_headers()
        self.wfile.write(data)


# ------------------------------------------------------------------------------- faults


def status(code: int, retry_after: str | None = None, times: int | None = None):
    left = {"n": times}

    def fault(h: _Handler):
        if left["n"] is not None:
            if left["n"] <= 0:
                return False  # serve normally from now on
            left["n"] -= 1
        body = b"server error"
        h.send_response(code)
        if retry_after is not None:
            h.send_header("Retry-After", retry_after)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)
    return fault


def redirect(location: str, code: int = 302):
    """Answer with a redirect to ``location`` (absolute or relative)."""
    def fault(h: _Handler) -> None:
        h.send_response(code)
        h.send_header("Location", location)
        h.send_header("Content-Length", "0")
        h.end_headers()
    return fault


def _file(h: _Handler) -> bytes:
    return (h.server.root / h.path.split("?")[0].lstrip("/")).read_bytes()


def hang(h: _Handler) -> None:
    """Accept the request and never answer."""
    h.server.stopping.wait(30)
    h.close_connection = True


def trickle_body(interval: float = 1.0):
    """Headers at once, then one byte every ``interval`` seconds."""
    def fault(h: _Handler) -> None:
        data = _file(h)
        h.send_response(200)
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.flush()
        for i in range(len(data)):
            if h.server.stopping.wait(interval):
                break
            try:
                h.wfile.write(data[i:i + 1])
                h.wfile.flush()
            except OSError:
                break
        h.close_connection = True
    return fault


def trickle_headers(interval: float = 0.5):
    """The status line itself, one byte at a time."""
    def fault(h: _Handler) -> None:
        line = b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n"
        for i in range(len(line)):
            if h.server.stopping.wait(interval):
                break
            try:
                h.wfile.write(line[i:i + 1])
                h.wfile.flush()
            except OSError:
                break
        h.close_connection = True
    return fault


def reset_mid_body(h: _Handler) -> None:
    data = _file(h)
    h.send_response(200)
    h.send_header("Content-Length", str(len(data)))
    h.end_headers()
    h.wfile.write(data[: len(data) // 2])
    h.wfile.flush()
    time.sleep(0.05)
    # SO_LINGER with a zero timeout: close() sends a TCP RST instead of a FIN.
    h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    h.connection.close()
    h.close_connection = True


def truncated(h: _Handler) -> None:
    data = _file(h)
    h.send_response(200)
    h.send_header("Content-Length", str(len(data)))
    h.end_headers()
    h.wfile.write(data[: len(data) // 2])
    h.wfile.flush()
    h.connection.shutdown(socket.SHUT_RDWR)
    h.close_connection = True


def truncated_no_length(h: _Handler) -> None:
    """Half of the gzip file, then a clean close, with no Content-Length to tell."""
    data = _file(h)
    h.send_response(200)
    h.send_header("Connection", "close")
    h.end_headers()
    h.wfile.write(data[: len(data) // 2])
    h.wfile.flush()
    h.close_connection = True


def oversized(size: int, declare: bool = True):
    def fault(h: _Handler) -> None:
        h.send_response(200)
        if declare:
            h.send_header("Content-Length", str(size))
        else:
            h.send_header("Connection", "close")
        h.end_headers()
        chunk = b"\0" * 65536
        sent = 0
        try:
            while sent < size and not h.server.stopping.is_set():
                h.wfile.write(chunk)
                sent += len(chunk)
        except OSError:
            pass
        h.close_connection = True
    return fault


def endless(h: _Handler) -> None:
    """A chunked body that never ends."""
    h.send_response(200)
    h.send_header("Transfer-Encoding", "chunked")
    h.end_headers()
    chunk = b"%x\r\n%s\r\n" % (65536, b"x" * 65536)
    try:
        while not h.server.stopping.is_set():
            h.wfile.write(chunk)
    except OSError:
        pass
    h.close_connection = True


def gzip_bomb(size: int):
    bomb = gzip.compress(b"\0" * size, mtime=0)

    def fault(h: _Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", str(len(bomb)))
        h.end_headers()
        h.wfile.write(bomb)
    return fault


# ------------------------------------------------------------------------------- kiosk config


def kiosk_config(tmp_path: Path, feed_url: str | None, public_keys: list[str], **sync: Any) -> SimpleNamespace:
    data = Path(tmp_path) / "data"
    kiosk = SimpleNamespace(id="test-kiosk", data_dir=data, database=data / "catalogue.sqlite3",
                            stale_after_days=7)
    fields = dict(feed_url=feed_url, public_keys=tuple(public_keys), interval_minutes=15,
                  heartbeat_url=None, token=None, max_feed_bytes=FAST.max_feed_bytes)
    fields.update(sync)
    return SimpleNamespace(kiosk=kiosk, sync=SimpleNamespace(**fields))


def refused_port() -> int:
    """A port on 127.0.0.1 where nothing listens."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def make_kiosk(tmp_path, url, keys, *, deferred=False, options=FAST, version=1, **sync):
    """A kiosk (config, catalogue at ``version``, Updates) in ``tmp_path``."""
    from kiosk.catalogue.store import Catalogue
    from kiosk.updates import Updates

    config = kiosk_config(tmp_path, url, keys, **sync)
    config.kiosk.data_dir.mkdir(parents=True, exist_ok=True)
    catalogue = Catalogue(config.kiosk.database)
    catalogue.create_schema()
    catalogue.load(clean_feed(version), source="test")
    service = Updates(config, catalogue, deferred=deferred, options=options)
    return SimpleNamespace(config=config, catalogue=catalogue, service=service)
