"""One service: everything a visitor needs to go and get it, and where to take it home from.

The page is two columns on a wide screen (the service on the left; the provider, contacts and
the hand-off actions on the right) and one column on a narrow, small or portrait one, with the
hand-off actions right under the name.
"""
from __future__ import annotations

from functools import partial
from typing import Any, Callable, Optional

from kivy.properties import BooleanProperty, ObjectProperty, StringProperty

from kiosk.catalogue.cards import ServiceDetail
from kiosk.handoff.vcard import neutral_title
from kiosk.ui import blocks
from kiosk.ui import format as fmt
from kiosk.ui.base import KioskScreen
from kiosk.ui.i18n import tr
from kiosk.ui.pool import WidgetPool
from kiosk.ui.report import report_button
from kiosk.ui.widgets import CheckItem, HoursBlock, HoursRow, InfoLine, KButton, KLabel, SectionCard

#: Hand-off actions (QR code, print...) register here: factory(detail) -> widget or None.
ActionFactory = Callable[[ServiceDetail], Optional[object]]


class ServiceScreen(KioskScreen):
    alternate_name = StringProperty("")
    chip_kind = StringProperty("none")
    chip_text = StringProperty("")
    status_text = StringProperty("")
    missing = BooleanProperty(False)
    detail = ObjectProperty(None, allownone=True)
    #: widgets made ahead for the first pages (:meth:`prepare`): a typical page's worth
    PREPARE = ((KLabel, 14), (InfoLine, 16), (SectionCard, 8), (HoursRow, 7), (CheckItem, 4),
               (HoursBlock, 1))

    #: a typical page's widgets are made (:meth:`prepare`)
    prepared = False

    def __init__(self, **kwargs) -> None:
        # the cards of one page are refilled for the next (see kiosk.ui.pool)
        self.pool = WidgetPool()
        self._about_button: Optional[KButton] = None
        self._report: Optional[KButton] = None
        super().__init__(**kwargs)

    def prepare(self, budget: float = 0.004) -> bool:
        """Make some of a page's widgets ahead, while nobody waits (at most ``budget`` seconds);
        True once a typical page's worth is ready."""
        import time

        deadline = time.perf_counter() + budget
        for cls, count in self.PREPARE:
            while self.pool.free_count(cls) < count:
                if time.perf_counter() >= deadline:
                    return False
                self.pool.fill(cls, 1)
        self.about_button()
        self.prepared = True
        return True

    def about_button(self) -> KButton:
        """The provider card's "About this organization" button: one, bound once."""
        if self._about_button is None:
            button = KButton(text=tr._("About this organization"), icon="organization",
                             variant="primary", auto_width=False)
            button.bind(on_release=self._open_current_org)
            self._about_button = button
        return self._about_button

    def _open_current_org(self, *_args) -> None:
        if self.detail is not None:
            self.app.open_organization(self.detail.organization.id)

    def on_kv_post(self, base_widget) -> None:
        super().on_kv_post(base_widget)
        self.ids.columns.bind(wide=self._place_actions)
        self._place_actions()

    def _place_actions(self, *_args) -> None:
        """The codes to take home head the right column on a wide screen; in one column
        (a small panel, portrait) they come right under the name and status, before the cards."""
        actions, left, right = self.ids.actions, self.ids.left, self.ids.right
        target = right if self.ids.columns.wide else left
        # (ids are weak proxies: compare the widgets themselves, or it moves every time)
        if actions.parent is not None and actions.parent.__self__ is target.__self__:
            return
        actions.parent.remove_widget(actions)
        # children run bottom-up: on the left, just above the cards (``main``, children[0])
        target.add_widget(actions, index=len(right.children) if target is right else 1)

    def fetch(self, services, lang, params, open_now):
        detail, addresses = services.service_page(params.get("service_id", ""), lang)
        return detail, services.now(), addresses

    def fetch_ready(self, services, lang, params, open_now):
        page = services.service_page(params.get("service_id", ""), lang, cached_only=True)
        return None if page is None else (page[0], services.now(), page[1])

    def clear(self) -> None:
        self.detail = None
        self.spoken_data = None
        self.heading = ""
        self.alternate_name = ""
        self.chip_kind, self.chip_text, self.status_text = "none", "", ""
        self.missing = False
        self.sensitive = False
        self.cancel_steps()
        self.pool.release_children(self.ids.main)
        self.pool.release_children(self.ids.side)
        self.ids.actions.set_actions([])
        self.place_head()

    def apply(self, data) -> None:
        detail, now, addresses = data
        self.clear()
        if detail is None:
            self.missing = True
            return
        self.detail = detail
        self.heading = detail.name
        self.sensitive = detail.sensitive
        if detail.sensitive:
            self.app.stop_speech()   # nothing goes on reading aloud over a page that must be discreet
        self.alternate_name = detail.alternate_name
        self.chip_kind, self.chip_text = fmt.status_chip(detail.status, detail.service_status)
        today = now.date() if now else None
        self.spoken_data = (detail, today or _today(), list(addresses[:3]))
        self.status_text = fmt.status_detail(detail.status, today or _today(), detail.service_status)
        main = self._main_cards(detail)
        # The first card and what the visitor takes home are in the touch's own frame, whatever
        # the machine's load (the first QR code with them); then the rest, as much as fits in
        # that frame, the remainder in the next (the cards are refilled, not made: see pool.py).
        for step in main[:1]:
            step()
        self._build_actions(detail)
        self.build_in_steps(self._side_cards(detail, addresses) + main[1:])

    def _build_actions(self, detail: ServiceDetail) -> None:
        factories = list(getattr(self.app, "service_actions", []) or [])
        widgets = [w for w in (factory(detail) for factory in factories) if w is not None]
        self.ids.actions.set_actions(widgets)
        self.place_head()

    def place_head(self) -> None:
        """The name, other name and status: at the top of the service's column, or, where the
        hand-off panel shows its choices beside its code (a small landscape panel), above those
        choices, so that the first code starts at the top of the page and is whole above the
        fold, under the speech controls too (1280x720: 113 px of it was below the fold)."""
        head, left = self.ids.head, self.ids.left
        slot = next((w.head_slot() for w in self.ids.actions.ids.actions.children
                     if hasattr(w, "head_slot")), None)
        target = slot if slot is not None else left
        # (ids are weak proxies: compare the widgets themselves)
        if head.parent is not None and head.parent.__self__ is target.__self__:
            return
        if head.parent is not None:
            head.parent.remove_widget(head)
        # children run bottom-up: in the column, at its top
        target.add_widget(head, index=len(target.children) if target is left else 0)

    def _add(self, parent_id: str, make: Callable[[], Any]) -> Callable[[], None]:
        return lambda: self.ids[parent_id].add_widget(make())

    def _main_cards(self, d: ServiceDetail) -> list[Callable[[], None]]:
        """The service's own column, top to bottom, as steps that each add one card."""
        cards = []
        pool = self.pool
        if d.alert:
            cards.append(lambda: blocks.text_card(tr._("Important"), "warning", d.alert, tone="alert",
                                                  pool=pool))
        if d.description:
            cards.append(lambda: blocks.text_card(tr._("About this service"), "information", d.description,
                                                  pool=pool))
        if d.eligibility or d.minimum_age or d.maximum_age:
            cards.append(partial(_who_card, d, pool))
        if d.application_process:
            cards.append(lambda: blocks.text_card(tr._("How to apply"), "document", d.application_process,
                                                  pool=pool))
        if d.documents:
            cards.append(lambda: blocks.checklist_card(tr._("Documents to bring"), d.documents, pool=pool))
        if d.fees:
            cards.append(lambda: blocks.text_card(tr._("Cost"), "information", d.fees, pool=pool))
        if d.languages or d.interpretation:
            cards.append(partial(_languages_card, d, pool))
        for loc in d.locations:
            cards.append(partial(blocks.location_card, loc, title=tr._("Where to go"), pool=pool))
        if not d.locations and any(day.intervals for day in d.week):
            cards.append(partial(_hours_card, d, pool))
        if d.assured_date:
            cards.append(lambda: pool.take(InfoLine, icon="check", role="small", text=tr._(
                "Information checked on {date}.").format(date=fmt.long_date(d.assured_date))))
        return [self._add("main", make) for make in cards]

    def _side_cards(self, d: ServiceDetail, addresses: list[tuple[str, ...]]) -> list[Callable[[], None]]:
        """The provider (with the places where it gives its services), the service's own
        contact lines and the people to contact about it, as steps."""
        pool = self.pool

        def provider():
            return blocks.provider_card(d.organization, addresses=addresses[:3], pool=pool,
                                        button=self.about_button())

        def contact():
            card = pool.take(SectionCard, title=tr._("Contact for this service"), icon="phone")
            blocks.contact_lines(card, d.phones, d.email, d.url, pool)
            return card

        steps = [self._add("side", provider)]
        if d.phones or d.email or d.url:
            steps.append(self._add("side", contact))
        if d.contacts:
            # the people for this service (HSDS service.contacts), as the organization page shows its own
            steps.append(self._add("side", lambda: blocks.people_card(d.contacts, pool)))
        # a sensitive service's report (and the visit's history) carries only its neutral title
        report = self._report = report_button(
            self.app, "service", d.id, neutral_title(d, tr.lang) if d.sensitive else d.name, reuse=self._report)
        if report is not None:
            steps.append(self._add("side", lambda: report))
        return steps

    def reset_session(self) -> None:
        super().reset_session()
        self.pool.blank()        # the free cards forget the last visitor's service too
        if self._report is not None:
            self._report.report_name, self._report.report_subject = "", ("", "")

    def speech_preface(self, lang: str) -> list:
        """What is said before this page is read aloud: for a sensitive service, that headphones
        are more private (:func:`kiosk.speech.screens.private_listening`); else nothing."""
        if not self.sensitive:
            return []
        from kiosk.speech.screens import private_listening

        return private_listening(lang)

    def scroll_views(self):
        return [self.ids.scroll]


def _languages_card(d: ServiceDetail, pool: WidgetPool) -> SectionCard:
    card = pool.take(SectionCard, title=tr._("Languages spoken"), icon="language")
    if d.languages:
        card.add_widget(pool.take(KLabel, text=", ".join(d.languages)))
    if d.interpretation:
        card.add_widget(pool.take(KLabel, text=d.interpretation, tone="muted"))
    return card


def ages_text(d: ServiceDetail) -> str:
    """The service's age limits as the page writes them ("Mosha 18-25 vjeç"), "" without any."""
    low, high = d.minimum_age, d.maximum_age
    if low and high:
        return tr._("Ages {minimum}-{maximum}").format(minimum=low, maximum=high)
    if low:
        return tr._("Ages {minimum} and over").format(minimum=low)
    if high:
        return tr._("Ages up to {maximum}").format(maximum=high)
    return ""


def _who_card(d: ServiceDetail, pool: WidgetPool) -> SectionCard:
    """Who can apply: the age limits first (HSDS minimum_age, maximum_age), then the text."""
    card = pool.take(SectionCard, title=tr._("Who can apply"), icon="contact")
    ages = ages_text(d)
    if ages:
        card.add_widget(pool.take(KLabel, text=ages, bold=True))
    if d.eligibility:
        card.add_widget(pool.take(KLabel, text=d.eligibility))
    return card


def _hours_card(d: ServiceDetail, pool: WidgetPool) -> SectionCard:
    card = pool.take(SectionCard, title=tr._("When it is open"), icon="clock")
    card.add_widget(blocks.hours_block(d.week, pool=pool))
    return card


def _today():
    from kiosk.catalogue.hours import local_now

    return local_now().date()
