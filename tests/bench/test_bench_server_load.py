"""The server under 10,000 kiosks (issue 19): ``make bench`` only (marker ``bench``).

A real ``kiosk-server --workers 2`` (this machine has 2 cores) behind Debian's nginx running
deploy/nginx/kiosk-server.conf, on SQLite and on PostgreSQL (a cluster of the test's own), all on
127.0.0.1. First the steady load of 10,000 kiosks that each poll the feed every 15 minutes
through nginx (11.1 requests/s, each on a new TLS connection as a kiosk makes it; 95 % carry the
current ETag and get 304) and send a heartbeat to the app as often (another 11.1/s), for
BENCH_SERVER_SECONDS (120 s by default); then, per path, rising rates on kept-alive connections
until p99 passes 200 ms or more than 1 % fail. Memory is the resident size of the server's
processes (the parent and its workers) at rest and the highest seen under load. The figures go
to bench-results/server-load.json and the table is printed."""
from __future__ import annotations

import asyncio
import json
import os
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))

from benchlib import RESULTS  # noqa: E402
from loadgen import Pool, run  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "assets" / "sample" / "catalogue.json"
KIOSKS = 10_000
POLL_RATE = KIOSKS / (15 * 60)  # 11.1 per second
STEADY_SECONDS = float(os.environ.get("BENCH_SERVER_SECONDS", "120"))
STEP_SECONDS = 5.0
FEED_RATES = (100, 200, 400, 800, 1600, 3200)
HEARTBEAT_RATES = (20, 40, 80, 160, 320, 640)
P99_LIMIT = 0.200


def token(i: int) -> str:
    return f"kt_bench-{i:06d}-" + "x" * 30


def seed(data_dir: Path, database_url: str | None, publish_dir: Path) -> None:
    from sync.server import bootstrap, publishing
    from sync.server.audit import SYSTEM
    from sync.server.config import ServerConfig
    from sync.server.imports.run import run_import
    from sync.server.models import Kiosk, utcnow
    from sync.server.security import token_digest

    state = bootstrap.start(ServerConfig(data_dir=data_dir, database_url=database_url, publish_dir=publish_dir))
    with state.db.session() as db:
        run_import(db, SAMPLE.name, SAMPLE.read_bytes(), SYSTEM, replace=True)
    with state.db.session() as db:
        publishing.publish_catalogue(db, state.feed_target, actor=SYSTEM, note="bench")
    now = utcnow()
    with state.db.session() as db:
        db.add_all(Kiosk(name=f"kiosk-{i:05d}", description="", token_sha256=token_digest(token(i)),
                         token_hint=token(i)[3:9], created_at=now, created_by="bench", heartbeats=0)
                   for i in range(KIOSKS))
    state.db.dispose()


class ServerProcesses:
    def __init__(self, data_dir: Path, env: dict[str, str], workers: int = 2):
        from serverlib import free_port

        self.port = free_port()
        self.proc = subprocess.Popen([sys.executable, "-m", "sync.server", "--data-dir", str(data_dir), "--port",
                                      str(self.port), "--workers", str(workers), "run"], cwd=REPO, env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 90
        while True:
            try:
                if requests.get(f"http://127.0.0.1:{self.port}/healthz", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline and self.proc.poll() is None, "the server did not start"
            time.sleep(0.3)

    def pids(self) -> list[int]:
        pids = [self.proc.pid]
        for task in Path(f"/proc/{self.proc.pid}/task").iterdir():
            pids += [int(p) for p in (task / "children").read_text().split()]
        return pids

    def rss_mb(self) -> float:
        total = 0
        for pid in self.pids():
            try:
                text = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            total += next(int(line.split()[1]) for line in text.splitlines() if line.startswith("VmRSS:"))
        return round(total / 1024, 1)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(30)


class MemoryWatch:
    def __init__(self, server: ServerProcesses):
        self.server, self.peak, self._stop = server, 0.0, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.server.rss_mb())
            self._stop.wait(0.5)

    def __enter__(self) -> "MemoryWatch":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self.thread.join()


def feed_request(etag: str, host: str):
    def make(i: int) -> bytes:
        if i % 20 == 19:  # one in twenty kiosks is behind: the whole feed, gzipped
            return (f"GET /feed/feed.json HTTP/1.1\r\nHost: {host}\r\nAccept-Encoding: gzip\r\n"
                    "User-Agent: elbasan-kiosk-bench\r\n\r\n").encode()
        return (f"GET /feed/feed.json HTTP/1.1\r\nHost: {host}\r\nAccept-Encoding: gzip\r\n"
                f"If-None-Match: {etag}\r\nUser-Agent: elbasan-kiosk-bench\r\n\r\n").encode()
    return make


def heartbeat_request(host: str):
    def make(i: int) -> bytes:
        k = i % KIOSKS
        body = json.dumps({"kiosk_id": f"kiosk-{k:05d}", "app_version": "0.1.0", "catalogue_version": 2,
                           "last_sync": "2026-12-03T10:00:00Z", "printer": "ok", "uptime_seconds": 3600 + i,
                           "last_outcome": "not_modified", "stale": False}).encode()
        return (f"POST /api/heartbeat HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token(k)}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
    return make


def highest_rate(pool: Pool, make, rates) -> tuple[int | None, list[dict]]:
    steps, best = [], None
    for rate in rates:
        result = asyncio.run(run(pool, make, rate=rate, seconds=STEP_SECONDS))
        summary = result.summary()
        steps.append(summary)
        if result.percentile(99) > P99_LIMIT or result.failed > 0.01 * result.count:
            break
        best = rate
    return best, steps


def measure(database: str, work: Path) -> dict:
    from nginxkit import Nginx, world_readable_dir
    from pgkit import PgCluster, server_bin

    cluster = PgCluster(server_bin()).start() if database == "postgresql" else None
    publish_root = world_readable_dir("kiosk-bench-feed-")
    server = nginx = None
    try:
        url = cluster.url(cluster.create()) if cluster else None
        data = work / database
        seed(data, url, publish_root / "feed")
        env = dict(os.environ, KIOSK_SERVER_PUBLISH_DIR=str(publish_root / "feed"),
                   KIOSK_SERVER_TRUST_PROXY_HEADERS="true", KIOSK_SERVER_TRUSTED_PROXIES="127.0.0.1")
        env.pop("KIOSK_SERVER_DATABASE_URL", None)
        if url:
            env["KIOSK_SERVER_DATABASE_URL"] = url
        server = ServerProcesses(data, env)
        nginx = Nginx(feed_dir=publish_root / "feed", app_port=server.port)
        tls = ssl.create_default_context(cafile=str(nginx.cert))
        host = f"127.0.0.1:{nginx.https_port}"
        probe = requests.Session()
        probe.trust_env = False
        etag = probe.get(nginx.url + "/feed/feed.json", headers={"Accept-Encoding": "gzip"},
                         verify=str(nginx.cert)).headers["ETag"]
        for _ in range(20):  # warm both workers
            probe.get(f"http://127.0.0.1:{server.port}/healthz")
        time.sleep(2)
        at_rest = server.rss_mb()

        async def steady():
            feed_pool, beat_pool = Pool("127.0.0.1", nginx.https_port, tls), Pool("127.0.0.1", nginx.https_port, tls)
            return await asyncio.gather(
                run(feed_pool, feed_request(etag, host), rate=POLL_RATE, seconds=STEADY_SECONDS, fresh=True),
                run(beat_pool, heartbeat_request(host), rate=POLL_RATE, seconds=STEADY_SECONDS, fresh=True))

        load_before = os.getloadavg()[0]
        with MemoryWatch(server) as watch:
            feed, beats = asyncio.run(steady())
            feed_best, feed_steps = highest_rate(Pool("127.0.0.1", nginx.https_port, tls),
                                                 feed_request(etag, host), FEED_RATES)
            beat_best, beat_steps = highest_rate(Pool("127.0.0.1", nginx.https_port, tls),
                                                 heartbeat_request(host), HEARTBEAT_RATES)
        return {"database": database, "workers": 2, "cpus": os.cpu_count(),
                "load_average_before_and_after": [round(load_before, 1), round(os.getloadavg()[0], 1)],
                "rss_at_rest_mb": at_rest, "rss_peak_under_load_mb": watch.peak,
                "steady": {"feed_via_nginx": feed.summary(), "heartbeats_via_nginx": beats.summary()},
                "highest_rate_p99_under_200ms": {"feed_via_nginx": feed_best, "heartbeat_via_nginx": beat_best},
                "steps": {"feed_via_nginx": feed_steps, "heartbeat_via_nginx": beat_steps}}
    finally:
        if nginx:
            nginx.stop()
        if server:
            server.stop()
        if cluster:
            cluster.stop()
        import shutil

        shutil.rmtree(publish_root, ignore_errors=True)


@pytest.mark.bench
@pytest.mark.timeout(1800)
def test_bench_server_under_ten_thousand_kiosks():
    figures = []
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-server-") as tmp:
        for database in ("sqlite", "postgresql"):
            figures.append(measure(database, Path(tmp)))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "server-load.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    print()
    for f in figures:
        s = f["steady"]
        print(f"{f['database']:>10}: steady {STEADY_SECONDS:.0f} s  feed p99 {s['feed_via_nginx']['p99_ms']} ms "
              f"({s['feed_via_nginx']['requests']} req, {s['feed_via_nginx']['errors']} errors, "
              f"{s['feed_via_nginx']['statuses']})  heartbeat p99 {s['heartbeats_via_nginx']['p99_ms']} ms "
              f"({s['heartbeats_via_nginx']['requests']} req, {s['heartbeats_via_nginx']['errors']} errors)")
        print(f"{'':>10}  highest rate with p99 < 200 ms: feed {f['highest_rate_p99_under_200ms']['feed_via_nginx']}"
              f"/s, heartbeat {f['highest_rate_p99_under_200ms']['heartbeat_via_nginx']}/s;  memory at rest "
              f"{f['rss_at_rest_mb']} MB, peak under load {f['rss_peak_under_load_mb']} MB")
        for path, steps in f["steps"].items():
            print(f"{'':>12}{path}: " + "; ".join(
                f"{x['target_rps']}/s -> {x['achieved_rps']}/s p99 {x['p99_ms']} ms err {x['errors']}" for x in steps))
    for f in figures:
        assert f["steady"]["feed_via_nginx"]["requests"] > 0 and f["steady"]["heartbeats_via_nginx"]["requests"] > 0
