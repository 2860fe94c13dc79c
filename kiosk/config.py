"""The kiosk's configuration: one TOML file plus environment overrides, validated, with clear errors.

Where the file is found, first match wins:

1. the ``path`` argument of :func:`load_config` (the ``--config`` option); it must exist;
2. the ``KIOSK_CONFIG`` environment variable; it must exist;
3. ``<data dir>/kiosk.toml`` (see :func:`kiosk.paths.default_data_dir`); when it does not exist every
   setting has its default, so a fresh machine starts without any configuration.

Any key can then be overridden from the environment as ``KIOSK__<SECTION>__<KEY>=value`` (double
underscores, any case), e.g. ``KIOSK__KIOSK__IDLE_TIMEOUT=30``. The value is read as a TOML value
when it is one (``30``, ``true``, ``["sq", "en"]``) and as plain text otherwise.

Every problem found (all of them, not just the first) ends up in one :class:`ConfigError` whose
text names the file, the key, what was found and what is expected, in the kiosk's current
language. ``python -m kiosk.config`` prints an example file, checks a file, or hashes a staff PIN.

This module has no Kivy import.
"""
from __future__ import annotations

import base64
import difflib
import hashlib
import hmac
import json
import os
import re
import secrets
import socket
import sys
import tomllib
import types
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated, Any, Literal, NoReturn, Optional, Union, get_args, get_origin

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, StrictBool
from pydantic import ValidationError, model_validator
from pydantic_core import PydanticCustomError

from kiosk.i18n import LANGUAGES, _
from kiosk.paths import default_data_dir

__all__ = [
    "Config", "ConfigError", "KioskSection", "SyncSection", "PrinterSection", "HandoffSection",
    "StaffSection", "load_config", "config_path", "example_config", "hash_pin", "verify_pin",
    "ENV_PREFIX", "CONFIG_FILENAME",
]

ENV_PREFIX = "KIOSK__"
CONFIG_ENV = "KIOSK_CONFIG"
DATA_DIR_ENV = "KIOSK_DATA_DIR"
CONFIG_FILENAME = "kiosk.toml"
DATABASE_FILENAME = "catalogue.sqlite3"
PRINTER_KINDS = ("none", "usb", "network", "serial", "file")
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
MIB = 1024 * 1024
_SECRET_KEYS = {("sync", "token"), ("staff", "pin_hash")}


class ConfigError(Exception):
    """Everything wrong with the configuration; ``str()`` is one human message per line."""

    def __init__(self, messages: Sequence[str] | str, path: Path | None = None):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        self.path = path
        super().__init__("\n".join(self.messages))


# --------------------------------------------------------------------------------------------
# Validators. They raise PydanticCustomError with a type from the list below and the facts the
# message needs; _describe() turns each into a translated sentence.
#   cfg_type (expected)          cfg_range (min, max)        cfg_choice (choices)
#   cfg_feed_url                 cfg_https_url               cfg_public_key
#   cfg_too_many (count, max)    cfg_need_sq                 cfg_usb_id
#   cfg_printer_needs (key, kind, missing)                   cfg_pin_hash
#   cfg_kiosk_id                 cfg_countdown (key, timeout) cfg_keys_needed (key)
# --------------------------------------------------------------------------------------------

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
        if _decode_key(text) is None:
            _fail("cfg_public_key", found=item)
        if text not in keys:
            keys.append(text)
    return tuple(keys)


def _decode_key(text: str) -> bytes | None:
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
    if not isinstance(value, str) or _parse_pin_hash(value.strip()) is None:
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
        return tuple(key for key in map(_decode_key, self.public_keys) if key is not None)

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


class Config(BaseModel):
    """The whole validated configuration; ``source`` is the file it came from, or None."""

    model_config = _SECTION_CONFIG

    kiosk: KioskSection = Field(default_factory=KioskSection)
    sync: SyncSection = Field(default_factory=SyncSection)
    printer: PrinterSection = Field(default_factory=PrinterSection)
    handoff: HandoffSection = Field(default_factory=HandoffSection)
    staff: StaffSection = Field(default_factory=StaffSection)

    _source: Optional[Path] = PrivateAttr(default=None)

    @property
    def source(self) -> Path | None:
        return self._source


SECTIONS: dict[str, type[BaseModel]] = {
    name: field.annotation for name, field in Config.model_fields.items()  # type: ignore[misc]
}
_PATH_KEYS = {("kiosk", "data_dir"), ("kiosk", "database"), ("printer", "path")}


def _is_text_field(section: str, key: str) -> bool:
    """Whether an environment value for this key should stay text even if it looks like a number."""
    annotation = SECTIONS[section].model_fields[key].annotation
    args = get_args(annotation) if get_origin(annotation) in (Union, types.UnionType) else (annotation,)
    args = [arg for arg in args if arg is not type(None)]
    return all(arg in (str, Path) or get_origin(arg) is Literal for arg in args)


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------

def _default_data_dir(env: Mapping[str, str]) -> Path:
    value = env.get(DATA_DIR_ENV)
    return (Path(value).expanduser() if value else default_data_dir()).absolute()


def config_path(path: str | Path | None = None, env: Mapping[str, str] | None = None) -> tuple[Path, str]:
    """The configuration file to read and how it was chosen: ``"argument"``, ``"env"`` or ``"default"``."""
    env = os.environ if env is None else env
    if path is not None and str(path) != "":
        return Path(path).expanduser().absolute(), "argument"
    if env.get(CONFIG_ENV):
        return Path(env[CONFIG_ENV]).expanduser().absolute(), "env"
    return _default_data_dir(env) / CONFIG_FILENAME, "default"


def load_config(path: str | Path | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Read, merge and validate the configuration; raises :class:`ConfigError` listing every problem."""
    env = os.environ if env is None else env
    file, how = config_path(path, env)
    errors: list[str] = []
    data: dict[str, Any] = {}
    source: Path | None = None
    unparsable = False

    if how != "default" or file.exists():  # a missing default file means every default
        try:
            raw = file.read_bytes()
        except FileNotFoundError:
            template = (_("{file}: configuration file not found (given with --config).") if how == "argument"
                        else _("{file}: configuration file not found (given in the KIOSK_CONFIG variable)."))
            raise ConfigError(template.format(file=file), file) from None
        except OSError as exc:
            raise ConfigError(_("{file}: cannot read the configuration file: {detail}.").format(
                file=file, detail=exc.strerror or exc), file) from None
        source = file
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ConfigError(_("{file}: the file is not UTF-8 text; save it with UTF-8 encoding.")
                              .format(file=file), file) from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            errors.append(_toml_error(file, text, exc))
            unparsable = True

    origins: dict[tuple[str, str], str] = {}
    errors.extend(_apply_env(data, env, origins))
    if unparsable:
        raise ConfigError(errors, source)  # validating without the file's values would mislead

    base = source.parent if source is not None else Path.cwd()
    for section, key in _PATH_KEYS:
        table = data.get(section)
        if isinstance(table, dict) and isinstance(table.get(key), str) and table[key].strip():
            value = Path(table[key].strip()).expanduser()
            if not value.is_absolute():
                value = (Path.cwd() if (section, key) in origins else base) / value
            table[key] = str(value)
    kiosk_table = data.get("kiosk", {})
    if isinstance(kiosk_table, dict) and "data_dir" not in kiosk_table:
        data.setdefault("kiosk", {})["data_dir"] = str(_default_data_dir(env))

    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            message = _describe(error, data, source, origins)
            if message not in errors:
                errors.append(message)
    if errors:
        raise ConfigError(errors, source)
    config._source = source
    return config


def _toml_error(file: Path, text: str, exc: tomllib.TOMLDecodeError) -> str:
    message = str(exc)
    found = re.search(r"\s*\(at line (\d+), column (\d+)\)\s*$", message)
    if found:
        line, column = int(found.group(1)), int(found.group(2))
    else:
        lines = text.splitlines() or [""]
        line, column = len(lines), len(lines[-1]) + 1
    detail = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)\s*$", "", message)
    return _("{file}: line {line}, column {column}: TOML syntax error: {detail}. "
             "Check the quotes, brackets and \"=\" on that line and the one before.").format(
        file=file, line=line, column=column, detail=detail)


def _env_value(raw: str, text_field: bool) -> Any:
    try:
        value = tomllib.loads(f"v = {raw}")
    except tomllib.TOMLDecodeError:
        return raw
    if set(value) != {"v"}:
        return raw
    value = value["v"]
    if text_field and not isinstance(value, str):
        return raw
    return value


def _apply_env(data: dict[str, Any], env: Mapping[str, str], origins: dict[tuple[str, str], str]) -> list[str]:
    errors = []
    for name, raw in sorted(env.items()):
        if not name.upper().startswith(ENV_PREFIX):
            continue
        where = _("{var} (environment)").format(var=name)
        parts = name[len(ENV_PREFIX):].lower().split("__")
        if len(parts) != 2 or not all(parts):
            errors.append(_("{where}: expected a variable name of the form KIOSK__SECTION__KEY, "
                            "for example KIOSK__KIOSK__IDLE_TIMEOUT.").format(where=where))
            continue
        section, key = parts
        if section not in SECTIONS:
            errors.append(_unknown(where, section, list(SECTIONS), is_section=True))
            continue
        valid = list(SECTIONS[section].model_fields)
        if key not in valid:
            errors.append(_unknown(where, key, valid, is_section=False))
            continue
        table = data.setdefault(section, {})
        if not isinstance(table, dict):
            continue  # the file's own error about this section is reported by validation
        table[key] = _env_value(raw, _is_text_field(section, key))
        origins[(section, key)] = name
    return errors


# --------------------------------------------------------------------------------------------
# Messages
# --------------------------------------------------------------------------------------------

def _unknown(where: str, name: str, valid: list[str], *, is_section: bool) -> str:
    close = difflib.get_close_matches(name.lower(), valid, n=1, cutoff=0.6)
    valid_text = ", ".join(valid)
    if is_section:
        if close:
            return _("{where}: unknown section; did you mean [{suggestion}]? Valid sections: {valid}.").format(
                where=where, suggestion=close[0], valid=valid_text)
        return _("{where}: unknown section. Valid sections: {valid}.").format(where=where, valid=valid_text)
    if close:
        return _("{where}: unknown key; did you mean {suggestion}? Valid keys: {valid}.").format(
            where=where, suggestion=close[0], valid=valid_text)
    return _("{where}: unknown key. Valid keys: {valid}.").format(where=where, valid=valid_text)


def _where(source: Path | None, origins: Mapping[tuple[str, str], str], section: str, key: str | None) -> str:
    if key is not None and (section, key) in origins:
        return _("{var} (environment)").format(var=origins[(section, key)])
    file = str(source) if source is not None else _("(no configuration file)")
    return f"{file}: {section}.{key}" if key is not None else f"{file}: [{section}]"


def _show(value: Any, secret: bool = False) -> str:
    """A value as it would be written in TOML, shortened; secrets are not repeated."""
    if secret:
        return "***"
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (str, Path)):
        text = json.dumps(str(value), ensure_ascii=False)
    elif isinstance(value, (int, float)):
        text = repr(value)
    elif isinstance(value, (list, tuple)):
        text = "[" + ", ".join(_show(item) for item in value) + "]"
    elif isinstance(value, dict):
        text = "{ " + ", ".join(f"{key} = {_show(item)}" for key, item in value.items()) + " }"
    elif isinstance(value, (datetime, date, time)):
        text = value.isoformat()
    else:
        text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _expected(code: str) -> str:
    return {
        "int": _("a whole number"),
        "bool": _("true or false"),
        "str": _("text in quotes"),
        "nonempty": _("text that is not empty"),
        "path": _("a file or folder path in quotes"),
        "list": _("a list in square brackets"),
        "table": _("a table (a section in square brackets)"),
    }.get(code, code)


_PYDANTIC_TYPES = {
    "bool_type": "bool", "bool_parsing": "bool", "int_type": "int", "int_parsing": "int",
    "string_type": "str", "list_type": "list", "tuple_type": "list", "model_type": "table",
    "dict_type": "table", "model_attributes_type": "table", "path_type": "path",
}


def _lookup(data: Any, loc: Sequence[Any]) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _describe(error: Mapping[str, Any], data: Mapping[str, Any], source: Path | None,
              origins: Mapping[tuple[str, str], str]) -> str:
    kind, loc, ctx = error["type"], tuple(error["loc"]), dict(error.get("ctx") or {})
    section = str(loc[0]) if loc else ""
    key = str(loc[1]) if len(loc) > 1 else ctx.get("key")

    if kind == "extra_forbidden":
        if len(loc) == 1:
            return _unknown(f"{source or _('(no configuration file)')}: [{section}]", section,
                            list(SECTIONS), is_section=True)
        return _unknown(_where(source, origins, section, key), key, list(SECTIONS[section].model_fields),
                        is_section=False)

    where = _where(source, origins, section, key)
    found_value = ctx["found"] if "found" in ctx else (
        _lookup(data, loc[:2]) if len(loc) > 1 else error.get("input"))
    found = _show(found_value, secret=(section, key) in _SECRET_KEYS)
    facts = {"where": where, "found": found}

    if kind in _PYDANTIC_TYPES or kind == "cfg_type":
        code = ctx.get("expected") if kind == "cfg_type" else _PYDANTIC_TYPES[kind]
        return _("{where}: found {found}, expected {expected}.").format(expected=_expected(code), **facts)
    if kind == "cfg_range":
        return _("{where}: found {found}, expected a whole number from {min} to {max}.").format(
            min=ctx["min"], max=ctx["max"], **facts)
    if kind == "cfg_choice":
        return _("{where}: found {found}, expected one of: {choices}.").format(choices=ctx["choices"], **facts)
    if kind == "cfg_feed_url":
        return _("{where}: found {found}, expected an https:// address "
                 "(http:// is allowed only for 127.0.0.1 or localhost).").format(**facts)
    if kind == "cfg_https_url":
        return _("{where}: found {found}, expected an https:// address, "
                 "for example https://services.example.org/").format(**facts)
    if kind == "cfg_public_key":
        return _("{where}: found {found}, expected an Ed25519 public key: 32 bytes in base64, "
                 "44 characters ending in \"=\", as published by the catalogue server.").format(**facts)
    if kind == "cfg_too_many":
        return _("{where}: found {count} keys, expected at most {max} "
                 "(the current signing key and the next one).").format(count=ctx["count"], max=ctx["max"], **facts)
    if kind == "cfg_need_sq":
        return _("{where}: found {found}, expected a list that includes \"sq\" (Albanian).").format(**facts)
    if kind == "cfg_usb_id":
        return _("{where}: found {found}, expected a USB id from 0x0000 to 0xffff, "
                 "written 0x04b8 or \"04b8\" as lsusb shows it.").format(**facts)
    if kind == "cfg_printer_needs":
        return _("{where}: found {found}, so the [printer] section also needs: {missing}.").format(
            missing=ctx["missing"], **facts)
    if kind == "cfg_pin_hash":
        return _("{where}: expected a PIN hash made with \"python -m kiosk.config hash-pin\"; "
                 "remove the key to disable the staff panel.").format(**facts)
    if kind == "cfg_kiosk_id":
        return _("{where}: found {found}, expected a name of letters, digits, \".\", \"_\" or \"-\" "
                 "(at most 64 characters).").format(**facts)
    if kind == "cfg_countdown":
        return _("{where}: found {found}, expected fewer seconds than kiosk.idle_timeout ({timeout}).").format(
            timeout=ctx["timeout"], **facts)
    if kind == "cfg_keys_needed":
        return _("{where}: found no keys, expected at least one public key because sync.feed_url is set: "
                 "without it no catalogue can be verified.").format(**facts)
    return _("{where}: found {found}, which is not valid: {detail}.").format(detail=error.get("msg", ""), **facts)


# --------------------------------------------------------------------------------------------
# Staff PIN
# --------------------------------------------------------------------------------------------

_SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}
_PIN_RE = re.compile(r"[0-9]{4,8}")
_HASH_RE = re.compile(r"scrypt\$n=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})")


def _parse_pin_hash(stored: str) -> tuple[int, int, int, bytes, bytes] | None:
    match = _HASH_RE.fullmatch(stored) if isinstance(stored, str) else None
    if not match:
        return None
    n, r, p = (int(match.group(i)) for i in (1, 2, 3))
    if n < 2 ** 10 or n > 2 ** 16 or n & (n - 1) or not 1 <= r <= 16 or not 1 <= p <= 4:
        return None
    try:
        salt = base64.b64decode(match.group(4), validate=True)
        digest = base64.b64decode(match.group(5), validate=True)
    except ValueError:
        return None
    if len(salt) < 8 or len(digest) < 16:
        return None
    return n, r, p, salt, digest


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(pin.encode("ascii"), salt=salt, n=n, r=r, p=p, dklen=length, maxmem=2 ** 27)


def hash_pin(pin: str) -> str:
    """The ``[staff] pin_hash`` value for ``pin`` (4 to 8 digits), salted, for :func:`verify_pin`."""
    if not isinstance(pin, str) or not _PIN_RE.fullmatch(pin):
        raise ValueError(_("A PIN must be 4 to 8 digits."))
    salt = secrets.token_bytes(16)
    digest = _scrypt(pin, salt, length=32, **_SCRYPT)
    b64 = lambda raw: base64.b64encode(raw).decode("ascii")  # noqa: E731
    return f"scrypt$n={_SCRYPT['n']},r={_SCRYPT['r']},p={_SCRYPT['p']}${b64(salt)}${b64(digest)}"


def verify_pin(pin: str, stored: str | None) -> bool:
    """Whether ``pin`` matches a hash made by :func:`hash_pin`; never raises."""
    parsed = _parse_pin_hash(stored) if stored else None
    if parsed is None or not isinstance(pin, str) or not _PIN_RE.fullmatch(pin):
        return False
    n, r, p, salt, digest = parsed
    return hmac.compare_digest(_scrypt(pin, salt, n, r, p, len(digest)), digest)


# --------------------------------------------------------------------------------------------
# Example file and command line
# --------------------------------------------------------------------------------------------

def _toml_str(value: str | Path) -> str:
    return json.dumps(str(value), ensure_ascii=False)


def example_config() -> str:
    """A commented ``kiosk.toml`` with every key, its default and what it does; it loads as the defaults."""
    data_dir = default_data_dir()
    return f'''\
# Configuration of the social services kiosk of the Municipality of Elbasan.
#
# The kiosk reads this file from --config, else from the KIOSK_CONFIG environment variable, else
# from {_toml_str(data_dir / CONFIG_FILENAME)}. Every key is optional: the values below are the
# defaults, and a line that starts with "#" is an example to fill in. Relative paths are relative
# to this file's folder. Any key can also be set from the environment as KIOSK__SECTION__KEY,
# e.g. KIOSK__KIOSK__IDLE_TIMEOUT=30. Check a file with: python -m kiosk.config check FILE

[kiosk]
# Name of this kiosk in heartbeats and logs (letters, digits, ".", "_", "-"). Default: the host name.
# id = "elbasan-lobby-1"
# Folder for the catalogue database, the last verified feed and logs.
# data_dir = {_toml_str(data_dir)}
# The catalogue database (an index rebuilt from the feed). Default: data_dir/{DATABASE_FILENAME}.
# database = {_toml_str(data_dir / DATABASE_FILENAME)}
# Languages offered on screen, from {", ".join(LANGUAGES)}; must include "sq".
languages = ["sq", "en"]
# Language a new visitor starts in; one of the languages above.
default_language = "sq"
# Seconds without a touch before the kiosk starts over for the next visitor (15 to 3600).
idle_timeout = 90
# Seconds the "are you still there?" countdown lasts before starting over (3 to 60).
idle_countdown = 10
# true: run in a window (for testing); false: full screen, locked down.
windowed = false
# Name of the centre shown on the home screen. Default: the name built into the kiosk.
# centre_name = "Qendra e Informacionit për Shërbimet Sociale"
# Days after the last catalogue update before the kiosk warns staff that it is out of date (1 to 365).
stale_after_days = 7

[sync]
# Address of the signed catalogue feed: https://, or http:// only for 127.0.0.1 or localhost.
# Without it the kiosk shows the catalogue it already has.
# feed_url = "https://services.example.org/feed/catalogue.json"
# Ed25519 public keys (base64) the feed must be signed with: the current key and, during a key
# change, the next one. Required when feed_url is set.
# public_keys = ["5IAJ9DlcqmVqpKldNceseyyBCEFBV1ZW/tDnbim3Mag="]
public_keys = []
# Minutes between checks for a new catalogue (1 to 1440).
interval_minutes = 15
# Address the kiosk reports "alive and current" to; https://, or http:// for 127.0.0.1 or localhost.
# heartbeat_url = "https://services.example.org/api/heartbeat"
# Secret token sent with heartbeats, given by the catalogue server.
# token = "..."
# Largest feed the kiosk will download, in bytes (65536 to 1073741824; default 64 MiB).
max_feed_bytes = {64 * MIB}

[printer]
# Receipt printer: "none", "usb", "network", "serial" or "file".
kind = "none"
# usb: vendor and product id as lsusb shows them (0x04b8 or "04b8"). Required for "usb".
# vendor_id = 0x04b8
# product_id = 0x0202
# network: the printer's address (required) and TCP port.
# host = "192.168.1.50"
port = 9100
# serial: the serial device (required) and its speed.
# device = "/dev/ttyUSB0"
baudrate = 19200
# file: a device or file to write to, e.g. /dev/usb/lp0. Required for "file".
# path = "/dev/usb/lp0"
# python-escpos printer profile, e.g. "TM-T20II"; "default" suits most 80 mm printers.
profile = "default"
# Most slips printed per minute, so nobody empties the paper roll (1 to 60).
max_per_minute = 3

[handoff]
# Public https:// address of the catalogue web pages the QR codes open. Without it no QR codes
# are shown and slips carry the contact details only.
# public_base_url = "https://services.example.org/"

[staff]
# Hash of the staff PIN, made with: python -m kiosk.config hash-pin
# Without it the staff panel is disabled.
# pin_hash = "scrypt$n=16384,r=8,p=1$...$..."
# Seconds to hold the top-left corner to open the staff panel (2 to 30).
corner_hold_seconds = 5
'''


def main(argv: list[str] | None = None) -> int:
    """``python -m kiosk.config example | check [FILE] | hash-pin``."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["example"]:
        sys.stdout.write(example_config())
        return 0
    if args[:1] == ["check"] and len(args) <= 2:
        try:
            config = load_config(args[1] if len(args) == 2 else None)
        except ConfigError as exc:
            print(exc, file=sys.stderr)
            return 1
        print(_("Configuration is valid: {file}").format(file=config.source or _("(no configuration file)")))
        return 0
    if args[:1] == ["hash-pin"] and len(args) == 1:
        import getpass

        pin = getpass.getpass(_("Staff PIN (4 to 8 digits): "))
        if pin != getpass.getpass(_("The same PIN again: ")):
            print(_("The two PINs differ."), file=sys.stderr)
            return 1
        try:
            print(f'pin_hash = "{hash_pin(pin)}"')
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 1
        return 0
    print("usage: python -m kiosk.config example | check [FILE] | hash-pin", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
