"""Urgent help at the largest text (the review of the real window, 1366x768): every number on one
line, no word split, the first number on view before any scrolling; and two lines a row still
where they fit (1920x1080, normal text).

The test catalogue (tests/factories.py) has one urgent line, the help line "+355 54 111 222".
Here the screen is given that line and four more like the sample catalogue's (assets/sample):
short and long numbers, long Albanian names, so that the rows have something to break.
"""
from __future__ import annotations

import dataclasses

import pytest

pytestmark = pytest.mark.ui

#: (Albanian name, English name, number) of the sample catalogue's other urgent lines
MORE_LINES = (
    ("Policia – 129", "Police – 129", "129"),
    ("Ambulanca – 127", "Ambulance – 127", "127"),
    ("Linja e këshillimit për gratë dhe vajzat – 116 117",
     "Counselling line for women and girls – 116 117", "116 117"),
    ("Linja për fëmijët ALO 116 111", "Child helpline ALO 116 111", "116 111"),
)


@pytest.fixture
def five_lines(monkeypatch):
    """The urgent screen lists the catalogue's help line first, then :data:`MORE_LINES` (each
    a copy of the help line's record with its own name and number)."""
    from kiosk.ui.urgent import UrgentScreen

    def fetch(self, services, lang, params, open_now):
        lines = services.urgent_lines(lang)
        assert len(lines) == 1
        more = [dataclasses.replace(lines[0], id=f"more-{i}", name=sq if lang == "sq" else en,
                                    number=number)
                for i, (sq, en, number) in enumerate(MORE_LINES)]
        return [lines[0], *more]

    monkeypatch.setattr(UrgentScreen, "fetch", fetch)


def _open_urgent(ui, size, lang: str, step: str):
    """At window ``size``: touch the language on the welcome screen, the text size ``step``
    (size0, size1, size2) in the bar, then urgent help; wait for its call codes."""
    ui.window.size = size
    ui.pump(6)
    ui.settle()
    ui.tap(ui.button("English" if lang == "en" else "Shqip"))
    ui.tap(ui.bar.ids.text_size.ids[step])
    ui.tap(ui.bar.ids.urgent)
    urgent = ui.screen
    assert ui.app.sm.current == "urgent"
    ui.wait_until(lambda: urgent.codes_shown, what="the call codes")
    ui.pump(4)
    return urgent


def _cards(urgent) -> list:
    """The urgent lines' cards, in the order they are listed."""
    from kiosk.ui.urgent import UrgentLineCard

    return [c for c in reversed(urgent.ids.lines.children) if isinstance(c, UrgentLineCard)]


def _lines_of(label) -> list[str]:
    """The lines ``label`` is drawn in, as text."""
    assert label._label is not None
    return ["".join(word.text for word in line.words).strip() for line in label._label._cached_lines]


def _split_words(root) -> list[tuple[str, list[str]]]:
    """Each label under ``root`` whose lines break inside a word, or inside a number such as
    the "116 117" of a line's name: (its text, its lines)."""
    from kivy.uix.label import Label

    broken = []
    for label in root.walk(restrict=True):
        if not isinstance(label, Label) or not label.text.strip() or label.markup:
            continue
        lines = _lines_of(label)
        if " ".join(" ".join(lines).split()) != " ".join(label.text.split()) or any(
                a[-1:].isdigit() and b[:1].isdigit() for a, b in zip(lines, lines[1:])):
            broken.append((label.text, lines))
    return broken


def _check_numbers_whole(cards) -> None:
    for card in cards:
        number = card.ids.number
        assert _lines_of(number) == [card.number], (card.number, _lines_of(number))
        assert number.texture_size[0] <= number.width + 0.5, card.number


@pytest.mark.parametrize("lang", ["sq", "en"])
@pytest.mark.parametrize("size", [(1366, 768), (800, 480)])
def test_urgent_help_at_the_largest_text_shows_whole_numbers_and_words(ui, five_lines, size, lang):
    """Largest text (1.5): one line a row, each number on one line within its card, no word
    split across lines anywhere on the page, and the first line's number wholly on view
    before the visitor scrolls."""
    from kiosk.ui.cliptest import out_of_view
    from kiosk.ui.theme import theme

    original = tuple(ui.window.size)
    try:
        urgent = _open_urgent(ui, size, lang, "size2")
        assert theme.scale == 1.5
        cards = _cards(urgent)
        assert [c.number for c in cards][1:] == [n for _sq, _en, n in MORE_LINES]
        assert urgent.ids.lines.cols == 1
        _check_numbers_whole(cards)
        assert _split_words(urgent) == []
        scroll = urgent.ids.scroll
        assert scroll.scroll_y >= 0.999
        assert out_of_view(cards[0].ids.number, scroll) == ""
        assert ui.is_visible(cards[0].ids.number)
        # and it holds still: the choices the page makes do not undo each other frame by frame
        seen = set()
        for _ in range(6):
            ui.pump(1)
            seen.add((tuple(c.ids.number.font_size for c in cards), tuple(cards[0].ids.number.pos),
                      tuple(id(w) for w in urgent.ids.page.children)))
        assert len(seen) == 1, seen
    finally:
        ui.window.size = original
        ui.settle()


def test_urgent_help_keeps_two_lines_a_row_at_normal_text_on_a_wide_panel(ui, five_lines):
    """1920x1080 at normal text, as before: two lines a row, the two cards of a row level and
    as tall as each other; every number on one line (the long one too) at the display size at
    least, the short ones larger than the title, and as large again after the text size went
    up and back down."""
    from kiosk.ui.theme import theme

    original = tuple(ui.window.size)
    try:
        urgent = _open_urgent(ui, (1920, 1080), "sq", "size0")
        assert theme.scale == 1.0
        cards = _cards(urgent)
        first_sizes = [card.ids.number.font_size for card in cards]
        ui.tap(ui.bar.ids.text_size.ids.size1)
        ui.tap(ui.bar.ids.text_size.ids.size0)
        ui.pump(4)
        assert theme.scale == 1.0 and _cards(urgent) == cards
        assert urgent.ids.lines.cols == 2
        for left, right in zip(cards[0::2], cards[1::2]):
            assert left.height == right.height and left.top == right.top
            assert left.x < right.x
        _check_numbers_whole(cards)
        assert _split_words(urgent) == []
        sizes = [card.ids.number.font_size for card in cards]
        assert sizes == first_sizes
        assert min(sizes) >= theme.display
        assert sizes[1] > theme.display > urgent.ids.title.font_size      # "129"
    finally:
        ui.window.size = original
        ui.settle()


@pytest.mark.parametrize("size, step", [((1024, 600), "size0"), ((1080, 1920), "size2")])
def test_a_number_in_a_line_name_stays_on_one_line(ui, five_lines, size, step):
    """"Linja e këshillimit për gratë dhe vajzat – 116 117" ran "... – 116" / "117" on a
    1024x600 panel and on the portrait totem: the name's line ends before the number."""
    original = tuple(ui.window.size)
    try:
        urgent = _open_urgent(ui, size, "sq", step)
        name = _cards(urgent)[3].ids.name
        assert _lines_of(name)[-1].endswith("116\u00a0117"), _lines_of(name)
        assert _split_words(urgent) == []
    finally:
        ui.window.size = original
        ui.settle()
