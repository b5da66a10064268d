from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STAFF = "staff", _("Department staff")
    MEMBER = "member", _("Council member")
    PRODUCER = "producer", _("Producer")
    MINISTRY = "ministry", _("Ministry official")


class SubmissionMail(models.TextChoices):
    """How department staff hear by e-mail of dossiers submitted or resubmitted in their province."""

    IMMEDIATE = "immediate", _("One e-mail per submitted dossier")
    DAILY = "daily", _("One daily digest")
    NONE = "none", _("No e-mail (notifications in the portal only)")
