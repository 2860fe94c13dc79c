"""Ed25519 keys and detached signatures in minisign's text formats.

The formats are minisign's (https://jedisct1.github.io/minisign/), so a published feed can be
checked with ``minisign -Vm feed.json -p pubkey`` as well as with ``kiosk-feed verify``:

public key file (``pubkey``)::

    untrusted comment: kiosk-feed public key 1A2B3C4D5E6F7081
    RWQ...        base64("Ed" || key id (8 bytes) || Ed25519 public key (32 bytes))

signature file (``feed.json.sig``)::

    untrusted comment: signature from kiosk-feed secret key 1A2B3C4D5E6F7081
    RUQ...        base64("ED" || key id || Ed25519(BLAKE2b-512(file)))
    trusted comment: timestamp:1795600000	file:feed.json	hashed	version:42
    ...           base64(Ed25519(signature || trusted comment))

secret key file: minisign's unencrypted layout (``minisign -G -W``): base64("Ed" || "\\0\\0" ||
"B2" || salt (32) || opslimit (8) || memlimit (8) || key id || secret key (64) ||
BLAKE2b-256 checksum). It is written owner-only (0600) and never leaves the staff machine.

The key id is the first 8 bytes of BLAKE2b(public key), so it can be derived from the bare
base64 public key that ``kiosk.toml`` stores (``public_keys = ["<44 characters>"]``). A signature
whose key id matches none of the pinned keys is still tried against each of them (a key made by
minisign itself has a random id), and is refused as ``unknown_key`` when none verifies it.

The legacy minisign algorithm ``Ed`` (the signature over the file itself rather than its hash)
is verified too; signing always uses the hashed ``ED``.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from sync.feed.document import FeedError

# PyNaCl (libsodium through cffi, 2 MB) is imported when a key is made or a signature checked:
# the kiosk's own process only reads key files, its build child checks the signature.
if TYPE_CHECKING:
    import nacl.signing


def _signing():
    import nacl.signing

    return nacl.signing

ALG_KEY = b"Ed"          # key files (minisign's public and secret key "signature algorithm")
ALG_HASHED = b"ED"       # signature over BLAKE2b-512(file): minisign's default since 0.10
ALG_LEGACY = b"Ed"       # signature over the file's bytes
KDF_NONE = b"\0\0"
CHK_BLAKE2B = b"B2"
UNTRUSTED = "untrusted comment: "
TRUSTED = "trusted comment: "
MAX_COMMENT = 1024


@dataclass(frozen=True)
class PublicKey:
    key: bytes            # 32 bytes
    key_id: bytes         # 8 bytes

    @classmethod
    def from_bytes(cls, key: bytes, key_id: bytes | None = None) -> "PublicKey":
        if len(key) != 32:
            raise ValueError("an Ed25519 public key has 32 bytes")
        return cls(bytes(key), key_id if key_id is not None else derive_key_id(key))

    @property
    def b64(self) -> str:
        """The bare base64 form kept in ``kiosk.toml``'s ``sync.public_keys``."""
        return base64.b64encode(self.key).decode("ascii")

    @property
    def id_hex(self) -> str:
        return key_id_hex(self.key_id)

    def to_text(self, comment: str | None = None) -> str:
        """The minisign public key file."""
        comment = comment or f"kiosk-feed public key {self.id_hex}"
        line = base64.b64encode(ALG_KEY + self.key_id + self.key).decode("ascii")
        return f"{UNTRUSTED}{comment}\n{line}\n"


@dataclass(frozen=True)
class SecretKey:
    seed: bytes           # 32 bytes; the Ed25519 secret key is seed || public key
    key_id: bytes

    @property
    def public(self) -> PublicKey:
        return PublicKey(bytes(_signing().SigningKey(self.seed).verify_key), self.key_id)

    def _signer(self) -> "nacl.signing.SigningKey":
        return _signing().SigningKey(self.seed)

    def to_text(self, comment: str | None = None) -> str:
        """minisign's unencrypted secret key file."""
        sk64 = self.seed + self.public.key
        checksum = hashlib.blake2b(ALG_KEY + self.key_id + sk64, digest_size=32).digest()
        blob = (ALG_KEY + KDF_NONE + CHK_BLAKE2B + bytes(32) + bytes(8) + bytes(8)
                + self.key_id + sk64 + checksum)
        comment = comment or f"kiosk-feed secret key {key_id_hex(self.key_id)} (keep private)"
        return f"{UNTRUSTED}{comment}\n{base64.b64encode(blob).decode('ascii')}\n"


@dataclass(frozen=True)
class Signature:
    algorithm: bytes
    key_id: bytes
    signature: bytes      # 64 bytes
    trusted_comment: str
    global_signature: bytes
    untrusted_comment: str = ""

    def to_text(self) -> str:
        return (f"{UNTRUSTED}{self.untrusted_comment}\n"
                f"{base64.b64encode(self.algorithm + self.key_id + self.signature).decode('ascii')}\n"
                f"{TRUSTED}{self.trusted_comment}\n"
                f"{base64.b64encode(self.global_signature).decode('ascii')}\n")


def derive_key_id(public_key: bytes) -> bytes:
    return hashlib.blake2b(public_key, digest_size=8).digest()


def key_id_hex(key_id: bytes) -> str:
    """The key id as minisign prints it (a little-endian 64-bit number in upper-case hex)."""
    return key_id[::-1].hex().upper()


def generate() -> SecretKey:
    signer = _signing().SigningKey.generate()
    return SecretKey(bytes(signer), derive_key_id(bytes(signer.verify_key)))


def _b64(text: str) -> bytes:
    text = text.strip()
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _payload_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def parse_public_key(value: str | bytes | PublicKey) -> PublicKey:
    """A public key from its bare base64 (as in ``kiosk.toml``), a minisign key line or file
    text, or 32 raw bytes. Raises ValueError."""
    if isinstance(value, PublicKey):
        return value
    if isinstance(value, bytes):
        if len(value) == 32:
            return PublicKey.from_bytes(value)
        value = value.decode("utf-8", "replace")
    lines = [line for line in _payload_lines(value) if not line.lower().startswith(UNTRUSTED.strip())]
    if len(lines) != 1:
        raise ValueError("not a public key")
    try:
        raw = _b64(lines[0])
    except (binascii.Error, ValueError) as exc:
        raise ValueError("not a public key: bad base64") from exc
    if len(raw) == 32:
        return PublicKey.from_bytes(raw)
    if len(raw) == 42 and raw[:2] == ALG_KEY:
        return PublicKey.from_bytes(raw[10:], raw[2:10])
    raise ValueError(f"not a public key: {len(raw)} bytes")


def load_public_key(source: str | Path) -> PublicKey:
    """A public key from a file path, or the key text itself."""
    path = Path(source)
    try:
        if path.is_file():
            return parse_public_key(path.read_text(encoding="utf-8"))
    except OSError:
        pass
    return parse_public_key(str(source))


def parse_secret_key(text: str) -> SecretKey:
    lines = [line for line in _payload_lines(text) if not line.lower().startswith(UNTRUSTED.strip())]
    if len(lines) != 1:
        raise ValueError("not a secret key")
    raw = _b64(lines[0])
    if len(raw) != 2 + 2 + 2 + 32 + 8 + 8 + 8 + 64 + 32 or raw[:2] != ALG_KEY:
        raise ValueError("not a minisign secret key")
    if raw[2:4] != KDF_NONE:
        raise ValueError("encrypted secret keys are not supported; make one with `kiosk-feed keygen`")
    key_id, sk64, checksum = raw[54:62], raw[62:126], raw[126:158]
    # minisign leaves the checksum of an unencrypted key (-W) zeroed; ours carry a real one.
    if checksum != bytes(32) and hashlib.blake2b(ALG_KEY + key_id + sk64, digest_size=32).digest() != checksum:
        raise ValueError("secret key checksum mismatch")
    secret = SecretKey(sk64[:32], key_id)
    if secret.public.key != sk64[32:]:
        raise ValueError("secret key is inconsistent")
    return secret


def load_secret_key(path: str | Path) -> SecretKey:
    return parse_secret_key(Path(path).read_text(encoding="utf-8"))


def write_keypair(secret: SecretKey, secret_path: Path, public_path: Path, *, force: bool = False) -> None:
    """Write the secret key owner-only (0600, created exclusively unless ``force``) and the public
    key beside it."""
    secret_path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if force else os.O_EXCL)
    fd = os.open(secret_path, flags, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, secret.to_text().encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    public_path.write_text(secret.public.to_text(), encoding="ascii")


def sign(data: bytes, secret: SecretKey, *, trusted_comment: str | None = None,
         untrusted_comment: str | None = None, hashed: bool = True) -> Signature:
    """A detached signature of ``data``."""
    if trusted_comment is None:
        trusted_comment = f"timestamp:{int(time.time())}"
    if "\n" in trusted_comment or "\r" in trusted_comment or len(trusted_comment) > MAX_COMMENT:
        raise ValueError("a trusted comment is one short line")
    signer = secret._signer()
    alg = ALG_HASHED if hashed else ALG_LEGACY
    message = hashlib.blake2b(data, digest_size=64).digest() if hashed else data
    sig = signer.sign(message).signature
    global_sig = signer.sign(sig + trusted_comment.encode("utf-8")).signature
    return Signature(alg, secret.key_id, sig, trusted_comment, global_sig,
                     untrusted_comment or f"signature from kiosk-feed secret key {key_id_hex(secret.key_id)}")


def parse_signature(text: str | bytes) -> Signature:
    """Parse a minisign signature file; raises FeedError('bad_signature')."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FeedError("bad_signature", "the signature file is not text") from exc
    lines = text.splitlines()
    if len(lines) < 4 or not lines[0].startswith(UNTRUSTED) or not lines[2].startswith(TRUSTED):
        raise FeedError("bad_signature", "not a minisign signature file")
    try:
        blob = _b64(lines[1])
        global_sig = _b64(lines[3])
    except (binascii.Error, ValueError) as exc:
        raise FeedError("bad_signature", "bad base64 in the signature file") from exc
    if len(blob) != 74 or blob[:2] not in (ALG_HASHED, ALG_LEGACY) or len(global_sig) != 64:
        raise FeedError("bad_signature", "malformed signature")
    return Signature(blob[:2], blob[2:10], blob[10:], lines[2][len(TRUSTED):], global_sig,
                     lines[0][len(UNTRUSTED):])


def _verifies(key: bytes, message: bytes, signature: bytes) -> bool:
    import nacl.exceptions

    try:
        _signing().VerifyKey(key).verify(message, signature)
        return True
    except (nacl.exceptions.BadSignatureError, nacl.exceptions.ValueError, ValueError):
        return False


def verify(data: bytes, signature: str | bytes | Signature,
           public_keys: Iterable[str | bytes | PublicKey]) -> tuple[PublicKey, Signature]:
    """Check a detached signature of ``data`` against the pinned keys.

    Returns the key that verified it and the parsed signature (its trusted comment is now
    authentic). Raises FeedError with code ``unknown_key`` when the signature names a key that is
    not pinned and no pinned key verifies it, ``bad_signature`` otherwise.
    """
    sig = signature if isinstance(signature, Signature) else parse_signature(signature)
    keys = []
    for k in public_keys:
        try:
            keys.append(parse_public_key(k))
        except ValueError:
            continue
    if not keys:
        raise FeedError("unknown_key", "no public key is configured")
    named = [k for k in keys if k.key_id == sig.key_id]
    message = hashlib.blake2b(data, digest_size=64).digest() if sig.algorithm == ALG_HASHED else data
    for key in named + [k for k in keys if k not in named]:
        if _verifies(key.key, message, sig.signature):
            if not _verifies(key.key, sig.signature + sig.trusted_comment.encode("utf-8"),
                             sig.global_signature):
                raise FeedError("bad_signature", "the trusted comment was altered")
            return key, sig
    if named:
        raise FeedError("bad_signature", f"the signature by key {key_id_hex(sig.key_id)} does not match the file")
    raise FeedError("unknown_key", f"signed by key {key_id_hex(sig.key_id)}, which is not pinned")


def trusted_fields(comment: str) -> dict[str, str]:
    """``key:value`` pairs of a trusted comment (tab or space separated)."""
    out = {}
    for part in re.split(r"[\t ]+", comment.strip()):
        if ":" in part:
            k, v = part.split(":", 1)
            out[k] = v
    return out
