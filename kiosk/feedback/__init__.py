"""What visitors tell the staff without saying who they are: "this is wrong" reports and anonymous
usage counts per hour, kept on the kiosk (:mod:`kiosk.feedback.store`, with the in-memory visit and
search filter of :mod:`kiosk.feedback.visits`) and sent to the server (:mod:`kiosk.feedback.sender`)
under the contract of :mod:`sync.feed.telemetry`. No Kivy here: the UI calls these plain methods.
"""
from kiosk.feedback.sender import FeedbackStatus, Sender, SendResult, api_base
from kiosk.feedback.store import FILENAME, FeedbackStore, Pending

__all__ = ["FILENAME", "FeedbackStatus", "FeedbackStore", "Pending", "SendResult", "Sender", "api_base"]
