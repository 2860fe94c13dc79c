"""Characters the kiosk's font lacks never show as empty boxes.

Kivy draws text with SDL2_ttf, one font per label, and SDL2_ttf draws no colour emoji (Noto Color
Emoji's bitmaps come out blank). So a name such as "Çerdhe 👶" is drawn in the UI font and every
character that font has no glyph for is handed to the first fallback font that has one (Debian's
``fonts-symbola`` covers emoji and symbols in outline, which SDL2_ttf draws); characters no font
has are removed and the rest of the text is kept. Fonts' character maps are read with fontTools
and, once :func:`use_cache` names a directory (the kiosk's data directory), kept there: the welcome
screen's first Albanian letter no longer waits 45 ms for fontTools' import and two fonts' tables.

:meth:`Glyphs.markup` gives Kivy markup (``[font=...]...[/font]`` runs, ``&bl;``/``&br;``/
``&amp;`` escapes) for a label with ``markup: True``; :meth:`Glyphs.clean` the plain text with
what no font can draw taken out, for places where markup is not used (a printed slip, speech).
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import Iterable, Optional, Sequence

#: where Debian puts the fallback font the set-up installs (package fonts-symbola)
SYMBOLA = Path("/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf")

# joiners and variation selectors shape a neighbour; alone they would draw as boxes
_INVISIBLE = {0x200D, 0xFE0E, 0xFE0F, 0x20E3}
_SPACES = re.compile(r"[ \t]{2,}")


_cache_dir: Optional[Path] = None


def use_cache(directory: Optional[Path]) -> None:
    """Keep the fonts' character maps in ``directory`` (made when first written); None: none kept."""
    global _cache_dir
    _cache_dir = Path(directory) if directory is not None else None
    cmap.cache_clear()


@functools.lru_cache(maxsize=16)
def cmap(font: str) -> frozenset[int]:
    """The code points ``font`` (a .ttf/.otf path) has glyphs for: from the cache when it was
    written for this very file (its path, size and modification time), else read with fontTools."""
    stat = os.stat(font)
    stamp = [str(font), stat.st_size, stat.st_mtime_ns]
    kept = _cache_file(font)
    if kept is not None:
        try:
            data = json.loads(kept.read_text(encoding="utf-8"))
            if data["font"] == stamp:
                return frozenset(point for start, end in data["runs"] for point in range(start, end + 1))
        except (OSError, ValueError, KeyError, TypeError):
            pass                # none yet, or not ours: read the font again and write it anew
    points = _read_cmap(font)
    if kept is not None:
        _write_cache(kept, {"font": stamp, "runs": _runs(points)})
    return points


def _read_cmap(font: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(font, lazy=True, fontNumber=0) as tt:
        return frozenset(tt.getBestCmap() or {})


def _cache_file(font: str) -> Optional[Path]:
    if _cache_dir is None:
        return None
    return _cache_dir / f"cmap-{hashlib.sha256(str(font).encode()).hexdigest()[:16]}.json"


def _runs(points: frozenset[int]) -> list[list[int]]:
    """``points`` as ``[first, last]`` runs of consecutive code points (9,622 of Symbola's in 700)."""
    runs: list[list[int]] = []
    for point in sorted(points):
        if runs and runs[-1][1] == point - 1:
            runs[-1][1] = point
        else:
            runs.append([point, point])
    return runs


def _write_cache(path: Path, data: dict) -> None:
    """Written whole or not at all (a temporary file renamed); a directory that cannot be
    written only costs the next start the reading again."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".cmap-")
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, separators=(",", ":"))
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)


def _drawable_without_glyph(char: str) -> bool:
    """Characters every font handles without a glyph of its own: line breaks, tabs."""
    return char in "\n\t\r"


def escape_markup(text: str) -> str:
    """Kivy markup's escapes (``kivy.utils.escape_markup``), without importing Kivy."""
    return text.replace("&", "&amp;").replace("[", "&bl;").replace("]", "&br;")


class Glyphs:
    """The UI font and its fallbacks, first that has a character wins."""

    def __init__(self, primary: str | Path, fallbacks: Sequence[str | Path] = ()):
        self.fonts = [str(primary)] + [str(f) for f in fallbacks if Path(f).is_file()]
        self.maps = [cmap(font) for font in self.fonts]

    def font_for(self, char: str) -> int:
        """The index in :attr:`fonts` of the first font with ``char``, -1 if none has it."""
        point = ord(char)
        for index, points in enumerate(self.maps):
            if point in points:
                return index
        return 0 if _drawable_without_glyph(char) else -1

    def missing(self, text: str) -> set[str]:
        return {c for c in text if ord(c) not in _INVISIBLE and self.font_for(c) < 0}

    def runs(self, text: str) -> list[tuple[int, str]]:
        """``text`` cut into ``(font index, piece)`` runs; characters no font has are dropped,
        as are joiners and variation selectors (and the second of two spaces that leaves)."""
        out: list[tuple[int, str]] = []
        for char in unicodedata.normalize("NFC", text):
            if ord(char) in _INVISIBLE:
                continue
            index = self.font_for(char)
            if index < 0:
                continue
            if char == " " and out:
                if out[-1][1].endswith(" "):
                    continue                # where a dropped character stood between spaces
                index = out[-1][0]          # a space stays in the run it follows
            if out and out[-1][0] == index:
                out[-1] = (index, out[-1][1] + char)
            else:
                out.append((index, char))
        return out

    def clean(self, text: str) -> str:
        """``text`` with what the UI font cannot draw removed (spaces left doubled are merged)."""
        kept = "".join(piece for index, piece in self.runs(text) if index == 0)
        return _SPACES.sub(" ", kept).strip()

    def markup(self, text: str) -> str:
        """Kivy markup drawing each run in its font; text in the UI font carries no tag."""
        parts = []
        for index, piece in self.runs(text):
            body = escape_markup(piece)
            parts.append(body if index == 0 else f"[font={self.fonts[index]}]{body}[/font]")
        return "".join(parts)


def default_fallbacks() -> Iterable[Path]:
    """The fallback fonts present on this machine, most useful first."""
    return [path for path in (SYMBOLA,) if path.is_file()]
