"""What the checks of a catalogue found: errors, which refuse it, and warnings, which say what was
fixed or dropped. Both ends list the same findings: ``kiosk-feed check`` and ``build`` print them,
the server's import page shows them, a kiosk logs them.

A :class:`Finding` names its record (a service or a category, by id and name), the field inside
it, and a stable ``code`` whose text, in Albanian and in English, is in :data:`MESSAGES`.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field as dc_field
from typing import Any, Iterator

from sync.feed.document import FeedError

ERROR, WARNING = "error", "warning"

# code -> (English, Albanian). Placeholders are filled from Finding.params.
MESSAGES: dict[str, tuple[str, str]] = {
    # errors
    "not_object": ("not a JSON object", "nuk është objekt JSON"),
    "no_id": ("no id", "pa id"),
    "no_name": ("no name", "pa emër"),
    "duplicate_id": ("the id {id} is used twice", "id {id} përdoret dy herë"),
    "too_long": ("{n} characters (at most {cap})", "{n} shkronja (jo më shumë se {cap})"),
    "too_many": ("{n} items (at most {cap})", "{n} elementë (jo më shumë se {cap})"),
    "too_deep": ("nested deeper than {cap}", "i futur më thellë se {cap} nivele"),
    "bad_key": ("a field name that is too long or holds control characters",
                "emër fushe shumë i gjatë ose me shenja kontrolli"),
    "control_char": ("control character U+{char}, which cannot be cleaned: type the text again",
                     "shenjë kontrolli U+{char}, që nuk mund të pastrohet: shkruajeni tekstin përsëri"),
    "nan": ("not a number (NaN)", "nuk është numër (NaN)"),
    "not_finite": ("an infinite number (too large to be a number)",
                   "numër i pafund (shumë i madh për të qenë numër)"),
    "cycle": ("category {id} is in a cycle or too deep", "kategoria {id} është në cikël ose shumë thellë"),
    "mismatch": ("{field} does not match its nested {kind}",
                 "{field} nuk përputhet me {kind} e përfshirë"),
    "asset": ("{detail}", "{detail}"),
    "translations": ("translations must map language codes to objects",
                     "përkthimet duhet të lidhin kode gjuhe me objekte"),
    "envelope": ("{detail}", "{detail}"),
    "hsds": ("does not follow HSDS 3.0: {detail}", "nuk ndjek HSDS 3.0: {detail}"),
    "structure": ("{detail}", "{detail}"),
    "schema_required": ("does not follow HSDS 3.0: {name} is missing (it is required)",
                        "nuk ndjek HSDS 3.0: mungon {name} (është e detyrueshme)"),
    "schema_type": ("does not follow HSDS 3.0: {value} is not of type {type}",
                    "nuk ndjek HSDS 3.0: {value} nuk është i llojit {type}"),
    "schema_type_string": ("does not follow HSDS 3.0: {value} is not text", "nuk ndjek HSDS 3.0: {value} nuk është tekst"),
    "schema_type_number": ("does not follow HSDS 3.0: {value} is not a number",
                           "nuk ndjek HSDS 3.0: {value} nuk është numër"),
    "schema_type_integer": ("does not follow HSDS 3.0: {value} is not a whole number",
                            "nuk ndjek HSDS 3.0: {value} nuk është numër i plotë"),
    "schema_type_boolean": ("does not follow HSDS 3.0: {value} is not true or false",
                            "nuk ndjek HSDS 3.0: {value} nuk është true ose false"),
    "schema_type_object": ("does not follow HSDS 3.0: {value} is not an object",
                           "nuk ndjek HSDS 3.0: {value} nuk është objekt"),
    "schema_type_array": ("does not follow HSDS 3.0: {value} is not a list",
                          "nuk ndjek HSDS 3.0: {value} nuk është listë"),
    "schema_enum": ("does not follow HSDS 3.0: {value} is not one of: {allowed}",
                    "nuk ndjek HSDS 3.0: {value} nuk është një nga: {allowed}"),
    "schema_format": ("does not follow HSDS 3.0: {value} is not a valid {format}",
                      "nuk ndjek HSDS 3.0: {value} nuk është {format} i vlefshëm"),
    "schema_minlength": ("does not follow HSDS 3.0: shorter than {n} characters",
                         "nuk ndjek HSDS 3.0: më e shkurtër se {n} shkronja"),
    "schema_maxlength": ("does not follow HSDS 3.0: longer than {n} characters",
                         "nuk ndjek HSDS 3.0: më e gjatë se {n} shkronja"),
    "schema_extra": ("does not follow HSDS 3.0: {names}: a field not allowed here",
                     "nuk ndjek HSDS 3.0: {names}: fushë që nuk lejohet këtu"),

    "no_services": ("the catalogue has no services: published, it would empty every kiosk's catalogue",
                    "katalogu nuk ka asnjë shërbim: i publikuar, do të zbrazte katalogun e çdo kioske"),
    "copy_differs_organization": (
        "organization {id} is not the same as its copy in service {other} ({fields}): the kiosk keeps the first "
        "copy of each id, and would show that service's copy here too",
        "organizata {id} ndryshon nga kopja te shërbimi {other} ({fields}): kioska mban kopjen e parë të çdo "
        "id-je dhe do të tregonte edhe këtu kopjen e atij shërbimi"),
    "copy_differs_location": (
        "location {id} is not the same as its copy in service {other} ({fields}): the kiosk keeps the first "
        "copy of each id, and would show that service's copy here too",
        "vendndodhja {id} ndryshon nga kopja te shërbimi {other} ({fields}): kioska mban kopjen e parë të "
        "çdo id-je dhe do të tregonte edhe këtu kopjen e atij shërbimi"),
    "copy_differs": ("{kind} {id} is not the same as its copy in service {other} ({fields}): the kiosk keeps "
                     "the first copy of each id, and would show that service's copy here too",
                     "{kind} {id} ndryshon nga kopja te shërbimi {other} ({fields}): kioska mban kopjen e "
                     "parë të çdo id-je dhe do të tregonte edhe këtu kopjen e atij shërbimi"),
    "copy_differs_here": ("{kind} {id} is not the same as its copy earlier in this service ({fields}): the "
                          "kiosk keeps only the first", "{kind} {id} ndryshon nga kopja më lart në këtë "
                          "shërbim ({fields}): kioska mban vetëm të parën"),
    "nothing_usable": ("nothing usable is left: no service has a name and a way to reach it",
                       "nuk mbeti asgjë e përdorshme: asnjë shërbim nuk ka emër dhe mënyrë kontakti"),
    # source and document errors (FeedError.message_code, worded by error_text)
    "source_too_big": ("{name}: over {mib} MiB", "{name}: më shumë se {mib} MiB"),
    "source_too_deep": ("{name}: JSON nested too deeply", "{name}: JSON i futur shumë thellë"),
    "source_not_utf8": ("{name}: not UTF-8 text (byte {byte} at position {position}): save the file as "
                        "UTF-8", "{name}: nuk është tekst UTF-8 (bajti {byte} në pozicionin {position}): "
                        "ruajeni skedarin si UTF-8"),
    "source_not_json": ("{name}: not JSON (broken at line {line}, column {column}), nor newline-delimited "
                        "JSON (line {ndjson_line})", "{name}: nuk është JSON (i prishur në rreshtin {line}, "
                        "kolona {column}), as JSON me një objekt në rresht (rreshti {ndjson_line})"),
    "source_shape": ("{name}: not a list of HSDS services, a service, an organization nor a feed document",
                     "{name}: nuk është listë shërbimesh HSDS, një shërbim, një organizatë ose dokument "
                     "katalogu"),
    "source_not_objects": ("{name}: every service must be a JSON object",
                           "{name}: çdo shërbim duhet të jetë objekt JSON"),
    "feed_too_deep": ("JSON nested too deeply", "JSON i futur shumë thellë"),
    "feed_not_json": ("not JSON", "nuk është JSON"),
    # warnings
    "http_url": ("an http: address: kept; the kiosk shows it as text only, never as a link or QR code",
                 "adresë http: u mbajt; kioska e tregon vetëm si tekst, kurrë si lidhje ose kod QR"),
    "url_dropped": ("a {scheme} address: dropped (the kiosk opens only https, tel, mailto and geo)",
                    "adresë {scheme}: u hoq (kioska hap vetëm https, tel, mailto dhe geo)"),
    "not_url": ("not a usable address: dropped", "nuk është adresë e përdorshme: u hoq"),
    "not_dialable": ("{number}: not a number a phone can dial (letters, or too few digits): kept as "
                     "text; the kiosk offers no Call code for it", "{number}: nuk është numër që mund "
                     "të formohet në telefon (shkronja, ose shumë pak shifra): u mbajt si tekst; kioska "
                     "nuk jep kod Telefono për të"),
    "url_userinfo": ("an address with a user name before its host (it reads as one site and opens "
                     "another): dropped", "adresë me një emër përdoruesi para emrit të faqes (lexohet "
                     "si një faqe dhe hap një tjetër): u hoq"),
    "invisible": ("{n} invisible formatting characters (bidirectional or zero-width): removed",
                  "{n} shenja të padukshme formatimi (drejtim teksti ose gjerësi zero): u hoqën"),
    "display_cap": ("{n} characters, more than the kiosk shows ({cap}): kept; cut with an ellipsis "
                    "on screen", "{n} shkronja, më shumë se sa tregon kioska ({cap}): u mbajt; në "
                    "ekran pritet me tre pika"),
    "dangling_parent": ("parent category {id} is not in the document: shown as a top-level category",
                        "kategoria mëmë {id} nuk është në dokument: shfaqet si kategori kryesore"),
    "dangling_ref": ("names {id}, which is not in the document: kept as it is",
                     "tregon {id}, që nuk është në dokument: u mbajt siç është"),
    "no_organization": ("organization {id} is not in the document: the service stands as its own "
                        "organization", "organizata {id} nuk është në dokument: shërbimi qëndron si "
                        "organizata e vet"),
    "no_location": ("a service_at_location without its location: dropped",
                    "një service_at_location pa vendndodhjen e vet: u hoq"),
    "attribute_dropped": ("category {id} is not in the document: the link to it was dropped",
                          "kategoria {id} nuk është në dokument: lidhja me të u hoq"),
    "bad_timezone": ("{value} is not an offset from UTC between -12 and +14 hours: dropped",
                     "{value} nuk është zhvendosje nga UTC ndërmjet -12 dhe +14 orësh: u hoq"),
    "out_of_range": ("{value} is outside {low}..{high}: dropped (the kiosk shows no map code for the place)",
                     "{value} është jashtë {low}..{high}: u hoq (kioska nuk tregon kod harte për vendin)"),
    "icon_dropped": ("not an icon name: dropped", "nuk është emër ikone: u hoq"),
    "unknown_field": ("not an HSDS 3.0 field: kept and exported back unchanged",
                      "nuk është fushë e HSDS 3.0: u mbajt dhe eksportohet e pandryshuar"),
    "converted": ("read as {profile} and converted to HSDS 3.0", "u lexua si {profile} dhe u kthye në HSDS 3.0"),
    "no_place": ("{profile} field with no place in HSDS 3.0: dropped",
                 "fushë e {profile} pa vend në HSDS 3.0: u hoq"),
    "record_dropped": ("cannot be shown (it needs a name and a way to reach it): dropped",
                       "nuk mund të shfaqet (i duhet emër dhe mënyrë kontakti): u hoq"),
    "orphan_row": ("{column} {id} is not in the package: the row was dropped",
                   "{column} {id} nuk është në paketë: rreshti u hoq"),
    "ids_replaced": ("{n} ids that are not UUIDs (as HSDS 3.0 asks) replaced by stable UUIDs, and "
                     "every reference to them", "{n} id që nuk janë UUID (siç kërkon HSDS 3.0) u zëvendësuan "
                     "me UUID të qëndrueshme, bashkë me çdo referencë te to"),
    "table_dropped": ("{n} rows of a table that a service's nested JSON has no place for: dropped",
                      "{n} rreshta të një tabele që JSON-i i një shërbimi nuk e ka vend: u hoqën"),
    "bad_cell": ("{value!r} is not {kind}: dropped", "{value!r} nuk është {kind}: u hoq"),
    "schedule_inverted": ("valid from {start}, after its valid_to {end}: the schedule is never valid: dropped",
                          "i vlefshëm nga {start}, pas valid_to {end}: orari nuk vlen kurrë: u hoq"),
    "bad_time": ("{value!r} is not a time (HH:MM or HH:MM:SS, optionally with Z or an offset): dropped",
                 "{value!r} nuk është orë (HH:MM ose HH:MM:SS, me Z ose zhvendosje sipas dëshirës): u hoq"),
    "schedule_unhonoured": ("{value}: a rule the kiosk does not follow: only the schedule's description "
                            "and notes will be shown", "{value}: rregull që kioska nuk e ndjek: do të "
                            "tregohen vetëm përshkrimi dhe shënimet e orarit"),
    "schedule_no_length": ("opens and closes at {value}: it would read as open 24 hours: the hours were "
                           "dropped", "hapet dhe mbyllet në {value}: do të lexohej si e hapur 24 orë: "
                           "orët u hoqën"),
    "schedule_every_day": ("no freq and no byday: shown as open every day of the week",
                           "pa freq dhe pa byday: tregohet si e hapur çdo ditë të javës"),
    "partial_page": ("one page of a paged list: {read} of {total} services read; the other pages are "
                     "not in the file and are not imported", "një faqe e një liste me faqe: u lexuan {read} "
                     "nga {total} shërbime; faqet e tjera nuk janë në skedar dhe nuk importohen"),
    "partial_page_unknown": ("one page of a paged list (not its last page): {read} services read; the other "
                             "pages are not in the file and are not imported",
                             "një faqe e një liste me faqe (jo e fundit): u lexuan {read} shërbime; faqet "
                             "e tjera nuk janë në skedar dhe nuk importohen"),
    "no_category": ("service in no category: found only by search",
                    "shërbim pa asnjë kategori: gjendet vetëm me kërkim"),
}

# Characters a report never prints as they are: control characters (a name holding "\x1b[2J"
# would clear the staff member's terminal) and invisible formatting ones (U+202E turns the rest
# of the line around).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e"
                          "\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff]")


def _escaped(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def printable(text: str) -> str:
    """``text`` with control and invisible formatting characters written as escapes (``\\x1b``,
    ``\\u202e``), so that a report shows them instead of obeying them."""
    text = _UNPRINTABLE.sub(lambda match: _escaped(match.group()), text)
    if text.isprintable():
        return text
    return "".join(_escaped(ch) if unicodedata.category(ch) in ("Cc", "Cf", "Cs") else ch for ch in text)


RECORD_KINDS = {"service": ("service", "shërbimi"), "category": ("category", "kategoria"),
                "document": ("the document", "dokumenti"), "file": ("file", "skedari")}


@dataclass(frozen=True)
class Record:
    """What a finding is about: a service, a category, the document, a source file."""

    kind: str = "document"
    id: str = ""
    name: str = ""

    def text(self, lang: str = "en") -> str:
        label = RECORD_KINDS.get(self.kind, (self.kind, self.kind))[lang == "sq"]
        name = f" «{printable(self.name[:60])}»" if self.name else ""
        ident = printable(self.id)
        return f"{label} {ident}{name}".strip() if ident else f"{label}{name}"


DOCUMENT = Record()


@dataclass(frozen=True)
class Finding:
    level: str
    code: str
    record: Record
    field: str = ""
    params: dict[str, Any] = dc_field(default_factory=dict)

    def message(self, lang: str = "en") -> str:
        en, sq = MESSAGES[self.code]
        template = sq if lang == "sq" else en
        try:
            return template.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return template

    def text(self, lang: str = "en") -> str:
        """One line: the field, then what was found and done (the record is said apart)."""
        line = f"{self.field}: {self.message(lang)}" if self.field else self.message(lang)
        return printable(line)

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        return {"level": self.level, "code": self.code, "record": self.record.text(lang),
                "record_id": self.record.id, "field": self.field, "message": self.message(lang)}


class Findings:
    """The findings of one check, in the order they were found."""

    def __init__(self) -> None:
        self.items: list[Finding] = []

    def add(self, level: str, code: str, record: Record = DOCUMENT, where: str = "", **params: Any) -> None:
        self.items.append(Finding(level, code, record, where, params))

    def warn(self, code: str, record: Record = DOCUMENT, where: str = "", **params: Any) -> None:
        self.add(WARNING, code, record, where, **params)

    def error(self, code: str, record: Record = DOCUMENT, where: str = "", **params: Any) -> None:
        self.add(ERROR, code, record, where, **params)

    def extend(self, other: "Findings") -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.items if f.level == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.items if f.level == WARNING]

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def by_record(self) -> dict[Record, list[Finding]]:
        out: dict[Record, list[Finding]] = {}
        for f in self.items:
            out.setdefault(f.record, []).append(f)
        return out

    def raise_errors(self) -> None:
        """Refuse (FeedRefused) when any error was found."""
        if self.errors:
            raise FeedRefused(self)


class FeedRefused(FeedError):
    """A catalogue with errors: ``detail`` is the first one in English, ``findings`` has all."""

    def __init__(self, findings: Findings):
        super().__init__("invalid", self.first_error(findings, "en"))
        self.findings = findings

    @staticmethod
    def first_error(findings: Findings, lang: str) -> str:
        """The first error, with its record, and how many more there are, in ``lang``."""
        first = findings.errors[0]
        where = f"{first.record.text(lang)}: " if first.record != DOCUMENT else ""
        more = len(findings.errors) - 1
        if not more:
            return where + first.text(lang)
        tail = (f" (dhe {more} gabime të tjera)" if more > 1 else " (dhe 1 gabim tjetër)") if lang == "sq" \
            else (f" (and {more} more errors)" if more > 1 else " (and 1 more error)")
        return where + first.text(lang) + tail


def refuse(code: str, record: Record = DOCUMENT, where: str = "", **params: Any) -> FeedRefused:
    """One error, as an exception to raise (checks that cannot go on after it)."""
    findings = Findings()
    findings.error(code, record, where, **params)
    return FeedRefused(findings)


def error_text(exc: Exception, lang: str = "en") -> str:
    """A refusal (:class:`FeedError`) in the staff's language: its ``message_code`` worded by
    :data:`MESSAGES` when it has one, else its English text."""
    if isinstance(exc, FeedRefused):
        return printable(exc.first_error(exc.findings, lang))
    code = getattr(exc, "message_code", "")
    if code in MESSAGES:
        en, sq = MESSAGES[code]
        try:
            return printable((sq if lang == "sq" else en).format(**getattr(exc, "params", {})))
        except (KeyError, IndexError, ValueError):
            pass
    return printable(str(getattr(exc, "detail", "") or exc))


def report_lines(findings: Findings, lang: str = "en", limit: int = 200) -> list[str]:
    """The findings grouped by record, as the CLI prints them; at most ``limit`` records."""
    words = {"error": ("error", "gabim"), "warning": ("warning", "paralajmërim")}
    lines: list[str] = []
    groups = list(findings.by_record().items())
    for record, items in groups[:limit]:
        lines.append(printable(record.text(lang)))
        for f in items:
            lines.append(f"  {words[f.level][lang == 'sq']}: {printable(f.text(lang))}")
    if len(groups) > limit:
        rest = len(groups) - limit
        lines.append(f"... {rest} more records" if lang != "sq" else f"... edhe {rest} të tjerë")
    return lines


def summary_line(findings: Findings, lang: str = "en") -> str:
    e, w = len(findings.errors), len(findings.warnings)
    if lang == "sq":
        return f"{e} gabime, {w} paralajmërime"
    return f"{e} errors, {w} warnings"
