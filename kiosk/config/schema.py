"""The configuration's schema: every section, key, default and check (pydantic, frozen).

Validators raise PydanticCustomError with a type from the list below and the facts the message
needs; :func:`kiosk.config.errors.describe` turns each into a translated sentence.

  cfg_type (expected)          cfg_range (min, max)        cfg_choice (choices)
  cfg_feed_url                 cfg_https_url               cfg_public_key
  cfg_too_many (count, max)    cfg_need_sq                 cfg_usb_id
  cfg_printer_needs (key, kind, missing)                   cfg_pin_hash
  cfg_kiosk_id                 cfg_countdown (key, timeout) cfg_keys_needed (key)
  cfg_diagonal (min, max)
  cfg_key_action (action, choices)   cfg_key_name (action, key, choices)
  cfg_key_twice (key, first, second) cfg_key_list (action)
"""
from __future__ import annotations

import base64
import re
import socket
import types
from pathlib import Path
from typing import Annotated, Any, Literal, NoReturn, Optional, Union, get_args, get_origin

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, StrictBool
from pydantic import model_validator
from pydantic_core import PydanticCustomError

from kiosk.i18n import LANGUAGES
from kiosk.paths import default_data_dir
from kiosk.pin import parse_pin_hash

DATABASE_FILENAME = "catalogue.sqlite3"
PRINTER_KINDS = ("none", "usb", "network", "serial", "file")
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
MIB = 1024 * 1024



def _fail(error_type: str, /, **ctx: Any) -> NoReturn:
    raise PydanticCustomError(error_type, error_type, ctx)


def _int_in(lo: int, hi: int):
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            _fail("cfg_type", expected="int")
        if not lo <= value <= hi:
            _fail("cfg_range", min=lo, max=hi)
        return value
    return Annotated[int, BeforeValidator(check)]


def _text(value: Any) -> str:
    if not isinstance(value, str):
        _fail("cfg_type", expected="str")
    value = value.strip()
    if not value:
        _fail("cfg_type", expected="nonempty")
    return value


def _optional_text(value: Any) -> str | None:
    """Optional text: an empty string means "not set", so ``KIOSK__SYNC__TOKEN=`` unsets it."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return _text(value)


def _path(value: Any) -> Path:
    if isinstance(value, Path):
        return value
    if not isinstance(value, str):
        _fail("cfg_type", expected="path")
    if not value.strip():
        _fail("cfg_type", expected="nonempty")
    return Path(value.strip()).expanduser()


def _optional_path(value: Any) -> Path | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return _path(value)


def _url(value: Any, *, local_http: bool) -> str | None:
    from urllib.parse import urlsplit

    value = _optional_text(value)
    if value is None:
        return None
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        host, parts = "", None
    ok = (parts is not None and host and not re.search(r"\s", value)
          and (parts.scheme == "https" or (local_http and parts.scheme == "http" and host in LOCAL_HOSTS)))
    if not ok:
        _fail("cfg_feed_url" if local_http else "cfg_https_url")
    return value


def _local_or_https_url(value: Any) -> str | None:
    return _url(value, local_http=True)


def _https_url(value: Any) -> str | None:
    value = _url(value, local_http=False)
    return value.rstrip("/") if value else value


def _public_keys(value: Any) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)):
        _fail("cfg_type", expected="list")
    if len(value) > 2:
        _fail("cfg_too_many", count=len(value), max=2)
    keys: list[str] = []
    for item in value:
        if not isinstance(item, str):
            _fail("cfg_type", expected="str", found=item)
        text = item.strip()
        if decode_key(text) is None:
            _fail("cfg_public_key", found=item)
        if text not in keys:
            keys.append(text)
    return tuple(keys)


def decode_key(text: str) -> bytes | None:
    """The 32 bytes of a base64 (standard or URL-safe) Ed25519 public key, or None."""
    if not re.fullmatch(r"[A-Za-z0-9+/_-]{43}=?", text):
        return None
    text = text.replace("-", "+").replace("_", "/").rstrip("=") + "="
    try:
        raw = base64.b64decode(text, validate=True)
    except ValueError:
        return None
    return raw if len(raw) == 32 else None


def _languages(value: Any) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)):
        _fail("cfg_type", expected="list")
    langs: list[str] = []
    for item in value:
        if not isinstance(item, str):
            _fail("cfg_type", expected="str", found=item)
        if item not in LANGUAGES:
            _fail("cfg_choice", choices=", ".join(LANGUAGES), found=item)
        if item not in langs:
            langs.append(item)
    if "sq" not in langs:
        _fail("cfg_need_sq")
    return tuple(langs)


def _language(value: Any) -> str:
    if not isinstance(value, str) or value not in LANGUAGES:
        _fail("cfg_choice", choices=", ".join(LANGUAGES))
    return value


def _printer_kind(value: Any) -> str:
    if not isinstance(value, str) or value not in PRINTER_KINDS:
        _fail("cfg_choice", choices=", ".join(PRINTER_KINDS))
    return value


def _usb_id(value: Any) -> int | None:
    """A USB vendor or product id: an integer (``0x04b8`` in TOML) or hex text as lsusb shows it."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip().lower()
        text = text[2:] if text.startswith("0x") else text
        if not re.fullmatch(r"[0-9a-f]{1,4}", text):
            _fail("cfg_usb_id")
        return int(text, 16)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 0xFFFF:
        _fail("cfg_usb_id")
    return value


def _kiosk_id(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}", value):
        _fail("cfg_kiosk_id")
    return value


def _pin_hash(value: Any) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str) or parse_pin_hash(value.strip()) is None:
        _fail("cfg_pin_hash")
    return value.strip()


def default_kiosk_id() -> str:
    """This machine's host name, cut down to what a kiosk id may contain."""
    name = socket.gethostname().split(".")[0]
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-._")[:64]
    return name or "kiosk"


_SECTION_CONFIG = ConfigDict(extra="forbid", frozen=True)


class KioskSection(BaseModel):
    """``[kiosk]``: this machine, its languages and its screen."""

    model_config = _SECTION_CONFIG

    id: Annotated[str, BeforeValidator(_kiosk_id)] = Field(default_factory=default_kiosk_id)
    data_dir: Annotated[Path, BeforeValidator(_path)] = Field(default_factory=default_data_dir)
    database: Annotated[Optional[Path], BeforeValidator(_optional_path)] = None
    languages: Annotated[tuple[str, ...], BeforeValidator(_languages)] = ("sq", "en")
    default_language: Annotated[str, BeforeValidator(_language)] = "sq"
    idle_timeout: _int_in(15, 3600) = 90
    idle_countdown: _int_in(3, 60) = 10
    #: the same on a sensitive page (never longer than ``idle_timeout``); default a third of it
    idle_timeout_sensitive: Optional[_int_in(5, 3600)] = None
    windowed: StrictBool = False
    centre_name: Annotated[Optional[str], BeforeValidator(_optional_text)] = None
    stale_after_days: _int_in(1, 365) = 7

    @model_validator(mode="after")
    def _cross_check(self) -> "KioskSection":
        if self.database is None:
            object.__setattr__(self, "database", self.data_dir / DATABASE_FILENAME)
        if self.default_language not in self.languages:
            _fail("cfg_choice", key="default_language", found=self.default_language,
                  choices=", ".join(self.languages))
        if self.idle_countdown >= self.idle_timeout:
            _fail("cfg_countdown", key="idle_countdown", found=self.idle_countdown,
                  timeout=self.idle_timeout)
        sensitive = self.idle_timeout_sensitive or max(5, self.idle_timeout // 3)
        object.__setattr__(self, "idle_timeout_sensitive", min(sensitive, self.idle_timeout))
        return self


class SyncSection(BaseModel):
    """``[sync]``: where the signed catalogue feed comes from and whom to tell we are alive."""

    model_config = _SECTION_CONFIG

    feed_url: Annotated[Optional[str], BeforeValidator(_local_or_https_url)] = None
    public_keys: Annotated[tuple[str, ...], BeforeValidator(_public_keys)] = ()
    interval_minutes: _int_in(1, 1440) = 15
    heartbeat_url: Annotated[Optional[str], BeforeValidator(_local_or_https_url)] = None
    token: Annotated[Optional[str], BeforeValidator(_optional_text)] = None
    max_feed_bytes: _int_in(64 * 1024, 1024 * MIB) = 64 * MIB

    @property
    def public_key_bytes(self) -> tuple[bytes, ...]:
        """The public keys as 32-byte strings, ready for Ed25519 verification."""
        return tuple(key for key in map(decode_key, self.public_keys) if key is not None)

    @model_validator(mode="after")
    def _cross_check(self) -> "SyncSection":
        if self.feed_url and not self.public_keys:
            _fail("cfg_keys_needed", key="public_keys", found=[])
        return self


class PrinterSection(BaseModel):
    """``[printer]``: the receipt printer, through python-escpos."""

    model_config = _SECTION_CONFIG

    kind: Annotated[Literal["none", "usb", "network", "serial", "file"], BeforeValidator(_printer_kind)] = "none"
    vendor_id: Annotated[Optional[int], BeforeValidator(_usb_id)] = None
    product_id: Annotated[Optional[int], BeforeValidator(_usb_id)] = None
    host: Annotated[Optional[str], BeforeValidator(_optional_text)] = None
    port: _int_in(1, 65535) = 9100
    device: Annotated[Optional[str], BeforeValidator(_optional_text)] = None
    baudrate: _int_in(50, 4_000_000) = 19200
    path: Annotated[Optional[Path], BeforeValidator(_optional_path)] = None
    profile: Annotated[str, BeforeValidator(_text)] = "default"
    max_per_minute: _int_in(1, 60) = 3

    @property
    def enabled(self) -> bool:
        return self.kind != "none"

    @model_validator(mode="after")
    def _cross_check(self) -> "PrinterSection":
        needs = {"usb": ("vendor_id", "product_id"), "network": ("host",), "serial": ("device",),
                 "file": ("path",)}.get(self.kind, ())
        missing = [name for name in needs if getattr(self, name) is None]
        if missing:
            _fail("cfg_printer_needs", key="kind", found=self.kind, kind=self.kind,
                  missing=", ".join(missing))
        return self


class HandoffSection(BaseModel):
    """``[handoff]``: the public web address QR codes point to."""

    model_config = _SECTION_CONFIG

    public_base_url: Annotated[Optional[str], BeforeValidator(_https_url)] = None


class StaffSection(BaseModel):
    """``[staff]``: the hidden staff panel, opened by holding a corner and entering a PIN."""

    model_config = _SECTION_CONFIG

    pin_hash: Annotated[Optional[str], BeforeValidator(_pin_hash)] = None
    corner_hold_seconds: _int_in(2, 30) = 5

    @property
    def enabled(self) -> bool:
        """The staff panel exists only when a PIN hash is configured."""
        return self.pin_hash is not None


#: the smallest and largest screen diagonal, in inches, a kiosk panel can have
DIAGONAL_RANGE = (3.0, 120.0)


def _diagonal(value: Any) -> float | None:
    """A screen diagonal in inches (a number, 7 or 10.1); empty or 0 means "ask the panel"."""
    if value is None or (isinstance(value, str) and not value.strip()) or value == 0:
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip().rstrip('"').strip())
        except ValueError:
            _fail("cfg_diagonal", min=DIAGONAL_RANGE[0], max=DIAGONAL_RANGE[1])
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        _fail("cfg_diagonal", min=DIAGONAL_RANGE[0], max=DIAGONAL_RANGE[1])
    if not DIAGONAL_RANGE[0] <= value <= DIAGONAL_RANGE[1]:
        _fail("cfg_diagonal", min=DIAGONAL_RANGE[0], max=DIAGONAL_RANGE[1])
    return float(value)


class DisplaySection(BaseModel):
    """``[display]``: the panel's physical size (when it reports none or a wrong one) and the screen
    while nobody uses the kiosk."""

    model_config = _SECTION_CONFIG

    diagonal_inches: Annotated[Optional[float], BeforeValidator(_diagonal)] = None

    #: minutes on the welcome screen without a touch before the screen is switched off (DPMS);
    #: 0 never switches it off. A touch switches it back on.
    blank_after_minutes: _int_in(0, 1440) = 0


SPEECH_RATES = ("slow", "normal", "fast")


def _speech_rate(value: Any) -> str:
    if not isinstance(value, str) or value not in SPEECH_RATES:
        _fail("cfg_choice", choices=", ".join(SPEECH_RATES))
    return value


def _key_map(value: Any) -> dict[str, tuple[str, ...]]:
    """``[speech.keys]``: action = ["key", ...], checked against the keypad's actions and keys."""
    from kiosk.speech.keys import KeyMap, KeyMapError

    if not isinstance(value, dict):
        _fail("cfg_type", expected="table")
    keys = {str(action): (names if isinstance(names, str) else tuple(names) if isinstance(names, (list, tuple))
                          else names) for action, names in value.items()}
    try:
        KeyMap({action: ((names,) if isinstance(names, str) else names) for action, names in keys.items()})
    except (KeyMapError, TypeError) as exc:
        kind = getattr(exc, "kind", "list")
        facts = dict(getattr(exc, "facts", {}))
        if kind == "list" and "action" not in facts:
            facts["action"] = next(iter(keys), "")
        _fail(f"cfg_key_{kind}" if kind != "key" else "cfg_key_name", **facts)
    return {action: ((names,) if isinstance(names, str) else tuple(names)) for action, names in keys.items()}


class SpeechSection(BaseModel):
    """``[speech]``: reading the screens aloud (espeak-ng) and the tactile keypad."""

    model_config = _SECTION_CONFIG

    enabled: StrictBool = True
    rate: Annotated[str, BeforeValidator(_speech_rate)] = "normal"
    volume: _int_in(1, 5) = 3
    device: Annotated[str, BeforeValidator(_text)] = "default"
    keys: Annotated[dict[str, tuple[str, ...]], BeforeValidator(_key_map)] = Field(default_factory=dict)

    @property
    def rate_step(self) -> int:
        return SPEECH_RATES.index(self.rate)

    @property
    def volume_step(self) -> int:
        return self.volume - 1


class Config(BaseModel):
    """The whole validated configuration; ``source`` is the file it came from, or None."""

    model_config = _SECTION_CONFIG

    kiosk: KioskSection = Field(default_factory=KioskSection)
    sync: SyncSection = Field(default_factory=SyncSection)
    printer: PrinterSection = Field(default_factory=PrinterSection)
    handoff: HandoffSection = Field(default_factory=HandoffSection)
    staff: StaffSection = Field(default_factory=StaffSection)
    display: DisplaySection = Field(default_factory=DisplaySection)
    speech: SpeechSection = Field(default_factory=SpeechSection)

    _source: Optional[Path] = PrivateAttr(default=None)

    @property
    def source(self) -> Path | None:
        return self._source


SECTIONS: dict[str, type[BaseModel]] = {
    name: field.annotation for name, field in Config.model_fields.items()  # type: ignore[misc]
}
PATH_KEYS = {("kiosk", "data_dir"), ("kiosk", "database"), ("printer", "path")}


def is_text_field(section: str, key: str) -> bool:
    """Whether an environment value for this key should stay text even if it looks like a number."""
    annotation = SECTIONS[section].model_fields[key].annotation
    args = get_args(annotation) if get_origin(annotation) in (Union, types.UnionType) else (annotation,)
    args = [arg for arg in args if arg is not type(None)]
    return all(arg in (str, Path) or get_origin(arg) is Literal for arg in args)
