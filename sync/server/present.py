"""A nested HSDS service as a visitor reads it, in one language: the shared view model of the
public service page and the staff preview."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import quote

from sync.feed.document import extension_digits, translated

DAY_NAMES = {
    "sq": {"MO": "E hënë", "TU": "E martë", "WE": "E mërkurë", "TH": "E enjte", "FR": "E premte",
           "SA": "E shtunë", "SU": "E diel"},
    "en": {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday", "FR": "Friday",
           "SA": "Saturday", "SU": "Sunday"},
}
ORDER = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def tr(obj: dict[str, Any] | None, key: str, lang: str) -> str:
    value = translated(obj or {}, key, lang)
    return value if isinstance(value, str) else ("" if value is None else str(value))


def tel_uri(number: str) -> str:
    digits = re.sub(r"[^0-9+]", "", number or "")
    return f"tel:{digits}" if len(digits) >= 3 else ""


def map_url(lat: Any, lon: Any) -> str:
    try:
        la, lo = float(lat), float(lon)
    except (TypeError, ValueError):
        return ""
    return f"https://www.openstreetmap.org/?mlat={la:.6f}&mlon={lo:.6f}#map=17/{la:.6f}/{lo:.6f}"


def days_text(byday: str, lang: str) -> str:
    days = [d for d in ORDER if d in (byday or "").split(",")]
    names = DAY_NAMES["en" if lang == "en" else "sq"]
    if not days:
        return ""
    idx = [ORDER.index(d) for d in days]
    if len(days) >= 3 and idx == list(range(idx[0], idx[0] + len(idx))):
        return f"{names[days[0]]} – {names[days[-1]]}"
    return ", ".join(names[d] for d in days)


def _date_text(value: str | None) -> str:
    try:
        return date.fromisoformat(value).strftime("%d.%m.%Y") if value else ""
    except ValueError:
        return value or ""


@dataclass
class HoursLine:
    days: str
    time: str
    notes: str = ""
    valid: str = ""


def hours(schedules: list[dict[str, Any]] | None, lang: str, today: date | None = None) -> list[HoursLine]:
    today = today or date.today()
    out = []
    for s in schedules or []:
        if s.get("valid_to"):
            try:
                if date.fromisoformat(s["valid_to"]) < today:
                    continue  # over
            except ValueError:
                pass
        valid = ""
        if s.get("valid_from") or s.get("valid_to"):
            a, b = _date_text(s.get("valid_from")), _date_text(s.get("valid_to"))
            valid = (f"{a} – {b}" if a and b else (("nga " if lang == "sq" else "from ") + a) if a
                     else (("deri më " if lang == "sq" else "until ") + b))
        out.append(HoursLine(days_text(s.get("byday") or "", lang),
                             f"{s.get('opens_at', '')}–{s.get('closes_at', '')}",
                             tr(s, "notes", lang) or tr(s, "description", lang), valid))
    return out


@dataclass
class Phone:
    number: str
    uri: str
    label: str = ""
    extension: str = ""     # the digits to dial after the number ("" for none)


def phones(items: list[dict[str, Any]] | None, lang: str) -> list[Phone]:
    return [Phone(p.get("number", ""), tel_uri(p.get("number", "")), tr(p, "description", lang))
            for p in items or [] if p.get("number")]


def phones_with_extension(items: list[dict[str, Any]] | None, lang: str) -> list[Phone]:
    """Phones with their extension, which the ``tel:`` link dials after a pause
    (``tel:+35554400100,204``), as the kiosks' Call codes do."""
    out = []
    for p in items or []:
        number = p.get("number") if isinstance(p, dict) else None
        if not number:
            continue
        number = str(number)
        uri, ext = tel_uri(number), extension_digits(p.get("extension"))
        out.append(Phone(number, f"{uri},{ext}" if uri and ext else uri, tr(p, "description", lang), ext))
    return out


@dataclass
class Person:
    """Someone to ask (an HSDS contact) in one language."""

    name: str
    title: str
    department: str
    email: str
    phones: list[Phone]

    @property
    def heading(self) -> str:
        """Name, title and department on one line, as the kiosk writes a person."""
        return ", ".join(x for x in (self.name, self.title, self.department) if x)


def person(contact: dict[str, Any], lang: str) -> Person:
    return Person(tr(contact, "name", lang), tr(contact, "title", lang), tr(contact, "department", lang),
                  str(contact.get("email") or ""), phones_with_extension(contact.get("phones"), lang))


def people_at(sal: dict[str, Any], loc: dict[str, Any], lang: str, shown: set[str]) -> list[Person]:
    """Who to ask at one place, as the kiosk lists them: the service's people there
    (``service_at_location.contacts``), then the building's (``location.contacts``); a contact
    id the page names already (``shown``, to which these are added) is one person, named once."""
    out = []
    for contact in [*(sal.get("contacts") or []), *(loc.get("contacts") or [])]:
        if not isinstance(contact, dict):
            continue
        ident = contact.get("id")
        if ident:
            if ident in shown:
                continue
            shown.add(ident)
        out.append(person(contact, lang))
    return out


@dataclass
class Place:
    name: str
    address: str
    map_url: str
    transportation: str
    accessibility: list[str]
    hours: list[HoursLine]
    phones: list[Phone]
    people: list[Person] = field(default_factory=list)   # who to ask there (:func:`people_at`)


@dataclass
class ServiceView:
    id: str
    name: str
    alternate_name: str
    status: str
    alert: str
    description: str
    eligibility: str
    application: str
    fees: str
    interpretation: str
    documents: list[str]
    phones: list[Phone]
    email: str
    url: str
    hours: list[HoursLine]
    places: list[Place]
    organization: dict[str, Any]
    contacts: list[dict[str, str]]
    languages: list[str]
    categories: list[str]
    ages: str
    demo: bool
    assured_date: str
    extra: dict[str, Any] = field(default_factory=dict)


def service_view(svc: dict[str, Any], lang: str, today: date | None = None) -> ServiceView:
    org = svc.get("organization") or {}
    places = []
    # the service's own people first (its contact cards), then each place's, each person once
    shown = {c["id"] for c in svc.get("contacts") or [] if isinstance(c, dict) and c.get("id")}
    for sal in svc.get("service_at_locations") or []:
        loc = sal.get("location") or {}
        addr = (loc.get("addresses") or [{}])[0] or {}
        city_line = " ".join(x for x in (addr.get("postal_code"), addr.get("city")) if x)
        address = ", ".join(x for x in (addr.get("address_1"), city_line) if x)
        places.append(Place(
            name=tr(loc, "name", lang), address=address, map_url=map_url(loc.get("latitude"), loc.get("longitude")),
            transportation=tr(loc, "transportation", lang),
            accessibility=[tr(a, "description", lang) for a in loc.get("accessibility") or []],
            hours=hours((sal.get("schedules") or []) or (loc.get("schedules") or []), lang, today),
            phones=phones((sal.get("phones") or []) + (loc.get("phones") or []), lang),
            people=people_at(sal, loc, lang, shown)))
    low, high = svc.get("minimum_age"), svc.get("maximum_age")
    if low is not None and high is not None:
        ages = f"{low}–{high}"
    elif low is not None:
        ages = f"{low}+"
    elif high is not None:
        ages = ("deri në " if lang == "sq" else "up to ") + str(high)
    else:
        ages = ""
    contacts = []
    for c in svc.get("contacts") or []:
        number = ((c.get("phones") or [{}])[0] or {}).get("number", "")
        contacts.append({"name": c.get("name", ""), "title": tr(c, "title", lang), "email": c.get("email", ""),
                         "phone": number, "tel": tel_uri(number)})
    return ServiceView(
        id=svc["id"], name=tr(svc, "name", lang), alternate_name=tr(svc, "alternate_name", lang),
        status=svc.get("status") or "active", alert=tr(svc, "alert", lang),
        description=tr(svc, "description", lang), eligibility=tr(svc, "eligibility_description", lang),
        application=tr(svc, "application_process", lang), fees=tr(svc, "fees_description", lang),
        interpretation=tr(svc, "interpretation_services", lang),
        documents=[tr(d, "document", lang) for d in svc.get("required_documents") or []],
        phones=phones(svc.get("phones"), lang), email=svc.get("email") or "", url=svc.get("url") or "",
        hours=hours(svc.get("schedules"), lang, today), places=places,
        organization={"name": tr(org, "name", lang), "description": tr(org, "description", lang),
                      "phones": phones(org.get("phones"), lang), "email": org.get("email") or "",
                      "website": org.get("website") or "", "id": org.get("id", "")},
        contacts=contacts,
        languages=[tr(lg, "name", lang) for lg in svc.get("languages") or []],
        categories=[tr(a.get("taxonomy_term") or {}, "name", lang) for a in svc.get("attributes") or []
                    if a.get("taxonomy_term")],
        ages=ages, demo=bool(svc.get("x_demo") or org.get("x_demo")),
        assured_date=_date_text(svc.get("assured_date")))


def mailto(address: str) -> str:
    return "mailto:" + quote(address, safe="@.+-_")
