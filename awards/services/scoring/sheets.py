"""Score sheets: conflicts of interest, saving and reopening, reminders. Who scores which dossier and the seat's lock:
seats.py."""

import datetime
from decimal import Decimal, InvalidOperation

from django.contrib.admin.models import DELETION, LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from portal.core.formatting import vn_date
from portal.core.messaging.mail import queue_mail
from portal.core.messaging.models import NotificationKind
from portal.core.messaging.notify import notify

from ...enums import NominationStatus, PhaseKind, SheetStatus
from ...models import (
    Conflict,
    Council,
    CouncilMember,
    Criterion,
    Nomination,
    Score,
    ScoreSheet,
    SheetReopening,
)
from ...selectors import member_nominations
from ..guards import SHEET, scoring_refusal
from .councils import _require_council_open, _require_manager
from .seats import Seat, is_assigned, lock_seat
from .sheet_insert import SheetExistsError, create_sheet


@transaction.atomic
def conflict_declare(*, member: CouncilMember, nomination: Nomination, reason: str, actor, note: str = "") -> Conflict:
    """Declared by the member itself or added by staff; from then on the member neither sees nor scores the
    dossier, and its sheet (if any) leaves the aggregate."""
    if actor != member.user:
        _require_manager(actor, member.council.round)
    if nomination.round_id != member.council.round_id:
        raise ValidationError(_("This dossier is not in the council's round."))
    _check_scoring_open(nomination)
    _require_council_open(member.council)
    conflict, _created = Conflict.objects.get_or_create(
        member=member, nomination=nomination, defaults={"reason": reason, "note": note, "declared_by": actor}
    )
    return conflict


# Once scoring of a dossier is closed, its aggregate is on record: conflicts no longer change.
SCORING_CLOSED = (
    NominationStatus.SCORED,
    NominationStatus.RECOGNISED,
    NominationStatus.NOT_RECOGNISED,
    NominationStatus.NOT_SCORED,
)


def _check_scoring_open(nomination: Nomination) -> None:
    if nomination.status in SCORING_CLOSED:
        raise ValidationError(
            _("The scoring of this dossier is closed: its conflicts of interest can no longer change.")
        )


@transaction.atomic
def conflict_remove(*, conflict: Conflict, actor) -> None:
    """Staff withdraw a conflict of interest entered by mistake; the member sees and scores the dossier again.
    The removal is kept in the back office's history (who, when, what)."""
    member = conflict.member
    _require_manager(actor, member.council.round)
    _require_council_open(member.council)
    _check_scoring_open(conflict.nomination)
    LogEntry.objects.log_actions(
        user_id=actor.pk,
        queryset=[conflict],
        action_flag=DELETION,
        change_message=_("Conflict of interest removed: %(member)s · %(code)s (%(reason)s)")
        % {
            "member": member.user.full_name,
            "code": conflict.nomination.receipt_code,
            "reason": conflict.get_reason_display(),
        },
        single_object=True,
    )
    conflict.delete()


def _leaf_criteria(council: Council):
    return list(Criterion.objects.filter(sheet_id=council.criteria_sheet_id, children__isnull=True).order_by("order"))


def sheet_save(
    *,
    member: CouncilMember,
    nomination: Nomination,
    points: dict,
    comment: str = "",
    submit: bool = False,
    pass_no: int | None = None,
    criteria: list[Criterion] | None = None,
    seat: Seat | None = None,
) -> ScoreSheet:
    """Save a member's sheet (a draft, or submitted and then locked) for the pass being scored. Every value
    must lie between 0 and the criterion's maximum; a submitted sheet needs every criterion. `criteria`: the
    scored criteria of the council's criteria sheet when the caller has just read them (the sheet page); read
    here when not given, or when the council has since moved to another criteria sheet. `seat`: the member's
    seat as scoring_seat() locked it, in the transaction under way (the sheet page); locked here when not given.

    A fixed handful of queries whatever the council's size or the number of saves at once: the locks are taken in
    one statement (see seats.lock_seat), the scores written in bulk with their history."""
    if seat is None:
        with transaction.atomic():
            seat = lock_seat(nomination, member=member)
            if seat is None:  # the seat was removed a moment ago
                raise PermissionDenied
            return _save(seat, nomination, points, comment, submit, pass_no, criteria)
    if not seat.held or seat.member.pk != member.pk:
        raise RuntimeError("sheet_save(seat=...) takes the member's seat within scoring_seat()'s transaction")
    return _save(seat, nomination, points, comment, submit, pass_no, criteria)


def _save(seat: Seat, nomination, points, comment, submit, pass_no, criteria) -> ScoreSheet:
    council = seat.council
    pass_no = _open_pass(seat, nomination, pass_no)
    refusal = scoring_refusal(seat.scoring, SHEET)
    if refusal:  # the department moves the dates if need be; a member cannot score outside them
        raise ValidationError(refusal)
    if not criteria or any(c.sheet_id != council.criteria_sheet_id for c in criteria):
        criteria = _leaf_criteria(council)
    key = {"nomination": nomination, "member": seat.member, "pass_no": pass_no}
    # When the lock statement saw no sheet of this pass, the sheet is created without reading it again under its
    # own lock. A save of the same member that committed one while this save waited for the seat is invisible to
    # that statement (its snapshot predates the wait): the creation then writes nothing and the save goes on as
    # for an existing sheet.
    sheet = None if pass_no not in seat.sheet_statuses else _locked_sheet(key)
    values, cleared = _read_points(criteria, points, submit=submit)
    fields = {"comment": comment, "total": sum(values.values(), Decimal(0))}
    if submit:
        fields.update(status=SheetStatus.SUBMITTED, submitted_at=timezone.now())
    if sheet is None:  # no other save of this member runs now (its seat is locked)
        try:
            return _new_sheet(key, fields, values)
        except SheetExistsError:
            sheet = _locked_sheet(key)
    _write_scores(sheet, values, cleared)
    for name, value in fields.items():
        setattr(sheet, name, value)
    sheet.save(update_fields=[*fields, "updated_at"])
    return sheet


class SheetLockedError(ValidationError):
    """The member's sheet is submitted: only the department can reopen it."""

    def __init__(self):
        super().__init__(_("This sheet is submitted and locked; only the department can reopen it."))


def _new_sheet(key: dict, fields: dict, values: dict) -> ScoreSheet:
    """The sheet with its scores and their history: one statement on PostgreSQL (SheetExistsError when a sheet
    with this key exists after all), the ORM's INSERTs elsewhere (SQLite runs one writer at a time)."""
    sheet = create_sheet(key, fields, values)
    if sheet is None:
        sheet = ScoreSheet.objects.create(**key, **fields)
        bulk_create_with_history([Score(sheet=sheet, criterion_id=pk, points=v) for pk, v in values.items()], Score)
    return sheet


def _locked_sheet(key: dict) -> ScoreSheet | None:
    """The member's sheet of this dossier and pass under its row lock, refused once submitted (SheetLockedError); None
    when there is none yet."""
    sheet = ScoreSheet.objects.select_for_update().filter(**key).first()
    if sheet is not None and sheet.status == SheetStatus.SUBMITTED:
        raise SheetLockedError
    return sheet


def _write_scores(sheet: ScoreSheet, values: dict, cleared: list) -> None:
    """Make the sheet's scores exactly `values` (the sheet is locked): new ones created, changed ones updated,
    emptied ones deleted, each kind in one statement with its history."""
    existing = {s.criterion_id: s for s in Score.objects.filter(sheet=sheet)}
    new = [Score(sheet=sheet, criterion_id=pk, points=v) for pk, v in values.items() if pk not in existing]
    changed = []
    for pk, value in values.items():
        score = existing.get(pk)
        if score is not None and score.points != value:
            score.points = value
            changed.append(score)
    if new:
        bulk_create_with_history(new, Score)
    if changed:
        bulk_update_with_history(changed, Score, ["points"])
    # A field emptied in a draft removes its earlier score (and from the total).
    gone = [pk for pk in cleared if pk in existing]
    if gone:
        Score.objects.filter(sheet=sheet, criterion_id__in=gone).delete()


def _open_pass(seat: Seat, nomination: Nomination, pass_no: int | None) -> int:
    """The pass a member's sheet for this dossier is saved in; refused unless the member scores the dossier, the
    dossier is open for scoring and that pass is the one being scored."""
    council = seat.council
    if nomination.round_id != council.round_id or not is_assigned(seat.member, nomination, conflicted=seat.conflicted):
        raise PermissionDenied
    if nomination.status != NominationStatus.ACCEPTED:
        raise ValidationError(_("This dossier is not open for scoring."))
    current = seat.pass_no(nomination)
    pass_no = current if pass_no is None else pass_no
    if pass_no > council.passes:
        raise ValidationError(_("This round has no scoring pass %(n)d.") % {"n": pass_no})
    if pass_no != current or council.pass_closed(pass_no):
        # Once the first pass is closed its sheets are on record, and a dossier left off the short list is
        # not scored again.
        raise ValidationError(_("Scoring pass %(n)d of this dossier is not open.") % {"n": pass_no})
    return pass_no


def _read_points(criteria, points: dict, *, submit: bool) -> tuple[dict, list]:
    """The points typed for each leaf criterion ({criterion pk: Decimal}) and the criteria left empty; refused,
    by criterion code, when a value is not a number or out of range, or empty on a submitted sheet."""
    errors, values, cleared = {}, {}, []
    for criterion in criteria:
        raw = points.get(criterion.pk, points.get(str(criterion.pk)))
        if raw in (None, ""):
            if submit:
                errors[criterion.code] = _("Give a score for %(code)s.") % {"code": criterion.code}
            cleared.append(criterion.pk)
            continue
        try:
            value = Decimal(str(raw).replace(",", "."))
        except InvalidOperation:
            errors[criterion.code] = _("%(code)s: “%(value)s” is not a number.") % {
                "code": criterion.code,
                "value": raw,
            }
            continue
        if not (Decimal(0) <= value <= criterion.max_points):
            errors[criterion.code] = _("%(code)s: the score must be between 0 and %(max)s.") % {
                "code": criterion.code,
                "max": format(criterion.max_points.normalize(), "f"),
            }
            continue
        values[criterion.pk] = value
    if errors:
        raise ValidationError(errors)
    return values, cleared


@transaction.atomic
def sheet_reopen(*, sheet: ScoreSheet, actor, reason: str) -> ScoreSheet:
    _require_manager(actor, sheet.member.council.round)
    if not reason.strip():
        raise ValidationError(_("Give the reason for reopening the sheet."))
    sheet = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
    if sheet.status != SheetStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted sheet can be reopened."))
    if sheet.member.council.pass_closed(sheet.pass_no):
        raise ValidationError(_("The first pass is closed: its sheets can no longer be reopened."))
    sheet.status = SheetStatus.DRAFT
    sheet.submitted_at = None
    sheet.save(update_fields=["status", "submitted_at", "updated_at"])
    SheetReopening.objects.create(sheet=sheet, by=actor, reason=reason)
    return sheet


def scoring_reminders_send(*, today=None, days_before: int = 3) -> int:
    """E-mail every jury member who still has dossiers to score in a round whose scoring phase ends within
    `days_before` days. The worker runs it daily (portal/scheduler.py). Returns the number of e-mails sent."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=days_before)
    councils = (
        Council.objects.filter(
            round__phases__kind=PhaseKind.SCORING,
            round__phases__ends_on__gte=today,
            round__phases__ends_on__lte=horizon,
        )
        .select_related("round")
        .distinct()
    )
    sent = 0
    for council in councils:
        ends_on = council.round.phases.get(kind=PhaseKind.SCORING).ends_on
        for member in council.members.filter(is_jury=True).select_related("user", "council__round"):
            pending = [
                row["nomination"]
                for row in member_nominations(member)
                if row["sheet"] is None or row["sheet"].status != SheetStatus.SUBMITTED
            ]
            if not pending or not member.user.is_active:
                continue
            body = render_to_string(
                "awards/email/scoring_reminder.txt",
                {
                    "member": member,
                    "round": council.round,
                    "pending": pending,
                    "ends_on": ends_on,
                },
            )
            subject = _("Reminder: %(n)d dossier(s) to score before %(date)s") % {
                "n": len(pending),
                "date": vn_date(ends_on),
            }
            queue_mail(to=[member.user.email], subject=subject, body=body)
            notify([member.user], kind=NotificationKind.REMINDER, text=subject, link=reverse("awards:member.dashboard"))
            sent += 1
    return sent
