"""``render_all`` draws real screens to PNG files (in a process of its own: one Kivy app each).

The pictures of the QR code choices are read back with zxing-cpp, as a phone would read them.
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.ui

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent("""
    import sys
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    from factories import make_feed
    from kiosk.catalogue.store import Catalogue
    from kiosk.config import Config
    from kiosk.pin import hash_pin
    from kiosk.app import screenshot_app
    from kiosk.ui.screenshots import DANGER, FULL, QR_SCREENS, Variant, render_all

    data = Path({data!r})
    catalogue = Catalogue(data / "catalogue.sqlite3")
    catalogue.create_schema()
    catalogue.load(make_feed(), source="test")
    config = Config.model_validate({{"kiosk": {{"data_dir": str(data), "database": str(data / "catalogue.sqlite3")}},
                                    "staff": {{"pin_hash": hash_pin("1234")}}}})
    files = render_all(screenshot_app(config, catalogue=catalogue), Path({out!r}),
                       variants=[Variant("sq", screens=FULL + QR_SCREENS + DANGER),
                                 Variant("en", contrast=True, screens=("home", "service")),
                                 Variant("en", screens=QR_SCREENS),
                                 Variant("sq", size=(1080, 1920), suffix="portrait", screens=("home",))])
    print("\\n".join(str(f) for f in files))
""")


QR_KINDS = ("contact", "link", "call", "directions")
QR_FILES = {f"service-qr-{kind}-{lang}.png": (kind, lang) for lang in ("sq", "en") for kind in QR_KINDS}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The screenshots of the SCRIPT above: (output directory, files, data directory)."""
    base = tmp_path_factory.mktemp("screenshots")
    out = base / "shots"
    data = base / "data"
    data.mkdir()
    script = SCRIPT.format(tests=str(ROOT / "tests"), data=str(data), out=str(out))
    env = dict(os.environ, KIVY_NO_ARGS="1")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    files = sorted(Path(line) for line in result.stdout.split() if line.endswith(".png"))
    return out, files, data


def test_render_all_writes_every_screen(rendered):
    from PIL import Image

    out, files, _data = rendered
    names = {f.name for f in files}
    assert names == {
        "welcome-sq.png", "home-sq.png", "category-sq.png", "service-sq.png", "organization-sq.png",
        "search-sq.png", "idle-sq.png", "staff-pin-sq.png", "staff-sq.png",
        "home-en-contrast.png", "service-en-contrast.png", "home-sq-portrait.png",
        "urgent-sq.png", "service-sensitive-sq.png",
    } | set(QR_FILES)
    for f in files:
        image = Image.open(f)
        expected = (1080, 1920) if "portrait" in f.name else (1920, 1080)
        assert image.size == expected, f.name
        colours = image.convert("RGB").resize((64, 36)).getcolors(64 * 36)
        assert colours is not None and len(colours) > 8, f"{f.name} looks blank"
    # high contrast means a black page
    contrast = Image.open(out / "home-en-contrast.png").convert("RGB")
    assert contrast.getpixel((contrast.width // 2, contrast.height - 5)) == (0, 0, 0)
    normal = Image.open(out / "home-sq.png").convert("RGB")
    assert normal.getpixel((normal.width // 2, normal.height - 5)) != (0, 0, 0)


def test_each_qr_picture_scans_to_the_exact_payload(rendered):
    """One picture per choice and language; the code on it reads back exactly, ë and ç included."""
    import zxingcpp
    from PIL import Image

    from kiosk.catalogue.store import Catalogue
    from kiosk.handoff.payloads import service_choices
    from kiosk.reads import Reads
    from kiosk.ui.screenshots import FIXED_NOW, PUBLIC_BASE_URL

    out, _files, data = rendered
    decoded = {}
    for name, (kind, lang) in QR_FILES.items():
        results = zxingcpp.read_barcodes(Image.open(out / name).convert("RGB"))
        assert len(results) == 1, f"{name}: {len(results)} codes"
        assert results[0].format == zxingcpp.BarcodeFormat.QRCode
        decoded[name] = results[0].text
    # every picture shows the same service, the one the link names
    link = decoded["service-qr-link-sq.png"]
    assert link.startswith(f"{PUBLIC_BASE_URL}/services/")
    service_id = link.rsplit("/", 1)[1]
    catalogue = Catalogue(data / "catalogue.sqlite3")
    services = Reads(catalogue, now=lambda: FIXED_NOW)
    try:
        for lang in ("sq", "en"):
            detail = services.service(service_id, lang)
            expected = {c.kind: c.payload for c in service_choices(detail, lang, PUBLIC_BASE_URL)}
            for kind in QR_KINDS:
                assert decoded[f"service-qr-{kind}-{lang}.png"] == expected[kind], (kind, lang)
            contact = decoded[f"service-qr-contact-{lang}.png"]
            assert contact.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n")
            assert f"\r\nNOTE:{detail.name}\r\n" in contact
            assert "\r\nURL:https://" in contact
            assert decoded[f"service-qr-link-{lang}.png"] == f"{PUBLIC_BASE_URL}/services/{service_id}"
            assert decoded[f"service-qr-call-{lang}.png"].startswith("tel:+355")
            assert decoded[f"service-qr-directions-{lang}.png"].startswith(
                "https://www.openstreetmap.org/?mlat=41.")
        # Albanian letters arrive intact (UTF-8, no ECI): the provider, the service, the country
        sq = decoded["service-qr-contact-sq.png"]
        assert "ë" in sq and "Shqipëri" in sq, sq
    finally:
        services.close()
        catalogue.dispose()


def test_danger_pictures_call_the_urgent_line_and_save_a_discreet_contact(rendered):
    """Issue 14: the urgent-help picture's code calls the line; the sensitive service's "save
    contact" code carries the neutral title and neither the service's nor the provider's name."""
    import zxingcpp
    from PIL import Image

    out, _files, _data = rendered
    calls = [r.text for r in zxingcpp.read_barcodes(Image.open(out / "urgent-sq.png").convert("RGB"))]
    assert calls == ["tel:+35554111222"]
    codes = zxingcpp.read_barcodes(Image.open(out / "service-sensitive-sq.png").convert("RGB"))
    assert len(codes) == 1
    vcard = codes[0].text
    assert vcard.startswith("BEGIN:VCARD\r\n") and "\r\nFN:Mbështetje\r\n" in vcard
    for secret in ("Strehëz nate", "Night shelter", "Qendra Sociale", "NOTE:"):
        assert secret not in vcard, secret
