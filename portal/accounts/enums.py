from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STAFF = "staff", _("Department staff")
    MEMBER = "member", _("Council member")
    PRODUCER = "producer", _("Producer")
    MINISTRY = "ministry", _("Ministry official")
