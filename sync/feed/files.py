"""Crash-safe file writes: the one way the project replaces a file on disk.

A reader (or a process killed half-way) sees the old file or the new one, never a mix: the bytes go
to a temporary file in the same folder, are flushed to the disk, and are renamed over the target;
the folder is then flushed so the rename itself survives a power cut. Used by the feed publisher,
the kiosk's kept feed, its asset cache and status files, and the staff PIN's state.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO, Iterator


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # some file systems do not open folders; the rename is still atomic
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def open_atomic(path: str | Path, mode: int = 0o644) -> Iterator[BinaryIO]:
    """A binary file handle whose content replaces ``path`` only when the block ends without error."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix="." + path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def write_atomic(path: str | Path, data: bytes, mode: int = 0o644) -> None:
    """Replace ``path`` with ``data`` atomically and durably (``mode`` applies to the new file)."""
    with open_atomic(path, mode) as fh:
        fh.write(data)


def write_atomic_later(path: str | Path, data: bytes, mode: int = 0o644) -> None:
    """:func:`write_atomic` for a file a static web server serves: its new modification time is
    a later whole second than the old file's. nginx makes its ETag and Last-Modified from the
    whole-second mtime and the size, so a new version of the same size written within the same
    second would still answer "304 Not Modified" to kiosks holding the old one."""
    try:
        before = os.stat(path).st_mtime_ns // 1_000_000_000
    except FileNotFoundError:
        before = None
    write_atomic(path, data, mode)
    if before is not None and os.stat(path).st_mtime_ns // 1_000_000_000 <= before:
        later = (before + 1) * 1_000_000_000
        os.utime(path, ns=(later, later))
