"""``python -m kiosk.config example | check [FILE] | hash-pin``: a commented example file, a check
of a file, a staff PIN's hash."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from kiosk.config.errors import ConfigError
from kiosk.config.loading import CONFIG_FILENAME, load_config
from kiosk.config.schema import DATABASE_FILENAME, MIB
from kiosk.i18n import LANGUAGES, _
from kiosk.paths import default_data_dir
from kiosk.pin import hash_pin


def _toml_str(value: str | Path) -> str:
    return json.dumps(str(value), ensure_ascii=False)


#: The commented ``kiosk.toml``; :func:`example_config` fills in this machine's paths.
EXAMPLE = '''\
# Configuration of the social services kiosk of the Municipality of Elbasan.
#
# The kiosk reads this file from --config, else from the KIOSK_CONFIG environment variable, else
# from {config_file}. Every key is optional: the values below are the
# defaults, and a line that starts with "#" is an example to fill in. Relative paths are relative
# to this file's folder. Any key can also be set from the environment as KIOSK__SECTION__KEY,
# e.g. KIOSK__KIOSK__IDLE_TIMEOUT=30. Check a file with: python -m kiosk.config check FILE

[kiosk]
# Name of this kiosk in heartbeats and logs (letters, digits, ".", "_", "-"). Default: the host name.
# id = "elbasan-lobby-1"
# Folder for the catalogue database, the last verified feed and logs.
# data_dir = {data_dir}
# The catalogue database (an index rebuilt from the feed). Default: data_dir/{database_name}.
# database = {database}
# Languages offered on screen, from {languages}; must include "sq".
languages = ["sq", "en"]
# Language a new visitor starts in; one of the languages above.
default_language = "sq"
# Seconds without a touch before the kiosk starts over for the next visitor (15 to 3600).
idle_timeout = 90
# Seconds the "are you still there?" countdown lasts before starting over (3 to 60).
idle_countdown = 10
# The same as idle_timeout on a sensitive page (a shelter, domestic violence), which whoever
# comes next must not find on screen (5 to 3600, never more than idle_timeout). Default: a third.
# idle_timeout_sensitive = 30
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
max_feed_bytes = {max_feed_bytes}

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

[display]
# The screen's diagonal in inches (3 to 120), for a panel that reports no size or a wrong one;
# text and touch targets are sized in millimetres from it. 0 or absent: ask the screen.
# `kiosk doctor` and `kiosk info` show what was found.
# diagonal_inches = 10.1
# Minutes on the welcome screen without a touch before the screen is switched off for the night
# (DPMS, under X); a touch switches it back on. 0 never switches it off (0 to 1440).
blank_after_minutes = 0

[speech]
# true: the Listen button and the keypad read the screens aloud (espeak-ng, Albanian and English).
enabled = true
# Speed a new visitor starts at: "slow", "normal" or "fast".
rate = "normal"
# Volume a new visitor starts at, in 3 dB steps from 1 (softest) to 5 (loudest).
volume = 3
# ALSA device the speech plays on: "default", or e.g. "plughw:CARD=Headphones" for the jack.
device = "default"
# Keys of a USB keypad for any action, by Kivy's key names (numpad0...numpad9, numpadenter,
# numpadadd, numpadsubstract, numpadmul, numpaddivide, numpaddecimal, enter, backspace, up,
# down, left, right, home, pageup, pagedown, f1...). An action named here loses its default keys
# (repeat = [] gives it none). The spoken help and the welcome name the keys set here. The defaults:
#   up: "up", "numpad8"; down: "down", "numpad2"; activate: "enter", "numpadenter", "numpad5";
#   back: "backspace", "numpad0"; help: "numpaddecimal", "f1"; home: "home", "numpad1";
#   louder: "numpadadd"; softer: "numpadsubstract"; faster: "numpadmul"; slower: "numpaddivide";
#   repeat: "numpad7"; pause: "numpad9"; previous_section: "left", "numpad4";
#   next_section: "right", "numpad6"; quick_exit: "numpad3" (silent: the top bar's Quick exit).
# keys = {{ help = ["f1", "numpaddecimal"], repeat = ["numpad7", "pageup"] }}
'''


def example_config() -> str:
    """A commented ``kiosk.toml`` with every key, its default and what it does; it loads as the defaults."""
    data_dir = default_data_dir()
    return EXAMPLE.format(config_file=_toml_str(data_dir / CONFIG_FILENAME), data_dir=_toml_str(data_dir),
                          database=_toml_str(data_dir / DATABASE_FILENAME), database_name=DATABASE_FILENAME,
                          languages=", ".join(LANGUAGES), max_feed_bytes=64 * MIB)


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
