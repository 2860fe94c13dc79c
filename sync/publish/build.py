"""Publishing a signed feed directory that any static web server can serve.

``build_feed`` turns a source (see :mod:`sync.publish.sources`) into::

    OUT/feed.json        the feed document, canonical UTF-8 JSON (the signed bytes)
    OUT/feed.json.gz     the same bytes gzipped (what kiosks download; mtime 0, so a rebuild of
                         the same content gives the same file and the same ETag)
    OUT/feed.json.sig    minisign signature of feed.json (see sync.feed.signing)
    OUT/pubkey           the public key, minisign format (kiosk.toml wants its bare base64)
    OUT/assets/<sha256>  icons and logos, content-addressed

An icon or logo that the data names as a local file is read only from the build's explicit
assets folder (``asset_root``, ``kiosk-feed build --assets``), and only once its resolved path is
inside it; without that folder no local file is read (see :func:`local_asset`).

Files are replaced atomically, assets first and the signature last, so a kiosk never finds a
signature for bytes that are not there yet (and a kiosk that catches the feed and its signature
from two different builds simply fetches both again). Old assets stay: a kiosk in the middle of
a sync may still want them.

Before signing, the document goes through the kiosks' own checks (sync.feed.verify.check_content):
the publisher refuses to publish what the kiosks would reject, and mends by the same rules what
they would mend (the warnings, listed in ``BuildResult.findings``; :func:`check_source` gives them
without building).
"""
from __future__ import annotations

import gzip
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sync.feed import document as feedmod
from sync.feed import signing
from sync.feed import verify as verifymod
from sync.feed.files import write_atomic, write_atomic_later
from sync.feed.findings import Findings
from sync.publish import sources

FEED = "feed.json"
# What makes a value an address rather than a file name: a URL scheme (two letters at least, so
# that a Windows drive, C:, is still a file name that local_asset explains).
URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")
DEFAULT_EXPIRES_DAYS = 60
MAX_ASSET_BYTES = 4 * 1024 * 1024   # one icon or logo (ClientOptions.max_asset_bytes on the kiosks)
# url field -> (its sha256 field, the field that may name a local file instead)
ASSET_FIELDS = {"x_icon_url": ("x_icon_sha256", "x_icon_file"), "logo": ("x_logo_sha256", "x_logo_file")}


@dataclass
class BuildResult:
    out_dir: Path
    version: int
    services: int
    terms: int
    assets: int
    feed_bytes: int
    gzip_bytes: int
    key_id: str
    findings: Findings


def normalize(value: Any) -> Any:
    """Drop None values (HSDS types do not allow null) and empty translation maps, recursively."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if v is None:
                continue
            v = normalize(v)
            if k == feedmod.TRANSLATIONS_KEY:
                v = {lang: fields for lang, fields in v.items() if fields}
                if not v:
                    continue
            out[k] = v
        return out
    if isinstance(value, list):
        return [normalize(v) for v in value]
    return value


def published_version(out_dir: Path) -> int | None:
    try:
        return int(json.loads((Path(out_dir) / FEED).read_bytes())["version"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def local_asset(ref: str, where: str, asset_root: Path | None) -> bytes:
    """The bytes of the file that a data reference ``ref`` names, read only from inside
    ``asset_root`` (issue 12: a path that comes from the data must never reach anything else).

    ``ref`` must be a relative path that, once resolved (``..``, symlinks), still lies inside the
    resolved ``asset_root``; an absolute or ``~`` path is refused even when it points inside.
    With ``asset_root`` None no local file is read at all.
    """
    if asset_root is None:
        raise feedmod.FeedError("invalid", f"{where}: {ref[:80]!r} names a local file, and this build "
                                "reads none: give an https:// address or an uploaded asset")
    if ref.startswith("~") or Path(ref).is_absolute():
        raise feedmod.FeedError("invalid", f"{where}: {ref[:80]!r} is an absolute path; name a file "
                                f"inside the assets folder {asset_root}")
    root = Path(asset_root).resolve()
    path = (root / ref).resolve()
    if not path.is_relative_to(root):
        raise feedmod.FeedError("invalid", f"{where}: {ref[:80]!r} lies outside the assets folder {root}")
    if not path.is_file():
        raise feedmod.FeedError("invalid", f"{where}: file {ref[:80]} not found in {root}")
    if path.stat().st_size > MAX_ASSET_BYTES:
        raise feedmod.FeedError("invalid", f"{where}: {ref[:80]} is over {MAX_ASSET_BYTES} bytes "
                                "(kiosks take no bigger asset)")
    return path.read_bytes()


def _ingest(obj: dict[str, Any], url_key: str, where: str, asset_root: Path | None,
            assets: dict[str, bytes]) -> None:
    """Replace a local file reference (``x_*_file`` or a URL field that is no URL) with a
    content-addressed asset."""
    sha_key, file_key = ASSET_FIELDS[url_key]
    ref, field = obj.pop(file_key, None), file_key
    if not ref:
        ref, field = obj.get(url_key), url_key
        if not isinstance(ref, str) or not ref or URL_SCHEME.match(ref) or ref.startswith("assets/"):
            # An address of any scheme (data:, file:, javascript: too), or an asset already
            # published: the kiosks' checks judge them (a data: or file: logo is dropped, with
            # its warning), never the file system.
            return
    if not isinstance(ref, str):
        raise feedmod.FeedError("invalid", f"{where}.{field}: not a file name")
    data = local_asset(ref, f"{where}.{field}", asset_root)
    sha = hashlib.sha256(data).hexdigest()
    assets[sha] = data
    obj[url_key] = f"assets/{sha}"
    obj[sha_key] = sha


def collect_assets(doc: dict[str, Any], asset_root: Path | None) -> dict[str, bytes]:
    """Turn local icon and logo files into ``assets/<sha256>`` references; returns their bytes.
    Only files inside ``asset_root`` are read (None: none at all, see :func:`local_asset`)."""
    assets: dict[str, bytes] = {}
    for i, term in enumerate(doc.get("taxonomy_terms", [])):
        _ingest(term, "x_icon_url", f"taxonomy_terms[{i}]", asset_root, assets)
    for i, service in enumerate(doc.get("services", [])):
        org = service.get("organization")
        if isinstance(org, dict):
            _ingest(org, "logo", f"services[{i}].organization", asset_root, assets)
        for j, attr in enumerate(service.get("attributes") or []):
            term = attr.get("taxonomy_term")
            if isinstance(term, dict):
                _ingest(term, "x_icon_url", f"services[{i}].attributes[{j}].taxonomy_term", asset_root, assets)
    return assets


def build_document(source: Path, *, version: int, expires_days: float = DEFAULT_EXPIRES_DAYS,
                   now: datetime | None = None, asset_root: Path | None = None,
                   findings: Findings | None = None) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The feed document of ``source`` and its assets, not yet checked; what reading the source
    fixed or dropped goes to ``findings``."""
    loaded = sources.load_source(Path(source))
    if findings is not None:
        findings.extend(loaded.findings)
    now = now or feedmod.utcnow()
    doc = feedmod.new_document(
        loaded.services, loaded.taxonomy_terms, version=version, taxonomy=loaded.taxonomy,
        publisher=loaded.publisher, generated_at=now, expires_at=now + timedelta(days=expires_days),
        languages=loaded.languages)
    doc = normalize(doc)
    # Keep the nested taxonomy_term of each attribute identical to the category it names.
    by_id = {t["id"]: t for t in doc["taxonomy_terms"]}
    for service in doc["services"]:
        for attr in service.get("attributes") or []:
            term_id = attr.get("taxonomy_term_id") or (attr.get("taxonomy_term") or {}).get("id")
            if term_id in by_id:
                attr["taxonomy_term_id"] = term_id
                attr["taxonomy_term"] = by_id[term_id]
    assets = collect_assets(doc, asset_root)
    return doc, assets


def build_feed(source: Path, out_dir: Path, secret: signing.SecretKey, *, version: int | None = None,
               expires_days: float = DEFAULT_EXPIRES_DAYS, now: datetime | None = None,
               limits: verifymod.Limits = verifymod.DEFAULT_LIMITS,
               asset_root: Path | None = None, findings: Findings | None = None) -> BuildResult:
    """Build, check, sign and write the feed of ``source`` into ``out_dir``.

    ``asset_root`` is the only folder a local icon or logo file named by the data may come from
    (``kiosk-feed build --assets``); None (the server's publishing) reads no local file at all.
    """
    out_dir = Path(out_dir)
    previous = published_version(out_dir)
    if version is None:
        version = (previous or 0) + 1
    elif previous is not None and version <= previous:
        raise feedmod.FeedError("rollback", f"version {version} is not above the published {previous}; "
                                "kiosks would refuse it")
    findings = findings if findings is not None else Findings()
    doc, assets = build_document(source, version=version, expires_days=expires_days, now=now,
                                 asset_root=asset_root, findings=findings)
    return write_feed(doc, assets, out_dir, secret, limits=limits, findings=findings)


def check_source(source: Path, *, asset_root: Path | None = None,
                 limits: verifymod.Limits = verifymod.DEFAULT_LIMITS) -> tuple[dict[str, Any], Findings]:
    """What a build of ``source`` would find (errors included), without signing or writing;
    returns the mended document too."""
    findings = Findings()
    doc, _assets = build_document(source, version=1, asset_root=asset_root, findings=findings)
    verifymod.conform(doc, limits, findings=findings)
    return doc, findings


def write_feed(doc: dict[str, Any], assets: dict[str, bytes], out_dir: Path, secret: signing.SecretKey,
               *, limits: verifymod.Limits = verifymod.DEFAULT_LIMITS,
               findings: Findings | None = None) -> BuildResult:
    """Check (mending by the warnings' rules, refusing on errors), sign and write ``doc``."""
    out_dir = Path(out_dir)
    findings = findings if findings is not None else Findings()
    verifymod.check_content(doc, limits, findings=findings)
    data = feedmod.dumps(doc)
    if len(data) > limits.max_bytes:
        raise feedmod.FeedError("too_large", f"{len(data)} bytes (kiosks take at most {limits.max_bytes})")
    gz = gzip.compress(data, compresslevel=9, mtime=0)
    comment = f"timestamp:{int(feedmod.utcnow().timestamp())}\tfile:{FEED}\thashed\tversion:{doc['version']}"
    sig = signing.sign(data, secret, trusted_comment=comment)
    for sha, content in sorted(assets.items()):
        target = out_dir / "assets" / sha
        if not target.exists():
            write_atomic(target, content)
    write_atomic_later(out_dir / FEED, data)
    write_atomic_later(out_dir / (FEED + ".gz"), gz)
    write_atomic(out_dir / (FEED + ".sig"), sig.to_text().encode("ascii"))
    write_atomic(out_dir / "pubkey", secret.public.to_text().encode("ascii"))
    return BuildResult(out_dir, doc["version"], len(doc["services"]), len(doc["taxonomy_terms"]),
                       len(assets), len(data), len(gz), secret.public.id_hex, findings)


@dataclass
class DirReport:
    version: int
    services: int
    terms: int
    assets: int
    expires_at: str
    key_id: str
    trusted_comment: str


def verify_dir(out_dir: Path, public_keys: list[Any], *, now: datetime | None = None,
               limits: verifymod.Limits = verifymod.DEFAULT_LIMITS) -> DirReport:
    """Check a published directory the way a kiosk would (and a bit more): signature, expiry,
    schema and sense, the .gz matching feed.json, every asset present with its hash."""
    out_dir = Path(out_dir)
    try:
        raw = (out_dir / FEED).read_bytes()
        sig_text = (out_dir / (FEED + ".sig")).read_bytes()
    except OSError as exc:
        raise feedmod.FeedError("missing", f"{exc.filename}: {exc.strerror}") from exc
    doc = verifymod.verify_feed(raw, sig_text, public_keys, now=now, limits=limits, check_versions=False)
    key, sig = signing.verify(raw, sig_text, public_keys)
    gz_path = out_dir / (FEED + ".gz")
    try:
        if gzip.decompress(gz_path.read_bytes()) != raw:
            raise feedmod.FeedError("invalid", f"{gz_path.name} does not match {FEED}")
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise feedmod.FeedError("invalid", f"{gz_path.name}: {exc}") from exc
    wanted = verifymod.referenced_assets(doc)
    for sha, url in wanted.items():
        if url.startswith("assets/"):
            path = out_dir / url
            if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != sha:
                raise feedmod.FeedError("invalid", f"asset {url} is missing or does not match")
    return DirReport(doc["version"], len(doc["services"]), len(doc["taxonomy_terms"]), len(wanted),
                     doc.get("expires_at", ""), key.id_hex, sig.trusted_comment)
