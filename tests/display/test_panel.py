"""The panel's size in pixels and millimetres: EDID, xrandr, wayland-info, the config override."""
from __future__ import annotations

import math

import pytest

from kiosk import display
from displaylib import have, xvfb


def make_edid(width_mm: int, height_mm: int, width_px: int, height_px: int,
              cm: tuple[int, int] | None = None) -> bytes:
    """A 128-byte EDID 1.4 block with one detailed timing (the preferred mode) and a checksum."""
    block = bytearray(128)
    block[:8] = display.EDID_HEADER
    block[18], block[19] = 1, 4
    cm = cm or (round(width_mm / 10), round(height_mm / 10))
    block[21], block[22] = cm
    dtd = bytearray(18)
    dtd[0], dtd[1] = 0x10, 0x27                        # 100 MHz pixel clock
    dtd[2], dtd[4] = width_px & 0xFF, (width_px >> 8) << 4
    dtd[5], dtd[7] = height_px & 0xFF, (height_px >> 8) << 4
    dtd[12], dtd[13] = width_mm & 0xFF, height_mm & 0xFF
    dtd[14] = ((width_mm >> 8) << 4) | (height_mm >> 8)
    block[54:72] = dtd
    block[127] = (-sum(block[:127])) % 256
    return bytes(block)


def test_edid_gives_millimetres_and_preferred_mode():
    # the Raspberry Pi 7" Touch Display: 155 x 86 mm, 800 x 480
    edid = display.parse_edid(make_edid(155, 86, 800, 480))
    assert edid == display.Edid(155.0, 86.0, 800, 480)
    # a 32" 4K panel: 698 x 393 mm needs the high nibbles
    edid = display.parse_edid(make_edid(698, 393, 3840, 2160))
    assert (edid.width_mm, edid.height_mm, edid.width_px, edid.height_px) == (698, 393, 3840, 2160)


def test_edid_falls_back_to_centimetres_and_refuses_broken_blocks():
    data = bytearray(make_edid(0, 0, 1280, 800, cm=(22, 14)))
    data[127] = (-sum(data[:127])) % 256
    assert display.parse_edid(bytes(data)) == display.Edid(220.0, 140.0, 1280, 800)
    assert display.parse_edid(make_edid(0, 0, 1920, 1080, cm=(0, 0))) is None   # a projector
    bad = bytearray(make_edid(155, 86, 800, 480))
    bad[60] ^= 1
    assert display.parse_edid(bytes(bad)) is None                                # checksum
    assert display.parse_edid(b"\0" * 128) is None
    assert display.parse_edid(b"") is None


def test_drm_connectors(tmp_path):
    card = tmp_path / "card0-HDMI-A-1"
    card.mkdir()
    (card / "status").write_text("connected\n")
    (card / "edid").write_bytes(make_edid(217, 136, 1280, 800))
    (card / "modes").write_text("1280x800\n1024x768\n")
    off = tmp_path / "card0-DSI-1"
    off.mkdir()
    (off / "status").write_text("disconnected\n")
    (off / "edid").write_bytes(b"")
    (off / "modes").write_text("")
    panels = display.drm_panels(tmp_path)
    assert [p.source for p in panels] == ["edid:card0-HDMI-A-1"]
    panel = panels[0]
    assert round(panel.diagonal_inches, 1) == 10.1
    assert round(panel.dpi) == 150


XRANDR = """Screen 0: minimum 320 x 200, current 3200 x 1080, maximum 16384 x 16384
HDMI-1 connected 1280x1080+1920+0 (normal left inverted right x axis y axis) 0mm x 0mm
DP-1 connected primary 1920x1080+0+0 (normal left inverted right x axis y axis) 527mm x 296mm
   1920x1080     60.00*+
VGA-1 disconnected (normal left inverted right x axis y axis)
"""


def test_xrandr_primary_first_and_fake_sizes_refused():
    panels = display.parse_xrandr(XRANDR)
    assert [(p.name, p.source) for p in panels] == [("DP-1", "xrandr:DP-1"), ("HDMI-1", "assumed")]
    assert round(panels[0].diagonal_inches) == 24
    assert panels[1].dpi == pytest.approx(display.ASSUMED_DPI)


WAYLAND_INFO = """interface: 'wl_output',                                  version:  3, name: 13
	x: 0, y: 0, scale: 1,
	physical_width: 1280 mm, physical_height: 800 mm,
	make: 'weston', model: 'headless',
	subpixel_orientation: unknown, output_transform: normal,
	mode:
		width: 1280 px, height: 800 px, refresh: 60.000 Hz,
		flags: current preferred
interface: 'wl_output',                                  version:  4, name: 14
	x: 1280, y: 0, scale: 1,
	physical_width: 155 mm, physical_height: 86 mm,
	make: 'RPI', model: 'Touch Display',
	mode:
		width: 800 px, height: 480 px, refresh: 60.000 Hz,
		flags: current preferred
"""


def test_wayland_info_outputs():
    headless, touch = display.parse_wayland_info(WAYLAND_INFO)
    assert headless.source == "assumed"              # weston's headless output: 1 mm a pixel
    assert (touch.source, touch.width_mm, touch.height_px) == ("wayland", 155.0, 480)
    assert round(touch.diagonal_inches, 1) == 7.0


def test_config_diagonal_wins_and_touch_targets_keep_their_millimetres(tmp_path):
    small = display.from_diagonal(800, 480, 7.0)
    big = display.from_diagonal(3840, 2160, 32.0)
    for panel in (small, big):
        assert display.px_for_mm(panel, 12) * panel.mm_per_px == pytest.approx(12)
    assert display.px_for_mm(small) == pytest.approx(12 / 25.4 * math.hypot(800, 480) / 7)
    assert display.mm_scale(big) == pytest.approx(big.dpi / display.DESIGN_DPI)


def test_probe_on_a_virtual_screen(tmp_path):
    if have("Xvfb", "xrandr"):
        pytest.skip("needs Xvfb and xrandr (packages xvfb, x11-xserver-utils)")
    with xvfb(1280, 800) as disp:
        env = {"DISPLAY": disp, "PATH": "/usr/bin:/bin"}
        assert display.screen_pixels(env) == (0, 0, 1280, 800)
        assert display._x11_root_size(disp) == (0, 0, 1280, 800)
        found = display.probe(env=env, drm_root=tmp_path)
        assert (found.width_px, found.height_px, found.source) == (1280, 800, "assumed")
        told = display.probe(10.1, env=env, drm_root=tmp_path)
        assert told.source == "config" and round(told.diagonal_inches, 2) == 10.1
        # a box without xrandr (or one too busy for it to answer in time) asks the X screen itself
        bare = display.probe(env={"DISPLAY": disp, "PATH": str(tmp_path)}, drm_root=tmp_path)
        assert (bare.width_px, bare.height_px, bare.source) == (1280, 800, "assumed")
    assert display.probe(env={}, drm_root=tmp_path) is None


def test_sizing_keeps_millimetres_and_a_12_mm_target():
    """The same 12 mm on a 7" panel and a 32" one; true millimetres where the window holds the
    layout, shrunk to fit a small one, never under the minimum density."""
    seven = display.sizing(display.from_diagonal(800, 480, 7.0))
    big = display.sizing(display.from_diagonal(3840, 2160, 32.0))
    for s in (seven, big):
        assert round(s.mm(s.min_target_px), 6) == display.TOUCH_TARGET_MM
    assert round(seven.min_target_px) == 63 and round(big.min_target_px) == 65
    assert big.density == round(display.mm_scale(big.panel), 3) and not big.fit_limited
    assert seven.density == 0.625 and seven.fit_limited          # 800x480 holds 1280x720 dp at 0.625
    portrait = display.sizing(display.from_diagonal(720, 1280, 7.0))
    assert portrait.density == 1.0                               # measured against 720x1280 dp
    totem = display.sizing(display.from_diagonal(1080, 1920, 43.0))
    assert totem.density == display.MIN_DENSITY
    window = display.sizing(display.assumed(1920, 1080), (1280, 800))
    assert window.density == 1.0 and window.window_px == (1280, 800)
    assert display.describe(seven)["target_mm"] == 12.0


def test_assumed_panel_for_a_picture():
    assert display.assumed_panel(800, 480).source == "table"
    assert round(display.assumed_panel(800, 480).diagonal_inches, 2) == 7.0
    assert round(display.assumed_panel(1280, 800, 15.6).diagonal_inches, 2) == 15.6
    assert display.assumed_panel(1000, 1000).source == "assumed"
