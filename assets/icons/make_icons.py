#!/usr/bin/env python3
"""Regenerate the kiosk's PNG icons from Google's Material Icons font.

The committed PNGs in this directory are what the kiosk uses; this script is
only needed to regenerate them (it needs Pillow, nothing else).

Usage::

    python assets/icons/make_icons.py [FONT] [CODEPOINTS] [--out DIR]
                                      [--size 256] [--padding 0.12]
                                      [--sheet /tmp/icons_sheet.png]

FONT defaults to the Debian package ``fonts-material-design-icons-iconfont``
(``MaterialIcons-Regular.ttf``).  CODEPOINTS may be either Google's plain
``codepoints`` file (``name hexcode`` per line) or the package's
``scss/_variables.scss`` map (``"name": hexcode,``); the Debian package ships
only the latter, which is the default.

Every icon is a SIZE x SIZE RGBA image: a white glyph (255, 255, 255, alpha)
on a fully transparent background, so the UI can tint it with any colour.
Material icons are drawn on a 24-unit grid whose outer 2 units are empty; the
em square is scaled so that this 20-unit live area fills the image minus
PADDING on each side, and it is centred.  Scaling the em square (rather than
each glyph's ink) keeps the icons at their designed, consistent optical size.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFont

DEFAULT_FONT = (
    "/usr/share/fonts/truetype/material-design-icons-iconfont/MaterialIcons-Regular.ttf"
)
DEFAULT_CODEPOINTS = (
    "/usr/share/fonts-material-design-icons-iconfont/scss/_variables.scss"
)
HERE = Path(__file__).resolve().parent

# Output file stem -> Material icon names to try, in order of preference.
CATEGORY_ICONS: dict[str, tuple[str, ...]] = {
    "economic-assistance": ("payments", "savings"),
    "disability": ("accessible",),
    "children": ("child_care", "child_friendly"),
    "domestic-violence": ("shield", "health_and_safety", "security"),
    "employment": ("work",),
    # "house" rather than "home", so the category differs from the Home button.
    "housing": ("house", "home"),
    "legal-aid": ("gavel", "balance"),
    "elderly": ("elderly",),
    "youth": ("school", "groups"),
    "women": ("woman", "female"),
    "health": ("local_hospital", "medical_services"),
    "information": ("info",),
    "category": ("category",),  # fallback for unknown categories
}

UI_ICONS: dict[str, tuple[str, ...]] = {
    "back": ("arrow_back",),
    "home": ("home",),
    "search": ("search",),
    # "translate" (the A/文 glyph) so it is not confused with website's globe.
    "language": ("translate", "language"),
    "text-size": ("format_size", "text_fields"),
    "contrast": ("contrast",),
    "phone": ("phone", "call"),
    "email": ("email", "mail"),
    "website": ("language", "public"),
    "location": ("location_on", "place"),
    "directions": ("directions",),
    "print": ("print",),
    "qr": ("qr_code",),
    "contact": ("contact_phone", "person_add"),
    "clock": ("schedule",),
    "check": ("check_circle",),
    "document": ("description",),
    "accessible": ("accessible",),
    "bus": ("directions_bus",),
    "warning": ("warning",),
    "lock": ("lock",),
    "sync": ("sync",),
    "close": ("close",),
    "backspace": ("backspace",),
    "space": ("space_bar",),
    "open-now": ("door_open", "meeting_room", "door_front", "schedule"),
    "organization": ("business", "apartment"),
    "touch": ("touch_app",),
    # the visitor-in-danger controls: "Urgent help" and "Quick exit"
    "urgent": ("emergency", "sos", "phone_in_talk"),
    "exit": ("logout", "exit_to_app"),
    # speech (issue 13)
    "listen": ("record_voice_over", "volume_up"),
    "speech-off": ("volume_off",),
    "pause": ("pause",),
    "play": ("play_arrow",),
    "repeat": ("replay",),
    "louder": ("volume_up",),
    "softer": ("volume_down",),
    "faster": ("fast_forward",),
    "slower": ("slow_motion_video", "fast_rewind"),
}

ICONS: dict[str, tuple[str, ...]] = {**CATEGORY_ICONS, **UI_ICONS}

_CODEPOINT_LINE = re.compile(
    r'^\s*"?([a-z0-9_]+)"?\s*:?\s+([0-9a-fA-F]{4,6})\s*,?\s*$'
)


def read_codepoints(path: str | Path) -> dict[str, int]:
    """Parse a Google ``codepoints`` file or the scss ``_variables.scss`` map."""
    points: dict[str, int] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        m = _CODEPOINT_LINE.match(line)
        if m:
            points.setdefault(m.group(1), int(m.group(2), 16))
    if not points:
        sys.exit(f"no codepoints found in {path}")
    return points


def _mask_bytes(font: ImageFont.FreeTypeFont, ch: str) -> tuple:
    mask = font.getmask(ch)
    return mask.size, bytes(mask)


def glyph_exists(font: ImageFont.FreeTypeFont, ch: str, notdef: tuple) -> bool:
    """True if the font has a real, non-empty glyph for ``ch`` (not .notdef)."""
    size, data = _mask_bytes(font, ch)
    return size[0] > 0 and size[1] > 0 and any(data) and (size, data) != notdef


def render(font_path: str, ch: str, size: int, padding: float) -> Image.Image:
    # Live area (20/24 of the em) fills size * (1 - 2 * padding).
    em = round(size * (1 - 2 * padding) * 24 / 20)
    font = ImageFont.truetype(font_path, em)
    offset = (size - em) // 2
    alpha = Image.new("L", (size, size), 0)
    # Material Icons: ascent == em, descent == 0, advance == em, so the em
    # square spans [baseline - em, baseline] x [0, em].
    ImageDraw.Draw(alpha).text(
        (offset, offset + em), ch, font=font, fill=255, anchor="ls"
    )
    white = Image.new("L", (size, size), 255)
    return Image.merge("RGBA", (white, white, white, alpha))


def contact_sheet(images: dict[str, tuple[str, Image.Image]], path: Path) -> None:
    """All icons tinted dark on white, with file and glyph names, for checking."""
    cell, thumb, cols = 170, 112, 7
    rows = (len(images) + cols - 1) // cols
    sheet = Image.new("RGB", (cols * cell, rows * cell), "white")
    draw = ImageDraw.Draw(sheet)
    try:
        label = ImageFont.truetype("DejaVuSans.ttf", 13)
    except OSError:
        label = ImageFont.load_default()
    ink = Image.new("RGB", (thumb, thumb), (30, 40, 70))
    for i, (stem, (glyph, img)) in enumerate(images.items()):
        x, y = (i % cols) * cell, (i // cols) * cell
        draw.rectangle([x + 4, y + 4, x + cell - 4, y + cell - 4], outline=(200, 200, 200))
        a = img.getchannel("A").resize((thumb, thumb), Image.LANCZOS)
        sheet.paste(ink, (x + (cell - thumb) // 2, y + 10), a)
        draw.text((x + cell // 2, y + thumb + 22), f"{stem}.png", fill="black",
                  font=label, anchor="mm")
        draw.text((x + cell // 2, y + thumb + 40), glyph, fill=(110, 110, 110),
                  font=label, anchor="mm")
    sheet.save(path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("font", nargs="?", default=DEFAULT_FONT)
    ap.add_argument("codepoints", nargs="?", default=DEFAULT_CODEPOINTS)
    ap.add_argument("--out", type=Path, default=HERE)
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--padding", type=float, default=0.12)
    ap.add_argument("--sheet", type=Path, help="also write a contact sheet PNG here")
    args = ap.parse_args(argv)

    points = read_codepoints(args.codepoints)
    probe = ImageFont.truetype(args.font, 64)
    notdef = _mask_bytes(probe, chr(0x10FFFD))  # a never-assigned code point

    args.out.mkdir(parents=True, exist_ok=True)
    made: dict[str, tuple[str, Image.Image]] = {}
    missing: list[str] = []
    for stem, names in ICONS.items():
        for name in names:
            cp = points.get(name)
            if cp is not None and glyph_exists(probe, chr(cp), notdef):
                break
        else:
            missing.append(f"{stem} (tried {', '.join(names)})")
            continue
        img = render(args.font, chr(cp), args.size, args.padding)
        img.save(args.out / f"{stem}.png", optimize=True)
        made[stem] = (name, img)
        print(f"{stem + '.png':26} {name:18} U+{cp:04X}")

    if args.sheet:
        contact_sheet(made, args.sheet)
        print(f"contact sheet: {args.sheet}")
    if missing:
        print("MISSING: " + "; ".join(missing), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
