"""Verify a downloaded feed and build its catalogue file in a child process, below the screen.

A full sync's verification (signature, parse, HSDS schema, sense checks) and its build of the new
database file are pure Python: in a thread of the kiosk they would compete with the screen for the
GIL. :class:`ChildJob` runs them in a child process instead:

* started as a fresh interpreter (``python -m kiosk.buildproc``: fork and exec at once in
  subprocess's C code, as multiprocessing's "spawn" does, so the kiosk's Kivy/SDL threads are never
  forked and the kiosk's ``__main__`` is not imported again), which imports only this module, the
  catalogue and ``sync.feed``; the two talk over a socket pair with
  :class:`multiprocessing.connection.Connection` (pickled tuples, the feed as raw bytes);
* below the screen: in Linux's ``SCHED_IDLE`` class, which runs only on a core nothing else wants
  and yields it at once when the screen (or Xvfb, or the compositor) wakes, and whose disk
  writes take the idle I/O class too; ``nice`` +:data:`NICE` as well, for a kernel without it;
* with its memory bounded (``RLIMIT_AS``, :data:`MEMORY_LIMIT`), and killed with its parent
  (``PR_SET_PDEATHSIG``): it never outlives the kiosk or ``kiosk sync``;
* ending when done: it verifies, answers with what the sync client needs (version, referenced
  assets, warnings), waits while the parent downloads the assets, builds ``<db>.next-<version>``
  with :meth:`Catalogue.prepare <kiosk.catalogue.store.Catalogue.prepare>` (exactly as in a
  thread), answers with the file, and exits. The parsed document never enters the kiosk.

The swap stays in the parent (:mod:`kiosk.updates`). A child that dies or is killed leaves no
catalogue change: its half-built file is removed by the parent, the failure is ``apply_failed``.

:class:`Job` is the same two steps in the calling thread (the child runs a :class:`Job`);
``Updates(isolate=False)`` uses it directly.
"""
from __future__ import annotations

import ctypes
import json
import os
import resource
import signal
import socket
import subprocess
import sys
from multiprocessing.connection import Connection
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kiosk import memory
from kiosk.catalogue.store import Catalogue, Prepared
from sync.feed import verify as verifymod
from sync.feed.document import FeedError, dumps
from sync.feed.findings import Findings

#: how much lower than the screen the child runs (nice increment)
NICE = 10
#: the child's address space (RLIMIT_AS): a 64 MiB feed parses and builds well within it
MEMORY_LIMIT = 2 * 1024 ** 3
#: how long the parent waits for the child's next answer before giving up on it
ANSWER_TIMEOUT = 1800.0

PR_SET_PDEATHSIG = 1
#: the folder that holds the ``kiosk`` package, for the child's ``python -m kiosk.buildproc``
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[1])


class BuildFailed(Exception):
    """The build of the new catalogue failed, in the child or because the child ended."""


@dataclass
class Summary:
    """What the sync client learns of a verified feed (the document itself stays in the job)."""

    version: int
    generated_at: Any = None
    expires_at: Any = None
    assets: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    warning_count: int = 0


class Job:
    """Verify a feed, then build its catalogue beside ``db_path``: in this thread."""

    def __init__(self, db_path: Path | str):
        self.db_path = Path(db_path)
        self.doc: dict[str, Any] | None = None
        self.raw: bytes | None = None
        self.summary: Summary | None = None

    def verify(self, raw: bytes, signature: bytes, public_keys: list[Any], **kwargs: Any) -> Summary:
        """:func:`sync.feed.verify.verify_feed`; raises its FeedError."""
        findings = Findings()
        doc = verifymod.verify_feed(raw, signature, public_keys, findings=findings, **kwargs)
        self.doc, self.raw = doc, raw
        self.summary = Summary(doc["version"], doc.get("generated_at"), doc.get("expires_at"),
                               verifymod.referenced_assets(doc),
                               [w.text() for w in findings.warnings[:3]], len(findings.warnings))
        return self.summary

    def build(self, source: str) -> Prepared:
        """The verified document into ``<db>.next-<version>`` (raises what the build raises)."""
        assert self.doc is not None and self.summary is not None, "verify first"
        raw = self.raw
        if self.summary.warning_count:
            # Mended by the same rules as the publisher's (issue 15): keep what was verified and
            # mended, so that a rebuild from the kept file gives this same catalogue.
            raw = dumps(self.doc)
        catalogue = Catalogue(self.db_path)
        try:
            return catalogue.prepare(self.doc, raw, source)
        finally:
            catalogue.dispose()

    def close(self) -> None:
        self.doc = self.raw = None


# ------------------------------------------------------------------------------- the child


def _lower_priority(nice: int) -> None:
    """``nice`` +``nice``, then the idle scheduling class: with ``nice`` alone, a child sharing a
    core with the screen still held it for a few milliseconds after each wake of the screen, and
    the touches during a 10k sync took 1.6 times their quiet time."""
    if nice:
        try:
            os.nice(nice)
        except OSError:
            pass
        try:
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
        except (AttributeError, OSError):
            pass  # not Linux, or refused: the nice value stands


def _die_with_parent(parent: int) -> None:
    """SIGKILL when the parent ends (Linux), and end now if it already has."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(1)


def _bound_memory(limit: int | None) -> None:
    if limit:
        try:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ValueError, OSError):
            pass


def _error(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return f"{type(orig).__name__}: {orig}"[:300]


def child_main(conn: Any, parent: int, db_path: str, nice: int, memory_limit: int | None) -> None:
    """The child: one verify, then (when asked) one build; answers on ``conn``."""
    _die_with_parent(parent)
    _lower_priority(nice)
    _bound_memory(memory_limit)
    job = Job(db_path)
    try:
        raw = conn.recv_bytes()
        signature, public_keys, kwargs = conn.recv()
        try:
            # The parse makes a million containers and no garbage cycles: the collector's passes
            # over them are waste (about half the parse's time at 10k services). Afterwards the
            # document is set aside from collections, as it is, so that the build's do not walk
            # it again (a collection first would walk it once more to find nothing: 0.28 s).
            with memory.quiet():
                summary = job.verify(raw, signature, public_keys, **kwargs)
            memory.set_aside()
        except FeedError as exc:
            conn.send(("refused", exc.code, exc.detail))
            return
        except BaseException as exc:  # noqa: BLE001 - MemoryError, a bug: said, not hidden
            conn.send(("error", "internal", _error(exc)))
            return
        del raw
        conn.send(("verified", asdict(summary)))
        request = conn.recv()
        if request[0] != "build":
            return
        try:
            prepared = job.build(request[1])
        except BaseException as exc:  # noqa: BLE001 - disk full, read-only, a failed check...
            conn.send(("failed", _error(exc)))
            return
        conn.send(("built", {"version": prepared.version, "services": prepared.services,
                             "db_path": str(prepared.db_path), "feed_path": str(prepared.feed_path),
                             "seconds": prepared.seconds}))
    except (EOFError, BrokenPipeError):
        pass  # the parent gave up on this job
    finally:
        conn.close()
        # Everything is on disk and answered: end here, holding the document. Returning would
        # free its million objects one by one (70 ms at 10k services, which the parent waits
        # for), and the interpreter's teardown would take up to a second more.
        os._exit(0)


# ------------------------------------------------------------------------------- the parent's side


class ChildJob:
    """A :class:`Job` run in a child process (see the module docstring); same methods."""

    def __init__(self, db_path: Path | str, *, nice: int = NICE, memory_limit: int | None = MEMORY_LIMIT,
                 timeout: float = ANSWER_TIMEOUT):
        self.db_path = Path(db_path)
        self.timeout = timeout
        self.summary: Summary | None = None
        ours, theirs = socket.socketpair()
        self._conn = Connection(ours.detach())
        fd = theirs.fileno()
        args = {"fd": fd, "parent": os.getpid(), "db_path": str(self.db_path),
                "nice": nice, "memory_limit": memory_limit}
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_ROOT, env.get("PYTHONPATH")) if p)
        try:
            # fork + exec at once (subprocess's C code): a fresh interpreter, like multiprocessing's
            # "spawn", without importing the parent's __main__ again (nothing of Kivy is forked)
            self.process = subprocess.Popen(
                [sys.executable, "-m", "kiosk.buildproc", json.dumps(args)], pass_fds=(fd,),
                stdin=subprocess.DEVNULL, env=env, close_fds=True)
        finally:
            theirs.close()

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def _ended(self) -> BuildFailed:
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            pass
        return BuildFailed(f"the catalogue build process ended ({_exit_text(self.process.returncode)})")

    def _answer(self) -> tuple:
        try:
            if not self._conn.poll(self.timeout):
                raise BuildFailed(f"the catalogue build process did not answer in {self.timeout:.0f} s")
            return self._conn.recv()
        except (EOFError, OSError):
            raise self._ended() from None

    def _send(self, *messages: Any) -> None:
        try:
            for message in messages:
                if isinstance(message, bytes):
                    self._conn.send_bytes(message)
                else:
                    self._conn.send(message)
        except OSError:   # BrokenPipeError, ConnectionResetError: it has ended
            raise self._ended() from None

    def verify(self, raw: bytes, signature: bytes, public_keys: list[Any], **kwargs: Any) -> Summary:
        self._send(raw, (signature, list(public_keys), kwargs))
        answer = self._answer()
        if answer[0] == "refused":
            raise FeedError(answer[1], answer[2])
        if answer[0] == "error":
            raise BuildFailed(answer[2])
        self.summary = Summary(**answer[1])
        return self.summary

    def build(self, source: str) -> Prepared:
        self._send(("build", source))
        answer = self._answer()
        if answer[0] == "failed":
            raise BuildFailed(answer[1])
        p = answer[1]
        return Prepared(p["version"], p["services"], Path(p["db_path"]), Path(p["feed_path"]), p["seconds"])

    def close(self) -> None:
        """End the child (at once if it is still working) and wait for it."""
        try:
            self._conn.close()
        except OSError:
            pass
        try:
            self.process.wait(2)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


def _exit_text(code: int | None) -> str:
    if code is None:
        return "still running"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit status {code}"


def main(argv: list[str]) -> None:
    """``python -m kiosk.buildproc ARGS_JSON``: the child's entry (started by :class:`ChildJob`)."""
    args = json.loads(argv[0])
    conn = Connection(args.pop("fd"))
    try:
        child_main(conn, **args)         # ends the process itself
    finally:
        os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
