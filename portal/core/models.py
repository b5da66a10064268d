"""Abstract models every app may derive from; portal.core's only tables are those of its `messaging` app (the
e-mail outbox and the notifications), which every app writes."""

from django.conf import settings
from django.db import models


class StatusLog(models.Model):
    """One change of a record's state, written by `portal.core.workflow.transition`: who, when, from, to, why.

    A subclass adds the foreign key to its record (`round`, `nomination`, `project`, …) and may redeclare
    `from_status`/`to_status` with the choices of its states. `actor` is empty when the portal itself made the
    change (`workflow.SYSTEM`) or the account was deleted."""

    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]
