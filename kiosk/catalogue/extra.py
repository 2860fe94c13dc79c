"""What the catalogue's columns do not hold of a feed record, kept whole as raw JSON (issue 15).

Every feed record may carry fields the kiosk has no column for: fields HSDS defines that the
kiosk does not show (a service's ``funding``, ``cost_options``, ``service_areas``, ``program``; a
schedule's ``dtstart``...), fields of other tools' extensions, fields no standard knows. The
build keeps them in the row's ``extra`` JSON column and the export puts them back, so that
``kiosk export-hsds`` gives back what the feed brought.

A reference that the kiosk's foreign keys cannot hold (a category's ``parent_id`` or
``taxonomy_id``, a location's ``organization_id`` that names nothing in the feed) is kept there too,
and the row's column is left empty: the category shows at the top, the location stands alone.
"""
from __future__ import annotations

from typing import Any

from kiosk.catalogue import models as m
from sync.feed.document import TRANSLATIONS_KEY as TR

_OWNERS = {"organization_id", "service_id", "location_id", "service_at_location_id", "contact_id"}
# The feed keys that the build turns into columns or rows of its own, per table.
HELD: dict[type, frozenset[str]] = {cls: frozenset(keys) | {"id", TR} for cls, keys in {
    m.Service: {"organization_id", "name", "alternate_name", "description", "url", "email", "status",
                "interpretation_services", "application_process", "fees_description",
                "eligibility_description", "minimum_age", "maximum_age", "alert", "assured_date",
                "last_modified", "x_demo", "organization", "phones", "contacts", "schedules",
                "required_documents", "languages", "attributes", "service_at_locations"},
    m.Organization: {"name", "alternate_name", "description", "email", "website", "logo", "x_logo_sha256",
                     "year_incorporated", "legal_status", "x_demo", "phones", "contacts"},
    m.Location: {"organization_id", "location_type", "name", "description", "transportation", "url",
                 "latitude", "longitude", "addresses", "accessibility", "phones", "contacts", "schedules"},
    m.Taxonomy: {"name", "description"},
    m.TaxonomyTerm: {"parent_id", "taxonomy_id", "code", "name", "description", "x_icon", "x_icon_url",
                     "x_icon_sha256", "x_order"},
    m.ServiceAtLocation: {"service_id", "location_id", "description", "location", "phones", "contacts",
                          "schedules"},
    m.Accessibility: {"location_id", "description", "details", "url"},
    m.Phone: _OWNERS | {"number", "extension", "type", "description"},
    m.Contact: _OWNERS | {"name", "title", "department", "email", "phones"},
    m.Schedule: _OWNERS | {"freq", "byday", "opens_at", "closes_at", "valid_from", "valid_to", "description",
                           "notes", "attending_type"},
    m.RequiredDocument: {"service_id", "document", "uri"},
    m.Language: {"service_id", "name", "code", "note"},
}.items()}


def extra_of(cls: type, obj: dict[str, Any]) -> dict[str, Any]:
    """The fields of ``obj`` that no column of ``cls`` holds."""
    held = HELD.get(cls)
    if held is None:
        return {}
    return {k: v for k, v in obj.items() if k not in held}


def loosen_references(rows: dict[type, dict[Any, dict[str, Any]]]) -> None:
    """Empty the reference columns that name no row of the feed, keeping their value in extra."""
    checks = ((m.TaxonomyTerm, "parent_id", m.TaxonomyTerm), (m.TaxonomyTerm, "taxonomy_id", m.Taxonomy),
              (m.Location, "organization_id", m.Organization))
    for cls, column, target in checks:
        known = rows[target]
        for row in rows[cls].values():
            value = row.get(column)
            if value is not None and value not in known:
                row["extra"] = {**row.get("extra", {}), column: value}
                row[column] = None

