from django.db import models
from django.utils.translation import gettext_lazy as _


class FundingSource(models.TextChoices):
    NATIONAL = "national", _("National extension budget (KCQG)")
    LOCAL = "local", _("Local extension budget (KCĐP)")
    COUNTERPART = "counterpart", _("Counterpart capital of the beneficiary")


class ProjectStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    CONTRACTED = "contracted", _("Contracted")
    IMPLEMENTING = "implementing", _("Implementing")
    ACCEPTED = "accepted", _("Accepted (nghiệm thu)")
    SETTLED = "settled", _("Settled (quyết toán)")
    CANCELLED = "cancelled", _("Cancelled")


# Allowed moves of a project; every move goes through services.project_transition.
PROJECT_TRANSITIONS = {
    ProjectStatus.PROPOSED: {ProjectStatus.APPROVED, ProjectStatus.CANCELLED},
    ProjectStatus.APPROVED: {ProjectStatus.CONTRACTED, ProjectStatus.CANCELLED},
    ProjectStatus.CONTRACTED: {ProjectStatus.IMPLEMENTING, ProjectStatus.CANCELLED},
    ProjectStatus.IMPLEMENTING: {ProjectStatus.ACCEPTED, ProjectStatus.CANCELLED},
    ProjectStatus.ACCEPTED: {ProjectStatus.SETTLED},
    ProjectStatus.SETTLED: set(),
    ProjectStatus.CANCELLED: set(),
}


class ProjectStep(models.TextChoices):
    """The department's next step on a project (the task inbox counts them; the list filters by them)."""

    APPROVAL = "approval", _("Waiting for approval")
    CONTRACT = "contract", _("Waiting for the contract")
    TRANCHE = "tranche", _("Budget left to disburse")
    ACCEPTANCE = "acceptance", _("Waiting for acceptance")
    SETTLEMENT = "settlement", _("Waiting for settlement")


class FairLevel(models.TextChoices):
    PROVINCIAL = "provincial", _("Provincial")
    REGIONAL = "regional", _("Regional")
    NATIONAL = "national", _("National")
    INTERNATIONAL = "international", _("International")


class OutputField(models.TextChoices):
    """The outputs an activity type reports at acceptance (the reports count these)."""

    TRAINEES = "trainees", _("Trainees")
    WORKERS_TRAINED = "workers_trained", _("Workers trained")
    COURSES = "courses", _("Courses")
    MACHINES = "machines", _("Machines installed")
    TRADEMARKS = "trademarks", _("Trademarks built")
    BOOTHS = "booths", _("Fair booths")
