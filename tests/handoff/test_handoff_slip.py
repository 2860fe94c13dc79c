"""The slip as ESC/POS bytes (code page, Albanian letters, QR, cut) and as a PNG preview."""
from __future__ import annotations

import io

import pytest
import zxingcpp
from escpos.capabilities import Profile, get_profile_class
from escpos.printer import Dummy
from PIL import Image
from handofflib import BASE, SERVICE_ID, make_detail

from factories import uid
from kiosk.catalogue import queries
from kiosk.handoff import in_lang
from kiosk.handoff import links
from kiosk.handoff import slip as s
from kiosk.handoff import slip_escpos as escpos_out
from kiosk.handoff import slip_picture as picture

ESC_INIT = b"\x1b@"
GS_QR = b"\x1d(k"
GS_RASTER = b"\x1dv0"
CUT_PARTIAL = b"\x1dV\x01"
LINK = f"{BASE}/services/{SERVICE_ID}"


def slip_for(detail=None, lang="sq", now=None, base=BASE, **kw):
    return s.build_slip(detail or make_detail(), lang, now, public_base_url=base, **kw)


def profile_without(pages=None, features=None):
    """A profile like the default one with other code pages and features."""
    data = dict(get_profile_class("default").profile_data)
    data["codePages"] = pages or {"0": "CP437"}

    class Custom(Profile):
        profile_data = data
    return Custom(features=features or {"bitImageRaster": True, "paperPartCut": True, "paperFullCut": True})


def test_slip_content(now):
    slip = slip_for(now=now, lang="en", centre_name="Qendra e Informacionit")
    text = slip.text()
    for part in ("Qendra e Informacionit", "Çerdhe e Bashkisë", 'Shoqata "Ndihmë", Çdo ditë; falas',
                 "054 123 456 (Sporteli)", "Rruga Korçë 5, 3001 Elbasan", "Today: 08:00–16:00",
                 "Thursday: 08:00–16:00", "Sunday: Closed", "[ ] Kartë identiteti",
                 "[ ] ËSHTË e detyrueshme: çertifikatë", f"[QR {LINK}]", "Kiosk code: ELB-3F2B8C1E-7A9D",
                 "Printed on November 12, 2026 at 10:30", "Call before you go."):
        assert part in text, part
    assert slip.qr_payload == LINK and slip.code == "ELB-3F2B8C1E-7A9D"
    # Labels are in the visitor's language, whatever the current language is.
    sq = slip_for(now=now, lang="sq").text()
    assert in_lang("sq", s.M_DOCUMENTS) in sq and "E enjte" in sq and "12 nëntor 2026" in sq


def test_without_public_url_the_qr_carries_the_short_code(now):
    slip = slip_for(now=now, base=None)
    assert slip.qr_payload == "ELB-3F2B8C1E-7A9D"


def test_code_page_cp858_and_the_bytes_of_albanian_letters(now):
    data = s.slip_bytes(slip_for(now=now), "default")
    assert data.startswith(ESC_INIT + b"\x1bt\x13")  # ESC t 19: CP858 in the default profile
    assert data.count(b"\x1bt") == 1                  # chosen once, never switched
    assert "Çerdhe e Bashkisë".encode("cp858") == b"\x80erdhe e Bashkis\x89"
    assert b"\x80erdhe e Bashkis\x89" in data          # Ç 0x80, ë 0x89
    assert b"\xd3SHT\xd3 e detyrueshme: \x87ertifikat\x89" in data  # Ë 0xD3, ç 0x87
    assert b"Kart\x89 identiteti" in data
    assert b"\xc3" not in data and b"?" not in data.replace(b"?next", b"")  # no UTF-8, no "?"


def test_code_page_cp1252_when_the_profile_has_no_cp858(now):
    data = s.slip_bytes(slip_for(now=now), "ZJ-5870")   # CP1252 at 16, no CP858
    assert data.startswith(ESC_INIT + b"\x1bt\x10")
    assert b"\xc7erdhe e Bashkis\xeb" in data           # Ç 0xC7, ë 0xEB
    assert b"\xcbSHT\xcb e detyrueshme:" in data and b"\xe7ertifikat\xeb" in data  # Ë 0xCB, ç 0xE7
    assert b"08:00\x9616:00" in data                    # CP1252 has the en dash


def test_choose_code_page_order():
    assert escpos_out.choose_code_page(Dummy(profile="default")) == "CP858"
    assert escpos_out.choose_code_page(Dummy(profile="ZJ-5870")) == "CP1252"
    assert escpos_out.choose_code_page(Dummy(profile=profile_without({"0": "CP437", "2": "CP850"}))) == "CP850"
    assert escpos_out.choose_code_page(Dummy(profile=profile_without())) is None  # CP437 has no Ë


def test_characters_outside_the_code_page(now):
    detail = make_detail(documents=("Vërtetim – “origjinal”", "Ωmega"))
    data = s.slip_bytes(slip_for(detail, now=now), "default")
    assert b"V\x89rtetim - \"origjinal\"" in data        # look-alikes where the page lacks them
    assert b"08:00-16:00" in data                        # CP858 has no en dash
    assert data.count(GS_RASTER) == 1                    # the one line with Ω went as a picture
    assert "Ω".encode("utf-8") not in data and b"?mega" not in data


def test_whole_slip_as_picture_without_a_suitable_code_page(now):
    printer = Dummy(profile=profile_without())
    page = escpos_out.render_escpos(slip_for(now=now), printer)
    data = printer.output
    assert page is None
    assert b"\x1bt" not in data and GS_RASTER in data and data.endswith(CUT_PARTIAL)
    assert b"erdhe" not in data  # no text at all: every letter is drawn


def test_ascii_last_resort_without_pictures_or_letters(now):
    printer = Dummy(profile=profile_without(features={"paperPartCut": True}))
    escpos_out.render_escpos(slip_for(now=now), printer)
    assert b"Cerdhe e Bashkise" in printer.output and b"?" not in printer.output.replace(b"?mega", b"")


def test_native_qr_command(now):
    data = s.slip_bytes(slip_for(now=now), "default")
    payload = LINK.encode("utf-8")
    store = GS_QR + (len(payload) + 3).to_bytes(2, "little") + b"1P0" + payload
    assert store in data
    assert GS_QR + b"\x03\x001E1" in data            # error correction M
    assert GS_QR + b"\x03\x001C\x08" in data         # 8 dots per module: 1 mm at 203 dpi
    assert GS_QR + b"\x03\x001Q0" in data            # print the symbol
    assert GS_RASTER not in data


def test_qr_as_picture_when_the_printer_cannot_draw_one(now):
    data = s.slip_bytes(slip_for(now=now), "ZJ-5870")  # no qrCode feature, raster images yes
    assert GS_QR not in data and GS_RASTER in data


def test_cut_at_the_end(now):
    data = s.slip_bytes(slip_for(now=now), "default")
    assert data.endswith(b"\x1bd\x06" + CUT_PARTIAL)  # feed, then partial cut (GS V 1)
    assert data.count(b"\x1dV") == 1


def test_png_preview_decodes(tmp_path, now):
    out = tmp_path / "slip.bin"
    png = tmp_path / "slip.png"
    data = s.write_slip(make_detail(), out, png, "sq", now, "default", public_base_url=BASE)
    assert out.read_bytes() == data == s.slip_bytes(slip_for(now=now), "default")
    image = Image.open(png)
    assert image.width == s.PREVIEW_WIDTH
    found = zxingcpp.read_barcodes(image)
    assert [b.text for b in found] == [LINK] and found[0].symbology_identifier == "]Q1"
    s.write_slip(make_detail(), out, png, "sq", now, "default")  # no public URL: the short code
    assert [b.text for b in zxingcpp.read_barcodes(Image.open(png))] == ["ELB-3F2B8C1E-7A9D"]


def test_slip_from_the_catalogue(session, tmp_path, now):
    detail = queries.service_detail(session, uid("svc:nursery"), "sq", now)
    data = s.write_slip(detail, tmp_path / "n.bin", tmp_path / "n.png", "sq", now, "TM-T20II",
                        public_base_url=BASE)
    assert b"\x80erdhe e Bashkis\x89" in data
    assert b"Pushim dreke 12:00-12:30" in data
    found = zxingcpp.read_barcodes(Image.open(tmp_path / "n.png"))
    assert [b.text for b in found] == [f"{BASE}/services/{uid('svc:nursery')}"]


def test_test_slip_has_every_letter(now):
    detail = s.test_detail("sq", now)
    data = s.slip_bytes(s.build_slip(detail, "sq", now), "default")
    assert b"\x89 \xd3 \x87 \x80" in data  # "ë Ë ç Ç" in CP858
    image = picture.render_image(s.build_slip(detail, "sq", now))
    assert zxingcpp.read_barcodes(image)[0].text == links.short_code(detail.id)


@pytest.mark.parametrize("status, expect", [("temporarily closed", "Temporarily closed")])
def test_temporarily_closed(status, expect, now):
    slip = slip_for(make_detail(status=status, alert="Mbyllur më 28 nëntor"), lang="en", now=now)
    assert expect in slip.text() and "Mbyllur më 28 nëntor" in slip.text()
    assert "Today:" not in slip.text()


def test_preview_bytes_are_a_png(now):
    buf = io.BytesIO()
    picture.render_image(slip_for(now=now)).save(buf, format="PNG")
    assert buf.getvalue().startswith(b"\x89PNG")


def test_the_slip_writes_each_phones_kind_and_extension(now):
    from kiosk.catalogue.cards import PhoneInfo

    detail = make_detail(phones=(PhoneInfo("+355 54 400 100", "voice", "Recepsioni", "204"),
                                 PhoneInfo("054 400 101", "fax", "")), org_phones=())
    sq = s.build_slip(detail, "sq", now).text().splitlines()
    assert "+355 54 400 100, zgjatimi 204 (Recepsioni)" in sq and "Faks: 054 400 101" in sq
    en = s.build_slip(detail, "en", now).text().splitlines()
    assert "+355 54 400 100, ext. 204 (Recepsioni)" in en and "Fax: 054 400 101" in en


def test_the_slip_labels_a_postal_address_after_the_place(now):
    from dataclasses import replace

    detail = make_detail()
    detail = replace(detail, locations=(replace(detail.locations[0], postal_lines=("Kutia Postare 12", "3001 Elbasan")),))
    lines = s.build_slip(detail, "sq", now).text().splitlines()
    at = lines.index("Adresa postare")
    assert lines[at + 1] == "Kutia Postare 12, 3001 Elbasan"
    assert lines.index("Rruga Korçë 5, 3001 Elbasan") < at
    assert "Postal address" in s.build_slip(detail, "en", now).text()
