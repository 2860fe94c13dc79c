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

    # lines and shapes
    line = NumericProperty(dp(1.5))        # card borders
    button_line = NumericProperty(dp(2))   # button borders
    radius = NumericProperty(dp(18))

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

    # spacing and touch targets (dp); touch >= 12 mm on a 24" 1080p monitor (about 46 px)
    pad = NumericProperty(dp(28))
    gap = NumericProperty(dp(18))
    touch = NumericProperty(dp(76))
    bar_height = NumericProperty(dp(100))
    row_height = NumericProperty(dp(140))   # a row of a service list

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

    def _apply_palette(self) -> None:
        for name, value in self.palette.items():
            setattr(self, name, _rgba(value))
        self.line = dp(3) if self.contrast else dp(1.5)
        self.button_line = dp(3) if self.contrast else dp(2)
        self.palette_version += 1

    def _apply_sizes(self) -> None:
        for name, base in BASE_SIZES.items():
            setattr(self, "key_font" if name == "key" else name, sp(base) * self.scale)
        # touch targets grow a little with the text so labels keep fitting
        self.touch = dp(76) * (1 + (self.scale - 1) * 0.5)
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
