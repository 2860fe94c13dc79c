"""Hand-made ServiceDetail objects whose every field a hand-off test can predict."""
from __future__ import annotations

from datetime import datetime, timezone

from kiosk.catalogue.hours import OpenStatus, WeeklyRule, week_hours
from kiosk.catalogue.cards import LocationInfo, OrganizationCard, PhoneInfo, ServiceDetail

#: Thursday 12 November 2026, 10:30 in Elbasan (09:30 UTC).
NOW = datetime(2026, 11, 12, 9, 30, tzinfo=timezone.utc)
SERVICE_ID = "3f2b8c1e-7a9d-4e6f-8b1c-2d3e4f5a6b7c"
BASE = "https://sherbime.elbasan.gov.al"


def make_detail(*, name: str = "Çerdhe e Bashkisë", org_name: str = "Shoqata \"Ndihmë\", Çdo ditë; falas",
                url: str = "http://example.org/insecure", website: str = "https://example.org/shoqata",
                phones=(PhoneInfo("054 123 456", "voice", "Sporteli"),),
                org_phones=(PhoneInfo("069 123 4567", "cell", ""), PhoneInfo("054 999 000", "fax", "")),
                lat=41.1125, lon=20.0822, documents=("Kartë identiteti", "ËSHTË e detyrueshme: çertifikatë"),
                address=("Rruga Korçë 5", "3001 Elbasan"), service_id: str = SERVICE_ID,
                status: str = "active", alert: str = "", email: str = "info@example.org") -> ServiceDetail:
    rules = [WeeklyRule(frozenset({0, 1, 2, 3, 4}), 8 * 60, 16 * 60)]
    week = tuple(week_hours(rules, NOW))
    org = OrganizationCard(id="9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", name=org_name, alternate_name="",
                           description="", website=website, email=email, logo="", phones=tuple(org_phones),
                           contacts=(), demo=True)
    loc = LocationInfo(id="0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e", name="Zyra", description="",
                       address_lines=tuple(address), latitude=lat, longitude=lon, transportation="",
                       accessibility=(), phones=(), week=week, status=OpenStatus("open", closes="16:00"))
    return ServiceDetail(
        id=service_id, name=name, alternate_name="", description="", service_status=status,
        eligibility="", application_process="", fees="", documents=tuple(documents), languages=(),
        interpretation="", alert=alert, assured_date=None, last_modified=None, url=url, email="",
        demo=True, organization=org, phones=tuple(phones), locations=(loc,), categories=(),
        status=OpenStatus("open", closes="16:00"), week=())
