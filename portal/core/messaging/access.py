"""Each user reads only its own notifications; the outbox (bodies hold sign-in links) is the superusers'."""

from portal.core.access import Rule, register

from .models import Notification, OutgoingMail

register(Notification, Rule(owner="user"))
register(OutgoingMail, Rule(superuser_only=True))
