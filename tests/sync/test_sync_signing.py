"""Ed25519 keys and minisign-format detached signatures."""
from __future__ import annotations

import base64
import os
import shutil
import stat
import subprocess

import pytest

from sync.feed import signing
from sync.feed.document import FeedError

DATA = "Shërbimet sociale të Elbasanit\n".encode()


def test_sign_and_verify_round_trip():
    key = signing.generate()
    sig = signing.sign(DATA, key, trusted_comment="timestamp:1\tversion:7")
    used, parsed = signing.verify(DATA, sig.to_text(), [key.public.b64])
    assert used.key == key.public.key
    assert signing.trusted_fields(parsed.trusted_comment) == {"timestamp": "1", "version": "7"}


def test_text_formats_are_minisign_shaped():
    key = signing.generate()
    pub = key.public.to_text().splitlines()
    assert pub[0].startswith("untrusted comment: ")
    raw = base64.b64decode(pub[1])
    assert raw[:2] == b"Ed" and raw[2:10] == key.key_id and raw[10:] == key.public.key
    sig = signing.sign(DATA, key).to_text().splitlines()
    assert sig[0].startswith("untrusted comment: ") and sig[2].startswith("trusted comment: ")
    blob = base64.b64decode(sig[1])
    assert blob[:2] == b"ED" and blob[2:10] == key.key_id and len(blob) == 74
    assert len(base64.b64decode(sig[3])) == 64


def test_public_key_forms_all_parse():
    key = signing.generate()
    pk = key.public
    for form in (pk.b64, pk.to_text(), pk.to_text().splitlines()[1], pk.key,
                 base64.urlsafe_b64encode(pk.key).decode().rstrip("=")):
        parsed = signing.parse_public_key(form)
        assert parsed.key == pk.key
    assert signing.parse_public_key(pk.b64).key_id == pk.key_id  # derived from the key
    with pytest.raises(ValueError):
        signing.parse_public_key("not a key")


def test_tampered_data_is_bad_signature():
    key = signing.generate()
    sig = signing.sign(DATA, key).to_text()
    with pytest.raises(FeedError) as err:
        signing.verify(DATA + b" ", sig, [key.public.b64])
    assert err.value.code == "bad_signature"


def test_tampered_trusted_comment_is_bad_signature():
    key = signing.generate()
    lines = signing.sign(DATA, key, trusted_comment="version:1").to_text().splitlines()
    lines[2] = "trusted comment: version:999"
    with pytest.raises(FeedError) as err:
        signing.verify(DATA, "\n".join(lines) + "\n", [key.public.b64])
    assert err.value.code == "bad_signature"


def test_other_key_is_unknown_key():
    key, other = signing.generate(), signing.generate()
    sig = signing.sign(DATA, other).to_text()
    with pytest.raises(FeedError) as err:
        signing.verify(DATA, sig, [key.public.b64])
    assert err.value.code == "unknown_key"


def test_two_pinned_keys_for_rotation():
    old, new = signing.generate(), signing.generate()
    pinned = [old.public.b64, new.public.b64]
    for key in (old, new):
        used, _ = signing.verify(DATA, signing.sign(DATA, key).to_text(), pinned)
        assert used.key == key.public.key


def test_key_with_a_foreign_id_still_verifies():
    """A key made by minisign has a random id, which the bare base64 in kiosk.toml does not carry."""
    key = signing.generate()
    foreign = signing.SecretKey(key.seed, os.urandom(8))
    used, _ = signing.verify(DATA, signing.sign(DATA, foreign).to_text(), [key.public.b64])
    assert used.key == key.public.key


def test_legacy_unhashed_signatures_verify():
    key = signing.generate()
    sig = signing.sign(DATA, key, hashed=False)
    assert sig.algorithm == b"Ed"
    signing.verify(DATA, sig.to_text(), [key.public.b64])


@pytest.mark.parametrize("text", ["", "garbage", "untrusted comment: x\nAAAA\ntrusted comment: y\nAAAA\n",
                                  b"\xff\xfe"])
def test_malformed_signature_files(text):
    key = signing.generate()
    with pytest.raises(FeedError) as err:
        signing.verify(DATA, text, [key.public.b64])
    assert err.value.code == "bad_signature"


def test_no_pinned_key():
    key = signing.generate()
    with pytest.raises(FeedError) as err:
        signing.verify(DATA, signing.sign(DATA, key).to_text(), [])
    assert err.value.code == "unknown_key"


def test_keypair_files(tmp_path):
    key = signing.generate()
    signing.write_keypair(key, tmp_path / "k.key", tmp_path / "k.pub")
    assert stat.S_IMODE((tmp_path / "k.key").stat().st_mode) == 0o600
    assert signing.load_secret_key(tmp_path / "k.key") == key
    assert signing.load_public_key(tmp_path / "k.pub").key == key.public.key
    with pytest.raises(FileExistsError):
        signing.write_keypair(signing.generate(), tmp_path / "k.key", tmp_path / "k.pub")
    text = (tmp_path / "k.key").read_text().splitlines()
    raw = bytearray(base64.b64decode(text[1]))
    raw[70] ^= 1  # corrupt the secret key
    (tmp_path / "bad.key").write_text(text[0] + "\n" + base64.b64encode(bytes(raw)).decode() + "\n")
    with pytest.raises(ValueError):
        signing.load_secret_key(tmp_path / "bad.key")


@pytest.mark.skipif(shutil.which("minisign") is None, reason="minisign is not installed")
def test_minisign_verifies_our_signatures(tmp_path):
    key = signing.generate()
    (tmp_path / "feed.json").write_bytes(DATA)
    (tmp_path / "feed.json.minisig").write_text(signing.sign(DATA, key).to_text())
    (tmp_path / "pubkey").write_text(key.public.to_text())
    subprocess.run(["minisign", "-Vm", str(tmp_path / "feed.json"), "-p", str(tmp_path / "pubkey")],
                   check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("minisign") is None, reason="minisign is not installed")
def test_we_read_minisign_keys_and_signatures(tmp_path):
    subprocess.run(["minisign", "-G", "-W", "-p", str(tmp_path / "m.pub"), "-s", str(tmp_path / "m.key")],
                   check=True, capture_output=True)
    (tmp_path / "f").write_bytes(DATA)
    subprocess.run(["minisign", "-S", "-s", str(tmp_path / "m.key"), "-m", str(tmp_path / "f"),
                    "-t", "version:3"], check=True, capture_output=True)
    secret = signing.load_secret_key(tmp_path / "m.key")
    public = signing.load_public_key(tmp_path / "m.pub")
    assert secret.public == public
    # kiosk.toml keeps only the bare key; minisign's random key id is not needed.
    _, sig = signing.verify(DATA, (tmp_path / "f.minisig").read_text(), [public.b64])
    assert sig.trusted_comment == "version:3"



def test_the_kiosk_process_reads_keys_without_loading_libsodium(tmp_path):
    """The kiosk's own process reads key files and hands signatures to its build child: PyNaCl
    (2 MB of cffi and libsodium) is loaded only where a signature is checked or a key made."""
    import sys
    from pathlib import Path

    key = signing.generate()
    (tmp_path / "feed.pub").write_text(key.public.to_text())
    code = ("import sys, kiosk.bootstrap, kiosk.updates, sync.feed.verify, sync.feed.signing as s\n"
            f"s.load_public_key({str(tmp_path / 'feed.pub')!r})\n"
            "print('nacl' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2]).stdout.strip()
    assert out == "False"
