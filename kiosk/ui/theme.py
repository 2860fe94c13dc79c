"""Colours, type sizes and spacing, observable so kv rules follow the visitor's choices.

Two palettes: the calm default (warm paper background, one deep teal accent) and a high-contrast
one (black background, white and yellow text, thick borders). Type sizes are multiplied by the
text-size step the visitor picked (:data:`SCALES`). Every text/background pair used on screen is
listed in :data:`TEXT_PAIRS` and checked against WCAG AA (4.5:1) by the tests.
"""
from __future__ import annotations

import functools

from kivy.event import EventDispatcher
from kivy.metrics import dp, sp
from kivy.properties import BooleanProperty, ColorProperty, NumericProperty
from kivy.utils import get_color_from_hex

from kiosk.paths import ICONS_DIR

#: The text-size steps the visitor can choose.
SCALES = (1.0, 1.25, 1.5)

#: the height of a line of text in the UI font (Roboto), as a multiple of its font size
LINE_HEIGHT = 1.18

#: Base font sizes in sp at the smallest step (a 1080p screen at density 1).
BASE_SIZES = {
    "display": 56, "title": 44, "heading": 32, "subheading": 27, "body": 24, "small": 21,
    "button": 25, "key": 34, "chip": 21,
}

NORMAL = {
    "bg": "#F4F1EA", "surface": "#FFFFFF", "surface_alt": "#E8F1F2", "text": "#1B2631",
    "muted": "#4A5562", "accent": "#0E5A6B", "accent_pressed": "#083D49", "accent_text": "#FFFFFF",
    "border": "#CFC8BA", "strong_border": "#0E5A6B", "bar": "#0E5A6B", "bar_text": "#FFFFFF",
    "bar_button": "#1D6E80", "bar_button_pressed": "#0A4552",
    "open_bg": "#DCF2E2", "open_fg": "#14532D", "open_dot": "#1F8A43",
    "later_bg": "#FCEFC7", "later_fg": "#6A4300", "later_dot": "#D08A00",
    "closed_bg": "#E6E8EC", "closed_fg": "#323B46", "closed_dot": "#6B7480",
    "alert_bg": "#FFF3D4", "alert_fg": "#4A2C00", "alert_border": "#B86E00",
    "today_bg": "#DDEEF1", "today_fg": "#0B3F4B", "selected": "#0E5A6B", "selected_text": "#FFFFFF",
    "ribbon_bg": "#5B4B8A", "ribbon_fg": "#FFFFFF", "scrim": "#1B2631CC", "key": "#FFFFFF",
    "key_pressed": "#CFE3E7", "danger": "#A61B1B", "danger_text": "#FFFFFF",
    "exit_bg": "#FFD43B", "exit_pressed": "#E0B400", "exit_text": "#1B2631",
}

HIGH_CONTRAST = {
    "bg": "#000000", "surface": "#000000", "surface_alt": "#000000", "text": "#FFFFFF",
    "muted": "#FFFFFF", "accent": "#FFE600", "accent_pressed": "#C8B400", "accent_text": "#000000",
    "border": "#FFFFFF", "strong_border": "#FFE600", "bar": "#000000", "bar_text": "#FFFFFF",
    "bar_button": "#000000", "bar_button_pressed": "#333333",
    "open_bg": "#000000", "open_fg": "#7DFF9E", "open_dot": "#7DFF9E",
    "later_bg": "#000000", "later_fg": "#FFE600", "later_dot": "#FFE600",
    "closed_bg": "#000000", "closed_fg": "#FFFFFF", "closed_dot": "#FFFFFF",
    "alert_bg": "#000000", "alert_fg": "#FFE600", "alert_border": "#FFE600",
    "today_bg": "#FFE600", "today_fg": "#000000", "selected": "#FFE600", "selected_text": "#000000",
    "ribbon_bg": "#000000", "ribbon_fg": "#FFE600", "scrim": "#000000E6", "key": "#000000",
    "key_pressed": "#333333", "danger": "#000000", "danger_text": "#FF8A8A",
    "exit_bg": "#FFFFFF", "exit_pressed": "#CCCCCC", "exit_text": "#000000",
}

#: (text, background) pairs that carry text; each must reach 4.5:1 in both palettes.
TEXT_PAIRS = [
    ("text", "bg"), ("text", "surface"), ("muted", "surface"), ("muted", "bg"), ("text", "surface_alt"),
    ("accent_text", "accent"), ("accent_text", "accent_pressed"), ("bar_text", "bar"),
    ("bar_text", "bar_button"), ("bar_text", "bar_button_pressed"), ("accent", "surface"),
    ("open_fg", "open_bg"), ("later_fg", "later_bg"), ("closed_fg", "closed_bg"),
    ("alert_fg", "alert_bg"), ("today_fg", "today_bg"), ("selected_text", "selected"),
    ("ribbon_fg", "ribbon_bg"), ("text", "key"), ("text", "key_pressed"), ("danger_text", "danger"),
    ("accent", "bg"), ("accent", "surface_alt"), ("muted", "surface_alt"), ("alert_fg", "bg"),
    ("accent", "key_pressed"), ("exit_text", "exit_bg"), ("exit_text", "exit_pressed"),
]


@functools.lru_cache(maxsize=512)
def icon_path(name: str) -> str:
    """The file of a UI or category icon, falling back to the generic one, or "" if none exists."""
    for candidate in (name, "category"):
        if candidate:
            path = ICONS_DIR / f"{candidate}.png"
            if path.is_file():
                return str(path)
    return ""


def _rgba(hex_colour: str) -> list[float]:
    return get_color_from_hex(hex_colour)


class Theme(EventDispatcher):
    """The current look; kv rules read ``theme.text``, ``theme.body`` and so on."""

    scale = NumericProperty(SCALES[0])
    contrast = BooleanProperty(False)
    #: bumped after every palette change; kv expressions that compute colours bind to it
    palette_version = NumericProperty(0)
    #: bumped after every change of the type sizes
    sizes_version = NumericProperty(0)

    # colours (filled from the palette)
    bg = ColorProperty()
    surface = ColorProperty()
    surface_alt = ColorProperty()
    text = ColorProperty()
    muted = ColorProperty()
    accent = ColorProperty()
    accent_pressed = ColorProperty()
    accent_text = ColorProperty()
    border = ColorProperty()
    strong_border = ColorProperty()
    bar = ColorProperty()
    bar_text = ColorProperty()
    bar_button = ColorProperty()
    bar_button_pressed = ColorProperty()
    open_bg = ColorProperty()
    open_fg = ColorProperty()
    open_dot = ColorProperty()
    later_bg = ColorProperty()
    later_fg = ColorProperty()
    later_dot = ColorProperty()
    closed_bg = ColorProperty()
    closed_fg = ColorProperty()
    closed_dot = ColorProperty()
    alert_bg = ColorProperty()
    alert_fg = ColorProperty()
    alert_border = ColorProperty()
    today_bg = ColorProperty()
    today_fg = ColorProperty()
    selected = ColorProperty()
    selected_text = ColorProperty()
    ribbon_bg = ColorProperty()
    ribbon_fg = ColorProperty()
    scrim = ColorProperty()
    key = ColorProperty()
    key_pressed = ColorProperty()
    danger = ColorProperty()
    danger_text = ColorProperty()
    exit_bg = ColorProperty()
    exit_pressed = ColorProperty()
    exit_text = ColorProperty()

    # lines and shapes (set in _apply_palette / _apply_sizes, in pixels at the kiosk's density)
    line = NumericProperty(1.5)        # card borders
    button_line = NumericProperty(2)   # button borders
    radius = NumericProperty(18)

    # type sizes (sp, already scaled)
    display = NumericProperty()
    title = NumericProperty()
    heading = NumericProperty()
    subheading = NumericProperty()
    body = NumericProperty()
    small = NumericProperty()
    button = NumericProperty()
    key_font = NumericProperty()
    chip = NumericProperty()
    # the bars' buttons (kiosk.ui.widgets.TopBar): their labels and icons grow with the text
    # like the page's, so urgent help and the quick exit are never smaller than its body text
    bar_font = NumericProperty()        # a label beside its icon
    bar_font_small = NumericProperty()  # a label under its icon (a bar short of room)
    bar_icon = NumericProperty()
    bar_icon_small = NumericProperty()

    # spacing and touch targets, in pixels: designed in dp (at 96 dpi, 76 dp is 20 mm), and
    # never under ``min_target`` (12 mm on the panel, from kiosk.display.sizing)
    pad = NumericProperty(28)
    gap = NumericProperty(18)
    touch = NumericProperty(76)
    #: the top bar's row (and the welcome's bar, the foot, the speech bar): tall enough for
    #: its labels at the visitor's text size
    bar_height = NumericProperty(100)
    row_height = NumericProperty(140)   # a row of a service list
    #: the smallest touch target, in pixels: 12 mm on this panel
    min_target = NumericProperty(0)
    #: millimetres a pixel measures on this panel (QR modules are sized from it)
    mm_per_px = NumericProperty(25.4 / 96)
    #: the smallest QR module, in mm: 1 mm reads from 40 cm; a 7" or 10" panel is read from
    #: closer (about 20 cm, where phones read 0.45 mm) and has no room for a 60-90 mm code
    qr_module_mm = NumericProperty(1.0)
    #: the window's shape, set by the app (fit_window): small (a 7" panel), portrait
    compact = BooleanProperty(False)
    portrait = BooleanProperty(False)
    #: a landscape window under 820 dp high (1366x768, 1280x800): the take-away panel is tighter
    short = BooleanProperty(False)
    #: the top bar's buttons as an icon over a short word: a window under 1600 dp wide, where
    #: full labels would leave no room for more buttons (urgent help, quick exit, listen)
    bar_compact = BooleanProperty(False)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._apply_palette()
        self._apply_sizes()

    @property
    def palette(self) -> dict[str, str]:
        return HIGH_CONTRAST if self.contrast else NORMAL

    def on_contrast(self, *_args) -> None:
        self._apply_palette()

    def on_scale(self, *_args) -> None:
        self._apply_sizes()

    def on_min_target(self, *_args) -> None:
        self._apply_sizes()

    def on_compact(self, *_args) -> None:
        self._apply_sizes()

    def fit_window(self, width: float, height: float) -> None:
        """Follow the window's shape (called by the app when the window is sized)."""
        self.portrait = height > width
        # a 7" panel is small whatever its pixels: under 18 cm wide (or under 1000x700 dp)
        self.compact = width * self.mm_per_px < 180 or width < dp(1000) or height < dp(700)
        self.short = not self.portrait and height < dp(820)
        self.bar_compact = self.compact or width < dp(1600)
        # a panel under 15 cm high (7", 10.1") is read from a phone held close to it
        self.qr_module_mm = 0.45 if self.compact or height * self.mm_per_px < 150 else 1.0

    def mm(self, millimetres: float, *_bindings) -> float:
        """Pixels that measure ``millimetres`` on this panel."""
        return millimetres / self.mm_per_px

    def target(self, px: float, *_bindings) -> float:
        """``px`` (a button's designed size in pixels), raised to the 12 mm minimum."""
        return max(px, self.min_target)

    def _apply_palette(self) -> None:
        for name, value in self.palette.items():
            setattr(self, name, _rgba(value))
        self.line = dp(3) if self.contrast else dp(1.5)
        self.button_line = dp(3) if self.contrast else dp(2)
        self.palette_version += 1

    def _apply_sizes(self) -> None:
        for name, base in BASE_SIZES.items():
            setattr(self, "key_font" if name == "key" else name, sp(base) * self.scale)
        self.radius = dp(18)
        self.pad = dp(20) if self.compact else dp(28)
        self.gap = dp(14) if self.compact else dp(18)
        # touch targets grow a little with the text so labels keep fitting
        self.touch = max(dp(76) * (1 + (self.scale - 1) * 0.5), self.min_target)
        # the bars' labels follow the text; their icons, and the short words under them on a
        # bar short of room, a little less (as a section's icon does)
        less = 0.4 + 0.6 * self.scale
        self.bar_font = sp(25) * self.scale
        self.bar_font_small = sp(20) * less
        self.bar_icon = dp(36) * less
        self.bar_icon_small = dp(30) * less
        # a bar's row: room (dp(12) above and below, and breathing space) for its tallest
        # button: an icon over a label, or urgent help on two lines of body text
        stacked = self.bar_icon_small + dp(12) + LINE_HEIGHT * self.bar_font_small
        two_lines = 2 * LINE_HEIGHT * self.body
        self.bar_height = max(dp(100), self.min_target + dp(24), max(stacked, two_lines) + dp(30))
        self.row_height = dp(146) * self.scale
        self.sizes_version += 1

    def size_of(self, role: str, *_bindings) -> float:
        """The font size of a text role: display, title, heading, subheading, body, small, chip..."""
        return getattr(self, "key_font" if role == "key" else role, self.body) if role in BASE_SIZES else self.body

    def colour_of(self, tone: str, *_bindings) -> list:
        """The colour of a text tone: text, muted, accent, alert, today, accent_text, open, later..."""
        names = {"alert": "alert_fg", "today": "today_fg", "open": "open_fg", "later": "later_fg",
                 "closed": "closed_fg", "danger": "danger_text", "ribbon": "ribbon_fg"}
        return getattr(self, names.get(tone, tone), self.text) if tone else self.text

    def step_index(self) -> int:
        return min(range(len(SCALES)), key=lambda i: abs(SCALES[i] - self.scale))

    def reset(self) -> None:
        self.scale = SCALES[0]
        self.contrast = False

    @staticmethod
    def icon(name: str) -> str:
        return icon_path(name)


theme = Theme()


def contrast_ratio(fg: str, bg: str) -> float:
    """WCAG 2 contrast ratio of two opaque ``#RRGGBB`` colours."""
    def luminance(hex_colour: str) -> float:
        channels = []
        for i in (1, 3, 5):
            c = int(hex_colour[i:i + 2], 16) / 255
            channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
        r, g, b = channels
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)
