"""QR codes: every payload decodes to its exact text, as UTF-8 without ECI, at a scannable size."""
from __future__ import annotations

import threading

import pytest
import zxingcpp
from handofflib import BASE, SERVICE_ID

from kiosk.handoff import payloads as p
from kiosk.handoff import links
from kiosk.handoff import qr
from kiosk.lru import Lru


def decode(image):
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(found) == 1, "exactly one QR code"
    return found[0]


def all_payloads(detail):
    return [c.payload for c in p.service_choices(detail, "sq", BASE)] + [
        links.short_code(SERVICE_ID), links.geo_uri(41.1125, 20.0822), "tel:112"]


def test_every_payload_round_trips_exactly(detail):
    payloads = all_payloads(detail)
    assert any("ë" in x and "Ç" in x for x in payloads)
    for payload in payloads:
        result = decode(qr.render(payload, qr.MIN_PX_PER_MODULE))
        assert result.text == payload
        assert result.bytes == payload.encode("utf-8")      # UTF-8 bytes, nothing added
        assert result.symbology_identifier == "]Q1"          # ]Q2 would mean an ECI is present
        assert result.ec_level == "M"
        assert result.content_type == zxingcpp.ContentType.Text


def test_capital_e_diaeresis_and_c_cedilla_survive():
    text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:ËSHTË Çdo ç ë\r\nEND:VCARD\r\n"
    result = decode(qr.render(text, 4))
    assert result.text == text and result.symbology_identifier == "]Q1"
    hex_eci = zxingcpp.read_barcodes(qr.render(text, 4), text_mode=zxingcpp.TextMode.HexECI)[0].text
    assert hex_eci.startswith("5D 51 31 ")  # "]Q1": no ECI designator in the stream
    assert "C3 8B" in hex_eci  # Ë as UTF-8


def test_quiet_zone_and_whole_pixels():
    matrix = qr.make_matrix("tel:+35554123456")
    n = matrix.size
    assert n == 21 + 4 * (matrix.version - 1) + 2 * qr.QUIET_ZONE
    for i in range(qr.QUIET_ZONE):
        assert not any(matrix.rows[i]) and not any(matrix.rows[n - 1 - i])
        assert not any(row[i] or row[n - 1 - i] for row in matrix.rows)
    image = qr.render("tel:+35554123456", 5)
    assert image.size == (n * 5, n * 5)
    assert set(image.tobytes()) == {0, 255}  # crisp modules, no grey edges
    with pytest.raises(ValueError):
        qr.render("x", 2.5)


def test_short_code_uses_alphanumeric_mode():
    # 17 upper-case characters fit version 1 only in alphanumeric mode at level M.
    assert qr.make_matrix("ELB-3F2B8C1E-7A9D").version == 1


def test_module_size_for_forty_centimetres():
    pitch = qr.DEFAULT_PIXEL_PITCH_MM  # 96 dpi, 0.265 mm
    # A service link: version 5, 45 modules with the quiet zone: 6 px, ~71 mm.
    link = qr.make_matrix(f"{BASE}/services/{SERVICE_ID}")
    k = qr.px_per_module(link.size)
    assert k == 6 and 60 <= k * link.size * pitch <= 80
    # A long vCard never goes under 4 px (1.06 mm) per module, even if it grows past 80 mm.
    assert qr.px_per_module(77) == 4
    assert qr.px_per_module(77, max_side_px=200) == 4
    # A denser screen needs more pixels for the same millimetre: 0.18 mm pitch -> 6 px.
    assert qr.px_per_module(77, pitch_mm=0.18) == 6
    assert qr.px_per_module(29, pitch_mm=qr.pixel_pitch_mm(96), max_side_px=200) == 6
    for modules in range(21, 190, 4):
        k = qr.px_per_module(modules)
        assert k >= 4 and k * pitch >= qr.MIN_MODULE_MM
    assert qr.printer_dots_per_module(203) == 8 and qr.printer_dots_per_module(180) == 7


def test_cache_returns_the_same_bytes_and_is_thread_safe():
    codes = qr.QrCodes()
    cache = codes.cache
    first = codes.png_bytes("tel:+35554123456", 4)
    again = codes.png_bytes("tel:+35554123456", 4)
    assert first is again and cache.hits == 1 and cache.misses == 1
    assert first.startswith(b"\x89PNG")
    results, errors = [], []

    def work(i):
        try:
            results.append(codes.rgba_image(f"tel:+3555412345{i % 4}", 4))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
    threads = [threading.Thread(target=work, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(results) == 16
    assert all(len(r.rgba) == r.width * r.height * 4 for r in results)


def test_cache_is_bounded():
    small = Lru(maxsize=2)
    for i in range(5):
        small.get_or_make((i,), lambda: i)
    assert len(small) == 2


def test_rgba_bottom_up_for_kivy_textures():
    codes = qr.QrCodes()
    top = codes.rgba_image("tel:112", 4)
    bottom = codes.rgba_image("tel:112", 4, bottom_up=True)
    row = top.width * 4
    assert bottom.rgba[:row] == top.rgba[-row:] and bottom.bottom_up


def test_render_async():
    future = qr.QrCodes().render_async("tel:+35554123456", 4)
    image = future.result(timeout=5)
    assert image.bottom_up and image.width == image.height
