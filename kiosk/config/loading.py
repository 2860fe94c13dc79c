"""Finding, reading and merging the configuration: the TOML file, then environment overrides.

Where the file is found, first match wins:

1. the ``path`` argument of :func:`load_config` (the ``--config`` option); it must exist;
2. the ``KIOSK_CONFIG`` environment variable; it must exist;
3. ``<data dir>/kiosk.toml`` (see :func:`kiosk.paths.default_data_dir`); when it does not exist every
   setting has its default, so a fresh machine starts without any configuration.

Any key can then be overridden from the environment as ``KIOSK__<SECTION>__<KEY>=value`` (double
underscores, any case), e.g. ``KIOSK__KIOSK__IDLE_TIMEOUT=30``. The value is read as a TOML value
when it is one (``30``, ``true``, ``["sq", "en"]``) and as plain text otherwise. Every problem
found (all of them, not just the first) ends up in one :class:`~kiosk.config.errors.ConfigError`.
"""
from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kiosk.config.errors import ConfigError, describe, unknown
from kiosk.config.schema import PATH_KEYS, SECTIONS, Config, is_text_field
from kiosk.i18n import _
from kiosk.paths import default_data_dir

ENV_PREFIX = "KIOSK__"
CONFIG_ENV = "KIOSK_CONFIG"
DATA_DIR_ENV = "KIOSK_DATA_DIR"
CONFIG_FILENAME = "kiosk.toml"


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
    for section, key in PATH_KEYS:
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
            message = describe(error, data, source, origins)
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
            errors.append(unknown(where, section, list(SECTIONS), is_section=True))
            continue
        valid = list(SECTIONS[section].model_fields)
        if key not in valid:
            errors.append(unknown(where, key, valid, is_section=False))
            continue
        table = data.setdefault(section, {})
        if not isinstance(table, dict):
            continue  # the file's own error about this section is reported by validation
        table[key] = _env_value(raw, is_text_field(section, key))
        origins[(section, key)] = name
    return errors
