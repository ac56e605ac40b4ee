"""News from a program (`Update`, an event optionally) and the email subscriptions to it."""

from .subscriptions import OutgoingEmail, Subscriber, Subscription
from .update import Update

__all__ = ["Update", "Subscriber", "Subscription", "OutgoingEmail"]
