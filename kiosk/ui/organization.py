"""An organization (an office or an NGO): how to reach it, where it is, and all its services.

An organization that offers a sensitive service is shown as discreetly as that service: the quick
exit stands out, its saved contact is the neutral one (:func:`kiosk.handoff.vcard.organization_vcard`)
and the sensitive service is listed by its neutral title.

Its logo is the one the sync downloaded (checked and decoded by :mod:`kiosk.images`), else a
logo file bundled with the kiosk, else none.
"""
from __future__ import annotations

from typing import Any, Optional

from kivy.metrics import dp
from kivy.properties import BooleanProperty, StringProperty

from kiosk.catalogue.cards import OrganizationDetail
from kiosk.handoff.vcard import neutral_name, neutral_title
from kiosk.ui import blocks
from kiosk.ui import format as fmt
from kiosk.ui.base import KioskScreen
from kiosk.ui.i18n import tr
from kiosk.ui.report import report_button
from kiosk.ui.picture import AssetPicture
from kiosk.ui.handoff import organization_handoff
from kiosk.ui.pool import WidgetPool
from kiosk.ui.widgets import ActionArea, KLabel, SectionCard, StaticItemRow


class OrganizationScreen(KioskScreen):
    alternate_name = StringProperty("")
    missing = BooleanProperty(False)

    def __init__(self, **kwargs) -> None:
        # the cards of one page are refilled for the next (see kiosk.ui.pool); so are the
        # hand-off area and the report button, made once
        self.pool = WidgetPool()
        self._actions: Optional[ActionArea] = None
        self._report: Optional[Any] = None
        super().__init__(**kwargs)

    def fetch(self, services, lang, params, open_now):
        detail = services.organization(params.get("org_id", ""), lang)
        return detail, services.picture(detail.card.logo_sha256) if detail is not None else None

    def clear(self) -> None:
        self.spoken_data = None
        self.heading = ""
        self.alternate_name = ""
        self.missing = False
        self.sensitive = False
        self.pool.release_children(self.ids.main)
        self.pool.release_children(self.ids.side)
        if self._actions is not None:
            self._actions.set_actions([])

    def apply(self, data: tuple[OrganizationDetail | None, Any]) -> None:
        detail, picture = data
        self.clear()
        if detail is None:
            self.missing = True
            return
        card = detail.card
        pool = self.pool
        self.spoken_data = detail
        self.heading = card.name
        # it offers a sensitive service: the quick exit stands out, as on that service's page
        self.sensitive = detail.sensitive
        neutral = dict(detail.sensitive_services)
        self.alternate_name = card.alternate_name
        main, side = self.ids.main, self.ids.side
        if card.description:
            main.add_widget(blocks.text_card(tr._("About the organization"), "information", card.description,
                                             pool=pool))
        services = pool.take(SectionCard, title=fmt.services_count(len(detail.services)), icon="document")
        if not detail.services:
            services.add_widget(pool.take(KLabel, text=tr._("No services are listed for this organization."),
                                          tone="muted"))
        for row in detail.services:
            kind, text = fmt.status_chip(row.status, row.service_status)
            # a sensitive service is listed by its neutral title, as its take-aways call it
            name = neutral_name(neutral[row.id], tr.lang) if row.id in neutral else row.name
            services.add_widget(pool.take(StaticItemRow, kind="service", item_id=row.id, name=name,
                                          subtitle="", chip_kind=kind, chip_text=text))
        main.add_widget(services)

        panel = organization_handoff(self.app, detail) if self.app is not None else None
        if panel is not None:
            if self._actions is None:
                self._actions = ActionArea()
            self._actions.title = tr._("Take it with you")
            self._actions.set_actions([panel])
            side.add_widget(self._actions)

        contact = pool.take(SectionCard, title=tr._("How to reach them"), icon="phone", tone="accent")
        logo = (AssetPicture(picture, size_hint=(None, None), size=(dp(120), dp(120)))
                if picture is not None else blocks.logo_widget(card.logo))
        if logo is not None:
            contact.add_widget(logo)
        blocks.contact_lines(contact, card.phones, card.email, card.website, pool)
        if pool.added(contact):
            side.add_widget(contact)
        else:
            pool.release(contact)
        people = blocks.people_card(card.contacts, pool)
        if people is not None:
            side.add_widget(people)
        for loc in detail.locations:
            side.add_widget(blocks.location_card(loc, pool=pool))
        name = neutral_title(detail, tr.lang) if detail.sensitive else card.name
        report = self._report = report_button(self.app, "organization", card.id, name, reuse=self._report)
        if report is not None:
            side.add_widget(report)

    def reset_session(self) -> None:
        super().reset_session()
        self.pool.blank()        # the free cards forget the last visitor's organization too
        if self._report is not None:
            self._report.report_name, self._report.report_subject = "", ("", "")

    def scroll_views(self):
        return [self.ids.scroll]
