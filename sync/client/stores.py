"""What the kiosk's sync keeps on disk: the asset cache, the status file, the process lock."""
from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import threading
from pathlib import Path
from typing import Any, Iterable

from sync.client.http import SyncError
from sync.feed.files import write_atomic

log = logging.getLogger(__name__)


class AssetCache:
    """Content-addressed files: ``<dir>/<sha256>``, written only after their hash matched."""

    def __init__(self, directory: Path):
        self.dir = Path(directory)

    def path(self, sha256: str) -> Path:
        return self.dir / sha256

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def missing(self, shas: Iterable[str]) -> list[str]:
        return [s for s in shas if not self.has(s)]

    def store(self, sha256: str, data: bytes) -> Path:
        if hashlib.sha256(data).hexdigest() != sha256:
            raise SyncError("asset_failed", f"asset {sha256[:12]}... does not match its SHA-256")
        write_atomic(self.path(sha256), data)
        return self.path(sha256)

    def prune(self, keep: Iterable[str]) -> int:
        """Delete cached files no catalogue refers to any more, and leftovers of interrupted
        writes (``write_atomic``'s ``.<name>.*.tmp``); returns how many."""
        keep = set(keep)
        removed = 0
        try:
            entries = list(self.dir.iterdir())
        except OSError:
            return 0
        for entry in entries:
            leftover = entry.name.startswith(".") and entry.name.endswith(".tmp")
            if entry.name not in keep and (len(entry.name) == 64 or leftover):
                try:
                    entry.unlink()
                    removed += 1
                except OSError:
                    pass
        return removed


class StatusStore:
    """The sync status, one small JSON file replaced atomically (write, fsync, rename)."""

    DEFAULTS: dict[str, Any] = {
        "last_attempt": None, "last_success": None, "last_outcome": None, "last_error": None,
        "version": None, "pending_version": None, "trusted_version": 0, "etag": None,
        "last_modified": None, "etag_version": None, "consecutive_failures": 0,
        "last_bytes": 0, "last_duration": None, "history": [], "failed_assets": [],
    }

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.RLock()
        self._data = self._read()

    def _read(self) -> dict[str, Any]:
        data = dict(self.DEFAULTS)
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                data.update({k: v for k, v in loaded.items() if k in self.DEFAULTS})
        except (OSError, ValueError):
            pass
        return data

    def get(self) -> dict[str, Any]:
        with self._lock:
            return json.loads(json.dumps(self._data))

    def update(self, **fields: Any) -> dict[str, Any]:
        with self._lock:
            self._data.update(fields)
            self._write()
            return self.get()

    def _write(self) -> None:
        data = json.dumps(self._data, ensure_ascii=False, indent=1).encode("utf-8")
        try:
            write_atomic(self.path, data)
        except OSError as exc:  # a full or read-only disk must not break the sync itself
            log.warning("cannot write sync status %s: %s", self.path, exc)


class ProcessLock:
    """An exclusive, non-blocking lock file: one sync at a time across processes."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._fd: int | None = None

    def acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
