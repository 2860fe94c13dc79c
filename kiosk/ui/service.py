"""One service: everything a visitor needs to go and get it, and where to take it home from.

The page is two columns on a wide screen (the service on the left; the provider, contacts and
the hand-off actions on the right) and one column on a narrow or portrait one.
"""
from __future__ import annotations

from functools import partial
from typing import Callable, Optional

from kivy.properties import BooleanProperty, ObjectProperty, StringProperty

from kiosk.catalogue.queries import OrganizationDetail, ServiceDetail
from kiosk.ui import blocks
from kiosk.ui import format as fmt
from kiosk.ui.base import KioskScreen
from kiosk.ui.i18n import tr
from kiosk.ui.widgets import InfoLine, KLabel, SectionCard

#: Hand-off actions (QR code, print...) register here: factory(detail) -> widget or None.
ActionFactory = Callable[[ServiceDetail], Optional[object]]


class ServiceScreen(KioskScreen):
    alternate_name = StringProperty("")
    chip_kind = StringProperty("none")
    chip_text = StringProperty("")
    status_text = StringProperty("")
    missing = BooleanProperty(False)
    detail = ObjectProperty(None, allownone=True)

    def fetch(self, services, lang, params, open_now):
        detail = services.service(params.get("service_id", ""), lang)
        org = services.organization(detail.organization.id, lang) if detail is not None else None
        return detail, services.now(), org

    def clear(self) -> None:
        self.detail = None
        self.heading = ""
        self.alternate_name = ""
        self.chip_kind, self.chip_text, self.status_text = "none", "", ""
        self.missing = False
        self.ids.main.clear_widgets()
        self.ids.side.clear_widgets()
        self.ids.actions.set_actions([])

    def apply(self, data) -> None:
        detail, now, org = data
        self.clear()
        if detail is None:
            self.missing = True
            return
        self.detail = detail
        self.heading = detail.name
        self.alternate_name = detail.alternate_name
        self.chip_kind, self.chip_text = fmt.status_chip(detail.status, detail.service_status)
        today = now.date() if now else None
        self.status_text = fmt.status_detail(detail.status, today or _today(), detail.service_status)
        self._build_main(detail)
        self._build_side(detail, org)
        app = self.app
        factories = list(getattr(app, "service_actions", []) or [])
        widgets = [w for w in (factory(detail) for factory in factories) if w is not None]
        self.ids.actions.set_actions(widgets)

    def _build_main(self, d: ServiceDetail) -> None:
        main = self.ids.main
        if d.alert:
            main.add_widget(blocks.text_card(tr._("Important"), "warning", d.alert, tone="alert"))
        if d.description:
            main.add_widget(blocks.text_card(tr._("About this service"), "information", d.description))
        if d.eligibility:
            main.add_widget(blocks.text_card(tr._("Who can apply"), "contact", d.eligibility))
        if d.application_process:
            main.add_widget(blocks.text_card(tr._("How to apply"), "document", d.application_process))
        if d.documents:
            main.add_widget(blocks.checklist_card(tr._("Documents to bring"), d.documents))
        if d.fees:
            main.add_widget(blocks.text_card(tr._("Cost"), "information", d.fees))
        if d.languages or d.interpretation:
            card = SectionCard(title=tr._("Languages spoken"), icon="language")
            if d.languages:
                card.add_widget(KLabel(text=", ".join(d.languages)))
            if d.interpretation:
                card.add_widget(KLabel(text=d.interpretation, tone="muted"))
            main.add_widget(card)
        for loc in d.locations:
            main.add_widget(blocks.location_card(loc, title=tr._("Where to go")))
        if not d.locations and any(day.intervals for day in d.week):
            card = SectionCard(title=tr._("When it is open"), icon="clock")
            card.add_widget(blocks.hours_block(d.week))
            main.add_widget(card)
        if d.assured_date:
            main.add_widget(InfoLine(icon="check", role="small", text=tr._(
                "Information checked on {date}.").format(date=fmt.long_date(d.assured_date))))

    def _build_side(self, d: ServiceDetail, org: Optional[OrganizationDetail]) -> None:
        side = self.ids.side
        addresses = []
        for loc in (org.locations if org is not None else ()):
            if loc.address_lines and loc.address_lines not in addresses:
                addresses.append(loc.address_lines)
        provider = blocks.provider_card(d.organization, addresses=addresses[:3])
        provider.about_button.bind(on_release=partial(self._open_org, d.organization.id))
        side.add_widget(provider)
        if d.phones or d.email or d.url:
            card = SectionCard(title=tr._("Contact for this service"), icon="phone")
            blocks.contact_lines(card, d.phones, d.email, d.url)
            side.add_widget(card)

    def _open_org(self, org_id: str, *_args) -> None:
        self.app.open_organization(org_id)

    def scroll_views(self):
        return [self.ids.scroll]


def _today():
    from kiosk.catalogue.hours import local_now

    return local_now().date()
