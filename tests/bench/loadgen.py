"""A small open-loop HTTP/1.1 load generator on asyncio (loopback only, bounded in count and
time). Requests are started on a fixed schedule whatever the answers do, and each latency is
measured from the moment the request was due, so a server that falls behind shows it (no
"coordinated omission"). Connections are kept alive and reused; ``fresh=True`` opens a new one
(TLS handshake included) per request, as a kiosk polling every 15 minutes does."""
from __future__ import annotations

import asyncio
import ssl
import time
from dataclasses import dataclass, field
from typing import Callable


@dataclass
class Result:
    rate: float
    seconds: float
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0
    late_start: float = 0.0  # how far behind schedule the generator itself started requests

    @property
    def count(self) -> int:
        return len(self.latencies) + self.errors

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("inf")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    @property
    def failed(self) -> int:
        return self.errors + sum(n for s, n in self.statuses.items() if s >= 400)

    def summary(self) -> dict:
        return {"target_rps": self.rate, "seconds": self.seconds, "requests": self.count,
                "achieved_rps": round(self.count / self.seconds, 1),
                "p50_ms": round(self.percentile(50) * 1000, 1), "p99_ms": round(self.percentile(99) * 1000, 1),
                "max_ms": round(max(self.latencies, default=0) * 1000, 1),
                "errors": self.failed, "statuses": dict(sorted(self.statuses.items())),
                "generator_late_ms": round(self.late_start * 1000, 1)}


async def _read_response(reader: asyncio.StreamReader) -> int:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("closed")
    status = int(status_line.split()[1])
    length, chunked, close = 0, False, False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value.strip())
        elif name == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
        elif name == "connection" and "close" in value.lower():
            close = True
    if status == 304 or status < 200:
        length = 0
    if chunked:
        while True:
            size = int((await reader.readline()).strip() or b"0", 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    return -status if close else status


class Pool:
    def __init__(self, host: str, port: int, tls: ssl.SSLContext | None):
        self.host, self.port, self.tls = host, port, tls
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []

    async def _open(self):
        return await asyncio.open_connection(self.host, self.port, ssl=self.tls,
                                             server_hostname=self.host if self.tls else None)

    async def close_idle(self) -> None:
        """Close the kept-alive connections: they belong to the event loop that opened them, and
        left to the garbage collector they stayed open at nginx (after a 3,200/s step, enough of
        them to refuse every connection of the next ramp)."""
        idle, self.idle = self.idle, []
        for _reader, writer in idle:
            writer.close()
        closing = asyncio.gather(*(writer.wait_closed() for _reader, writer in idle),
                                 return_exceptions=True)
        try:
            await asyncio.wait_for(closing, 5.0)
        except asyncio.TimeoutError:
            pass              # a peer that never answers the TLS close: its socket is closed

    async def send(self, raw: bytes, fresh: bool) -> int:
        conn = self.idle.pop() if self.idle and not fresh else await self._open()
        reader, writer = conn
        try:
            writer.write(raw)
            await writer.drain()
            status = await _read_response(reader)
        except BaseException:
            writer.close()
            raise
        if status < 0 or fresh:
            writer.close()
            return abs(status)
        self.idle.append(conn)
        return status


async def run(pool: Pool, make_request: Callable[[int], bytes], *, rate: float, seconds: float,
              fresh: bool = False, timeout: float = 5.0) -> Result:
    result = Result(rate, seconds)
    start = time.perf_counter()
    total = int(rate * seconds)
    tasks = []

    async def one(i: int, due: float) -> None:
        try:
            status = await asyncio.wait_for(pool.send(make_request(i), fresh), timeout)
        except (OSError, asyncio.TimeoutError, ConnectionError, asyncio.IncompleteReadError, ValueError):
            result.errors += 1
            return
        result.latencies.append(time.perf_counter() - due)
        result.statuses[status] = result.statuses.get(status, 0) + 1

    for i in range(total):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            result.late_start = max(result.late_start, -delay)
        tasks.append(asyncio.ensure_future(one(i, due)))
    await asyncio.gather(*tasks)
    await pool.close_idle()               # a run's connections end with its event loop
    return result
