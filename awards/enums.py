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


# The only changes of a round's status; round_set_status() refuses anything else (staff managing the round, or
# portal.core.workflow.SYSTEM, may make each).
ROUND_TRANSITIONS = {
    RoundStatus.DRAFT: {RoundStatus.PUBLISHED},
    RoundStatus.PUBLISHED: {RoundStatus.CLOSED},
    RoundStatus.CLOSED: {RoundStatus.PUBLISHED},
}


class NominationStatus(models.TextChoices):
    """Staff labels; producers see PRODUCER_LABELS."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_SCREENING = "in_screening", _("In screening")
    RETURNED = "returned", _("Returned for correction")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    ACCEPTED = "accepted", _("Accepted for scoring")
    REJECTED = "rejected", _("Rejected")
    SCORED = "scored", _("Scored")
    RECOGNISED = "recognised", _("Recognised")
    NOT_RECOGNISED = "not_recognised", _("Not recognised")
    # Closed without enough sheets (none, or fewer than the round's quorum): no score, with the reason logged.
    NOT_SCORED = "not_scored", _("Not scored")


PRODUCER_LABELS = {
    NominationStatus.DRAFT: _("Being prepared"),
    NominationStatus.SUBMITTED: _("Sent, waiting for the department"),
    NominationStatus.IN_SCREENING: _("The department is checking your dossier"),
    NominationStatus.RETURNED: _("Please correct your dossier"),
    NominationStatus.RESUBMITTED: _("Corrections sent"),
    NominationStatus.ACCEPTED: _("Dossier accepted: waiting for the council"),
    NominationStatus.REJECTED: _("Dossier not accepted"),
    NominationStatus.SCORED: _("Scored by the council"),
    NominationStatus.RECOGNISED: _("Recognised"),
    NominationStatus.NOT_RECOGNISED: _("Not recognised"),
    NominationStatus.NOT_SCORED: _("Not scored by the council"),
}

# Who may move a nomination where. Any other change is refused by nomination_transition(). STAFF: department
# staff; PRODUCER: anyone else acting on the dossier; SYSTEM: the portal itself (portal.core.workflow.SYSTEM).
PRODUCER, STAFF, SYSTEM = "producer", "staff", "system"
NOMINATION_TRANSITIONS = {
    (NominationStatus.DRAFT, NominationStatus.SUBMITTED): {PRODUCER, STAFF},
    (NominationStatus.SUBMITTED, NominationStatus.IN_SCREENING): {STAFF},
    (NominationStatus.SUBMITTED, NominationStatus.RETURNED): {STAFF},
    (NominationStatus.SUBMITTED, NominationStatus.ACCEPTED): {STAFF},
    (NominationStatus.SUBMITTED, NominationStatus.REJECTED): {STAFF},
    (NominationStatus.IN_SCREENING, NominationStatus.RETURNED): {STAFF},
    (NominationStatus.IN_SCREENING, NominationStatus.ACCEPTED): {STAFF},
    (NominationStatus.IN_SCREENING, NominationStatus.REJECTED): {STAFF},
    (NominationStatus.RETURNED, NominationStatus.RESUBMITTED): {PRODUCER, STAFF},
    (NominationStatus.RESUBMITTED, NominationStatus.IN_SCREENING): {STAFF},
    (NominationStatus.RESUBMITTED, NominationStatus.RETURNED): {STAFF},
    (NominationStatus.RESUBMITTED, NominationStatus.ACCEPTED): {STAFF},
    (NominationStatus.RESUBMITTED, NominationStatus.REJECTED): {STAFF},
    (NominationStatus.ACCEPTED, NominationStatus.SCORED): {STAFF, SYSTEM},
    (NominationStatus.SCORED, NominationStatus.RECOGNISED): {STAFF, SYSTEM},
    (NominationStatus.SCORED, NominationStatus.NOT_RECOGNISED): {STAFF, SYSTEM},
    (NominationStatus.ACCEPTED, NominationStatus.NOT_SCORED): {STAFF, SYSTEM},
    (NominationStatus.SCORED, NominationStatus.NOT_SCORED): {STAFF, SYSTEM},
}

# States in which the producer may still edit (all of it in a draft; the requested parts when returned).
EDITABLE_BY_PRODUCER = {NominationStatus.DRAFT, NominationStatus.RETURNED}
# States that count against a round's quota and block a second nomination of the same product.
ACTIVE_STATES = set(NominationStatus) - {NominationStatus.DRAFT, NominationStatus.REJECTED}


class WizardStep(models.TextChoices):
    PRODUCER = "producer", _("Producer data")
    FORM = "form", _("Registration form")
    DOCUMENTS = "documents", _("Documents")
    PHOTOS = "photos", _("Photos")
    DECLARATION = "declaration", _("Declaration and submission")


class CouncilRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    MEMBER = "member", _("Member")
    SECRETARY = "secretary", _("Secretary")


class AssignmentMode(models.TextChoices):
    ALL = "all", _("Every jury member scores every dossier")
    GROUPS = "groups", _("Members score the product groups assigned to them")
    INDIVIDUAL = "individual", _("The department assigns dossiers to each member")


class ConflictReason(models.TextChoices):
    OWN_PRODUCER = "own_producer", _("Works for or owns the producer")
    RELATIVE = "relative", _("Relative of the owner or representative")
    EMPLOYER = "employer", _("Employer or business partner")
    SAME_COMMUNE = "same_commune", _("Same commune")
    OTHER = "other", _("Other")


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class DossierFact(models.TextChoices):
    """The dossier's facts a criterion group is scored on, shown next to the group on the member's sheet."""

    LABOUR = "labour", _("Workers")
    RAW_MATERIALS = "raw_materials", _("Raw materials")
    CAPACITY = "capacity", _("Production capacity")
    MARKET = "market", _("Markets")
    DESCRIPTION = "description", _("Product description")
    PHOTOS = "photos", _("Photos")
    DOCUMENTS = "documents", _("Documents")


class AggregateMethod(models.TextChoices):
    MEAN = "mean", _("Mean of the sheets")
    TRIMMED_MEAN = "trimmed_mean", _("Mean without the highest and lowest (from 5 sheets)")


class RecognitionSource(models.TextChoices):
    PORTAL = "portal", _("Decision published on the portal")
    ARCHIVE = "archive", _("Recorded from the archive")


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Issued")
    REVOKED = "revoked", _("Revoked")
    REPLACED = "replaced", _("Replaced")


class CertificateState(models.TextChoices):
    """What the verification page says: the stored status, and "expired" once the validity date has passed."""

    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    REPLACED = "replaced", _("Replaced by a new certificate")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class OcopLevel(models.TextChoices):
    PROVINCE = "province", _("Province (3★–4★)")
    NATIONAL = "national", _("National (5★)")


class OcopTargetMetric(models.TextChoices):
    AT_LEAST_3 = "at_least_3", _("Products rated 3★ or more")
    FOUR = "four", _("Products rated 4★")
    FIVE = "five", _("Products rated 5★")
    COOPERATIVE_SHARE = "cooperative_share", _("Share of subjects that are cooperatives (%)")
    SME_SHARE = "sme_share", _("Share of subjects that are SMEs (%)")


# A share is a percentage of the rated subjects (at most 100, one decimal); the other metrics count products.
OCOP_SHARE_METRICS = (OcopTargetMetric.COOPERATIVE_SHARE, OcopTargetMetric.SME_SHARE)
OCOP_COUNT_METRICS = (OcopTargetMetric.AT_LEAST_3, OcopTargetMetric.FOUR, OcopTargetMetric.FIVE)
