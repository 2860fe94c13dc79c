"""QR codes for the screen and the slip: matrix, image, module size, and the cached code maker.

Encoding
    Every payload is encoded as its UTF-8 bytes in one segment, error correction M, a quiet
    zone of 4 modules. The ``qrcode`` library never writes an ECI designator (it has no ECI
    support at all), so the code carries plain byte mode: readers that ignore ECI and iPhone's
    camera (which would misread a Latin-1 byte segment) both see UTF-8 and get ë and ç right.
    One segment (``optimize=0``) rather than qrcode's default mixed-mode chunks keeps every
    non-ASCII byte in one byte segment, so a reader guessing the charset guesses on the whole text.
    A payload that is entirely upper-case letters, digits and ``-`` (the kiosk's short code) goes
    in the denser alphanumeric mode; it is ASCII either way.

Module size for 40 cm (see :func:`px_per_module`)
    A phone's camera at distance d, with a horizontal field of view of about 65-75 degrees, sees
    a strip 2 * d * tan(35 deg) ~ 0.56 m wide at d = 40 cm. Barcode readers analyse preview frames
    of about 1280-1920 pixels across, so one camera pixel covers 0.29-0.44 mm of the screen.
    Decoding is reliable from about 2.5-3 camera pixels per module (sampling plus focus blur and
    the moiré of a screen's pixel grid), so a module must be at least ~1.0 mm: 0.4 mm modules
    are readable at 40 cm only in good conditions and the fallback for elderly visitors with
    older phones must be better than that. A 1080p kiosk monitor of 21.5-24" has a pixel pitch
    of 0.25-0.28 mm (~96 dpi), hence **at least 4 whole screen pixels per module** (1.06 mm at
    96 dpi); whole pixels because a module that straddles pixel boundaries gets blurred edges.
    Above that minimum the code is scaled to about 70 mm a side (60-80 mm is the comfortable
    range: ~12 % of the camera's field at 40 cm, big enough to aim at without being so big the
    phone must be held further away): a service link of ~80 characters (version 5, 37 modules
    + 8 of quiet zone) gets 6 px/module, 71 mm on a 96 dpi screen; ``tel:`` (version 2) gets
    8 px, 70 mm; a vCard of ~300 bytes (version 13, 77 modules) stays at the 4 px minimum, 82 mm.
    On the 203 dpi slip printer, 8 dots per module is 1.0 mm.

No Kivy import: the screen turns :meth:`QrCodes.rgba_image` bytes into a texture itself
(``Texture.create(size=...); blit_buffer(data, colorfmt="rgba")``, rows bottom-up when asked).
"""
from __future__ import annotations

import io
import math
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Optional, Union

import qrcode
from qrcode import constants as qrconst
from qrcode import util as qrutil

from kiosk.lru import Lru

__all__ = [
    "ERROR_CORRECTION", "QUIET_ZONE", "MIN_PX_PER_MODULE", "MIN_MODULE_MM", "TARGET_SIDE_MM",
    "DEFAULT_PIXEL_PITCH_MM", "QrMatrix", "QrImage", "make_matrix", "render",
    "px_per_module", "pixel_pitch_mm", "printer_dots_per_module", "QrCodes",
]

ERROR_CORRECTION = qrconst.ERROR_CORRECT_M
QUIET_ZONE = 4
MIN_PX_PER_MODULE = 4
MIN_MODULE_MM = 1.0
TARGET_SIDE_MM = 70.0
DEFAULT_PIXEL_PITCH_MM = 25.4 / 96  # 0.265 mm: a 1080p monitor of about 23"

Payload = Union[str, bytes]


def _bytes(payload: Payload) -> bytes:
    if isinstance(payload, bytes):
        return payload
    if not isinstance(payload, str) or not payload:
        raise ValueError("a QR payload must be non-empty text or bytes")
    return payload.encode("utf-8")


@dataclass(frozen=True)
class QrMatrix:
    """The modules of a QR code, quiet zone included: ``rows[y][x]`` is True for dark."""

    version: int
    rows: tuple[tuple[bool, ...], ...]

    @property
    def size(self) -> int:
        """Modules per side, quiet zone included."""
        return len(self.rows)


def make_matrix(payload: Payload) -> QrMatrix:
    """Encode ``payload`` (text is UTF-8 encoded) in one segment, EC level M, quiet zone 4."""
    data = _bytes(payload)
    code = qrcode.QRCode(error_correction=ERROR_CORRECTION, border=QUIET_ZONE, box_size=1)
    code.add_data(qrutil.QRData(data), optimize=0)
    code.make(fit=True)
    rows = tuple(tuple(bool(v) for v in row) for row in code.get_matrix())
    return QrMatrix(code.version, rows)


def render(payload: Payload, px_per_module: int, *, mode: str = "L"):
    """A PIL image of the code with whole pixels per module (``L``: 0 dark, 255 light)."""
    from PIL import Image

    if px_per_module < 1 or int(px_per_module) != px_per_module:
        raise ValueError("px_per_module must be a whole number of pixels")
    matrix = make_matrix(payload)
    n = matrix.size
    raw = bytes(0 if dark else 255 for row in matrix.rows for dark in row)
    image = Image.frombytes("L", (n, n), raw)
    if px_per_module > 1:
        image = image.resize((n * px_per_module, n * px_per_module), Image.NEAREST)
    return image if mode == "L" else image.convert(mode)


# ------------------------------------------------------------------ module size

def pixel_pitch_mm(dpi: float) -> float:
    """Millimetres per pixel of a screen or printer of ``dpi`` dots per inch."""
    return 25.4 / dpi


def px_per_module(modules: int, *, pitch_mm: float = DEFAULT_PIXEL_PITCH_MM,
                  max_side_px: Optional[int] = None, min_module_mm: float = MIN_MODULE_MM,
                  target_side_mm: float = TARGET_SIDE_MM, min_px: int = MIN_PX_PER_MODULE) -> int:
    """Whole screen pixels per module for a code ``modules`` wide (quiet zone included).

    At least ``min_px`` and at least ``min_module_mm`` (1 mm, readable from 40 cm, see the module
    docstring); above that, as close to ``target_side_mm`` as whole pixels allow; and no more than
    fits in ``max_side_px``. The minimum wins over ``max_side_px``: a code too small to scan is
    worse than one the layout must make room for.
    """
    if modules <= 0 or pitch_mm <= 0:
        raise ValueError("modules and pitch must be positive")
    floor = max(min_px, math.ceil(min_module_mm / pitch_mm - 1e-9))
    best = max(floor, round(target_side_mm / (modules * pitch_mm)))
    if max_side_px is not None:
        best = min(best, max_side_px // modules)
    return max(floor, best)


def printer_dots_per_module(dpi: Optional[float] = None, *, module_mm: float = MIN_MODULE_MM) -> int:
    """Dots per module on a receipt printer (ESC/POS allows 1-16): 8 at 203 dpi, 7 at 180 dpi."""
    dpi = dpi or 203
    return max(3, min(16, round(module_mm * dpi / 25.4)))


# ------------------------------------------------------------------ cache

@dataclass(frozen=True)
class QrImage:
    """Raw RGBA pixels for a texture: ``width * height * 4`` bytes, top row first unless
    ``bottom_up`` (Kivy textures start at the bottom)."""

    width: int
    height: int
    rgba: bytes
    bottom_up: bool = False


class QrCodes:
    """Rendered codes for the screen and the slip, cached, and made on a worker thread on request.

    The kiosk has one (see :mod:`kiosk.bootstrap`), so a code shown once is at hand the next time.
    """

    def __init__(self, maxsize: int = 64):
        self.cache: Lru = Lru(maxsize)
        self._executor: Optional[ThreadPoolExecutor] = None
        self._executor_lock = threading.Lock()

    def png_bytes(self, payload: Payload, px_per_module: int) -> bytes:
        """The code as PNG bytes (8-bit greyscale), cached."""
        def make() -> bytes:
            buf = io.BytesIO()
            render(payload, px_per_module).save(buf, format="PNG", optimize=True)
            return buf.getvalue()
        return self.cache.get_or_make((_bytes(payload), px_per_module, "png"), make)  # type: ignore[return-value]

    def rgba_image(self, payload: Payload, px_per_module: int, *, bottom_up: bool = False) -> QrImage:
        """The code as raw RGBA bytes ready for a texture, cached."""
        def make() -> QrImage:
            from PIL import Image

            image = render(payload, px_per_module, mode="RGBA")
            if bottom_up:
                image = image.transpose(Image.FLIP_TOP_BOTTOM)
            return QrImage(image.width, image.height, image.tobytes(), bottom_up)
        key = (_bytes(payload), px_per_module, "rgba", bottom_up)
        return self.cache.get_or_make(key, make)  # type: ignore[return-value]

    def render_async(self, payload: Payload, px_per_module: int, *, bottom_up: bool = True) -> "Future[QrImage]":
        """Render (or fetch from the cache) on a worker thread; the UI adds a done-callback that
        hops back to the main thread to make the texture."""
        with self._executor_lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="qr")
        return self._executor.submit(lambda: self.rgba_image(payload, px_per_module, bottom_up=bottom_up))
