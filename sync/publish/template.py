"""The spreadsheet template (``*.xlsx``): its layout and its reader.

One sheet per kind of thing, a row per item, staff-friendly codes instead of UUIDs (ids are
derived from the codes, so they stay stable from one build to the next), English in ``*_en``
columns, lists one item per line. See :data:`TEMPLATE_SHEETS`; :mod:`sync.publish.template_write`
writes one, blank or filled from a feed.
"""
from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from sync.publish.loaded import TR, LoadedSource, SourceError, is_yes, parents_first

NAMESPACE = uuid.UUID("2f0c8e0e-6a55-4f5e-9b3c-7d1e0a6b4c21")  # ids derived from template codes

# sheet -> [(column, help text in Albanian)]
TEMPLATE_SHEETS: dict[str, list[tuple[str, str]]] = {
    "categories": [
        ("code", "Kodi i kategorisë (i detyrueshëm, unik, p.sh. femije)"),
        ("name", "Emri në shqip"), ("name_en", "Emri në anglisht"),
        ("description", "Përshkrimi në shqip"), ("description_en", "Përshkrimi në anglisht"),
        ("parent", "Kodi i kategorisë mëmë (bosh për kategori kryesore)"),
        ("icon", "Emri i ikonës (p.sh. children)"), ("icon_file", "Skedar ikone (PNG), opsional"),
        ("order", "Renditja (numër)"),
        ("sensitive", "po = e ndjeshme: kontakti dhe fleta mbajnë titullin neutral"),
        ("neutral_title", "Titulli neutral (shqip), p.sh. Këshillim"),
        ("neutral_title_en", "Titulli neutral (anglisht), p.sh. Counselling"),
        ("id", "UUID (bosh: krijohet nga kodi)")],
    "organizations": [
        ("code", "Kodi i organizatës (i detyrueshëm, unik)"),
        ("name", "Emri në shqip"), ("name_en", "Emri në anglisht"),
        ("description", "Përshkrimi në shqip"), ("description_en", "Përshkrimi në anglisht"),
        ("email", "Email"), ("website", "Faqja e internetit (https://...)"),
        ("phone", "Telefoni (një për rresht)"), ("logo", "Skedar logoje (PNG) ose https://..."),
        ("demo", "po = të dhëna demonstrative"), ("id", "UUID (bosh: krijohet nga kodi)")],
    "locations": [
        ("code", "Kodi i vendndodhjes (i detyrueshëm, unik)"),
        ("name", "Emri në shqip"), ("name_en", "Emri në anglisht"),
        ("address", "Adresa"), ("city", "Qyteti"), ("postal_code", "Kodi postar"),
        ("latitude", "Gjerësia gjeografike"), ("longitude", "Gjatësia gjeografike"),
        ("transportation", "Si të vini (shqip)"), ("transportation_en", "Si të vini (anglisht)"),
        ("accessibility", "Aksesueshmëria (shqip)"), ("accessibility_en", "Aksesueshmëria (anglisht)"),
        ("phone", "Telefoni"), ("id", "UUID (bosh: krijohet nga kodi)")],
    "services": [
        ("code", "Kodi i shërbimit (i detyrueshëm, unik)"),
        ("name", "Emri në shqip"), ("name_en", "Emri në anglisht"),
        ("description", "Përshkrimi në shqip"), ("description_en", "Përshkrimi në anglisht"),
        ("organization", "Kodi i organizatës"),
        ("categories", "Kodet e kategorive, të ndara me presje"),
        ("locations", "Kodet e vendndodhjeve, të ndara me presje"),
        ("status", "active / inactive / temporarily closed"),
        ("eligibility", "Kush përfiton (shqip)"), ("eligibility_en", "Kush përfiton (anglisht)"),
        ("application_process", "Si të aplikoni (shqip)"),
        ("application_process_en", "Si të aplikoni (anglisht)"),
        ("documents", "Dokumentet, një për rresht (shqip)"),
        ("documents_en", "Dokumentet, një për rresht (anglisht)"),
        ("fees", "Tarifat (shqip)"), ("fees_en", "Tarifat (anglisht)"),
        ("phone", "Telefoni"), ("email", "Email"), ("url", "Faqja (https://...)"),
        ("languages", "Gjuhët, kode të ndara me presje (sq, en)"),
        ("minimum_age", "Mosha minimale"), ("maximum_age", "Mosha maksimale"),
        ("alert", "Njoftim i përkohshëm (shqip)"), ("alert_en", "Njoftim i përkohshëm (anglisht)"),
        ("urgent", "Renditja në ekranin e ndihmës urgjente (numër; bosh: jo urgjente)"),
        ("sensitive", "po = i ndjeshëm: kontakti dhe fleta mbajnë titullin neutral"),
        ("neutral_title", "Titulli neutral (shqip)"), ("neutral_title_en", "Titulli neutral (anglisht)"),
        ("demo", "po = të dhëna demonstrative"), ("id", "UUID (bosh: krijohet nga kodi)")],
    "schedules": [
        ("service", "Kodi i shërbimit"), ("location", "Kodi i vendndodhjes (bosh: kudo)"),
        ("days", "Ditët: MO,TU,WE,TH,FR,SA,SU"), ("opens", "Hapet (HH:MM)"),
        ("closes", "Mbyllet (HH:MM)"), ("valid_from", "Nga data (VVVV-MM-DD)"),
        ("valid_to", "Deri më (VVVV-MM-DD)"), ("notes", "Shënime (shqip)"),
        ("notes_en", "Shënime (anglisht)")],
}
LANGUAGE_NAMES = {"sq": ("Shqip", "Albanian"), "en": ("Anglisht", "English"), "it": ("Italisht", "Italian"),
                  "el": ("Greqisht", "Greek"), "de": ("Gjermanisht", "German"), "fr": ("Frëngjisht", "French"),
                  "rom": ("Rome", "Romani"), "sgn": ("Gjuha e shenjave", "Sign language")}


def code_id(kind: str, code: str) -> str:
    """The stable UUID of the ``kind`` object whose template code is ``code``."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{code}"))


def _lines(value: Any) -> list[str]:
    if value is None:
        return []
    return [line.strip() for line in str(value).splitlines() if line.strip()]


def _codes(value: Any) -> list[str]:
    if value is None:
        return []
    return [c.strip() for c in str(value).replace(";", ",").replace("\n", ",").split(",") if c.strip()]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text[:5] if len(text) >= 8 and text[2] == ":" else text[:10]
    text = str(value).strip()
    return text or None


def _translations(row: dict[str, Any], fields: dict[str, str]) -> dict[str, Any]:
    en = {hsds: _text(row.get(col)) for col, hsds in fields.items() if _text(row.get(col))}
    return {TR: {"en": en}} if en else {}


def _sheet_rows(ws) -> list[dict[str, Any]]:
    rows = list(ws.iter_rows(values_only=True))
    if not rows:
        return []
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    out = []
    for values in rows[1:]:
        row = {h: v for h, v in zip(header, values) if h and v is not None and str(v).strip() != ""}
        if not row or str(row.get(header[0], "")).startswith("#"):
            continue  # blank rows and the help row ("# ...")
        out.append(row)
    return out


class _Workbook:
    """The rows of a template's sheets, and the one way to ask a row for a required cell."""

    def __init__(self, path: Path):
        try:
            import openpyxl
        except ImportError as exc:  # pragma: no cover - a declared dependency
            raise SourceError("reading .xlsx needs openpyxl") from exc
        try:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds
            raise SourceError(f"{path}: not a readable .xlsx file ({exc})") from exc
        self.path = path
        self.sheets = {name: _sheet_rows(wb[name]) for name in wb.sheetnames}
        wb.close()
        missing = [s for s in ("categories", "organizations", "services") if s not in self.sheets]
        if missing:
            raise SourceError(f"{path}: missing sheet(s) {', '.join(missing)}")

    def rows(self, sheet: str) -> list[dict[str, Any]]:
        return self.sheets.get(sheet, [])

    def need(self, row: dict[str, Any], key: str, sheet: str) -> str:
        value = _text(row.get(key))
        if not value:
            raise SourceError(f"{self.path} sheet {sheet}: a row without {key}: {row}")
        return value

    def fail(self, sheet: str, message: str) -> SourceError:
        return SourceError(f"{self.path} sheet {sheet}: {message}")


def _phones(row: dict[str, Any], prefix: str) -> list[dict[str, str]]:
    return [{"id": code_id("phone", f"{prefix}:{i}"), "number": n} for i, n in enumerate(_lines(row.get("phone")))]


def _categories(book: _Workbook, taxonomy: dict[str, Any]) -> dict[str, dict[str, Any]]:
    terms: dict[str, dict[str, Any]] = {}
    parents: dict[str, str | None] = {}
    for row in book.rows("categories"):
        code = book.need(row, "code", "categories")
        term = {"id": _text(row.get("id")) or code_id("category", code), "code": code,
                "name": book.need(row, "name", "categories"),
                "description": _text(row.get("description")) or _text(row.get("name")),
                "taxonomy_id": taxonomy["id"], "x_order": int(row.get("order") or 0)}
        if _text(row.get("icon")):
            term["x_icon"] = _text(row.get("icon"))
        if _text(row.get("icon_file")):
            term["x_icon_file"] = _text(row.get("icon_file"))
        _discretion(row, term)
        term.update(_translations(row, {"name_en": "name", "description_en": "description",
                                        "neutral_title_en": "x_neutral_title"}))
        terms[code], parents[code] = term, _text(row.get("parent"))
    for code, parent in parents.items():
        if parent:
            if parent not in terms:
                raise book.fail("categories", f"{code} has unknown parent {parent}")
            terms[code]["parent_id"] = terms[parent]["id"]
    return terms


def _discretion(row: dict[str, Any], obj: dict[str, Any]) -> None:
    """The columns of visitors in danger: ``urgent`` (an order), ``sensitive``, ``neutral_title``."""
    if row.get("urgent") not in (None, ""):
        obj["x_urgent"] = int(float(row["urgent"]))
    if row.get("sensitive") is not None and is_yes(row["sensitive"]):
        obj["x_sensitive"] = True
    if _text(row.get("neutral_title")):
        obj["x_neutral_title"] = _text(row.get("neutral_title"))


def _organizations(book: _Workbook) -> dict[str, dict[str, Any]]:
    orgs: dict[str, dict[str, Any]] = {}
    for row in book.rows("organizations"):
        code = book.need(row, "code", "organizations")
        org = {"id": _text(row.get("id")) or code_id("organization", code),
               "name": book.need(row, "name", "organizations"),
               "description": _text(row.get("description")) or _text(row.get("name"))}
        for key in ("email", "website", "logo"):
            if _text(row.get(key)):
                org[key] = _text(row.get(key))
        if _phones(row, f"org:{code}"):
            org["phones"] = _phones(row, f"org:{code}")
        if row.get("demo") is not None:
            org["x_demo"] = is_yes(row["demo"])
        org.update(_translations(row, {"name_en": "name", "description_en": "description"}))
        orgs[code] = org
    return orgs


def _location(row: dict[str, Any], code: str) -> dict[str, Any]:
    loc: dict[str, Any] = {"id": _text(row.get("id")) or code_id("location", code), "location_type": "physical"}
    if _text(row.get("name")):
        loc["name"] = _text(row.get("name"))
    for key in ("latitude", "longitude"):
        if row.get(key) is not None:
            loc[key] = float(row[key])
    if _text(row.get("transportation")):
        loc["transportation"] = _text(row.get("transportation"))
    if _text(row.get("address")):
        loc["addresses"] = [{"id": code_id("address", code), "address_1": _text(row.get("address")),
                             "city": _text(row.get("city")) or "Elbasan", "state_province": "Elbasan",
                             "postal_code": _text(row.get("postal_code")) or "3001", "country": "AL",
                             "address_type": "physical"}]
    if _text(row.get("accessibility")):
        acc = {"id": code_id("accessibility", code), "description": _text(row.get("accessibility"))}
        acc.update(_translations(row, {"accessibility_en": "description"}))
        loc["accessibility"] = [acc]
    if _phones(row, f"loc:{code}"):
        loc["phones"] = _phones(row, f"loc:{code}")
    loc.update(_translations(row, {"name_en": "name", "transportation_en": "transportation"}))
    return loc


def _schedules(book: _Workbook) -> dict[tuple[str, str | None], list[dict[str, Any]]]:
    """(service code, location code or None) -> its schedules."""
    schedules: dict[tuple[str, str | None], list[dict[str, Any]]] = {}
    for i, row in enumerate(book.rows("schedules")):
        svc_code = book.need(row, "service", "schedules")
        sched = {"id": code_id("schedule", f"{svc_code}:{i}"), "freq": "WEEKLY",
                 "byday": (_text(row.get("days")) or "").replace(" ", "").upper(),
                 "opens_at": _text(row.get("opens")), "closes_at": _text(row.get("closes"))}
        for key in ("valid_from", "valid_to", "notes"):
            if _text(row.get(key)):
                sched[key] = _text(row.get(key))
        sched.update(_translations(row, {"notes_en": "notes"}))
        schedules.setdefault((svc_code, _text(row.get("location"))), []).append(
            {k: v for k, v in sched.items() if v is not None})
    return schedules


SERVICE_TEXTS = (("description", "description"), ("eligibility", "eligibility_description"),
                 ("application_process", "application_process"), ("fees", "fees_description"),
                 ("email", "email"), ("url", "url"), ("alert", "alert"))
SERVICE_EN = {"name_en": "name", "description_en": "description", "eligibility_en": "eligibility_description",
              "application_process_en": "application_process", "fees_en": "fees_description",
              "alert_en": "alert", "neutral_title_en": "x_neutral_title"}


def _service_lists(row: dict[str, Any], code: str, svc: dict[str, Any]) -> None:
    """The service's phones, documents and languages, one item per line or comma."""
    if _phones(row, f"svc:{code}"):
        svc["phones"] = _phones(row, f"svc:{code}")
    docs, docs_en = _lines(row.get("documents")), _lines(row.get("documents_en"))
    if docs:
        svc["required_documents"] = [
            {"id": code_id("document", f"{code}:{i}"), "document": d,
             **({TR: {"en": {"document": docs_en[i]}}} if i < len(docs_en) else {})}
            for i, d in enumerate(docs)]
    langs = _codes(row.get("languages"))
    if langs:
        svc["languages"] = [{"id": code_id("language", f"{code}:{c}"), "code": c,
                             "name": LANGUAGE_NAMES.get(c, (c, c))[0],
                             TR: {"en": {"name": LANGUAGE_NAMES.get(c, (c, c))[1]}}} for c in langs]


class _Places:
    """What a service row refers to by code: organizations, categories, locations, schedules."""

    def __init__(self, book: _Workbook, taxonomy: dict[str, Any]):
        self.book = book
        self.terms = _categories(book, taxonomy)
        self.orgs = _organizations(book)
        self.locations = {book.need(r, "code", "locations"): _location(r, book.need(r, "code", "locations"))
                          for r in book.rows("locations")}
        self.schedules = _schedules(book)

    def known(self, kind: str, code: str, svc_code: str, table: dict[str, Any]) -> dict[str, Any]:
        if code not in table:
            raise self.book.fail("services", f"{svc_code} names unknown {kind} {code}")
        return table[code]

    def service(self, row: dict[str, Any]) -> dict[str, Any]:
        book, code = self.book, self.book.need(row, "code", "services")
        sid = _text(row.get("id")) or code_id("service", code)
        org = self.known("organization", book.need(row, "organization", "services"), code, self.orgs)
        svc: dict[str, Any] = {"id": sid, "name": book.need(row, "name", "services"),
                               "status": _text(row.get("status")) or "active",
                               "organization_id": org["id"], "organization": org}
        for col, key in SERVICE_TEXTS:
            if _text(row.get(col)):
                svc[key] = _text(row.get(col))
        for key in ("minimum_age", "maximum_age"):
            if row.get(key) is not None:
                svc[key] = int(float(row[key]))
        if row.get("demo") is not None:
            svc["x_demo"] = is_yes(row["demo"])
        _discretion(row, svc)
        svc.update(_translations(row, SERVICE_EN))
        _service_lists(row, code, svc)
        attrs = [{"id": code_id("attribute", f"{code}:{c}"), "taxonomy_term_id": term["id"], "link_id": sid,
                  "link_type": "service_category", "link_entity": "service", "taxonomy_term": term}
                 for c in _codes(row.get("categories"))
                 for term in [self.known("category", c, code, self.terms)]]
        if attrs:
            svc["attributes"] = attrs
        if self.schedules.get((code, None)):
            svc["schedules"] = self.schedules[(code, None)]
        sals = [self._service_at_location(code, sid, c) for c in _codes(row.get("locations"))]
        if sals:
            svc["service_at_locations"] = sals
        return svc

    def _service_at_location(self, code: str, sid: str, loc_code: str) -> dict[str, Any]:
        loc = self.known("location", loc_code, code, self.locations)
        sal = {"id": code_id("service_at_location", f"{code}:{loc_code}"), "service_id": sid,
               "location_id": loc["id"], "location": loc}
        if self.schedules.get((code, loc_code)):
            sal["schedules"] = self.schedules[(code, loc_code)]
        return sal


def read_template(path: Path) -> LoadedSource:
    book = _Workbook(path)
    taxonomy = {"id": code_id("taxonomy", "categories"), "name": "Kategoritë",
                "description": "Kategoritë e shërbimeve sociale"}
    places = _Places(book, taxonomy)
    services = [places.service(row) for row in book.rows("services")]
    known_services = {_text(r.get("code")) for r in book.rows("services")}
    for svc_code, _loc in places.schedules:
        if svc_code not in known_services:
            raise book.fail("schedules", f"unknown service {svc_code}")
    return LoadedSource(services, parents_first(list(places.terms.values())), taxonomy, None, ("sq", "en"))
