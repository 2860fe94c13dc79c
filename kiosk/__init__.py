"""Self-service social services kiosk for the Municipality of Elbasan."""

__version__ = "0.1.0"
