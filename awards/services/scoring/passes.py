"""Two-pass councils: closing the first pass (through portal.core.workflow) and the field visits of the short list."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.core.workflow import Workflow, transition

from ...access import can_manage_round
from ...enums import NominationStatus
from ...models import (
    Council,
    CouncilPassLog,
    FieldVisit,
)
from ...selectors import round_results
from ..guards import CLOSE, require_phase
from .councils import _require_manager
from .seats import is_assigned


def _manages(actor, council: Council) -> bool:
    return can_manage_round(actor, council.round)[0]


# A council scores pass 1, then — if it has two — pass 2; closing the first pass is the only move.
PASS_WORKFLOW = Workflow(
    model=Council,
    field="current_pass",
    moves={(1, 2): {_manages}},
    refusal=lambda _from, _to: _("The first pass is already closed."),
    log_model=CouncilPassLog,
)


@transaction.atomic
def scoring_pass_close(*, round_, actor, allow_incomplete: bool = False, override_reason: str = "") -> list:
    """Close the first pass of a two-pass council: every dossier whose first-pass score reaches the cut is
    short-listed for a field visit and the second pass; first-pass sheets are locked. Returns the short list.
    Refused before the scoring phase unless staff give a reason (logged with the round)."""
    short = []

    def short_list(council: Council) -> None:
        short.extend(_short_list(council, round_, actor=actor, allow_incomplete=allow_incomplete))
        require_phase(round_, CLOSE, actor=actor, override_reason=override_reason)

    transition(Council.objects.get(round=round_), 2, workflow=PASS_WORKFLOW, actor=actor, prepare=short_list)
    return short


def _short_list(council: Council, round_, *, actor, allow_incomplete: bool) -> list:
    """The dossiers whose first-pass score reaches the cut, each with its field visit to record."""
    if council.passes != 2:
        raise ValidationError(_("This council scores in a single pass."))
    rows = [r for r in round_results(round_, pass_no=1) if r.nomination.status == NominationStatus.ACCEPTED]
    if not any(r.result.count for r in rows):
        raise ValidationError(_("No accepted dossier has a submitted score sheet yet."))
    if not allow_incomplete:
        missing = _incomplete(council, rows)
        if missing:
            raise ValidationError([_("Some members have not submitted their sheets:"), *missing])
    short = [r.nomination for r in rows if r.result.count and r.result.score >= council.pass_two_cut]
    for nomination in short:
        FieldVisit.objects.get_or_create(nomination=nomination, defaults={"recorded_by": actor})
    return short


def _incomplete(council: Council, rows) -> list[str]:
    """One line per dossier that lacks a sheet from a jury member who should score it."""
    jury = list(council.members.filter(is_jury=True))
    lines = []
    for row in rows:
        expected = sum(1 for member in jury if is_assigned(member, row.nomination))
        if row.result.count < expected:
            lines.append(
                _("%(code)s: %(done)d of %(expected)d sheets submitted")
                % {"code": row.nomination.receipt_code, "done": row.result.count, "expected": expected}
            )
    return lines


@transaction.atomic
def field_visit_record(*, visit: FieldVisit, actor, visited_on, members=(), findings: str = "") -> FieldVisit:
    _require_manager(actor, visit.nomination.round)
    members = list(members)
    if any(m.council.round_id != visit.nomination.round_id for m in members):
        raise ValidationError(_("This person does not sit on the council."))
    if visited_on is None:
        raise ValidationError({"visited_on": _("Give the date of the visit.")})
    visit.visited_on = visited_on
    visit.findings = findings
    visit.recorded_by = actor
    visit.full_clean()
    visit.save()
    visit.members.set(members)
    return visit
