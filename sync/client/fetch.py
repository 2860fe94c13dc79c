"""One streamed, capped GET: conditional headers, redirects hop by hop, gunzip under the cap.

The body is read as raw bytes; a ``Content-Encoding: gzip`` layer and a gzip file (the ``.gz`` the
publisher writes) are both undone here, under the same cap, so a gzip bomb stops at the cap.
"""
from __future__ import annotations

import io
import zlib
from dataclasses import dataclass
from typing import Callable
from urllib.parse import urljoin

import requests
import urllib3

from sync.client.hops import HopPolicy
from sync.client.http import ClientOptions, SyncError, check_guard, current_guard

FEED_NAME = "feed.json"
GZIP_MAGIC = b"\x1f\x8b"
REDIRECTS = frozenset({301, 302, 303, 307, 308})


class _Gunzip:
    """Streaming gunzip whose output is capped (a gzip bomb stops at the cap)."""

    def __init__(self, limit: int):
        self.limit = limit
        self.size = 0
        self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)

    def feed(self, data: bytes) -> bytes:
        out = []
        while data:
            if self._d.eof:
                raise SyncError("bad_encoding", "data after the end of the gzip stream")
            try:
                chunk = self._d.decompress(data, self.limit - self.size + 1)
            except zlib.error as exc:
                raise SyncError("bad_encoding", f"gzip: {exc}") from exc
            self.size += len(chunk)
            if self.size > self.limit:
                raise SyncError("too_large", f"more than {self.limit} bytes after gunzip")
            out.append(chunk)
            data = self._d.unconsumed_tail or (self._d.unused_data if self._d.eof else b"")
        return b"".join(out)

    def finish(self) -> None:
        if not self._d.eof:
            raise SyncError("truncated", "the gzip stream ends early")


@dataclass
class Fetched:
    url: str
    status: int
    body: bytes | None
    etag: str | None
    last_modified: str | None
    wire_bytes: int

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def _network_error(exc: BaseException, url: str) -> SyncError:
    guard = current_guard()
    if guard is not None and guard.tripped:
        return SyncError(guard.reason or "deadline", f"{url}: stopped")
    text = f"{url}: {type(exc).__name__}: {exc}"[:300]
    seen: list[BaseException] = []
    todo = [exc]
    while todo and len(seen) < 16:
        e = todo.pop()
        if e is None or any(e is s for s in seen):
            continue
        seen.append(e)
        todo += [e.__cause__, e.__context__, getattr(e, "reason", None)]
        todo += [a for a in getattr(e, "args", ()) if isinstance(a, BaseException)]
    errors = urllib3.exceptions
    if any(isinstance(e, errors.NewConnectionError) for e in seen):
        return SyncError("connection_error", text)
    if any(isinstance(e, (requests.Timeout, errors.ReadTimeoutError, errors.ConnectTimeoutError,
                          TimeoutError)) for e in seen):
        return SyncError("timeout", text)
    if any(isinstance(e, errors.IncompleteRead) or type(e).__name__ == "IncompleteRead" for e in seen):
        return SyncError("truncated", text)
    return SyncError("connection_error", text)


def _get(session: requests.Session, url: str, headers: dict[str, str],
         options: ClientOptions) -> requests.Response:
    check_guard()
    try:
        return session.get(url, headers=headers, stream=True, allow_redirects=False,
                           timeout=(options.connect_timeout, options.read_timeout))
    except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
        raise _network_error(exc, url) from exc


def open_url(session: requests.Session, url: str, headers: dict[str, str], options: ClientOptions,
             policy: HopPolicy | None) -> tuple[str, requests.Response]:
    """GET ``url``, following at most ``options.max_redirects`` redirects, each hop checked by
    ``policy`` before it is requested. Returns the final URL and its (streaming) response."""
    for _hop in range(options.max_redirects + 1):
        if policy is not None:
            policy.check(url)
        resp = _get(session, url, headers, options)
        location = resp.headers.get("Location")
        if resp.status_code not in REDIRECTS or not location:
            return url, resp
        resp.close()
        url = urljoin(url, location.strip())
    raise SyncError("too_many_redirects", f"more than {options.max_redirects} redirects, last to {url[:100]}")


def _read_body(resp: requests.Response, url: str, max_bytes: int, options: ClientOptions,
               gunzip: bool) -> tuple[bytes, int]:
    """The body, un-gzipped and capped, and the bytes it took on the wire."""
    encoding = (resp.headers.get("Content-Encoding") or "identity").strip().lower()
    if encoding not in ("identity", "gzip", "x-gzip"):
        raise SyncError("bad_encoding", f"{url}: Content-Encoding {encoding}")
    layers: list[_Gunzip] = [_Gunzip(max_bytes)] if encoding != "identity" else []
    out = io.BytesIO()
    wire = 0
    head = b""               # the first bytes, until we know whether they are a gzip file
    decided = not gunzip
    while True:
        check_guard()
        chunk = resp.raw.read1(options.chunk_size, decode_content=False)
        if not chunk:
            break
        wire += len(chunk)
        if wire > max_bytes:
            raise SyncError("too_large", f"{url}: more than {max_bytes} bytes")
        for layer in layers:
            chunk = layer.feed(chunk)
        if not decided:
            head += chunk
            if len(head) < 2:
                continue
            decided, chunk, head = True, head, b""
            if chunk[:2] == GZIP_MAGIC:
                layers.append(_Gunzip(max_bytes))
                chunk = layers[-1].feed(chunk)
        out.write(chunk)
        if out.tell() > max_bytes:
            raise SyncError("too_large", f"{url}: more than {max_bytes} bytes")
    out.write(head)
    check_guard()
    for layer in layers:
        layer.finish()
    return out.getvalue(), wire


def fetch(session: requests.Session, url: str, *, max_bytes: int, options: ClientOptions,
          etag: str | None = None, last_modified: str | None = None,
          gunzip: bool = True, policy: HopPolicy | None = None,
          on_body: Callable[[], None] | None = None) -> Fetched:
    """GET ``url`` into memory: conditional, redirects checked hop by hop, streamed, capped on
    the wire and after gunzip. ``on_body()`` is called once a 200's body is about to be read."""
    headers = {"Accept-Encoding": "gzip"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    url, resp = open_url(session, url, headers, options, policy)
    with resp:
        if resp.status_code == 304:
            return Fetched(url, 304, None, resp.headers.get("ETag") or etag,
                           resp.headers.get("Last-Modified") or last_modified, 0)
        if resp.status_code != 200:
            raise SyncError("http_status", f"HTTP {resp.status_code} from {url}")
        length = resp.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > max_bytes:
            raise SyncError("too_large", f"{url}: Content-Length {length} (at most {max_bytes})")
        if on_body is not None:
            on_body()
        try:
            body, wire = _read_body(resp, url, max_bytes, options, gunzip)
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError, ValueError) as exc:
            raise _network_error(exc, url) from exc
        if length and length.isdigit() and wire < int(length):
            raise SyncError("truncated", f"{url}: {wire} of {length} bytes")
        return Fetched(url, 200, body, resp.headers.get("ETag"), resp.headers.get("Last-Modified"), wire)


def feed_urls(feed_url: str) -> tuple[str, str]:
    """(URL of the gzipped feed, URL of its signature) for a configured feed URL.

    ``https://host/path/`` and ``https://host/path/feed.json`` both mean the directory that
    ``kiosk-feed build`` wrote; ``.../feed.json.gz`` names the compressed file directly.
    """
    if feed_url.endswith("/"):
        feed_url += FEED_NAME
    if feed_url.endswith(".gz"):
        return feed_url, feed_url[:-3] + ".sig"
    return feed_url + ".gz", feed_url + ".sig"
