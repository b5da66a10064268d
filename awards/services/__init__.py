"""Every write of the awards app. One module per domain; this package re-exports the public services."""

from ..validity import recognition_valid_until
from . import scoring
from .alerts import submission_digest_send
from .certificate_exports import (
    certificate_export_build,
    certificate_export_create,
    certificate_export_retry,
    certificate_exports_purge,
    certificate_exports_resume,
)
from .certificate_signing import (
    certificate_document,
    signing_certificate_check,
    signing_certificate_in_use,
    signing_certificate_install,
    signing_key,
)
from .certificates import (
    certificate_issue,
    certificate_reissue,
    certificate_revoke,
    certificates_issue_for_decision,
)
from .checklists import ChecklistRow, round_checklist_update
from .nominations import (
    NominationError,
    correction_request,
    nomination_accept,
    nomination_attach_document,
    nomination_create,
    nomination_reject,
    nomination_set_photos,
    nomination_start_screening,
    nomination_submit,
    nomination_transition,
    nomination_update_form,
)
from .ocop import ocop_expiry_reminders_send, ocop_rating_record, ocop_target_set, stars_for
from .recognitions import recognition_delete, recognition_record, recognition_validate
from .results import decision_publish, scores_finalise
from .rounds import ROUND_FIELDS, round_create, round_set_status, round_update
from .scoring import *  # noqa: F403 (the scoring services, listed once in scoring.__all__)

__all__ = [
    "ROUND_FIELDS",
    "ChecklistRow",
    "NominationError",
    "certificate_document",
    "certificate_export_build",
    "certificate_export_create",
    "certificate_export_retry",
    "certificate_exports_purge",
    "certificate_exports_resume",
    "certificate_issue",
    "certificate_reissue",
    "certificate_revoke",
    "certificates_issue_for_decision",
    "correction_request",
    "decision_publish",
    "nomination_accept",
    "nomination_attach_document",
    "nomination_create",
    "nomination_reject",
    "nomination_set_photos",
    "nomination_start_screening",
    "nomination_submit",
    "nomination_transition",
    "nomination_update_form",
    "ocop_expiry_reminders_send",
    "ocop_rating_record",
    "ocop_target_set",
    "recognition_delete",
    "recognition_record",
    "recognition_valid_until",
    "recognition_validate",
    "round_checklist_update",
    "round_create",
    "round_set_status",
    "round_update",
    "scores_finalise",
    "signing_certificate_check",
    "signing_certificate_in_use",
    "signing_certificate_install",
    "signing_key",
    "stars_for",
    "submission_digest_send",
]
__all__ += scoring.__all__
