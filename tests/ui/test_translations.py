"""Every string on screen goes through the .po files, with an Albanian translation; WCAG contrast."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "kiosk" / "ui"
LOCALE = ROOT / "assets" / "locale"

STR = r'"((?:[^"\\]|\\.)*)"'
SINGULAR = [re.compile(r"tr\._\(\s*" + STR), re.compile(r"tr\.in_lang\([^,()]+,\s*" + STR),
            re.compile(r"other_languages_line\(\s*" + STR)]
PLURAL = re.compile(r"tr\.ngettext\(\s*" + STR + r"\s*,\s*" + STR, re.S)


def ui_messages() -> set:
    found: set = set()
    for path in sorted(UI.glob("*.py")) + sorted(UI.glob("*.kv")):
        text = path.read_text(encoding="utf-8")
        for pattern in SINGULAR:
            found |= {ast.literal_eval(f'"{m}"') for m in pattern.findall(text)}
        found |= {(ast.literal_eval(f'"{a}"'), ast.literal_eval(f'"{b}"')) for a, b in PLURAL.findall(text)}
    found.discard("...")
    return found


def catalog(lang: str):
    with (LOCALE / lang / "LC_MESSAGES" / "kiosk.po").open("rb") as fh:
        return read_po(fh, locale=lang)


def test_po_headers():
    for lang in ("sq", "en"):
        cat = catalog(lang)
        headers = dict(cat.mime_headers)
        assert "charset=utf-8" in headers["Content-Type"].lower()
        assert cat.plural_forms == "nplurals=2; plural=(n != 1);"
        assert str(cat.locale) == lang


def test_every_ui_message_is_translated_into_albanian():
    messages = ui_messages()
    assert len(messages) > 100
    sq, en = catalog("sq"), catalog("en")
    missing, empty = [], []
    for msgid in messages:
        key = msgid[0] if isinstance(msgid, tuple) else msgid
        entry = sq.get(key)
        if entry is None or en.get(key) is None:
            missing.append(msgid)
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if not all(s.strip() for s in strings):
            empty.append(msgid)
        # placeholders survive translation
        for s in strings:
            assert set(re.findall(r"{\w+}", s)) == set(re.findall(r"{\w+}", str(msgid))), msgid
    assert not missing, f"not in the .po files: {missing}"
    assert not empty, f"no Albanian translation: {empty}"


def test_translator_switches_at_runtime():
    from kiosk.i18n import Translator

    t = Translator("sq")
    assert t.gettext("Back") == "Kthehu"
    assert t.ngettext("{n} service", "{n} services", 1) == "{n} shërbim"
    assert t.ngettext("{n} service", "{n} services", 5) == "{n} shërbime"
    t.switch("en")
    assert t.gettext("Back") == "Back"


def test_no_visible_text_is_hard_coded_in_widgets():
    """kv and Python set visible text only from the translator, the catalogue or a property."""
    literal_kv = re.compile(r"^\s*(text|title|message)\s*:\s*(['\"])(.*?)\2\s*$")
    allowed = {"A"}   # the three "A" buttons of the text-size control show the letter itself
    offenders = []
    for path in sorted(UI.glob("*.kv")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            m = literal_kv.match(line)
            if m and re.search(r"[A-Za-zËëÇç]", m.group(3)) and m.group(3) not in allowed:
                offenders.append(f"{path.name}:{n}: {line.strip()}")
    literal_py = re.compile(r"\b(text|title|message)\s*=\s*(['\"])([^'\"]*)\2")
    for path in sorted(UI.glob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for m in literal_py.finditer(line):
                if re.search(r"[A-Za-zËëÇç]", re.sub(r"\\.", "", m.group(3))):
                    offenders.append(f"{path.name}:{n}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_colour_pairs_reach_wcag_aa():
    from kiosk.ui.theme import HIGH_CONTRAST, NORMAL, TEXT_PAIRS, contrast_ratio

    for name, palette in (("normal", NORMAL), ("high contrast", HIGH_CONTRAST)):
        for fg, bg in TEXT_PAIRS:
            ratio = contrast_ratio(palette[fg][:7], palette[bg][:7])
            assert ratio >= 4.5, f"{name}: {fg} on {bg} is {ratio:.2f}:1"
    # the high-contrast theme really is: black background, white text, at least 15:1
    assert HIGH_CONTRAST["bg"] == "#000000"
    assert contrast_ratio(HIGH_CONTRAST["text"], HIGH_CONTRAST["bg"]) == pytest.approx(21)
