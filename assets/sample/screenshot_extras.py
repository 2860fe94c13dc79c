"""The sample catalogue plus three services from "another system", for ``make screenshots``.

What a catalogue taken in from elsewhere may hold and the kiosk must still show well (issues 15
and 17): a service whose website is ``http:`` (shown as text, never as a link or a QR code), one
with a 480-character name (cut with an ellipsis, never clipped), and an NGO named with an emoji
("Çerdhe 👶": drawn with the fallback font, never as boxes). They are copies of a sample service
with every id of their own. Not part of the sample itself: a visitor never sees them.

    python assets/sample/screenshot_extras.py OUT.json
"""
from __future__ import annotations

import copy
import json
import sys
import uuid
from pathlib import Path

SAMPLE = Path(__file__).with_name("catalogue.json")
NAMESPACE = uuid.UUID("6f1c0f43-2f7e-4d53-9a43-8d1d3c1b7a55")

LONG_NAME = ("Asistencë e integruar për familjet me fëmijë në nevojë, të moshuarit që jetojnë vetëm, "
             "personat me aftësi të kufizuara dhe të rinjtë që dalin nga institucionet e përkujdesjes "
             "shoqërore, me këshillim psikologjik, ndihmë juridike falas, ndërmjetësim për punësim, "
             "strehim të përkohshëm, shoqërim te zyrat e bashkisë dhe te qendrat shëndetësore, si dhe "
             "ndjekje e rastit derisa familja të mund të përballojë vetë jetën e përditshme")


def _ids(node, inside_term: bool = False, found: set | None = None) -> set:
    found = set() if found is None else found
    if isinstance(node, dict):
        if "id" in node and not inside_term and isinstance(node["id"], str):
            found.add(node["id"])
        for key, value in node.items():
            _ids(value, inside_term or key in ("taxonomy_term", "taxonomy"), found)
    elif isinstance(node, list):
        for value in node:
            _ids(value, inside_term, found)
    return found


def _renamed(node, mapping: dict):
    if isinstance(node, dict):
        return {key: _renamed(value, mapping) for key, value in node.items()}
    if isinstance(node, list):
        return [_renamed(value, mapping) for value in node]
    return mapping.get(node, node) if isinstance(node, str) else node


def copy_service(service: dict, tag: str) -> dict:
    """``service`` with every id of its own (its categories kept)."""
    mapping = {old: str(uuid.uuid5(NAMESPACE, f"{tag}:{old}")) for old in _ids(service)}
    return _renamed(copy.deepcopy(service), mapping)


def extras(services: list[dict]) -> list[dict]:
    base = next(s for s in services if s.get("organization", {}).get("phones") and not s.get("x_sensitive"))
    http = copy_service(base, "http")
    http["name"] = "Këshillim familjar (faqe pa https)"
    http["url"] = "http://keshillim.example.org/familje"
    http["organization"]["name"] = "Shoqata Këshillim Familjar"
    http["organization"]["website"] = "http://keshillim.example.org"
    long = copy_service(base, "long")
    long["name"] = LONG_NAME
    long["organization"]["name"] = "Rrjeti i Organizatave për Mbrojtjen Sociale të Familjeve të Elbasanit"
    emoji = copy_service(base, "emoji")
    emoji["name"] = "Çerdhe 👶 me lodra 🧸 për fëmijët e vegjël"
    emoji["organization"]["name"] = "Çerdhe 👶"
    for service in (http, long, emoji):
        service.pop("x_translations", None)
        service["organization"].pop("x_translations", None)
    return [http, long, emoji]


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    feed = json.loads(SAMPLE.read_text(encoding="utf-8"))
    feed["services"] = feed["services"] + extras(feed["services"])
    Path(argv[0]).write_text(json.dumps(feed, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
