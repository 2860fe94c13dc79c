"""Copies of one object that differ: the check of a nested feed's repeated records.

A nested HSDS feed repeats an organization, a location, a phone... in every service that has
it, each copy with the same id. The kiosk keeps one row per id, the first copy it reads (the
services in the feed's order), so a later copy that says something else is silently lost: a
service in Cërrik shown at the address of a centre in Elbasan, another provider's name. Each
copy is compared with the first one of its id; one that differs is a finding naming both
services and the fields that differ (a field that one copy leaves out is no difference: the
HSDS API often nests a short copy). An organization or a location that differs is an error (the visitor would be sent to
the wrong place or the wrong provider); any other object a warning.

Schedules are kept per owner (one schedule id given to a service and to its location is a row
for each), so only copies under the same owner are compared.
"""
from __future__ import annotations

from typing import Any

from sync.feed.findings import Findings, Record

# nested key -> kind, for the objects the kiosk keeps once per id
KINDS = {"organization": "organization", "service_at_locations": "service_at_location",
         "location": "location", "locations": "location", "phones": "phone", "contacts": "contact",
         "schedules": "schedule", "addresses": "address", "accessibility": "accessibility",
         "program": "program", "programs": "program"}
SERIOUS = frozenset({"organization", "location"})
#: what the kiosk keeps once per owner, never merged across owners
PER_OWNER = frozenset({"schedule", "phone", "contact"})


def _label(record: Record) -> str:
    return f"{record.id} «{record.name[:60]}»" if record.name else record.id


class _Copies:
    def __init__(self, findings: Findings) -> None:
        self.findings = findings
        self.first: dict[tuple[str, str, str], tuple[Any, Record]] = {}

    def walk(self, obj: dict[str, Any], record: Record, where: str, owner: str, depth: int) -> None:
        if depth > 8:
            return
        for key, value in obj.items():
            kind = KINDS.get(key)
            if kind is None:
                continue
            items = value if isinstance(value, list) else [value]
            for i, item in enumerate(items):
                at = f"{where}{key}[{i}]" if isinstance(value, list) else f"{where}{key}"
                self.one(kind, item, record, at, owner, depth)

    def one(self, kind: str, obj: Any, record: Record, where: str, owner: str, depth: int) -> None:
        if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
            return
        # the kiosk keeps a schedule, a phone and a contact per owner (catalogue schema 10, 12):
        # copies under different owners are not merged, so they are not compared
        key = (kind, obj["id"], owner if kind in PER_OWNER else "")
        seen = self.first.get(key)
        if seen is None:
            self.first[key] = (obj, record)
            self.walk(obj, record, f"{where}.", f"{kind}:{obj['id']}", depth + 1)
            return
        first, first_record = seen
        differ = [k for k in obj if k in first and first[k] != obj[k]]
        if not differ:
            return   # the same copy (or one that only leaves fields out)
        add = self.findings.error if kind in SERIOUS else self.findings.warn
        code = "copy_differs_here" if first_record == record else \
            f"copy_differs_{kind}" if kind in SERIOUS else "copy_differs"
        add(code, record, where, kind=kind, id=obj["id"][:40], other=_label(first_record),
            fields=", ".join(differ[:6])[:120])


def check_copies(services: list[tuple[int, dict[str, Any], Record]], findings: Findings) -> None:
    """Every nested object of ``services`` (``(index, service, record)``, as the structure step
    lists them) against the first copy of its id."""
    copies = _Copies(findings)
    for _i, service, record in services:
        copies.walk(service, record, "", f"service:{service.get('id')}", 0)
