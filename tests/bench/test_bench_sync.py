"""Sync figures: a full sync and an unchanged (304) sync against a feed server on 127.0.0.1, time
and bytes on the wire, and the longest the catalogue's write lock is held while applying.

The feed is the synthetic catalogue published the way staff publish it: ``kiosk-feed keygen``
makes a key pair in a temporary directory, ``kiosk-feed build --from <synthetic feed> --version 2``
writes and signs the feed directory, and :class:`syncbench.CountingServer` serves it, counting
every byte (headers included) in both directions. The kiosk is the real
:class:`kiosk.updates.Updates` with the real :class:`kiosk.config.Config` (feed URL
``http://127.0.0.1:PORT/feed.json`` and the public key), applying at once (``kiosk sync``).

* **full sync**: each run starts from a fresh data directory whose catalogue is the bundled
  sample (version 1, as a new kiosk ships) and an empty schema cache; time is ``run_sync()``,
  from the first request to the applied catalogue (download, signature, HSDS and sense checks,
  the build of the new file, in a child process as the kiosk does it: ``kiosk.buildproc``).
* **unchanged sync**: ``run_sync()`` again on the last of those kiosks: one conditional GET
  answered 304.
* **write lock**: the longest a transaction on the catalogue *in use* holds SQLite's write lock
  (first writing statement to the commit). A feed is now built into a new file beside it
  (``Catalogue.prepare``) and swapped in by a rename, so this is 0 unless something writes to
  the live file; the **swap** row is the rename itself (``Catalogue.swap``: two renames and two
  directory fsyncs), the only moment the catalogue changes under the readers, who never wait.

A feed of more than ``max_services`` (50,000) services or 64 MiB is refused by the kiosk by design
(``sync.feed.verify.Limits``), so at 100k the full sync is not run (``BENCH_SYNC_BIG=1`` runs it with the
limits raised); its unchanged sync is then measured on the 100k catalogue with the sync status a
successful sync of the published feed leaves behind (ETag, version), which is all a 304 needs.
"""
from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchlib import HERE, RESULTS, SIZES, judge, record, run_json, summarize
from syncbench import CountingServer

pytestmark = pytest.mark.bench

KIOSK_FEED = str(Path(sys.executable).with_name("kiosk-feed"))
MAX_SERVICES = 50_000
MAX_FEED_BYTES = 64 * 1024 * 1024
FULL_RUNS = {1000: 5, 10000: 3}
UNCHANGED_RUNS = 30
BIG = os.environ.get("BENCH_SYNC_BIG") == "1"


def make_config(data_dir: Path, url: str, key_b64: str, database: Path | None = None,
                max_feed_bytes: int | None = None):
    from kiosk.config import Config

    kiosk = {"data_dir": str(data_dir), "id": "bench-sync"}
    if database is not None:
        kiosk["database"] = str(database)
    sync = {"feed_url": url + "feed.json", "public_keys": [key_b64]}
    if max_feed_bytes:
        sync["max_feed_bytes"] = max_feed_bytes
    return Config.model_validate({"kiosk": kiosk, "sync": sync})


class LockWatch:
    """First writing statement to the end of the commit, for every transaction of a catalogue."""

    WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")

    def __init__(self, catalogue):
        from sqlalchemy import event

        self.start = None
        self.spans: list[float] = []
        event.listen(catalogue.engine, "before_cursor_execute", self._execute)
        event.listen(catalogue.sessions, "after_commit", self._committed)

    def _execute(self, conn, cursor, statement, *args):
        if self.start is None and statement.lstrip().upper().startswith(self.WRITES):
            self.start = time.perf_counter()

    def _committed(self, session):
        if self.start is not None:
            self.spans.append(time.perf_counter() - self.start)
            self.start = None


@pytest.fixture(scope="module")
def signing_key(tmp_path_factory):
    keys = tmp_path_factory.mktemp("feed-keys")
    subprocess.run([KIOSK_FEED, "keygen", "--dir", str(keys), "--name", "feed"], check=True,
                   capture_output=True, text=True)
    from sync.feed import signing

    return keys / "feed.key", signing.load_public_key(keys / "feed.pub").b64


def publish(feed: Path, out: Path, key: Path, version: int = 2) -> dict:
    t0 = time.monotonic()
    proc = subprocess.run([KIOSK_FEED, "build", "--from", str(feed), "--out", str(out),
                           "--key", str(key), "--version", str(version)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"kiosk-feed build failed: {proc.stdout}\n{proc.stderr}")
    return {"build_s": round(time.monotonic() - t0, 1),
            "gz_kb": round((out / "feed.json.gz").stat().st_size / 1024),
            "feed_kb": round((out / "feed.json").stat().st_size / 1024)}


def unchanged(service, server, runs: int = UNCHANGED_RUNS) -> tuple[list, list, list]:
    times, wire, body = [], [], []
    for _ in range(runs):
        server.reset()
        t0 = time.perf_counter()
        result = service.run_sync()
        times.append((time.perf_counter() - t0) * 1000)
        assert result.outcome == "unchanged", result
        wire.append(server.sent + server.received)
        body.append(result.wire_bytes)
    return times, wire, body, server


def record_unchanged(size: int, times, wire, body, note: str = "") -> None:
    s = summarize(times)
    last = wire[-1]
    record("sync: unchanged (304)", size, "ms", **s, **judge(s["p95"], 100),
           **({"how": note} if note else {}))
    record("sync: unchanged, bytes on the wire", size, "B", median=float(sorted(wire)[len(wire) // 2]),
           p95=float(sorted(wire)[int(round(0.95 * (len(wire) - 1)))]), n=len(wire),
           **judge(max(wire), 2048, "max"), body_bytes=max(body), last=last)


@pytest.mark.parametrize("size", SIZES)
def test_sync(size, feeds, kiosk_data_dir, signing_key, tmp_path):
    from kiosk.catalogue.store import open_catalogue
    from kiosk.updates import Updates
    from sync.client import ClientOptions

    key, key_b64 = signing_key
    feed = feeds[size]
    big = size > MAX_SERVICES or feed.stat().st_size > MAX_FEED_BYTES
    www = tmp_path / "www"
    server = CountingServer(www)
    server.start()
    try:
        if big and not BIG:
            _unchanged_big(size, feed, kiosk_data_dir(size), server, key_b64, tmp_path)
            return
        limits = {}
        options = None
        if big:
            from dataclasses import replace

            from sync.feed import verify

            cap = 1 << 30
            options = ClientOptions(max_feed_bytes=cap, deadline=3600,
                                    limits=replace(verify.DEFAULT_LIMITS, max_bytes=cap,
                                                   max_services=10 ** 6))
            limits = {"max_feed_bytes": cap}
        published = publish(feed, www, key)
        runs = FULL_RUNS.get(size, 1)
        times, wire, locks, applies, swaps = [], [], [], [], []
        service = catalogue = None
        for i in range(runs):
            if catalogue is not None:
                catalogue.dispose()
            data = tmp_path / f"kiosk-{i}"
            config = make_config(data, server.url, key_b64, **limits)
            catalogue = open_catalogue(config.kiosk.database)       # the sample catalogue, v1
            watch = LockWatch(catalogue)
            swap = catalogue.swap
            applied = []

            def recorded_swap(prepared, _swap=swap, _applied=applied):
                _applied.append(prepared.seconds)     # the build's own time (in the child)
                return _swap(prepared)

            catalogue.swap = recorded_swap
            service = Updates(config, catalogue, deferred=False, options=options)
            server.reset()
            t0 = time.perf_counter()
            result = service.run_sync()
            times.append(time.perf_counter() - t0)
            assert result.outcome == "updated", result
            wire.append(server.sent + server.received)
            locks.append(max(watch.spans, default=0.0) * 1000)
            swaps.append(catalogue.last_swap_seconds * 1000)
            applies.append(applied[-1] + catalogue.last_swap_seconds)   # build beside + swap
        s = summarize([t * 1000 for t in times])
        record("sync: full (fresh kiosk, first sync)", size, "s",
               median=round(s["median"] / 1000, 2), p95=round(s["p95"] / 1000, 2), n=s["n"],
               apply_s=round(sorted(applies)[len(applies) // 2], 2),
               fetch_verify_s=round(s["median"] / 1000 - sorted(applies)[len(applies) // 2], 2),
               mb_on_wire=round(max(wire) / 1e6, 2), requests=len(server.log),
               build_feed_s=published["build_s"], **({"limits": "raised"} if big else {}))
        lock = summarize(locks)
        record("sync: write lock held during apply (longest)", size, "ms", **lock,
               **judge(lock["p95"], 50, op="<="), how="on the catalogue in use; the build is beside it")
        record("sync: swap to the new catalogue (renames + fsync)", size, "ms", **summarize(swaps))
        record_unchanged(size, *unchanged(service, server)[:3])
        catalogue.dispose()
    finally:
        server.stop()


def _unchanged_big(size, feed, data_dir, server, key_b64, tmp_path) -> None:
    """The 304 on a catalogue too big to sync: the published file and the status a successful
    sync of it would have left."""
    from kiosk.catalogue.store import Catalogue
    from kiosk.updates import Updates
    from sync.client import StatusStore

    cache = RESULTS / "sync"
    cache.mkdir(parents=True, exist_ok=True)
    gz = cache / (feed.name + ".gz")
    if not gz.exists():
        tmp = gz.with_suffix(".tmp")
        with open(feed, "rb") as src, gzip.GzipFile(tmp, "wb", compresslevel=1, mtime=0) as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        tmp.replace(gz)
    www = server.root
    www.mkdir(parents=True, exist_ok=True)
    if not (www / "feed.json.gz").exists():
        os.link(gz, www / "feed.json.gz")
    catalogue = Catalogue(data_dir / "catalogue.sqlite3")
    version = catalogue.info().version
    etag, modified = server.validators(www / "feed.json.gz")
    config = make_config(tmp_path / "kiosk", server.url, key_b64,
                         database=data_dir / "catalogue.sqlite3")
    StatusStore(Path(config.kiosk.data_dir) / "sync" / "status.json").update(
        etag=etag, last_modified=modified, etag_version=version, trusted_version=version)
    service = Updates(config, catalogue, deferred=False)
    times, wire, body, _ = unchanged(service, server)
    record("sync: full (fresh kiosk, first sync)", size, "s", median=None, p95=None,
           skipped=f"over the kiosk's limits ({MAX_SERVICES:,} services, 64 MiB); BENCH_SYNC_BIG=1 runs it")
    record_unchanged(size, times, wire, body, note="status seeded as after a sync")
    catalogue.dispose()


@pytest.mark.parametrize("size", [s for s in SIZES if s <= 10000])
def test_validators(size, feeds):
    """The HSDS schema check of every service: jsonschema, jsonschema-rs, fastjsonschema, and
    whether each gives jsonschema's verdict on every service and a corpus of broken copies
    (``validator_probe.py``); the kiosk keeps jsonschema-rs for the verdict (see sync.feed.schema)."""
    out = run_json([HERE / "validator_probe.py", feeds[size], 3], timeout=3600, what="validator_probe.py")
    for name, seconds in out["seconds"].items():
        s = summarize([t * 1000 for t in seconds])
        record(f"HSDS schema check, every service: {name}", size, "ms", **s,
               disagreements=out["disagreements"][name], corpus=out["corpus"],
               broken=out["invalid_in_corpus"])
    for name, built in out["built"].items():
        if built is not True:                 # not installed, or not for this draft: said in the row
            record(f"HSDS schema check, every service: {name}", size, "ms", median="not built",
                   p95=None, why=built)
    record("feed parse: json.loads", size, "ms", **summarize([t * 1000 for t in out["json_parse_s"]]))


@pytest.mark.parametrize("size", [s for s in SIZES if s <= 10000])
def test_touch_while_syncing(size, feeds, kiosk_data_dir, catalogue_facts, signing_key, tmp_path):
    """Touch to next screen drawn (welcome -> home -> category -> service, all three steps
    pooled), quiet and while full first syncs of the same feed run in the kiosk's process, in one
    run of ``ui_latency.py screens-syncing``: the build in a child process (kiosk.buildproc, as the
    kiosk does), then on a thread of the kiosk (as it did before); each p95 over the quiet one.
    The syncs update a catalogue of their own, so the screens show the same data throughout."""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        pytest.skip("no display: run under xvfb-run (make bench does)")
    key, key_b64 = signing_key
    www = tmp_path / "www"
    publish(feeds[size], www, key)
    server = CountingServer(www)
    server.start()
    facts = catalogue_facts(size)
    rounds = int(os.environ.get("BENCH_ROUNDS", "15"))
    load = os.getloadavg()
    try:
        work = tmp_path / "work"
        work.mkdir()
        out = run_json([HERE / "ui_latency.py", "screens-syncing", kiosk_data_dir(size), facts["top_id"],
                        rounds], timeout=3600, what="ui_latency.py screens-syncing",
                       env={"BENCH_SYNC_URL": server.url, "BENCH_SYNC_KEY": key_b64,
                            "BENCH_SYNC_WORK": str(work)})
    finally:
        server.stop()
    steps = ("welcome->home", "home->category", "category->service")
    pooled = {name: [t for step in steps for t in out[name][step]["total"]]
              for name in ("quiet", "child", "thread")}
    quiet = summarize(pooled["quiet"])
    record("touch to next screen drawn, quiet (same run)", size, "ms", **quiet,
           load=round(load[0], 1))
    for name, how in (("child", "verify + build in a child process (kiosk.buildproc)"),
                      ("thread", "verify + build on a thread of the kiosk (before)")):
        s = summarize(pooled[name])
        ratio = round(s["p95"] / quiet["p95"], 2) if quiet["p95"] else None
        syncs = out[name]["syncs"]
        record(f"touch to next screen drawn while a full sync runs: {name}", size, "ms", **s,
               **judge(ratio, 1.5, "p95 / quiet p95", "<="), ratio=ratio,
               median_ratio=round(s["median"] / quiet["median"], 2) if quiet["median"] else None,
               how=how, syncs=len(syncs), sync_s=[x["s"] for x in syncs],
               outcomes=sorted({x["outcome"] for x in syncs}),
               **{f"p95 {step}": summarize(out[name][step]["total"])["p95"] for step in steps})
