"""The feed is verified and built in a child process (kiosk.buildproc): it gives the verdicts and the
catalogue of the in-thread path, runs below the parent's priority with its memory bounded, ends
when done and with its parent, and a child that dies leaves the old catalogue and apply_failed."""
from __future__ import annotations

import copy
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import synclib as sl
from synclib import clean_feed, make_kiosk

from kiosk import buildproc
from kiosk.catalogue.store import check_database
from sync.feed import document as feedmod

ROOT = Path(__file__).resolve().parents[2]


def _jobs(monkeypatch) -> list:
    """Every ChildJob started meanwhile."""
    started = []
    init = buildproc.ChildJob.__init__

    def recording(self, *args, **kwargs):
        init(self, *args, **kwargs)
        started.append(self)

    monkeypatch.setattr(buildproc.ChildJob, "__init__", recording)
    return started


def _gone(pid: int, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state == "Z":
            return True
        time.sleep(0.05)
    return False


def test_a_sync_builds_in_a_child_that_ends(kiosk, server, publisher, monkeypatch):
    jobs = _jobs(monkeypatch)
    publisher.publish(sl.scaled_feed(40, version=2))
    result = kiosk.service.run_sync()
    assert result.outcome == "updated" and result.applied, result
    assert len(jobs) == 1
    job = jobs[0]
    assert job.pid != os.getpid()
    assert job.process.returncode == 0                     # it ended, and cleanly
    kiosk.catalogue.engine.dispose()
    assert check_database(kiosk.catalogue.db_path) is None
    info = kiosk.catalogue.info()
    assert info.version == 2 and info.service_count == 40
    assert not list(kiosk.catalogue.db_path.parent.glob("*.next-*"))


def test_deferred_kiosk_stages_what_the_child_built(tmp_path, server, publisher):
    k = make_kiosk(tmp_path, server.url + "feed.json", [publisher.public_b64], deferred=True)
    try:
        publisher.publish(clean_feed(2))
        assert k.service.run_sync().outcome == "updated"
        assert k.catalogue.info().version == 1                       # not yet: staged
        assert k.catalogue.db_path.with_name("catalogue.sqlite3.next-2").exists()
        applied = k.service.apply_pending()
        assert applied.ok and applied.version == 2 and applied.services == 6
        assert k.catalogue.info().version == 2
    finally:
        k.catalogue.dispose()


def _refused(tmp_path, server, publisher, isolate):
    k = make_kiosk(tmp_path / ("child" if isolate else "thread"), server.url + "feed.json",
                   [publisher.public_b64])
    k.service.isolate = isolate
    try:
        result = k.service.run_sync()
        k.catalogue.engine.dispose()
        assert k.catalogue.info().version == 1
        assert not list(k.catalogue.db_path.parent.glob("*.next-*"))
        status = json.loads((k.config.kiosk.data_dir / "sync" / "status.json").read_text())
        return result.code, result.detail, status["last_error"]["code"]
    finally:
        k.catalogue.dispose()


def test_a_refused_feed_gets_the_same_verdict_in_the_child(tmp_path, server, publisher):
    doc = clean_feed(2)
    doc["services"][1] = dict(doc["services"][1], id=doc["services"][0]["id"])   # an id used twice
    publisher.publish(doc)
    child = _refused(tmp_path, server, publisher, isolate=True)
    thread = _refused(tmp_path, server, publisher, isolate=False)
    assert child == thread
    assert child[0] == "invalid" and child[2] == "invalid"


def test_a_bad_signature_gets_the_same_verdict_in_the_child(tmp_path, server, publisher):
    publisher.publish(clean_feed(2))
    other = sl.Publisher(tmp_path / "other")           # signed by a key the kiosk does not pin
    other.publish(clean_feed(2))
    (publisher.root / "feed.json.sig").write_bytes((other.root / "feed.json.sig").read_bytes())
    child = _refused(tmp_path, server, publisher, isolate=True)
    thread = _refused(tmp_path, server, publisher, isolate=False)
    assert child == thread
    assert child[0] in ("bad_signature", "unknown_key")


def test_a_killed_child_leaves_the_old_catalogue_and_apply_failed(kiosk, server, publisher, monkeypatch):
    """SIGKILL to the build process while it builds: the old catalogue stays, in use and whole,
    its half-built files are removed, the failure is apply_failed; the next sync succeeds."""
    build = buildproc.ChildJob.build
    db = kiosk.catalogue.db_path

    def killed(self, source):
        # what a build leaves when it dies: its database file and the feed's temporary copy
        db.with_name(db.name + ".next-2").write_bytes(b"half a database")
        db.with_name("." + db.name + ".feed.json.next-2.x1y2.tmp").write_bytes(b"{")
        os.kill(self.pid, signal.SIGKILL)
        self.process.wait(10)
        return build(self, source)

    monkeypatch.setattr(buildproc.ChildJob, "build", killed)
    publisher.publish(clean_feed(2))
    result = kiosk.service.run_sync()
    assert result.code == "apply_failed" and "SIGKILL" in result.detail, result
    assert not [p.name for p in db.parent.iterdir() if ".next-" in p.name]
    kiosk.catalogue.engine.dispose()
    assert check_database(db) is None
    assert kiosk.catalogue.info().version == 1 and kiosk.catalogue.info().service_count == 6
    st = kiosk.service.status()
    assert st.last_error["code"] == "apply_failed" and st.version == 1 and st.pending_version is None
    monkeypatch.undo()
    assert kiosk.service.run_sync().outcome == "updated"       # downloaded again, not "unchanged"
    assert kiosk.catalogue.info().version == 2


def test_a_child_that_fails_to_build_reports_it(kiosk, server, publisher):
    """The build's own error (here: a directory where the new feed file goes) comes back as the
    in-thread build's apply_failed, with the child's words; the catalogue in use stays."""
    publisher.publish(clean_feed(2))
    in_the_way = kiosk.catalogue.next_paths(2)[1]
    in_the_way.mkdir()
    try:
        result = kiosk.service.run_sync()
    finally:
        in_the_way.rmdir()
    assert result.code == "apply_failed" and "IsADirectoryError" in result.detail, result
    kiosk.catalogue.engine.dispose()
    assert kiosk.catalogue.info().version == 1
    assert kiosk.service.status().last_error["code"] == "apply_failed"


CHILD_OF_A_PARENT = """
import sys, time
from kiosk.buildproc import ChildJob
job = ChildJob(sys.argv[1])
print(job.pid, flush=True)
time.sleep(120)
"""


def test_the_child_is_nice_bounded_and_dies_with_its_parent(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    parent = subprocess.Popen([sys.executable, "-c", CHILD_OF_A_PARENT, str(tmp_path / "db.sqlite3")],
                              stdout=subprocess.PIPE, text=True, env=env)
    try:
        pid = int(parent.stdout.readline())
        mine = os.getpriority(os.PRIO_PROCESS, 0)
        deadline = time.monotonic() + 60
        while os.getpriority(os.PRIO_PROCESS, pid) == mine and time.monotonic() < deadline:
            time.sleep(0.05)                               # it lowers itself once started
        assert os.getpriority(os.PRIO_PROCESS, pid) == min(19, mine + buildproc.NICE)
        while os.sched_getscheduler(pid) != os.SCHED_IDLE and time.monotonic() < deadline:
            time.sleep(0.05)
        assert os.sched_getscheduler(pid) == os.SCHED_IDLE   # runs only where the screen does not
        limits = Path(f"/proc/{pid}/limits").read_text()
        line = next(l for l in limits.splitlines() if l.startswith("Max address space"))
        assert line.split()[3] == str(buildproc.MEMORY_LIMIT)
        parent.kill()
        parent.wait(10)
        assert _gone(pid), "the build process outlived its parent"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait(10)


def test_same_catalogue_from_child_and_thread(tmp_path, server, publisher):
    """Child and thread build byte-for-byte the same kept feed and the same rows."""
    doc = sl.scaled_feed(30, version=2)
    doc = copy.deepcopy(doc)
    doc["services"][0]["website"] = "http://example.org/x"       # a warning: the mended copy is kept
    publisher.publish(doc)
    kept = []
    for isolate in (True, False):
        k = make_kiosk(tmp_path / str(isolate), server.url + "feed.json", [publisher.public_b64])
        k.service.isolate = isolate
        try:
            assert k.service.run_sync().outcome == "updated"
            kept.append(k.catalogue.feed_path.read_bytes())
            assert k.catalogue.info().service_count == 30
        finally:
            k.catalogue.dispose()
    assert kept[0] == kept[1]
    assert feedmod.loads(kept[0])["version"] == 2


def test_the_child_starts_while_the_feed_downloads(kiosk, server, publisher, monkeypatch):
    """Its interpreter and imports (a third of a second) overlap the download, not follow it."""
    from kiosk import updates

    jobs = _jobs(monkeypatch)
    ready_at_verify = []
    verify = updates._Target.verify

    def watched(self, *args, **kwargs):
        ready_at_verify.append(self._spare is not None and self._spare.process.poll() is None)
        return verify(self, *args, **kwargs)

    monkeypatch.setattr(updates._Target, "verify", watched)
    publisher.publish(sl.scaled_feed(40, version=2))
    result = kiosk.service.run_sync()
    assert result.outcome == "updated" and result.applied, result
    assert ready_at_verify == [True] and len(jobs) == 1    # started ahead, and the one used
    assert jobs[0].process.returncode == 0
    # an unchanged feed (304) starts no child at all
    assert kiosk.service.run_sync().outcome == "unchanged"
    assert len(jobs) == 1


def test_a_child_started_for_a_download_that_fails_ends_with_the_attempt(kiosk, server, publisher,
                                                                          monkeypatch):
    jobs = _jobs(monkeypatch)
    publisher.publish(sl.scaled_feed(40, version=2))
    server.faults["/feed.json.sig"] = lambda handler: handler.send_error(404)
    result = kiosk.service.run_sync()
    assert not result.ok and result.code == "http_status", result
    assert len(jobs) == 1 and _gone(jobs[0].pid)
    assert kiosk.catalogue.info().version == 1
