"""The slip as a picture: Pillow draws its lines on a receipt-wide strip (the preview, and what
a printer without a suitable code page gets), in Roboto, the font Kivy ships, found without
running any Kivy code. No Kivy import.
"""
from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional, Sequence

from kiosk.handoff import qr as qrmod
from kiosk.handoff.slip import (BOLD, CAPTION, CHECK, DEFAULT_DPI, GAP, HEADING, HOURS, LABEL, PREVIEW_WIDTH, QR,
                                RULE, SMALL, TEXT, TITLE, Line, Slip)


def _kivy_fonts_dir() -> Optional[Path]:
    """Kivy's bundled fonts, located without importing (and so without running) Kivy."""
    try:
        spec = importlib.util.find_spec("kivy")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / "fonts"
    return path if path.is_dir() else None


@lru_cache(maxsize=None)
def _font(bold: bool, size: int):
    from PIL import ImageFont

    candidates = []
    kivy_fonts = _kivy_fonts_dir()
    if kivy_fonts:
        candidates.append(kivy_fonts / ("Roboto-Bold.ttf" if bold else "Roboto-Regular.ttf"))
        candidates.append(kivy_fonts / "DejaVuSans.ttf")
    candidates += [Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf" if bold
                        else "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")]
    for path in candidates:
        if path.is_file():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


# (bold, size in px at 203 dpi, gap after) per style. 24 px is the printer's own font A height.
_STYLE = {TITLE: (True, 34, 6), HEADING: (True, 32, 4), LABEL: (True, 24, 2), TEXT: (False, 24, 2),
          BOLD: (True, 24, 2), SMALL: (False, 21, 2), CHECK: (False, 24, 4), HOURS: (False, 24, 2),
          CAPTION: (False, 21, 2)}


def _wrap_px(text: str, font, width: int) -> list[str]:
    words, lines, current = text.split(), [], ""
    for word in words:
        trial = f"{current} {word}" if current else word
        if font.getlength(trial) <= width:
            current = trial
            continue
        if current:
            lines.append(current)
        while font.getlength(word) > width:  # a word longer than the line: break it
            cut = max(1, int(len(word) * width / font.getlength(word)))
            while cut > 1 and font.getlength(word[:cut]) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines or [""]


def draw_lines(lines: Sequence[Line], width: int, dots_per_module: int, margin: int = 12):
    """The lines drawn on a white strip ``width`` dots wide ('L' image, black ink)."""
    from PIL import Image, ImageDraw

    pieces: list[tuple[str, Any]] = []  # (kind, data) laid out first, drawn after
    height = margin
    inner = width - 2 * margin
    for line in lines:
        if line.style == GAP:
            height += 12
            pieces.append(("gap", 12))
        elif line.style == RULE:
            pieces.append(("rule", height + 6))
            height += 14
        elif line.style == QR:
            image = qrmod.render(line.text, dots_per_module)
            pieces.append(("image", (image, height)))
            height += image.height
        else:
            bold, size, after = _STYLE.get(line.style, _STYLE[TEXT])
            font = _font(bold or line.strong, size)
            step = round(size * 1.25)
            if line.style == LABEL:
                height += 8
            if line.style == HOURS:
                right_w = font.getlength(line.right)
                rows = _wrap_px(line.text, font, int(inner - right_w - 12)) or [""]
                pieces.append(("hours", (line, font, height, rows)))
                height += step * len(rows)
            else:
                indent = 34 if line.style == CHECK else 0
                rows = _wrap_px(line.text, font, inner - indent)
                pieces.append(("text", (line, font, height, rows, indent, step)))
                height += step * len(rows)
            height += after
    height += margin
    canvas = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(canvas)
    for kind, data in pieces:
        if kind == "rule":
            draw.line([(margin, data), (width - margin, data)], fill=0, width=2)
        elif kind == "image":
            image, top = data
            canvas.paste(image, ((width - image.width) // 2, top))
        elif kind == "hours":
            line, font, top, rows = data
            step = round(font.size * 1.25)
            for i, row in enumerate(rows):
                draw.text((margin, top + i * step), row, font=font, fill=0)
            draw.text((width - margin - font.getlength(line.right), top), line.right, font=font, fill=0)
        elif kind == "text":
            line, font, top, rows, indent, step = data
            centred = line.style in (TITLE, CAPTION)
            if line.style == CHECK:
                box = font.size - 6
                draw.rectangle([margin + 2, top + 5, margin + 2 + box, top + 5 + box], outline=0, width=2)
            for i, row in enumerate(rows):
                x = (width - font.getlength(row)) / 2 if centred else margin + indent
                draw.text((x, top + i * step), row, font=font, fill=0)
    return canvas


def render_image(slip: Slip, width: int = PREVIEW_WIDTH, dots_per_module: Optional[int] = None):
    """The slip as a Pillow image (mode 'L'), as a 203 dpi printer would print it."""
    return draw_lines(slip.lines, width, dots_per_module or qrmod.printer_dots_per_module(DEFAULT_DPI))
