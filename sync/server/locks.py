"""The one lock that must hold across worker processes: publishing.

Two staff members pressing Publish at once, served by two workers, must not both take version
N+1 nor write into the feed directory together. :func:`publish_lock` takes, in order, the
process's own lock (threads), an ``flock`` on a file in the data directory (processes on this
machine) and, on PostgreSQL, a transaction-level advisory lock (held until the publishing
transaction commits, so the next publisher reads the version just stored).
"""
from __future__ import annotations

import fcntl
import os
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import text
from sqlalchemy.orm import Session

PUBLISH_LOCK_KEY = 7_401_191
_threads = threading.Lock()


@contextmanager
def publish_lock(db: Session, feed_dir: Path) -> Iterator[None]:
    lock_file = Path(feed_dir).parent / ".publish.lock"  # beside the feed, never inside what is served
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with _threads:
        fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if db.get_bind().dialect.name == "postgresql":
                db.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PUBLISH_LOCK_KEY})
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
