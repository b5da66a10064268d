"""Councils, conflicts of interest, score sheets and scoring passes."""

from .councils import (
    SCORING_SETTINGS,
    council_assign,
    council_create,
    council_is_on_record,
    council_member_add,
    council_member_remove,
    council_member_set_groups,
    council_member_update,
    council_minutes_update,
    council_update,
)
from .invitations import council_invitation_send, council_member_invite
from .passes import PASS_WORKFLOW, field_visit_record, scoring_pass_close
from .seats import Seat, is_assigned, is_short_listed, scoring_seat, sheet_pass
from .sheets import (
    SCORING_CLOSED,
    SheetLockedError,
    conflict_declare,
    conflict_remove,
    scoring_reminders_send,
    sheet_reopen,
    sheet_save,
)

__all__ = [
    "PASS_WORKFLOW",
    "SCORING_CLOSED",
    "SCORING_SETTINGS",
    "Seat",
    "SheetLockedError",
    "conflict_declare",
    "conflict_remove",
    "council_assign",
    "council_create",
    "council_invitation_send",
    "council_is_on_record",
    "council_member_add",
    "council_member_invite",
    "council_member_remove",
    "council_member_set_groups",
    "council_member_update",
    "council_minutes_update",
    "council_update",
    "field_visit_record",
    "is_assigned",
    "is_short_listed",
    "scoring_pass_close",
    "scoring_reminders_send",
    "scoring_seat",
    "sheet_pass",
    "sheet_reopen",
    "sheet_save",
]
