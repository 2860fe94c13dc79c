"""E-mail and web addresses break only where a reader expects: before "@", "." or "/", after
"-". At the largest text on a small panel the label alone split "sherbimet-sociale@ex" /
"ample.org", which reads as two wrong addresses."""
from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from factories import uid  # noqa: E402

from kiosk.catalogue import queries as q  # noqa: E402
from kiosk.ui.format import address_lines  # noqa: E402

EMAIL = "sherbimet-sociale@bashkia-elbasan.example.org"
SITE = "https://www.bashkia-elbasan.example.al/sherbime/sociale/ndihme-ekonomike"


def _lines(label) -> list[str]:
    label.texture_update()
    return ["".join(word.text for word in line.words) for line in label._label._cached_lines]


def _breaks_ok(address: str, lines: list[str]) -> bool:
    """Each line after the first starts at a break point of ``address``."""
    if "".join(lines) != address:
        return False
    return all(line[:1] in "@./" or before.endswith(("-", "_"))
               for before, line in zip(lines, lines[1:]))


def test_address_lines_break_at_the_marks_only_when_needed():
    fits = lambda n: (lambda line: len(line) <= n)  # noqa: E731
    assert address_lines(EMAIL, fits(80)) == EMAIL
    assert address_lines(EMAIL, fits(36)) == "sherbimet-sociale\n@bashkia-elbasan.example.org"
    assert address_lines(EMAIL, fits(24)) == "sherbimet-sociale\n@bashkia-elbasan.example\n.org"
    assert address_lines("a@b.org x", fits(3)) == "a@b.org x"     # not an address: the label's own wrap
    for n in (6, 12, 20, 30):
        assert _breaks_ok(EMAIL, address_lines(EMAIL, fits(n)).split("\n"))


@pytest.mark.parametrize("size", [(800, 480), (1366, 768)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_an_address_on_a_service_page_breaks_at_its_marks_at_the_largest_text(ui, size):
    app = ui.app
    ui.window.size = size
    app.set_text_scale(1.5)
    try:
        with app.kiosk.catalogue.session() as s:
            detail = q.service_detail(s, uid("svc:nursery"), "sq")
        detail = dataclasses.replace(detail, email=EMAIL, url=SITE)
        app.open_service(uid("svc:nursery"))
        ui.settle()
        service = app.sm.get_screen("service")
        service.apply((detail, None, []))
        ui.settle()
        lines = {line.text: line for line in service.walk(restrict=True)
                 if type(line).__name__ == "InfoLine" and line.address}
        shown = SITE.removeprefix("https://")
        assert {EMAIL, shown} <= set(lines)     # and the provider's own, which are short
        for address, line in lines.items():
            label = line.ids.lbl
            wrapped = _lines(label)
            if address in (EMAIL, shown):
                assert len(wrapped) > 1, (address, wrapped)   # too long for one line at this size
            assert _breaks_ok(address, wrapped), wrapped
            assert max(label._label.get_extents(w)[0] for w in wrapped) <= label.width
    finally:
        app.set_text_scale(1.0)
        ui.window.size = (1920, 1080)
        ui.pump(3)
