"""Everything wrong with a configuration, as sentences in the kiosk's language.

:class:`ConfigError` carries one message per problem; :func:`describe` turns a pydantic error
(see the error types in :mod:`kiosk.config.schema`) into a sentence that names the file or
environment variable, the key, what was found and what is expected; :func:`unknown` suggests the
nearest valid name for a misspelt section or key.
"""
from __future__ import annotations

import difflib
import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from kiosk.config.schema import SECTIONS
from kiosk.i18n import _

SECRET_KEYS = {("sync", "token"), ("staff", "pin_hash")}


class ConfigError(Exception):
    """Everything wrong with the configuration; ``str()`` is one human message per line."""

    def __init__(self, messages: Sequence[str] | str, path: Path | None = None):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        self.path = path
        super().__init__("\n".join(self.messages))


def unknown(where: str, name: str, valid: list[str], *, is_section: bool) -> str:
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


def location(source: Path | None, origins: Mapping[tuple[str, str], str], section: str, key: str | None) -> str:
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


def describe(error: Mapping[str, Any], data: Mapping[str, Any], source: Path | None,
              origins: Mapping[tuple[str, str], str]) -> str:
    kind, loc, ctx = error["type"], tuple(error["loc"]), dict(error.get("ctx") or {})
    section = str(loc[0]) if loc else ""
    key = str(loc[1]) if len(loc) > 1 else ctx.get("key")

    if kind == "extra_forbidden":
        if len(loc) == 1:
            return unknown(f"{source or _('(no configuration file)')}: [{section}]", section,
                            list(SECTIONS), is_section=True)
        return unknown(location(source, origins, section, key), key, list(SECTIONS[section].model_fields),
                        is_section=False)

    where = location(source, origins, section, key)
    found_value = ctx["found"] if "found" in ctx else (
        _lookup(data, loc[:2]) if len(loc) > 1 else error.get("input"))
    found = _show(found_value, secret=(section, key) in SECRET_KEYS)
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
    if kind == "cfg_diagonal":
        return _("{where}: found {found}, expected the screen's diagonal in inches, a number "
                 "from {min:g} to {max:g} (for example 10.1), or 0 to ask the screen.").format(
            min=ctx["min"], max=ctx["max"], **facts)
    if kind == "cfg_countdown":
        return _("{where}: found {found}, expected fewer seconds than kiosk.idle_timeout ({timeout}).").format(
            timeout=ctx["timeout"], **facts)
    if kind == "cfg_keys_needed":
        return _("{where}: found no keys, expected at least one public key because sync.feed_url is set: "
                 "without it no catalogue can be verified.").format(**facts)
    if kind == "cfg_key_action":
        return _("{where}: found the action {action}, expected one of: {choices}.").format(
            action=_show(ctx["action"]), choices=ctx["choices"], **facts)
    if kind == "cfg_key_name":
        return _("{where}: found the key {key} for {action}, expected key names from: {choices}.").format(
            key=_show(ctx["key"]), action=ctx["action"], choices=ctx["choices"], **facts)
    if kind == "cfg_key_twice":
        return _("{where}: the key {key} is given to both {first} and {second}; give each key "
                 "to one action.").format(key=_show(ctx["key"]), first=ctx["first"],
                                          second=ctx["second"], **facts)
    if kind == "cfg_key_list":
        return _("{where}: the keys of {action} must be a list of key names in quotes, "
                 "for example [\"numpad5\", \"enter\"].").format(action=ctx["action"], **facts)
    return _("{where}: found {found}, which is not valid: {detail}.").format(detail=error.get("msg", ""), **facts)
