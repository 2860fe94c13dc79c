"""The barcode scanner: synthetic keystrokes with timestamps, fast and slow, good and bad."""
from __future__ import annotations

import pytest
from handofflib import BASE, SERVICE_ID

from factories import uid
from kiosk.handoff import links
from kiosk.catalogue.codes import scanned_service
from kiosk.handoff.scanner import ENTER, Scan, ScanDetector, key_from_kivy
from kiosk.reads import Reads

LINK = f"{BASE}/services/{SERVICE_ID}"


def type_text(detector, text, *, start=100.0, interval=0.004, enter=True):
    """Feed ``text`` one key every ``interval`` seconds, then Enter; return what came out."""
    out = []
    t = start
    for ch in text:
        out.append(detector.feed(ch, t))
        t += interval
    if enter:
        out.append(detector.feed(ENTER, t))
    assert all(x is None for x in out[:-1]), "nothing comes out before Enter"
    return out[-1]


@pytest.fixture
def detector():
    return ScanDetector(BASE)


def test_fast_link_is_recognised(detector):
    assert type_text(detector, LINK) == Scan("link", SERVICE_ID, LINK)
    assert type_text(detector, LINK + "/", start=200).value == SERVICE_ID
    assert type_text(detector, LINK.upper().replace("HTTPS", "https"), start=300).value == SERVICE_ID


def test_fast_short_code_is_recognised(detector):
    code = links.short_code(SERVICE_ID)
    assert type_text(detector, code, interval=0.012) == Scan("code", "3f2b8c1e-7a9d-", code)


@pytest.mark.parametrize("interval", [0.150, 0.090, 0.060, 0.035])
def test_human_typing_is_ignored(detector, interval):
    assert type_text(detector, LINK, interval=interval) is None
    assert type_text(detector, links.short_code(SERVICE_ID), interval=interval, start=500) is None


@pytest.mark.parametrize("text", [
    "https://evil.example/services/" + SERVICE_ID,
    "http://sherbime.elbasan.gov.al/services/" + SERVICE_ID,
    f"{BASE}/organizations/{SERVICE_ID}",
    f"{BASE}/services/{SERVICE_ID}?next=https://evil.example",
    f"{BASE}/services/{SERVICE_ID}/../../admin",
    f"{BASE}/services/not-a-uuid-at-all",
    f"{BASE}.evil.example/services/{SERVICE_ID}",
    "javascript:alert(1)//" + SERVICE_ID,
    "BEGIN:VCARD",
    "ELB-3F2B8C1E",
    " ELB-3F2B8C1E-7A9D",
    "0123456789",
    "xterm -e sh",
])
def test_other_content_is_ignored(detector, text):
    assert type_text(detector, text) is None


def test_links_need_a_configured_public_url():
    bare = ScanDetector(None)
    assert type_text(bare, LINK) is None
    assert type_text(bare, links.short_code(SERVICE_ID), start=50).kind == "code"


def test_other_keys_reset(detector):
    half = len(LINK) // 2
    t = 10.0
    for ch in LINK[:half]:
        detector.feed(ch, t)
        t += 0.004
    detector.feed("escape", t)
    t += 0.004
    for ch in LINK[half:]:
        detector.feed(ch, t)
        t += 0.004
    assert detector.feed(ENTER, t) is None
    # A stray Escape or Tab before a scan does not matter.
    detector.feed("escape", 20.0)
    detector.feed("", 20.1)
    assert type_text(detector, LINK, start=21.0).value == SERVICE_ID


def test_a_pause_separates_human_keys_from_the_scan(detector):
    for i, ch in enumerate("abc"):
        detector.feed(ch, 30.0 + i * 0.2)
    assert type_text(detector, LINK, start=31.0).value == SERVICE_ID
    # ...but keys typed right up against a scan make it something else.
    assert type_text(detector, "x" + LINK, start=40.0) is None


def test_a_stall_inside_a_scan_or_before_enter_rejects_it(detector):
    t = 50.0
    for i, ch in enumerate(LINK):
        detector.feed(ch, t)
        t += 0.2 if i == 20 else 0.004
    assert detector.feed(ENTER, t) is None
    assert type_text(detector, LINK, start=60.0, enter=False) is None
    assert detector.feed(ENTER, 60.0 + len(LINK) * 0.004 + 0.5) is None


def test_enter_alone_and_short_bursts(detector):
    assert detector.feed(ENTER, 1.0) is None
    assert detector.feed("\r", 1.001) is None
    assert type_text(detector, "ELB-1", start=2.0) is None
    # Scanners that send CR LF: the LF after a scan is harmless.
    assert type_text(detector, LINK, start=3.0).value == SERVICE_ID
    assert detector.feed("\n", 3.0 + len(LINK) * 0.004 + 0.005) is None


def test_key_from_kivy():
    assert key_from_kivy(13, None) == ENTER and key_from_kivy(271, "") == ENTER
    assert key_from_kivy(97, "a") == "a"
    assert key_from_kivy(27, None) == "" and key_from_kivy(9, "\t") == ""


def test_key_from_kivy_applies_shift_as_sdl_reports_it():
    # SDL gives the unshifted key with "shift" held, and a key press of its own for Shift
    assert key_from_kivy(304, chr(304), ["shift"]) is None      # Shift alone: not fed at all
    assert key_from_kivy(303, chr(303), ["shift"]) is None and key_from_kivy(301, None, ["capslock"]) is None
    assert key_from_kivy(59, ";", ["shift"]) == ":"
    assert key_from_kivy(101, "e", ["shift"]) == "E"
    assert key_from_kivy(101, "e", ["capslock"]) == "E"
    assert key_from_kivy(101, "e", ["shift", "capslock"]) == "e"
    assert key_from_kivy(45, "-", ["shift"]) == "_" and key_from_kivy(45, "-", []) == "-"
    assert key_from_kivy(101, "E", []) == "E" and key_from_kivy(58, ":", []) == ":"   # already typed
    assert key_from_kivy(257, chr(257), ["numlock"]) == "1" and key_from_kivy(269, None, []) == "-"
    # Ctrl, Alt or Meta with a key is a command, never text: it breaks a scan
    for mods in (["ctrl"], ["alt"], ["meta"], ["shift", "ctrl"]):
        assert key_from_kivy(113, "q", mods) == ""


def test_a_scan_as_sdl_delivers_it():
    """The link typed by a US-layout scanner: Shift presses and unshifted keys."""
    detector = ScanDetector(BASE)
    text = LINK.upper().replace("HTTPS://", "https://")
    t, out = 100.0, []
    for ch in text + "\r":
        if ch == "\r":
            events = [(13, None, [])]
        elif ch.isupper() or ch == ":":
            unshifted = ";" if ch == ":" else ch.lower()
            events = [(304, chr(304), ["shift"]), (ord(unshifted), unshifted, ["shift"])]
        else:
            events = [(ord(ch), ch, [])]
        for key, codepoint, mods in events:
            char = key_from_kivy(key, codepoint, mods)
            if char is not None:
                out.append(detector.feed(char, t))
        t += 0.003
    assert out[-1] == Scan("link", SERVICE_ID, text)
    assert all(x is None for x in out[:-1])


def resolve(session, scan):
    return scanned_service(session, scan.kind, scan.value)


def test_resolve_against_the_catalogue(session):
    detector = ScanDetector(BASE)
    nursery = uid("svc:nursery")
    scan = type_text(detector, f"{BASE}/services/{nursery}")
    assert resolve(session, scan) == nursery
    scan = type_text(detector, links.short_code(nursery), start=300)
    assert resolve(session, scan) == nursery
    hidden = uid("svc:closed")  # status inactive: not shown, so not opened
    assert resolve(session, type_text(detector, links.short_code(hidden), start=400)) is None
    assert resolve(session, type_text(detector, f"{BASE}/services/{hidden}", start=500)) is None
    assert resolve(session, Scan("code", "00000000-0000-", "ELB-00000000-0000")) is None


def test_the_read_facade_looks_scans_up_in_a_session_of_its_own(catalogue):
    nursery = uid("svc:nursery")
    reads = Reads(catalogue)
    try:
        assert reads.scanned_service("link", nursery) == nursery
        assert reads.scanned_service("link", uid("svc:closed")) is None
        assert reads.scanned_service("other", nursery) is None
    finally:
        reads.close()
