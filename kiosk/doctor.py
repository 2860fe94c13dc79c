"""``kiosk doctor``: what the box the kiosk runs on has and lacks, each line with its fix.

Checks the display (its size, density and what a 12 mm touch target is there), the touch
device, the printer, the barcode scanner, audio, the feed URL and keys, the clock (NTP sync and
the date against the catalogue's), and free disk. Prints in the staff's language (the .po files);
exits 1 when a check failed, 0 when everything is only fine or a warning.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Optional

from kiosk import display
from kiosk.i18n import _

OK, WARN, FAIL = "ok", "warn", "fail"
MARKS = {OK: "[ OK ]", WARN: "[WARN]", FAIL: "[FAIL]"}
INPUT_DEVICES = Path("/proc/bus/input/devices")
ABS_MT_POSITION_X = 0x35
MIN_FREE_MB = 500
TIMEOUT = 5.0


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    detail: str
    fix: str = ""


def add_parser(subparsers) -> None:
    subparsers.add_parser("doctor", help=_("check the screen, touch, printer, scanner, audio, "
                                           "feed, clock and disk, each with a fix"))


def _run(argv: list[str]) -> Optional[str]:
    if shutil.which(argv[0]) is None:
        return None
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else ""


def check_display(config) -> Check:
    name = _("Display")
    panel = display.probe(display.configured_diagonal(config))
    if panel is None:
        return Check(name, FAIL, _("no display found (no X or Wayland display, no connected screen)"),
                     _("start the kiosk through deploy/elbasan-kiosk.service, or set DISPLAY"))
    detail = _("{w}x{h} px, {diag:.1f} inch, {dpi:.0f} dpi; a 12 mm touch target is {px:.0f} px").format(
        w=panel.width_px, h=panel.height_px, diag=panel.diagonal_inches, dpi=panel.dpi,
        px=display.px_for_mm(panel))
    if not panel.measured:
        return Check(name, WARN, detail + " " + _("(size assumed: the screen does not report it)"),
                     _("set diagonal_inches in the [display] section of the configuration"))
    return Check(name, OK, detail + " " + _("(from {source})").format(source=panel.source))


def _input_devices(text: str) -> list[dict[str, str]]:
    devices = []
    for block in text.strip().split("\n\n"):
        fields: dict[str, str] = {}
        for line in block.splitlines():
            m = re.match(r"^[A-Z]: (\w+)=(.*)$", line)
            if m:
                fields[m[1]] = fields.get(m[1], "") + m[2].strip('"')
        devices.append(fields)
    return devices


def _has_bit(mask: str, bit: int) -> bool:
    words = mask.split()
    index = len(words) - 1 - bit // 64
    return 0 <= index < len(words) and bool(int(words[index], 16) >> (bit % 64) & 1)


def _read_devices() -> list[dict[str, str]]:
    try:
        return _input_devices(INPUT_DEVICES.read_text())
    except OSError:
        return []


def check_touch(devices: list[dict[str, str]]) -> Check:
    name = _("Touch screen")
    touch = [d["Name"] for d in devices if _has_bit(d.get("ABS", "0"), ABS_MT_POSITION_X)]
    if touch:
        return Check(name, OK, ", ".join(touch))
    return Check(name, FAIL, _("no multi-touch input device"),
                 _("plug the screen's USB touch cable in; check `libinput list-devices`"))


def check_scanner(devices: list[dict[str, str]]) -> Check:
    name = _("Barcode scanner")
    scanners = [d["Name"] for d in devices
                if "kbd" in d.get("Handlers", "") and re.search(r"scan|barcode|honeywell|zebra|datalogic",
                                                                 d.get("Name", ""), re.I)]
    if scanners:
        return Check(name, OK, ", ".join(scanners))
    return Check(name, WARN, _("none found (optional: visitors can still open services by touch)"),
                 _("plug the USB scanner in, set to keyboard (HID) mode"))


def check_printer(config) -> Check:
    name = _("Printer")
    if config.printer.kind == "none":
        return Check(name, WARN, _("not configured: slips cannot be printed"),
                     _("set kind in the [printer] section of the configuration"))
    from kiosk.handoff.printer import printer_state_for

    state = printer_state_for(config)()
    if state == "ok":
        return Check(name, OK, _("{kind} printer ready").format(kind=config.printer.kind))
    return Check(name, FAIL, _("{kind} printer: {state}").format(kind=config.printer.kind, state=state),
                 _("check its cable and paper, then run `kiosk slip` to print a test"))


def check_audio() -> Check:
    name = _("Audio")
    out = _run(["aplay", "-l"])
    if out is None:
        return Check(name, WARN, _("aplay not found, audio not checked"), _("install alsa-utils"))
    cards = re.findall(r"^card \d+: .*$", out, re.MULTILINE)
    if cards:
        return Check(name, OK, cards[0])
    return Check(name, FAIL, _("no sound card: the kiosk cannot read pages aloud"),
                 _("plug in speakers or a USB sound card; check `aplay -l`"))


def check_feed(config) -> Check:
    name = _("Catalogue feed")
    if not config.sync.feed_url:
        return Check(name, WARN, _("no feed URL: the catalogue never updates"),
                     _("set feed_url and public_keys in the [sync] section of the configuration"))
    keys = len(config.sync.public_key_bytes())
    if not keys:
        return Check(name, FAIL, config.sync.feed_url + " " + _("(no valid public key)"),
                     _("copy the server's public key into public_keys in the [sync] section"))
    return Check(name, OK, _("{url}, {count} key(s)").format(url=config.sync.feed_url, count=keys))


def check_clock(catalogue_info: Callable[[], object], now: Callable[[], datetime]) -> Check:
    name = _("Clock")
    today = now()
    synced = _run(["timedatectl", "show", "-p", "NTPSynchronized", "--value"])
    try:
        generated = datetime.fromisoformat(str(catalogue_info().generated_at).replace("Z", "+00:00"))
    except (ValueError, TypeError, AttributeError, OSError):
        generated = None
    if generated is not None and today < generated:
        return Check(name, FAIL, _("{now} is before the catalogue was made ({made})").format(
            now=today.isoformat(timespec="minutes"), made=generated.isoformat(timespec="minutes")),
            _("set the date: `timedatectl set-ntp true`, or `date -s`"))
    detail = today.isoformat(timespec="minutes")
    if synced and synced.strip() == "yes":
        return Check(name, OK, detail + " " + _("(synchronised by NTP)"))
    return Check(name, WARN, detail + " " + _("(not synchronised by NTP: opening hours may be wrong)"),
                 _("run `timedatectl set-ntp true` and allow NTP through the firewall"))


def check_disk(data_dir: Path) -> Check:
    name = _("Free disk")
    path = data_dir if data_dir.exists() else Path("/")
    free_mb = shutil.disk_usage(path).free // (1024 * 1024)
    detail = _("{free} MB free in {path}").format(free=free_mb, path=path)
    if free_mb < MIN_FREE_MB:
        return Check(name, FAIL, detail, _("free space: old logs are in the data folder's logs/"))
    return Check(name, OK, detail)


def checks(config, now: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> list[Check]:
    from kiosk.catalogue.store import open_catalogue

    devices = _read_devices()
    return [check_display(config), check_touch(devices), check_printer(config), check_scanner(devices),
            check_audio(), check_feed(config),
            check_clock(lambda: open_catalogue(config.kiosk.database).info(), now),
            check_disk(Path(config.kiosk.data_dir))]


def run(args, config) -> int:
    results = checks(config)
    for check in results:
        print(f"{MARKS[check.status]} {check.name}: {check.detail}")
        if check.fix:
            print("       " + _("Fix: {fix}").format(fix=check.fix))
    return 1 if any(check.status == FAIL for check in results) else 0
