"""For the tests that draw the real app at one panel size in a fresh Python (Kivy's density is
fixed once a widget exists): the test catalogue, a configuration and the screenshots app, and
where a widget and a label's text lie on the window."""
from __future__ import annotations

from pathlib import Path


def screenshot_app_at(data: Path, size: tuple[int, int]):
    """:func:`kiosk.app.screenshot_app` of ``size`` on tests/factories.py's catalogue in ``data``."""
    from factories import make_feed
    from kiosk.app import screenshot_app
    from kiosk.catalogue.store import Catalogue
    from kiosk.config import Config
    from kiosk.pin import hash_pin

    catalogue = Catalogue(data / "catalogue.sqlite3")
    catalogue.create_schema()
    catalogue.load(make_feed(), source="test")
    config = Config.model_validate({"kiosk": {"data_dir": str(data),
                                              "database": str(data / "catalogue.sqlite3")},
                                    "staff": {"pin_hash": hash_pin("1234")}})
    return screenshot_app(config, catalogue=catalogue, size=size)


def rect(widget) -> list[float]:
    """``widget``'s box in window coordinates: [x0, y0, x1, y1]."""
    x0, y0 = widget.to_window(widget.x, widget.y)
    return [x0, y0, x0 + widget.width, y0 + widget.height]


def text_rect(label) -> list[float]:
    """Where a Label draws its text: its texture, centred on the label."""
    label.texture_update()
    tw, th = label.texture_size
    cx, cy = label.to_window(label.center_x, label.center_y)
    return [cx - tw / 2, cy - th / 2, cx + tw / 2, cy + th / 2]
