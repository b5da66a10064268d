"""Every write of the awards app. One module per domain; this package re-exports the public services."""

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
from .results import certificate_valid_until, decision_publish, scores_finalise
from .rounds import ROUND_FIELDS, round_create, round_set_status, round_update
from .scoring import (
    conflict_declare,
    council_assign,
    council_create,
    council_member_add,
    field_visit_record,
    scoring_pass_close,
    scoring_reminders_send,
    sheet_reopen,
    sheet_save,
)

__all__ = [
    "ROUND_FIELDS",
    "NominationError",
    "certificate_valid_until",
    "conflict_declare",
    "correction_request",
    "council_assign",
    "council_create",
    "council_member_add",
    "decision_publish",
    "field_visit_record",
    "nomination_accept",
    "nomination_attach_document",
    "nomination_create",
    "nomination_reject",
    "nomination_set_photos",
    "nomination_start_screening",
    "nomination_submit",
    "nomination_transition",
    "nomination_update_form",
    "round_create",
    "round_set_status",
    "round_update",
    "scores_finalise",
    "scoring_pass_close",
    "scoring_reminders_send",
    "sheet_reopen",
    "sheet_save",
]
