"""Feedback figures (issue 16): how many usage posts a second the real staff server takes from 500
simulated kiosks on 127.0.0.1, and what a busy kiosk keeps on disk after 30 days offline.

* **ingest**: ``kiosk-server run`` (uvicorn, one worker, SQLite in WAL) in its own process; 500
  kiosks (500 tokens made beforehand), each posting its last hour as one ``/api/usage`` record
  of 60 keys (categories, services, QR, language, visits) and 2 unmet terms, from 16 client
  threads at once (each a kiosk's own ``requests`` session). Then the same 500 posts again: the
  idempotent repeat (accepted, not counted). Counted on the server afterwards: every count once.
* **30 days offline**: the busy-kiosk simulation of ``tests/feedback/simulate.py`` (300 visits a
  day of 40 events), bytes of ``feedback.sqlite3`` and its WAL, the largest seen and after close.
"""
from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import requests

from benchlib import record, summarize

pytestmark = pytest.mark.bench
REPO = Path(__file__).resolve().parents[2]
KIOSKS = int(os.environ.get("BENCH_FEEDBACK_KIOSKS", "500"))
THREADS = 16


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server(data: Path) -> tuple[subprocess.Popen, str, list[str]]:
    from sync.server import bootstrap
    from sync.server.config import ServerConfig
    from sync.server.models import Kiosk
    from sync.server.security import new_kiosk_token, token_digest

    state = bootstrap.start(ServerConfig(data_dir=data))
    tokens = [new_kiosk_token() for _ in range(KIOSKS)]
    with state.db.session() as db:
        db.add_all(Kiosk(name=f"kiosk-{i:03d}", token_sha256=token_digest(t), token_hint=t[3:9], created_by="bench",
                         heartbeats=0) for i, t in enumerate(tokens))
    state.db.dispose()
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "sync.server", "--data-dir", str(data), "--port", str(port), "run"],
                            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(base + "/healthz", timeout=1).status_code == 200:
                return proc, base, tokens
        except requests.RequestException:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the server did not start")


def _record(rng: random.Random, hour: datetime, n: int) -> dict:
    counts = {"visit": 6, "visit:1-3m": 4, "visit:3-10m": 2, "lang:sq": 5, "lang:en": 1, "search": 3,
              "search:none": 1, "qr:contact": 2, "slip:ok": 1}
    while len(counts) < 60:
        counts[f"service:{rng.getrandbits(128):032x}"[:44]] = rng.randint(1, 5)
    return {"id": f"{hour:%Y-%m-%dT%H}Z/{n:08x}", "hour": hour.isoformat(), "counts": counts,
            "unmet_searches": {"strehim emergjence": 3, "bono ushqimi": 3}}


def test_usage_ingest_from_500_kiosks(tmp_path):
    proc, base, tokens = _server(tmp_path / "server")
    try:
        rng = random.Random(16)
        hour = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
        bodies = [{"hours": [_record(rng, hour, i)]} for i in range(KIOSKS)]
        local = threading.local()

        def post(i: int) -> float:
            if not hasattr(local, "sessions"):
                local.sessions = {}
            session = local.sessions.setdefault(i, requests.Session())
            start = time.perf_counter()
            r = session.post(base + "/api/usage", json=bodies[i], headers={"Authorization": f"Bearer {tokens[i]}"},
                             timeout=60)
            assert r.status_code == 200 and r.json()["accepted"] == [bodies[i]["hours"][0]["id"]], r.text
            return (time.perf_counter() - start) * 1000

        for label in ("first", "repeat"):
            start = time.perf_counter()
            with ThreadPoolExecutor(THREADS) as pool:
                latencies = list(pool.map(post, range(KIOSKS)))
            wall = time.perf_counter() - start
            stats = summarize(latencies)
            record(f"feedback ingest ({label})", KIOSKS, "posts/s", rate=round(KIOSKS / wall, 1),
                   wall_s=round(wall, 2), **stats)
            print(f"\n{label}: {KIOSKS} usage posts (60 keys each) in {wall:.2f} s = {KIOSKS / wall:.0f} posts/s;"
                  f" latency median {stats['median']:.0f} ms, p95 {stats['p95']:.0f} ms")
    finally:
        proc.terminate()
        proc.wait(10)
    from sqlalchemy import func, select

    from sync.server.db import Database
    from sync.server.feedback_models import UsageCount

    db = Database(tmp_path / "server" / "server.sqlite3") if (tmp_path / "server" / "server.sqlite3").exists() \
        else Database(next((tmp_path / "server").glob("*.sqlite3")))
    with db.session() as s:
        visits = s.scalar(select(func.sum(UsageCount.n)).where(UsageCount.key == "visit"))
    db.dispose()
    assert visits == 6 * KIOSKS   # the repeat counted nothing


class Clock:
    """Wall time and a monotonic clock that move only when the simulation says (as tests/feedback)."""

    def __init__(self, start: datetime):
        self.now, self.mono = start, 1000.0

    def __call__(self) -> datetime:
        return self.now

    def monotonic(self) -> float:
        return self.mono

    def advance(self, **delta: float) -> None:
        step = timedelta(**delta)
        self.now += step
        self.mono += step.total_seconds()


def test_kiosk_storage_after_30_days_offline():
    sys.path.insert(0, str(REPO / "tests" / "feedback"))
    from simulate import Simulation

    from kiosk.feedback.store import FeedbackStore
    from kiosk.feedback.visits import Visits

    with tempfile.TemporaryDirectory() as tmp:
        clock = Clock(datetime(2026, 3, 2, 7, 0, tzinfo=timezone.utc))
        store = FeedbackStore.in_dir(tmp, clock=clock, visits=Visits(clock=clock.monotonic))
        sim = Simulation(store, clock, seed=30)
        largest = 0
        for _ in range(30):
            sim.day()
            largest = max(largest, store.bytes_on_disk())
        waiting = store.waiting()
        store.close()
        closed = store.bytes_on_disk()
    record("feedback storage, 30 days offline", sim.visits, "bytes", largest=largest, closed=closed,
           hours=waiting.hours, days=waiting.days, bound=store.max_bytes)
    print(f"\n30 offline days ({sim.visits} visits): largest {largest / 1e6:.2f} MB, {closed / 1e6:.2f} MB after"
          f" close; {waiting.days} day records + {waiting.hours} hour records waiting; bound {store.max_bytes / 2**20:.0f} MiB")
    assert largest <= store.max_bytes
