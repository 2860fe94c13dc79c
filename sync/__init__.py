"""The catalogue feed shared by the municipal server and the kiosks. Never imports ``kiosk``."""
