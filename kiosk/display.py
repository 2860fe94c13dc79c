"""The panel the kiosk draws on: its size in pixels and in millimetres, found without Kivy.

Sources, most trusted first: ``[display] diagonal_inches`` from the configuration (for a panel
that lies), the EDID of a connected DRM connector (``/sys/class/drm/*/edid``), the X server's
RandR outputs (``xrandr --query``), the Wayland compositor's ``wl_output`` (``wayland-info`` or
``weston-info``). Virtual screens report made-up sizes (Xvfb 0 mm, weston's headless output one
millimetre per pixel); those are refused, and the kiosk then assumes :data:`ASSUMED_DPI`.

:func:`px_for_mm` turns a physical length (a 12 mm touch target) into pixels on that panel, and
:func:`mm_scale` gives the factor to apply to sizes designed for :data:`DESIGN_DPI`.
"""
from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Optional

MM_PER_INCH = 25.4
#: what the kiosk assumes when no source gives a believable physical size (a desktop monitor)
ASSUMED_DPI = 96.0
#: the density the theme's sizes were drawn for (a 1080p 21.5" monitor, about 102 dpi)
DESIGN_DPI = 96.0
#: outside this range a reported size is a virtual screen's invention, not a panel
PLAUSIBLE_DPI = (40.0, 700.0)
TOUCH_TARGET_MM = 12.0
DRM_DIR = Path("/sys/class/drm")
PROBE_TIMEOUT = 3.0
EDID_HEADER = bytes.fromhex("00ffffffffffff00")


@dataclass(frozen=True)
class Panel:
    """A screen's size: ``width_px`` x ``height_px`` over ``width_mm`` x ``height_mm``."""

    width_px: int
    height_px: int
    width_mm: float
    height_mm: float
    source: str          # "config", "edid:card0-HDMI-A-1", "xrandr:HDMI-1", "wayland", "assumed"
    name: str = ""

    @property
    def dpi(self) -> float:
        diagonal_px = math.hypot(self.width_px, self.height_px)
        return diagonal_px / (self.diagonal_mm / MM_PER_INCH)

    @property
    def diagonal_mm(self) -> float:
        return math.hypot(self.width_mm, self.height_mm)

    @property
    def diagonal_inches(self) -> float:
        return self.diagonal_mm / MM_PER_INCH

    @property
    def mm_per_px(self) -> float:
        return MM_PER_INCH / self.dpi

    @property
    def measured(self) -> bool:
        """Whether the millimetres come from the panel or the config rather than a guess."""
        return self.source != "assumed"


def from_diagonal(width_px: int, height_px: int, diagonal_inches: float, source: str = "config",
                  name: str = "") -> Panel:
    """A panel of square pixels whose diagonal is ``diagonal_inches``."""
    diagonal_px = math.hypot(width_px, height_px)
    mm_per_px = diagonal_inches * MM_PER_INCH / diagonal_px
    return Panel(width_px, height_px, width_px * mm_per_px, height_px * mm_per_px, source, name)


def assumed(width_px: int, height_px: int, name: str = "") -> Panel:
    mm_per_px = MM_PER_INCH / ASSUMED_DPI
    return Panel(width_px, height_px, width_px * mm_per_px, height_px * mm_per_px, "assumed", name)


def plausible(width_px: int, height_px: int, width_mm: float, height_mm: float) -> bool:
    """Whether a reported physical size can be a real panel's (not 0 mm, not 1 mm a pixel)."""
    if width_px <= 0 or height_px <= 0 or width_mm <= 0 or height_mm <= 0:
        return False
    if (width_mm, height_mm) == (width_px, height_px):
        return False
    dpi = math.hypot(width_px, height_px) / (math.hypot(width_mm, height_mm) / MM_PER_INCH)
    return PLAUSIBLE_DPI[0] <= dpi <= PLAUSIBLE_DPI[1]


def px_for_mm(panel: Panel, mm: float = TOUCH_TARGET_MM) -> float:
    """How many pixels make ``mm`` millimetres on ``panel``."""
    return mm / panel.mm_per_px


def mm_scale(panel: Panel) -> float:
    """The factor for sizes designed at :data:`DESIGN_DPI`, so that they keep their millimetres."""
    return panel.dpi / DESIGN_DPI


# ------------------------------------------------------------------ sizing the UI

#: the smallest window, in design pixels (density 1), the layout was drawn to fill (landscape;
#: a portrait window is measured against it turned)
FIT_PX = (1280, 720)
#: no smaller than this density, whatever the panel: below it body text would be under 14 px
MIN_DENSITY = 0.6

#: panels people install, with the diagonal assumed for each size when nothing reports it
#: (``kiosk screenshots --size WxH`` and the physical-size figures in the README)
KNOWN_PANELS = {
    (800, 480): 7.0, (1024, 600): 7.0, (1280, 720): 7.0, (1280, 800): 10.1, (1366, 768): 15.6,
    (1920, 1080): 21.5, (3840, 2160): 32.0, (720, 1280): 7.0, (1080, 1920): 43.0,
}


@dataclass(frozen=True)
class Sizing:
    """How the kiosk draws on a panel: Kivy's density (the ``dp`` factor) and the pixels of the
    smallest touch target, which is never under :data:`TOUCH_TARGET_MM`."""

    panel: Panel
    window_px: tuple[int, int]
    density: float
    min_target_px: float

    def mm(self, px: float) -> float:
        return px * self.panel.mm_per_px

    @property
    def fit_limited(self) -> bool:
        """True when the window is too small for true millimetres and the layout is shrunk to
        fit it (targets still at least 12 mm)."""
        return self.density < mm_scale(self.panel) - 0.01


def fit_density(width_px: int, height_px: int) -> float:
    """The largest density at which the layout still fits a ``width_px`` x ``height_px`` window."""
    fit_w, fit_h = FIT_PX if width_px >= height_px else FIT_PX[::-1]
    return min(width_px / fit_w, height_px / fit_h)


def sizing(panel: Panel, window_px: Optional[tuple[int, int]] = None) -> Sizing:
    """True millimetres on ``panel`` (sizes designed at :data:`DESIGN_DPI` keep their physical
    size), shrunk only when ``window_px`` (default: the whole panel) is too small to hold the
    layout; the smallest touch target stays :data:`TOUCH_TARGET_MM` either way."""
    width, height = window_px or (panel.width_px, panel.height_px)
    density = max(MIN_DENSITY, min(mm_scale(panel), fit_density(width, height)))
    return Sizing(panel, (int(width), int(height)), round(density, 3), px_for_mm(panel))


def assumed_panel(width_px: int, height_px: int, diagonal_inches: Optional[float] = None) -> Panel:
    """A panel of this size with the configured diagonal, else the one :data:`KNOWN_PANELS`
    gives that size, else :data:`ASSUMED_DPI` (for pictures drawn off any real screen)."""
    diagonal = diagonal_inches or KNOWN_PANELS.get((width_px, height_px))
    if diagonal:
        return from_diagonal(width_px, height_px, diagonal, "config" if diagonal_inches else "table")
    return assumed(width_px, height_px)


def describe(s: Sizing) -> dict[str, float | str]:
    """The figures ``kiosk info`` and the README print for a sizing."""
    p = s.panel
    return {"width_px": p.width_px, "height_px": p.height_px, "diagonal_inches": round(p.diagonal_inches, 1),
            "dpi": round(p.dpi), "source": p.source, "density": s.density,
            "target_px": round(s.min_target_px), "target_mm": round(s.mm(s.min_target_px), 1)}


# ------------------------------------------------------------------ EDID


@dataclass(frozen=True)
class Edid:
    width_mm: float
    height_mm: float
    width_px: int = 0        # the preferred mode, from the first detailed timing
    height_px: int = 0


def parse_edid(data: bytes) -> Optional[Edid]:
    """The physical size (and preferred mode) in an EDID block, or None when it gives none.

    The first detailed timing descriptor (bytes 54-71) carries the image size in millimetres;
    bytes 21-22 carry it in centimetres, used when the descriptor has none. A block with a
    wrong header or checksum is refused.
    """
    if len(data) < 128 or data[:8] != EDID_HEADER or sum(data[:128]) % 256:
        return None
    width_px = height_px = 0
    width_mm = height_mm = 0.0
    dtd = data[54:72]
    if dtd[0] or dtd[1]:                       # a pixel clock: a timing, not a text descriptor
        width_px = dtd[2] | ((dtd[4] & 0xF0) << 4)
        height_px = dtd[5] | ((dtd[7] & 0xF0) << 4)
        width_mm = float(dtd[12] | ((dtd[14] & 0xF0) << 4))
        height_mm = float(dtd[13] | ((dtd[14] & 0x0F) << 8))
    if not (width_mm and height_mm) and data[21] and data[22]:
        width_mm, height_mm = data[21] * 10.0, data[22] * 10.0
    if not (width_mm and height_mm):
        return None                            # a projector, or only an aspect ratio
    return Edid(width_mm, height_mm, width_px, height_px)


def drm_panels(root: Path = DRM_DIR) -> list[Panel]:
    """Every connected DRM connector whose EDID gives a believable size."""
    panels = []
    for connector in sorted(root.glob("card*-*")):
        try:
            if (connector / "status").read_text().strip() != "connected":
                continue
            edid = parse_edid((connector / "edid").read_bytes())
            modes = (connector / "modes").read_text().split()
        except OSError:
            continue
        if edid is None:
            continue
        width_px, height_px = edid.width_px, edid.height_px
        if modes and re.fullmatch(r"\d+x\d+", modes[0]):
            width_px, height_px = (int(v) for v in modes[0].split("x"))
        if plausible(width_px, height_px, edid.width_mm, edid.height_mm):
            panels.append(Panel(width_px, height_px, edid.width_mm, edid.height_mm,
                                f"edid:{connector.name}", connector.name))
    return panels


# ------------------------------------------------------------------ X11 and Wayland

_XRANDR_OUTPUT = re.compile(
    r"^(?P<name>\S+) connected (?P<primary>primary )?(?P<w>\d+)x(?P<h>\d+)\+(?P<x>\d+)\+(?P<y>\d+)"
    r"(?:.*?(?P<wmm>\d+)mm x (?P<hmm>\d+)mm)?", re.MULTILINE)
_XRANDR_SCREEN = re.compile(r"^Screen \d+:.*current (\d+) x (\d+)", re.MULTILINE)


def parse_xrandr(text: str) -> list[Panel]:
    """The connected outputs of ``xrandr --query``, the primary first; sizes not believable are
    marked ``assumed``."""
    panels = []
    for m in _XRANDR_OUTPUT.finditer(text):
        w, h = int(m["w"]), int(m["h"])
        wmm, hmm = float(m["wmm"] or 0), float(m["hmm"] or 0)
        if plausible(w, h, wmm, hmm):
            panel = Panel(w, h, wmm, hmm, f"xrandr:{m['name']}", m["name"])
        else:
            panel = assumed(w, h, m["name"])
        panels.insert(0 if m["primary"] else len(panels), panel)
    if not panels:
        screen = _XRANDR_SCREEN.search(text)
        if screen:
            panels.append(assumed(int(screen[1]), int(screen[2]), "screen"))
    return panels


_WL_OUTPUT = re.compile(
    r"interface: 'wl_output'.*?physical_width: (?P<wmm>\d+) mm, physical_height: (?P<hmm>\d+) mm"
    r".*?model: '(?P<model>[^']*)'.*?width: (?P<w>\d+) px, height: (?P<h>\d+) px", re.DOTALL)


def parse_wayland_info(text: str) -> list[Panel]:
    """The outputs listed by ``wayland-info`` (or ``weston-info``)."""
    panels = []
    for block in re.split(r"(?=^interface: )", text, flags=re.MULTILINE):
        m = _WL_OUTPUT.search(block)
        if not m:
            continue
        w, h, wmm, hmm = int(m["w"]), int(m["h"]), float(m["wmm"]), float(m["hmm"])
        panels.append(Panel(w, h, wmm, hmm, "wayland", m["model"]) if plausible(w, h, wmm, hmm)
                      else assumed(w, h, m["model"]))
    return panels


def _run(argv: list[str], env: Mapping[str, str]) -> str:
    if shutil.which(argv[0], path=env.get("PATH")) is None:
        return ""
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=PROBE_TIMEOUT,
                              env=dict(env), check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout if done.returncode == 0 else ""


def session_panels(env: Mapping[str, str] | None = None) -> list[Panel]:
    """What the display server the kiosk will draw on reports (X11 first: Kivy draws there)."""
    env = os.environ if env is None else env
    if env.get("DISPLAY"):
        panels = parse_xrandr(_run(["xrandr", "--query"], env))
        if panels:
            return panels
        # xrandr not installed, or too slow to answer on a busy box: the X screen's own size
        root = _x11_root_size(env["DISPLAY"])
        if root:
            return [assumed(root[2], root[3], "screen")]
    if env.get("WAYLAND_DISPLAY"):
        for tool in ("wayland-info", "weston-info"):
            panels = parse_wayland_info(_run([tool], env))
            if panels:
                return panels
    return []


def _first_measured(panels: Iterable[Panel]) -> Optional[Panel]:
    return next((p for p in panels if p.measured), None)


def probe(diagonal_inches: Optional[float] = None, env: Mapping[str, str] | None = None,
          drm_root: Path = DRM_DIR) -> Optional[Panel]:
    """The panel the kiosk shows on, or None when no display server answers and no DRM
    connector is connected.

    Pixels come from the display server (the mode the kiosk really gets), millimetres from
    the config, else the EDID, else the display server, else :data:`ASSUMED_DPI`.
    """
    session = session_panels(env)
    drm = drm_panels(drm_root)
    screen = session[0] if session else (drm[0] if drm else None)
    if screen is None:
        return None
    if diagonal_inches:
        return from_diagonal(screen.width_px, screen.height_px, diagonal_inches, "config", screen.name)
    measured = _first_measured(drm) or _first_measured(session)
    if measured is None:
        return screen
    if measured.source.startswith("edid:") and measured is not screen:
        # the EDID's millimetres with the display server's pixels (a panel turned to portrait
        # reports its pixels turned too)
        portrait = (screen.height_px > screen.width_px) != (measured.height_px > measured.width_px)
        wmm, hmm = ((measured.height_mm, measured.width_mm) if portrait
                    else (measured.width_mm, measured.height_mm))
        return Panel(screen.width_px, screen.height_px, wmm, hmm, measured.source, screen.name)
    return measured


def configured_diagonal(config) -> Optional[float]:
    """``[display] diagonal_inches`` from the configuration, when the config has it set."""
    display = getattr(config, "display", None)
    value = getattr(display, "diagonal_inches", None)
    return float(value) if value else None


def screen_pixels(env: Mapping[str, str] | None = None) -> Optional[tuple[int, int, int, int]]:
    """``(x, y, width, height)`` of the X output the kiosk should fill (the primary first), for
    sizing the window before it opens; None when there is no X display to ask."""
    env = os.environ if env is None else env
    if not env.get("DISPLAY"):
        return None
    outputs = list(_XRANDR_OUTPUT.finditer(_run(["xrandr", "--query"], env)))
    outputs.sort(key=lambda m: not m["primary"])
    if outputs:
        m = outputs[0]
        return int(m["x"]), int(m["y"]), int(m["w"]), int(m["h"])
    return _x11_root_size(env["DISPLAY"])


def _libx11():
    """libX11 through ctypes, with the few functions used here typed; None when not installed."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("X11")
    if not name:
        return None
    x11 = ctypes.CDLL(name)
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XDefaultScreen.argtypes = x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    x11.XDefaultRootWindow.restype = ctypes.c_ulong
    x11.XDisplayWidth.argtypes = x11.XDisplayHeight.argtypes = [ctypes.c_void_p, ctypes.c_int]
    uint = ctypes.POINTER(ctypes.c_uint)
    x11.XGetGeometry.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(ctypes.c_ulong),
                                 ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_int),
                                 uint, uint, uint, uint]
    x11.XTranslateCoordinates.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong,
                                          ctypes.c_int, ctypes.c_int, ctypes.POINTER(ctypes.c_int),
                                          ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_ulong)]
    return x11


def _x11_root_size(display: str) -> Optional[tuple[int, int, int, int]]:
    """The X screen's size through libX11 itself (where xrandr is not installed)."""
    x11 = _libx11()
    handle = x11.XOpenDisplay(display.encode()) if x11 else None
    if not handle:
        return None
    try:
        screen = x11.XDefaultScreen(handle)
        return 0, 0, x11.XDisplayWidth(handle, screen), x11.XDisplayHeight(handle, screen)
    finally:
        x11.XCloseDisplay(handle)


def x11_window_geometry(window_id: int, env: Mapping[str, str] | None = None
                        ) -> Optional[tuple[int, int, int, int]]:
    """``(x, y, width, height)`` of X window ``window_id`` on the screen, as the X server has it
    (a window manager's frame moves a window without its client knowing: SDL still reports the
    position it asked for). None when there is no X display, libX11 or such a window."""
    import ctypes

    env = os.environ if env is None else env
    x11 = _libx11() if env.get("DISPLAY") and window_id else None
    handle = x11.XOpenDisplay(env["DISPLAY"].encode()) if x11 else None
    if not handle:
        return None
    # an X error (a window already gone) would call Xlib's default handler, which exits
    handler_type = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)
    ignore = handler_type(lambda _display, _event: 0)
    x11.XSetErrorHandler.restype = ctypes.c_void_p
    previous = x11.XSetErrorHandler(ignore)
    try:
        root = ctypes.c_ulong()
        x, y = ctypes.c_int(), ctypes.c_int()
        width, height, border, depth = (ctypes.c_uint() for _ in range(4))
        if not x11.XGetGeometry(handle, window_id, ctypes.byref(root), ctypes.byref(x), ctypes.byref(y),
                                ctypes.byref(width), ctypes.byref(height), ctypes.byref(border),
                                ctypes.byref(depth)):
            return None
        child = ctypes.c_ulong()
        if not x11.XTranslateCoordinates(handle, window_id, root.value, 0, 0, ctypes.byref(x),
                                         ctypes.byref(y), ctypes.byref(child)):
            return None
        return x.value, y.value, width.value, height.value
    finally:
        x11.XSetErrorHandler(previous)
        x11.XCloseDisplay(handle)
