"""Which files a published feed may carry: never one that imported or edited data names.

An organization's ``logo`` and a category's ``x_icon_url`` keep only an ``https://`` address or an
``assets/<sha256>`` reference; every ``*_file`` key (``x_logo_file``, ``x_icon_file``, ...) and
every other value (a path on the server's disk, ``file:``, ``http:``) is dropped. This happens
when a document is stored (imports and forms both go through :mod:`sync.server.catalogue_writes`) and
again when a feed is built (:func:`publishable`), where an ``assets/<sha256>`` reference also
has to name one of the server's own uploads (``<data_dir>/uploads/<sha256>``, a file named by
the SHA-256 of its bytes): those are the only files publishing copies into the feed directory.
"""
from __future__ import annotations

import copy
import hashlib
import re
from pathlib import Path
from typing import Any, Callable

from sync.feed.files import write_atomic

#: URL field -> the field holding the SHA-256 of its content (as sync.feed.verify has them).
URL_KEYS = {"logo": "x_logo_sha256", "x_icon_url": "x_icon_sha256"}
ASSET_REF = re.compile(r"^assets/([0-9a-f]{64})$")


def _clean(obj: Any, keep_asset: Callable[[str], bool], dropped: list[str]) -> None:
    if isinstance(obj, list):
        for item in obj:
            _clean(item, keep_asset, dropped)
        return
    if not isinstance(obj, dict):
        return
    for key in [k for k in obj if isinstance(k, str) and k.endswith("_file")]:
        dropped.append(f"{key}={str(obj.pop(key))[:200]}")
    for url_key, sha_key in URL_KEYS.items():
        if url_key not in obj:
            continue
        value = obj[url_key]
        ref = ASSET_REF.match(value) if isinstance(value, str) else None
        if ref and keep_asset(ref.group(1)):
            obj[sha_key] = ref.group(1)
        elif not (isinstance(value, str) and value.startswith("https://")):
            dropped.append(f"{url_key}={str(value)[:200]}")
            obj.pop(url_key)
            obj.pop(sha_key, None)
    for value in obj.values():
        _clean(value, keep_asset, dropped)


def strip_local_files(doc: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A copy of ``doc`` that names no local file, and what was dropped (``key=value``)."""
    out = copy.deepcopy(doc)
    dropped: list[str] = []
    _clean(out, lambda _sha: True, dropped)
    return out, dropped


def publishable(doc: dict[str, Any], uploads_dir: Path) -> tuple[dict[str, Any], set[str]]:
    """A feed source that names no local file, and the uploads (SHA-256s) it references."""
    out = copy.deepcopy(doc)
    used: set[str] = set()

    def keep(sha: str) -> bool:
        if (uploads_dir / sha).is_file():
            used.add(sha)
            return True
        return False

    _clean(out, keep, [])
    return out, used


def copy_uploads(shas: set[str], uploads_dir: Path, feed_dir: Path) -> None:
    """Put the referenced uploads beside the feed, checked against their names."""
    target_dir = feed_dir / "assets"
    target_dir.mkdir(parents=True, exist_ok=True)
    for sha in sorted(shas):
        target = target_dir / sha
        if target.is_file():
            continue
        data = (uploads_dir / sha).read_bytes()
        if hashlib.sha256(data).hexdigest() != sha:
            raise ValueError(f"upload {sha} does not match its content")
        write_atomic(target, data)
