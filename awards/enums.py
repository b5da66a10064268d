from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaKind(models.TextChoices):
    """What a level's rounds cover; decides which area fields a round must have."""

    DISTRICT = "district", _("A district (before 1 July 2025)")
    COMMUNE = "commune", _("A commune or ward")
    PROVINCE = "province", _("A province")
    REGION = "region", _("A region (several provinces)")
    NATIONAL = "national", _("The whole country")


class PhaseKind(models.TextChoices):
    REGISTRATION = "registration", _("Registration")
    SCREENING = "screening", _("Screening")
    SCORING = "scoring", _("Scoring")
    RESULTS = "results", _("Results")
    APPEALS = "appeals", _("Appeals")


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")


# The only changes of a round's status; round_set_status() refuses anything else.
ROUND_TRANSITIONS = {
    RoundStatus.DRAFT: {RoundStatus.PUBLISHED},
    RoundStatus.PUBLISHED: {RoundStatus.CLOSED},
    RoundStatus.CLOSED: {RoundStatus.PUBLISHED},
}
