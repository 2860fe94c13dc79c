"""The visitor-facing Kivy UI: screens (one .py and one .kv each), shared widgets, theme, i18n.

Nothing here may be imported before :func:`kiosk.ui.lockdown.prepare_kivy` has configured Kivy
(``kiosk.app`` does it); ``lockdown`` itself imports Kivy only inside its functions.
"""
