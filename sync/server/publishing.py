"""Publishing: build and sign a new feed version with the kiosk-feed code, keep the history,
publish an earlier version again as a new, higher one, and serve the current feed.

The signed directory (``<data_dir>/feed``: feed.json, feed.json.gz, feed.json.sig, pubkey) is
written by :func:`sync.publish.build_feed`, exactly as ``kiosk-feed build`` writes it, so it can
also be copied to any static web server or CDN. Each version's gzipped bytes and signature are
kept in the ``feed_versions`` table.

A "rollback" is a re-publication: the content of version N goes out again as version
``latest + 1``, freshly dated and signed. Kiosks accept it (its version is higher than what they
trust), while a replay of the old signed file is refused by their rollback check.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import tempfile
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sync.feed import document as feedmod
from sync.feed import signing
from sync.feed.files import write_atomic, write_atomic_later
from sync.feed.findings import error_text
from sync.publish import build as publish
from sync.server import assets, catalogue, feedback_ingest
from sync.server.audit import Actor, record
from sync.server.locks import publish_lock
from sync.server.models import FeedVersion, utcnow

class PublishError(Exception):
    """``message`` is a message id; ``refusal`` the kiosks' own reason, when they would refuse."""

    def __init__(self, message: str, detail: str = "", refusal: Exception | None = None):
        super().__init__(f"{message}: {detail}" if detail else message)
        self.message = message
        self.detail = detail
        self.refusal = refusal

    def detail_in(self, lang: str) -> str:
        """The detail in the staff's language (the kiosks' findings are worded in both)."""
        return error_text(self.refusal, lang) if self.refusal is not None else self.detail


def load_or_create_key(path: Path) -> signing.SecretKey:
    """The feed signing key, created owner-only on first start."""
    if path.exists():
        return signing.load_secret_key(path)
    secret = signing.generate()
    signing.write_keypair(secret, path, path.with_suffix(".pub"))
    return secret


#: Kiosks ship with the sample catalogue as version 1 and take only a higher version, so the
#: server's first publication is version 2.
FIRST_VERSION = 2


def latest_version(db: Session, feed_dir: Path) -> int:
    """The highest version ever published here (the history, or the files if they are ahead)."""
    in_db = db.scalar(select(func.max(FeedVersion.version))) or 0
    on_disk = publish.published_version(feed_dir) or 0
    return max(in_db, on_disk, FIRST_VERSION - 1)


def current(db: Session) -> FeedVersion | None:
    return db.scalar(select(FeedVersion).order_by(FeedVersion.version.desc()).limit(1))


def history(db: Session, limit: int = 200) -> list[FeedVersion]:
    return list(db.scalars(select(FeedVersion).order_by(FeedVersion.version.desc()).limit(limit)))


def document_of(row: FeedVersion) -> dict[str, Any]:
    return json.loads(gzip.decompress(row.feed_gz))


@dataclass(frozen=True)
class FeedTarget:
    """Where and how a feed is published: the signed directory, the uploads it may carry, the
    signing key and the feed's lifetime."""

    feed_dir: Path
    uploads_dir: Path
    secret: signing.SecretKey
    expires_days: int


def _build(source_doc: dict[str, Any], *, version: int, target: FeedTarget,
           now: datetime | None) -> publish.BuildResult:
    """``kiosk-feed build --from <source> --out <feed_dir> --version <version>``, from a source that
    names no local file (only the server's own uploads, copied beside the feed first)."""
    source_doc, uploads = assets.publishable(source_doc, target.uploads_dir)
    assets.copy_uploads(uploads, target.uploads_dir, target.feed_dir)
    with tempfile.TemporaryDirectory(prefix="kiosk-server-publish-") as tmp:
        source = Path(tmp) / "catalogue.json"
        source.write_text(json.dumps(source_doc, ensure_ascii=False), encoding="utf-8")
        return publish.build_feed(source, target.feed_dir, target.secret, version=version,
                                  expires_days=target.expires_days, now=now,
                                  asset_root=None)  # the server reads no local file named by data


@dataclass
class Published:
    version: int
    services: int
    republished_from: int | None = None


def _store(db: Session, feed_dir: Path, result: publish.BuildResult, actor: Actor, note: str,
           republished_from: int | None) -> FeedVersion:
    raw = (feed_dir / publish.FEED).read_bytes()
    doc = json.loads(raw)
    content_sha = catalogue.content_hash(doc["services"], doc["taxonomy_terms"])
    if doc.get("version") != result.version:  # pragma: no cover - someone else wrote the directory
        raise PublishError("The feed directory changed while publishing; try again.")
    row = FeedVersion(version=result.version, published_at=utcnow(), published_by=actor.username, note=note[:2000],
                      republished_from=republished_from, sha256=hashlib.sha256(raw).hexdigest(),
                      content_sha256=content_sha, size=len(raw), services=result.services, terms=result.terms,
                      expires_at=doc.get("expires_at", ""), key_id=result.key_id,
                      feed_gz=(feed_dir / (publish.FEED + ".gz")).read_bytes(),
                      signature=(feed_dir / (publish.FEED + ".sig")).read_text(encoding="ascii"))
    db.add(row)
    db.flush()
    return row


def publish_catalogue(db: Session, target: FeedTarget, *, actor: Actor, note: str = "",
                      now: datetime | None = None) -> Published:
    """Build and sign the catalogue as it is now as a new version. Raises PublishError with the
    kiosks' own reason when they would refuse it."""
    with publish_lock(db, target.feed_dir):
        assembled = catalogue.assemble(db)
        if not assembled.services:
            raise PublishError("There is nothing to publish: the catalogue has no services.")
        version = latest_version(db, target.feed_dir) + 1
        try:
            result = _build(assembled.document(), version=version, target=target, now=now)
        except feedmod.FeedError as exc:
            raise PublishError("The kiosks would refuse this catalogue", exc.detail or exc.code, exc) from exc
        _store(db, target.feed_dir, result, actor, note, None)
        record(db, actor, "publish", entity_type="feed", entity_id=str(version),
               summary=f"v{version} · {result.services}", details={"note": note} if note else None)
        # what kiosks counted by the hour of a subject this version marks sensitive: by the day
        # now, as the kiosks will count it from this version on, not at the next hourly tidy
        feedback_ingest.fold_sensitive(db)
        return Published(version, result.services)


def republish(db: Session, old_version: int, target: FeedTarget, *, actor: Actor, note: str = "",
              now: datetime | None = None) -> Published:
    """Publish the content of an earlier version again, as a new and higher version."""
    with publish_lock(db, target.feed_dir):
        row = db.get(FeedVersion, old_version)
        if row is None:
            raise PublishError("No such version.")
        old = document_of(row)
        source = {k: old[k] for k in ("taxonomy", "publisher", "languages", "taxonomy_terms", "services")
                  if k in old}
        version = latest_version(db, target.feed_dir) + 1
        try:
            result = _build(source, version=version, target=target, now=now)
        except feedmod.FeedError as exc:
            raise PublishError("The kiosks would refuse this catalogue", exc.detail or exc.code, exc) from exc
        _store(db, target.feed_dir, result, actor, note or f"= v{old_version}", old_version)
        record(db, actor, "republish", entity_type="feed", entity_id=str(version),
               summary=f"v{version} = v{old_version}", details={"from": old_version, "note": note} if note else
               {"from": old_version})
        return Published(version, result.services, old_version)


def restore_directory(db: Session, feed_dir: Path, secret: signing.SecretKey) -> None:
    """On start: if the feed directory is missing or behind the history (a restored backup of
    the database, a wiped directory), write the latest version back from the database."""
    row = current(db)
    if row is None:
        (feed_dir).mkdir(parents=True, exist_ok=True)
        (feed_dir / "pubkey").write_text(secret.public.to_text(), encoding="ascii")
        return
    on_disk = publish.published_version(feed_dir)
    if on_disk is not None and on_disk > row.version:
        return  # newer files than the history (a database restored from an older backup): keep them
    try:
        intact = (on_disk == row.version
                  and hashlib.sha256((feed_dir / publish.FEED).read_bytes()).hexdigest() == row.sha256
                  and (feed_dir / (publish.FEED + ".gz")).read_bytes() == row.feed_gz
                  and (feed_dir / (publish.FEED + ".sig")).read_text(encoding="ascii") == row.signature)
    except (OSError, UnicodeDecodeError):
        intact = False
    if intact:
        return
    raw = gzip.decompress(row.feed_gz)
    write_atomic_later(feed_dir / (publish.FEED + ".gz"), row.feed_gz)
    write_atomic_later(feed_dir / publish.FEED, raw)
    write_atomic(feed_dir / (publish.FEED + ".sig"), row.signature.encode("ascii"))
    write_atomic(feed_dir / "pubkey", secret.public.to_text().encode("ascii"))


# ------------------------------------------------------------------------------- serving


@dataclass(frozen=True)
class FeedFile:
    data: bytes
    etag: str
    mtime: float


class FeedFiles:
    """The published files, read once per change (keyed on mtime and size)."""

    def __init__(self, feed_dir: Path):
        self.feed_dir = feed_dir
        self._cache: dict[str, tuple[tuple[int, int], FeedFile]] = {}
        self._doc: tuple[str, dict[str, Any]] | None = None
        self._lock = threading.Lock()

    def get(self, name: str) -> FeedFile | None:
        path = self.feed_dir / name
        try:
            st = path.stat()
        except OSError:
            return None
        key = (st.st_mtime_ns, st.st_size)
        with self._lock:
            hit = self._cache.get(name)
            if hit and hit[0] == key:
                return hit[1]
        try:
            data = path.read_bytes()
        except OSError:
            return None
        item = FeedFile(data, '"' + hashlib.sha256(data).hexdigest() + '"', st.st_mtime)
        with self._lock:
            self._cache[name] = (key, item)
        return item

    def document(self) -> dict[str, Any] | None:
        """The current feed, parsed (for the HSDS API and the public pages)."""
        item = self.get(publish.FEED)
        if item is None:
            return None
        with self._lock:
            if self._doc and self._doc[0] == item.etag:
                return self._doc[1]
        doc = json.loads(item.data)
        with self._lock:
            self._doc = (item.etag, doc)
        return doc
