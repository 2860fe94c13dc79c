"""'Raportoni një gabim / Report a mistake': the button on the service and organization screens, and
the screen it opens: five large reasons, a thank-you, and back. No typing, nothing about the
visitor: the report is what it is about, the reason, the catalogue version and the hour
(:meth:`kiosk.feedback.FeedbackStore.record_report`, written on a worker thread).
"""
from __future__ import annotations

import logging
from typing import Any, Optional

from kivy.clock import Clock
from kivy.properties import BooleanProperty, StringProperty

from kiosk.ui.base import KioskScreen
from kiosk.ui.i18n import tr
from kiosk.ui.widgets import KButton

log = logging.getLogger(__name__)
SUBJECTS = ("service", "organization")
REASONS = ("phone", "address", "hours", "closed", "other")


def report_button(app: Any, subject: str, subject_id: str, name: str,
                  reuse: Optional[KButton] = None) -> Optional[KButton]:
    """The quiet "Report a mistake" button for a page; None when the kiosk keeps no feedback.
    ``reuse``: the button this page showed before, taken off its old place and pointed at the
    new subject (a page keeps one, bound once, rather than leave one for the collector per page)."""
    if app is None or getattr(app.kiosk, "feedback", None) is None:
        return None
    if reuse is None:
        button = KButton(icon="warning", variant="quiet")
        button.bind(on_release=lambda b: app.go("report", {"subject": b.report_subject[0],
                                                           "subject_id": b.report_subject[1],
                                                           "name": b.report_name}))
    else:
        button = reuse
        if button.parent is not None:
            button.parent.remove_widget(button)
    button.text = tr._("Report a mistake")
    button.report_subject = (subject, subject_id)
    button.report_name = name
    return button


class ReportScreen(KioskScreen):
    subject_name = StringProperty("")
    done = BooleanProperty(False)
    #: seconds the thank-you stays before the kiosk goes back by itself
    BACK_AFTER = 6.0
    _back_event = None

    def fetch(self, services, lang: str, params: dict, open_now: bool) -> Any:
        """The subject's name in the visitor's language (the language may change on this screen);
        a sensitive one's neutral title, and the mark that keeps the quick exit standing out."""
        from kiosk.handoff.vcard import neutral_title

        name, sensitive = str(params.get("name") or ""), False
        try:
            detail = None
            if params.get("subject") == "service":
                detail = services.service(params.get("subject_id"), lang)
                real = detail.name if detail is not None else name
            elif params.get("subject") == "organization":
                detail = services.organization(params.get("subject_id"), lang)
                real = detail.card.name if detail is not None else name
            if detail is not None:
                sensitive = bool(detail.sensitive)
                name = neutral_title(detail, lang) if sensitive else real
        except Exception:  # noqa: BLE001 - the name is a courtesy; the reasons still work
            log.exception("report subject name")
        return {**params, "name": name, "sensitive": sensitive}

    def apply(self, data: dict) -> None:
        self._cancel_back()
        self.done = False
        self.sensitive = bool(data.get("sensitive"))
        self.subject_name = str(data.get("name") or "")
        self.heading = tr._("Report a mistake")

    def scroll_views(self):
        return [self.ids.scroll]

    def choose(self, reason: str) -> None:
        """A reason was touched: keep the report (off the main thread), say thank you."""
        subject, subject_id = self.params.get("subject"), self.params.get("subject_id")
        app = self.app
        store = getattr(app.kiosk, "feedback", None) if app is not None else None
        if self.done or store is None or subject not in SUBJECTS or reason not in REASONS or not subject_id:
            return
        reads = app.reads

        def keep() -> Optional[str]:
            return store.record_report(subject, subject_id, reason, int(reads.info().version))

        app.call_async(keep, on_done=lambda _id: None,
                       on_error=lambda exc: log.error("the report could not be kept: %r", exc))
        self.done = True
        speech = getattr(app, "speech", None)
        if speech is not None and speech.on:
            from kiosk.speech import screens as spoken_screens

            speech.say(spoken_screens.report_thanks(app.lang))
        self._back_event = Clock.schedule_once(lambda _dt: self.back(), self.BACK_AFTER)

    def back(self) -> None:
        self._cancel_back()
        app = self.app
        if app is not None and app.sm.current == self.name:
            app.go_back()

    def _cancel_back(self) -> None:
        if self._back_event is not None:
            self._back_event.cancel()
            self._back_event = None

    def reset_session(self) -> None:
        self._cancel_back()
        self.done = False
        self.subject_name = ""
        super().reset_session()
