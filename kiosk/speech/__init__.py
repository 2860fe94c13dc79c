"""Speech: what each screen says, written for the ear, and the engine that says it.

- :mod:`kiosk.speech.normalise` and :mod:`kiosk.speech.numbers`: Albanian and English text for
  the ear (phone numbers, times, dates, abbreviations, symbols, numbers in words);
- :mod:`kiosk.speech.screens`, :mod:`kiosk.speech.cards`, :mod:`kiosk.speech.receipts`: one
  plain function per screen, card and outcome, returning :class:`~kiosk.speech.parts.Part` lists;
- :mod:`kiosk.speech.keypad`: the tactile keypad's key map and the focus ring;
- :mod:`kiosk.speech.engine`: espeak-ng streamed to the sound device off the UI thread;
- :mod:`kiosk.speech.cli`: ``kiosk speak``.

Nothing here imports Kivy.
"""
