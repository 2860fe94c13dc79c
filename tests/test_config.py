"""kiosk.config: the TOML file, environment overrides, error messages, staff PIN hashing."""
from __future__ import annotations

import base64
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pydantic
import pytest

from kiosk import i18n
from kiosk.config import Config, ConfigError, config_path, example_config, load_config, main
from kiosk.pin import hash_pin, verify_pin

KEY_A = base64.b64encode(bytes(range(32))).decode()
KEY_B = base64.b64encode(bytes(range(32, 64))).decode()


@pytest.fixture
def english():
    """Messages in English for the tests that read them; Albanian again afterwards."""
    i18n.translator.switch("en")
    yield
    i18n.translator.switch("sq")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def env(data_dir: Path) -> dict[str, str]:
    """An environment of our own: nothing from the machine running the tests leaks in."""
    return {"KIOSK_DATA_DIR": str(data_dir)}


def write(tmp_path: Path, text: str, name: str = "kiosk.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def error_of(path, env, *, single=True) -> str:
    with pytest.raises(ConfigError) as info:
        load_config(path, env=env)
    if single:
        assert len(info.value.messages) == 1, info.value.messages
    return str(info.value)


# ---------------------------------------------------------------------------------- defaults

def test_defaults_without_any_file(env, data_dir):
    config = load_config(env=env)
    assert config.source is None
    assert config.kiosk.data_dir == data_dir
    assert config.kiosk.database == data_dir / "catalogue.sqlite3"
    assert config.kiosk.languages == ("sq", "en")
    assert config.kiosk.default_language == "sq"
    assert (config.kiosk.idle_timeout, config.kiosk.idle_countdown) == (90, 10)
    assert config.kiosk.windowed is False
    assert config.kiosk.centre_name is None
    assert config.kiosk.stale_after_days == 7
    assert config.kiosk.id and len(config.kiosk.id) <= 64
    assert config.sync.feed_url is None and config.sync.public_keys == ()
    assert config.sync.interval_minutes == 15
    assert config.sync.max_feed_bytes == 64 * 1024 * 1024
    assert config.printer.kind == "none" and not config.printer.enabled
    assert (config.printer.port, config.printer.baudrate, config.printer.profile) == (9100, 19200, "default")
    assert config.printer.max_per_minute == 3
    assert config.handoff.public_base_url is None
    assert config.staff.pin_hash is None and not config.staff.enabled
    assert config.staff.corner_hold_seconds == 5


def test_default_file_in_data_dir_is_used(env, data_dir):
    path = write(data_dir, "[kiosk]\nidle_timeout = 45\n")
    config = load_config(env=env)
    assert config.source == path
    assert config.kiosk.idle_timeout == 45


def test_path_precedence_argument_then_env_then_default(tmp_path, env, data_dir):
    from_env = write(tmp_path, "[kiosk]\nidle_timeout = 20\n", "env.toml")
    from_arg = write(tmp_path, "[kiosk]\nidle_timeout = 30\n", "arg.toml")
    write(data_dir, "[kiosk]\nidle_timeout = 40\n")
    env_with = {**env, "KIOSK_CONFIG": str(from_env)}
    assert load_config(from_arg, env=env_with).kiosk.idle_timeout == 30
    assert load_config(env=env_with).kiosk.idle_timeout == 20
    assert load_config(env=env).kiosk.idle_timeout == 40
    assert config_path(None, env)[1] == "default"


def test_config_is_frozen(env):
    config = load_config(env=env)
    with pytest.raises(pydantic.ValidationError):
        config.kiosk.idle_timeout = 10  # type: ignore[misc]


# ---------------------------------------------------------------------------------- a good file

def test_a_good_file(tmp_path, env):
    path = write(tmp_path, f"""\
        [kiosk]
        id = "lobby-1"
        data_dir = "/var/lib/kiosk"
        languages = ["sq", "en"]
        default_language = "en"
        idle_timeout = 120
        idle_countdown = 15
        windowed = true
        centre_name = "Qendra e Informacionit për Shërbimet Sociale"
        stale_after_days = 3

        [sync]
        feed_url = "https://services.example.org/feed.json"
        public_keys = ["{KEY_A}", "{KEY_B}"]
        interval_minutes = 30
        heartbeat_url = "http://127.0.0.1:8000/heartbeat"
        token = "s3cret"
        max_feed_bytes = 1048576

        [printer]
        kind = "usb"
        vendor_id = 0x04b8
        product_id = "0202"
        profile = "TM-T20II"
        max_per_minute = 5

        [handoff]
        public_base_url = "https://services.example.org/"

        [staff]
        pin_hash = "{hash_pin("2468")}"
        corner_hold_seconds = 8
        """)
    config = load_config(path, env=env)
    assert config.source == path
    assert config.kiosk.id == "lobby-1"
    assert config.kiosk.data_dir == Path("/var/lib/kiosk")
    assert config.kiosk.database == Path("/var/lib/kiosk/catalogue.sqlite3")
    assert config.kiosk.default_language == "en"
    assert config.kiosk.windowed is True
    assert config.kiosk.centre_name == "Qendra e Informacionit për Shërbimet Sociale"
    assert config.sync.public_keys == (KEY_A, KEY_B)
    assert config.sync.public_key_bytes == (bytes(range(32)), bytes(range(32, 64)))
    assert config.sync.heartbeat_url == "http://127.0.0.1:8000/heartbeat"
    assert config.printer.kind == "usb" and config.printer.enabled
    assert (config.printer.vendor_id, config.printer.product_id) == (0x04B8, 0x0202)
    assert config.handoff.public_base_url == "https://services.example.org"
    assert config.staff.enabled and verify_pin("2468", config.staff.pin_hash)
    assert config.staff.corner_hold_seconds == 8


@pytest.mark.parametrize("printer, expected", [
    ('kind = "network"\nhost = "192.168.1.50"', {"host": "192.168.1.50", "port": 9100}),
    ('kind = "serial"\ndevice = "/dev/ttyUSB0"\nbaudrate = 9600', {"device": "/dev/ttyUSB0", "baudrate": 9600}),
    ('kind = "usb"\nvendor_id = "0x04B8"\nproduct_id = 514', {"vendor_id": 0x04B8, "product_id": 514}),
])
def test_printer_kinds(tmp_path, env, printer, expected):
    config = load_config(write(tmp_path, f"[printer]\n{printer}\n"), env=env)
    for key, value in expected.items():
        assert getattr(config.printer, key) == value


def test_relative_paths_are_relative_to_the_file(tmp_path, env):
    folder = tmp_path / "etc"
    folder.mkdir()
    path = write(folder, """\
        [kiosk]
        data_dir = "data"
        database = "../db/catalogue.sqlite3"
        [printer]
        kind = "file"
        path = "slips.bin"
        """)
    config = load_config(path, env=env)
    assert config.kiosk.data_dir == folder / "data"
    assert config.kiosk.database == folder / "../db/catalogue.sqlite3"
    assert config.printer.path == folder / "slips.bin"


def test_database_follows_data_dir(tmp_path, env):
    config = load_config(write(tmp_path, '[kiosk]\ndata_dir = "d"\n'), env=env)
    assert config.kiosk.database == tmp_path / "d" / "catalogue.sqlite3"


def test_empty_optional_text_means_unset(tmp_path, env):
    config = load_config(write(tmp_path, '[sync]\nfeed_url = ""\ntoken = ""\n'), env=env)
    assert config.sync.feed_url is None and config.sync.token is None


# ---------------------------------------------------------------------------------- bad values

@pytest.mark.parametrize("section, line, key, expectations", [
    ("kiosk", 'idle_timeout = "ninety"', "kiosk.idle_timeout", ['"ninety"', "expected a whole number"]),
    ("kiosk", "idle_timeout = 90.5", "kiosk.idle_timeout", ["90.5", "expected a whole number"]),
    ("kiosk", "idle_timeout = true", "kiosk.idle_timeout", ["true", "expected a whole number"]),
    ("kiosk", 'windowed = "yes"', "kiosk.windowed", ['"yes"', "expected true or false"]),
    ("kiosk", "centre_name = 5", "kiosk.centre_name", ["5", "expected text in quotes"]),
    ("kiosk", 'languages = "sq"', "kiosk.languages", ['"sq"', "expected a list"]),
    ("kiosk", "data_dir = 3", "kiosk.data_dir", ["3", "path"]),
    ("printer", "port = [9100]", "printer.port", ["[9100]", "expected a whole number"]),
])
def test_wrong_type(tmp_path, env, english, section, line, key, expectations):
    path = write(tmp_path, f"[{section}]\n{line}\n")
    message = error_of(path, env)
    assert message.startswith(f"{path}: {key}: found ")
    for text in expectations:
        assert text in message


@pytest.mark.parametrize("line, key, found, bounds", [
    ("idle_timeout = 5", "kiosk.idle_timeout", "5", "from 15 to 3600"),
    ("idle_timeout = 4000", "kiosk.idle_timeout", "4000", "from 15 to 3600"),
    ("idle_countdown = 2", "kiosk.idle_countdown", "2", "from 3 to 60"),
    ("stale_after_days = 0", "kiosk.stale_after_days", "0", "from 1 to 365"),
])
def test_out_of_range(tmp_path, env, english, line, key, found, bounds):
    path = write(tmp_path, f"[kiosk]\n{line}\n")
    assert error_of(path, env) == f"{path}: {key}: found {found}, expected a whole number {bounds}."


def test_sync_interval_out_of_range(tmp_path, env, english):
    path = write(tmp_path, "[sync]\ninterval_minutes = 2000\n")
    assert error_of(path, env) == f"{path}: sync.interval_minutes: found 2000, expected a whole number from 1 to 1440."


def test_countdown_must_be_shorter_than_timeout(tmp_path, env, english):
    path = write(tmp_path, "[kiosk]\nidle_timeout = 20\nidle_countdown = 30\n")
    message = error_of(path, env)
    assert message.startswith(f"{path}: kiosk.idle_countdown: found 30")
    assert "kiosk.idle_timeout (20)" in message


def test_unknown_key_suggests_the_closest(tmp_path, env, english):
    path = write(tmp_path, "[kiosk]\nidle_timout = 30\n")
    message = error_of(path, env)
    assert message.startswith(f"{path}: kiosk.idle_timout: unknown key; did you mean idle_timeout? Valid keys: id, ")
    assert "idle_countdown" in message and "stale_after_days" in message


def test_unknown_key_without_suggestion(tmp_path, env, english):
    path = write(tmp_path, "[printer]\nzzz = 1\n")
    message = error_of(path, env)
    assert message.startswith(f"{path}: printer.zzz: unknown key. Valid keys: kind, vendor_id, ")
    assert "did you mean" not in message


def test_unknown_section(tmp_path, env, english):
    path = write(tmp_path, "[staf]\ncorner_hold_seconds = 5\n")
    assert error_of(path, env) == (f"{path}: [staf]: unknown section; did you mean [staff]? "
                                   "Valid sections: kiosk, sync, printer, handoff, staff, display, speech.")


def test_section_that_is_not_a_table(tmp_path, env, english):
    path = write(tmp_path, "kiosk = 5\n")
    message = error_of(path, env)
    assert message.startswith(f"{path}: [kiosk]: found 5, expected a table")


@pytest.mark.parametrize("url", [
    "http://services.example.org/feed.json", "ftp://127.0.0.1/feed", "services.example.org/feed.json",
    "https://", "https://exa mple.org/feed",
])
def test_feed_url_scheme(tmp_path, env, english, url):
    path = write(tmp_path, f'[sync]\nfeed_url = "{url}"\npublic_keys = ["{KEY_A}"]\n')
    message = error_of(path, env)
    assert message.startswith(f'{path}: sync.feed_url: found "{url}", expected an https:// address')
    assert "127.0.0.1 or localhost" in message


@pytest.mark.parametrize("url", ["http://127.0.0.1:8765/feed.json", "http://localhost/feed.json",
                                 "http://[::1]:8000/feed.json", "https://services.example.org/feed.json"])
def test_feed_url_accepted(tmp_path, env, url):
    config = load_config(write(tmp_path, f'[sync]\nfeed_url = "{url}"\npublic_keys = ["{KEY_A}"]\n'), env=env)
    assert config.sync.feed_url == url


def test_heartbeat_url_scheme(tmp_path, env, english):
    path = write(tmp_path, '[sync]\nheartbeat_url = "http://services.example.org/hb"\n')
    assert error_of(path, env).startswith(f'{path}: sync.heartbeat_url: found "http://services.example.org/hb", '
                                          "expected an https:// address")


def test_public_base_url_must_be_https(tmp_path, env, english):
    path = write(tmp_path, '[handoff]\npublic_base_url = "http://localhost/"\n')
    assert error_of(path, env).startswith(f'{path}: handoff.public_base_url: found "http://localhost/", '
                                          "expected an https:// address")


def test_feed_url_needs_public_keys(tmp_path, env, english):
    path = write(tmp_path, '[sync]\nfeed_url = "https://services.example.org/feed.json"\n')
    message = error_of(path, env)
    assert message.startswith(f"{path}: sync.public_keys: found no keys, expected at least one public key")


@pytest.mark.parametrize("key", [
    "abc",
    base64.b64encode(bytes(31)).decode(),
    base64.b64encode(bytes(33)).decode(),
    "!" * 43 + "=",
])
def test_bad_public_key(tmp_path, env, english, key):
    path = write(tmp_path, f'[sync]\npublic_keys = ["{key}"]\n')
    message = error_of(path, env)
    assert message.startswith(f'{path}: sync.public_keys: found "{key}", expected an Ed25519 public key')
    assert "32 bytes in base64" in message


def test_too_many_public_keys(tmp_path, env, english):
    third = base64.b64encode(bytes(range(64, 96))).decode()
    path = write(tmp_path, f'[sync]\npublic_keys = ["{KEY_A}", "{KEY_B}", "{third}"]\n')
    message = error_of(path, env)
    assert message.startswith(f"{path}: sync.public_keys: found 3 keys, expected at most 2")


def test_url_safe_public_key_is_accepted(tmp_path, env):
    raw = bytes([0xFB] * 32)
    key = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    config = load_config(write(tmp_path, f'[sync]\npublic_keys = ["{key}"]\n'), env=env)
    assert config.sync.public_key_bytes == (raw,)


def test_languages_must_be_known_and_include_albanian(tmp_path, env, english):
    path = write(tmp_path, '[kiosk]\nlanguages = ["sq", "fr"]\n')
    assert error_of(path, env) == f'{path}: kiosk.languages: found "fr", expected one of: sq, en.'
    path = write(tmp_path, '[kiosk]\nlanguages = ["en"]\ndefault_language = "en"\n')
    assert error_of(path, env) == f'{path}: kiosk.languages: found ["en"], expected a list that includes "sq" (Albanian).'


def test_default_language_must_be_offered(tmp_path, env, english):
    path = write(tmp_path, '[kiosk]\nlanguages = ["sq"]\ndefault_language = "en"\n')
    assert error_of(path, env) == f'{path}: kiosk.default_language: found "en", expected one of: sq.'


def test_bad_kiosk_id(tmp_path, env, english):
    path = write(tmp_path, '[kiosk]\nid = "lobby 1"\n')
    assert error_of(path, env).startswith(f'{path}: kiosk.id: found "lobby 1", expected a name of letters')


def test_printer_usb_without_ids(tmp_path, env, english):
    path = write(tmp_path, '[printer]\nkind = "usb"\n')
    assert error_of(path, env) == (f'{path}: printer.kind: found "usb", '
                                   "so the [printer] section also needs: vendor_id, product_id.")


@pytest.mark.parametrize("kind, missing", [("network", "host"), ("serial", "device"), ("file", "path")])
def test_printer_kind_needs_its_keys(tmp_path, env, english, kind, missing):
    path = write(tmp_path, f'[printer]\nkind = "{kind}"\n')
    assert error_of(path, env).endswith(f"also needs: {missing}.")


def test_printer_kind_and_usb_id_values(tmp_path, env, english):
    path = write(tmp_path, '[printer]\nkind = "bluetooth"\nvendor_id = "xyz"\nproduct_id = 70000\n')
    message = error_of(path, env, single=False)
    assert f'{path}: printer.kind: found "bluetooth", expected one of: none, usb, network, serial, file.' in message
    assert f'{path}: printer.vendor_id: found "xyz", expected a USB id from 0x0000 to 0xffff' in message
    assert f"{path}: printer.product_id: found 70000, expected a USB id" in message


def test_bad_pin_hash(tmp_path, env, english):
    path = write(tmp_path, '[staff]\npin_hash = "1234"\n')
    message = error_of(path, env)
    assert message.startswith(f"{path}: staff.pin_hash: expected a PIN hash made with")
    assert "1234" not in message.split("expected")[0]


def test_secrets_are_not_repeated(tmp_path, env, english):
    path = write(tmp_path, "[sync]\ntoken = 987654321\n")
    message = error_of(path, env)
    assert message == f"{path}: sync.token: found ***, expected text in quotes."


def test_all_errors_are_collected(tmp_path, env, english):
    path = write(tmp_path, """\
        [kiosk]
        idle_timeout = 1
        windowd = true
        [sync]
        interval_minutes = "often"
        [printer]
        kind = "usb"
        """)
    with pytest.raises(ConfigError) as info:
        load_config(path, env=env)
    messages = info.value.messages
    assert len(messages) == 4, messages
    assert str(info.value) == "\n".join(messages)
    assert info.value.path == path
    for key in ("kiosk.idle_timeout", "kiosk.windowd", "sync.interval_minutes", "printer.kind"):
        assert any(m.startswith(f"{path}: {key}: ") for m in messages), key


# ---------------------------------------------------------------------------------- file problems

def test_toml_syntax_error_gives_the_line(tmp_path, env, english):
    path = write(tmp_path, "[kiosk]\nidle_timeout = 30\nwindowed = tru\n")
    message = error_of(path, env)
    assert message.startswith(f"{path}: line 3, column 12: TOML syntax error: ")


def test_toml_syntax_error_at_end_of_file(tmp_path, env, english):
    path = write(tmp_path, '[kiosk]\nlanguages = ["sq",\n')
    assert error_of(path, env).startswith(f"{path}: line 2, ")


def test_explicit_missing_file_is_an_error(tmp_path, env, english):
    path = tmp_path / "nope.toml"
    assert error_of(path, env) == f"{path}: configuration file not found (given with --config)."
    message = error_of(None, {**env, "KIOSK_CONFIG": str(path)})
    assert message == f"{path}: configuration file not found (given in the KIOSK_CONFIG variable)."


def test_file_that_is_not_utf8(tmp_path, env, english):
    path = tmp_path / "kiosk.toml"
    path.write_bytes('[kiosk]\ncentre_name = "Shërbime"\n'.encode("latin-1"))
    assert error_of(path, env).startswith(f"{path}: the file is not UTF-8 text")


def test_utf8_bom_is_accepted(tmp_path, env):
    path = tmp_path / "kiosk.toml"
    path.write_bytes('\ufeff[kiosk]\ncentre_name = "Shërbime"\n'.encode("utf-8"))
    assert load_config(path, env=env).kiosk.centre_name == "Shërbime"


# ---------------------------------------------------------------------------------- environment

def test_env_overrides(tmp_path, env):
    path = write(tmp_path, "[kiosk]\nidle_timeout = 30\nwindowed = false\n")
    config = load_config(path, env={
        **env,
        "KIOSK__KIOSK__IDLE_TIMEOUT": "45",
        "kiosk__kiosk__windowed": "true",
        "KIOSK__Kiosk__Languages": '["sq", "en"]',
        "KIOSK__KIOSK__CENTRE_NAME": "Qendra Elbasan",
        "KIOSK__SYNC__TOKEN": "12345",
        "KIOSK__SYNC__FEED_URL": "http://127.0.0.1:9000/feed.json",
        "KIOSK__SYNC__PUBLIC_KEYS": f'["{KEY_A}"]',
        "KIOSK__PRINTER__KIND": "usb",
        "KIOSK__PRINTER__VENDOR_ID": "0x04b8",
        "KIOSK__PRINTER__PRODUCT_ID": "0202",
        "KIOSK__KIOSK__ID": "7",
        "PATH": "/usr/bin",
        "KIOSK_UNRELATED": "x",
    })
    assert config.kiosk.idle_timeout == 45
    assert config.kiosk.windowed is True
    assert config.kiosk.centre_name == "Qendra Elbasan"
    assert config.kiosk.id == "7"
    assert config.sync.token == "12345"
    assert config.sync.feed_url == "http://127.0.0.1:9000/feed.json"
    assert (config.printer.vendor_id, config.printer.product_id) == (0x04B8, 0x0202)


def test_env_empty_value_unsets(tmp_path, env):
    path = write(tmp_path, '[sync]\ntoken = "abc"\n')
    assert load_config(path, env={**env, "KIOSK__SYNC__TOKEN": ""}).sync.token is None


def test_env_relative_path_is_relative_to_the_working_directory(tmp_path, env, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = load_config(env={**env, "KIOSK__KIOSK__DATA_DIR": "here"})
    assert config.kiosk.data_dir == tmp_path / "here"


def test_env_bad_value_names_the_variable(tmp_path, env, english):
    message = error_of(None, {**env, "KIOSK__KIOSK__IDLE_TIMEOUT": "5"})
    assert message == "KIOSK__KIOSK__IDLE_TIMEOUT (environment): found 5, expected a whole number from 15 to 3600."
    message = error_of(None, {**env, "KIOSK__KIOSK__WINDOWED": "maybe"})
    assert message == 'KIOSK__KIOSK__WINDOWED (environment): found "maybe", expected true or false.'


def test_env_cross_field_error_names_the_variable(env, english):
    message = error_of(None, {**env, "KIOSK__PRINTER__KIND": "network"})
    assert message == 'KIOSK__PRINTER__KIND (environment): found "network", so the [printer] section also needs: host.'


def test_env_unknown_key_and_section(env, english):
    with pytest.raises(ConfigError) as info:
        load_config(env={**env, "KIOSK__SYNC__FED_URL": "x", "KIOSK__SINC__FEED_URL": "x", "KIOSK__FOO": "1",
                         "KIOSK__A__B__C": "1"})
    messages = info.value.messages
    assert len(messages) == 4, messages
    assert ("KIOSK__SYNC__FED_URL (environment): unknown key; did you mean feed_url? "
            "Valid keys: feed_url, public_keys, interval_minutes, heartbeat_url, token, max_feed_bytes.") in messages
    assert ("KIOSK__SINC__FEED_URL (environment): unknown section; did you mean [sync]? "
            "Valid sections: kiosk, sync, printer, handoff, staff, display, speech.") in messages
    assert any(m.startswith("KIOSK__FOO (environment): expected a variable name of the form KIOSK__SECTION__KEY")
               for m in messages)
    assert any(m.startswith("KIOSK__A__B__C (environment): expected") for m in messages)


def test_env_and_file_errors_together(tmp_path, env, english):
    path = write(tmp_path, "[kiosk]\nidle_timeout = 1\n")
    with pytest.raises(ConfigError) as info:
        load_config(path, env={**env, "KIOSK__KIOSK__NOPE": "1", "KIOSK__SYNC__INTERVAL_MINUTES": "0"})
    messages = info.value.messages
    assert len(messages) == 3, messages
    assert any(m.startswith(f"{path}: kiosk.idle_timeout: ") for m in messages)
    assert any(m.startswith("KIOSK__KIOSK__NOPE (environment): unknown key") for m in messages)
    assert any(m.startswith("KIOSK__SYNC__INTERVAL_MINUTES (environment): found 0") for m in messages)


def test_env_is_os_environ_by_default(monkeypatch, tmp_path):
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    monkeypatch.setenv("KIOSK__KIOSK__IDLE_TIMEOUT", "33")
    config = load_config()
    assert config.kiosk.idle_timeout == 33
    assert config.kiosk.data_dir == tmp_path


# ---------------------------------------------------------------------------------- messages

def test_messages_go_through_the_translator(tmp_path, env, monkeypatch):
    path = write(tmp_path, "[kiosk]\nidle_timeout = 5\n")
    seen = []
    original = i18n.translator.gettext
    monkeypatch.setattr(i18n.translator, "gettext", lambda msg: seen.append(msg) or original(msg))
    with pytest.raises(ConfigError):
        load_config(path, env=env)
    assert "{where}: found {found}, expected a whole number from {min} to {max}." in seen


# ---------------------------------------------------------------------------------- staff PIN

def test_pin_round_trip():
    stored = hash_pin("1234")
    assert stored.startswith("scrypt$n=16384,r=8,p=1$")
    _, params, salt, digest = stored.split("$")
    assert len(base64.b64decode(salt)) == 16 and len(base64.b64decode(digest)) == 32
    assert verify_pin("1234", stored)
    assert not verify_pin("1235", stored)
    assert not verify_pin("12345", stored)
    assert hash_pin("1234") != stored  # a new salt every time


@pytest.mark.parametrize("pin", ["123", "123456789", "12a4", "", " 1234", "١٢٣٤", 1234])
def test_hash_pin_rejects_bad_pins(pin):
    with pytest.raises(ValueError):
        hash_pin(pin)  # type: ignore[arg-type]


@pytest.mark.parametrize("stored", [None, "", "1234", "scrypt$n=16384,r=8,p=1$abc$def",
                                    "scrypt$n=1000,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA==$" + "A" * 44,
                                    "bcrypt$whatever"])
def test_verify_pin_with_bad_hash_is_false(stored):
    assert verify_pin("1234", stored) is False


def test_pin_lengths_4_to_8():
    for pin in ("0000", "12345678"):
        assert verify_pin(pin, hash_pin(pin))


# ---------------------------------------------------------------------------------- example

def test_example_config_loads_as_the_defaults(tmp_path, env):
    path = tmp_path / "kiosk.toml"
    path.write_text(example_config(), encoding="utf-8")
    config = load_config(path, env=env)
    assert config.model_dump() == load_config(env=env).model_dump()


def test_example_config_mentions_every_key():
    text = example_config()
    for section, model in Config.model_fields.items():
        assert f"[{section}]" in text
        for key in model.annotation.model_fields:  # type: ignore[union-attr]
            assert f"\n{key} = " in text or f"\n# {key} = " in text, f"{section}.{key}"


def test_example_config_examples_are_valid(tmp_path, env):
    """Uncommenting the example lines (a PIN hash aside) still gives a valid file."""
    lines, uncommented = [], set()
    for line in example_config().splitlines():
        key = line[2:].split(" = ")[0] if line.startswith("# ") and " = " in line else None
        if key and key.isidentifier() and key != "pin_hash":
            line = line[2:]
            lines = [kept for kept in lines if not kept.startswith(f"{key} = ")]
            uncommented.add(key)
        elif line.split(" = ")[0] in uncommented:
            continue
        lines.append(line)
    path = tmp_path / "kiosk.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    config = load_config(path, env=env)
    assert config.sync.feed_url and config.sync.public_keys
    assert config.printer.vendor_id == 0x04B8


# ---------------------------------------------------------------------------------- command line, imports

def test_command_line(tmp_path, env, capsys, monkeypatch, english):
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path))
    assert main(["example"]) == 0
    assert "[kiosk]" in capsys.readouterr().out
    good = write(tmp_path, "[kiosk]\nidle_timeout = 60\n", "good.toml")
    assert main(["check", str(good)]) == 0
    assert str(good) in capsys.readouterr().out
    bad = write(tmp_path, "[kiosk]\nidle_timeout = 6\n", "bad.toml")
    assert main(["check", str(bad)]) == 1
    assert "kiosk.idle_timeout" in capsys.readouterr().err
    assert main(["nonsense"]) == 2


def test_no_kivy_import():
    code = "import sys, kiosk.config; sys.exit(any(m.split('.')[0] == 'kivy' for m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parent.parent,
                            env={**os.environ, "KIVY_NO_ARGS": "1"}, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_display_diagonal(tmp_path, env, english):
    assert load_config(write(tmp_path, "[display]\ndiagonal_inches = 10.1\n"), env=env).display.diagonal_inches == 10.1
    assert load_config(write(tmp_path, "[display]\ndiagonal_inches = 0\n"), env=env).display.diagonal_inches is None
    assert load_config(None, env={**env, "KIOSK__DISPLAY__DIAGONAL_INCHES": "7"}).display.diagonal_inches == 7.0
    path = write(tmp_path, "[display]\ndiagonal_inches = 250\n")
    assert error_of(path, env) == (
        f"{path}: display.diagonal_inches: found 250, expected the screen's diagonal in inches, a number "
        "from 3 to 120 (for example 10.1), or 0 to ask the screen.")
    path = write(tmp_path, '[display]\ndiagonal_inches = "big"\n')
    assert "expected the screen's diagonal in inches" in error_of(path, env)


def test_display_blank_after_minutes(tmp_path, env):
    assert load_config(write(tmp_path, ""), env).display.blank_after_minutes == 0   # never, by default
    assert load_config(write(tmp_path, "[display]\nblank_after_minutes = 30\n"), env).display.blank_after_minutes == 30
    with pytest.raises(ConfigError):
        load_config(write(tmp_path, "[display]\nblank_after_minutes = -1\n"), env)


def test_a_sensitive_page_waits_a_third_of_the_idle_time_unless_configured(tmp_path):
    from kiosk.config.schema import KioskSection

    assert KioskSection(data_dir=str(tmp_path)).idle_timeout_sensitive == 30
    assert KioskSection(data_dir=str(tmp_path), idle_timeout=60).idle_timeout_sensitive == 20
    assert KioskSection(data_dir=str(tmp_path), idle_timeout_sensitive=15).idle_timeout_sensitive == 15
    # never longer than a page that is not sensitive
    assert KioskSection(data_dir=str(tmp_path), idle_timeout_sensitive=600).idle_timeout_sensitive == 90
