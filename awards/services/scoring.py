"""Councils, conflicts of interest and score sheets."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.enums import Role

from ..enums import AssignmentMode, NominationStatus, PhaseKind, SheetStatus
from ..models import (
    Conflict,
    Council,
    CouncilMember,
    Criterion,
    FieldVisit,
    Nomination,
    Score,
    ScoreSheet,
    SheetReopening,
)
from ..rules import can_manage_round
from ..selectors import member_nominations, round_results


def _require_manager(actor, round_):
    if not can_manage_round(actor, round_)[0]:
        raise PermissionDenied


@transaction.atomic
def council_create(*, round_, actor, **data) -> Council:
    _require_manager(actor, round_)
    if Council.objects.filter(round=round_).exists():
        raise ValidationError(_("This round already has its council."))
    council = Council(round=round_, **data)
    council.full_clean()
    council.save()
    return council


@transaction.atomic
def council_member_add(
    *, council: Council, user, actor, role: str, organization: str = "", is_jury: bool = True, groups=()
) -> CouncilMember:
    _require_manager(actor, council.round)
    if user.role == Role.PRODUCER:
        raise ValidationError(_("A producer account cannot sit on a council."))
    member = CouncilMember(council=council, user=user, role=role, organization=organization, is_jury=is_jury)
    member.full_clean()
    member.save()
    member.groups.set(groups)
    return member


@transaction.atomic
def conflict_declare(*, member: CouncilMember, nomination: Nomination, reason: str, actor, note: str = "") -> Conflict:
    """Declared by the member itself or added by staff; from then on the member neither sees nor scores the
    dossier, and its sheet (if any) leaves the aggregate."""
    if actor != member.user:
        _require_manager(actor, member.council.round)
    if nomination.round_id != member.council.round_id:
        raise ValidationError(_("This dossier is not in the council's round."))
    conflict, _created = Conflict.objects.get_or_create(
        member=member, nomination=nomination, defaults={"reason": reason, "note": note, "declared_by": actor}
    )
    return conflict


def is_assigned(member: CouncilMember, nomination: Nomination) -> bool:
    """Whether the member scores this dossier: a jury member without a conflict, and — by the council's
    assignment mode — every dossier, those of its product groups, or those the department assigned to it."""
    if not member.is_jury or member.conflicts.filter(nomination=nomination).exists():
        return False
    mode = member.council.assignment_mode
    if mode == AssignmentMode.GROUPS:
        return member.groups.filter(pk=nomination.product.group_id).exists()
    if mode == AssignmentMode.INDIVIDUAL:
        return member.nominations.filter(pk=nomination.pk).exists()
    return True


def is_short_listed(nomination: Nomination) -> bool:
    """Whether the first pass sent the dossier to the field visit and the second pass."""
    return FieldVisit.objects.filter(nomination=nomination).exists()


def sheet_pass(council: Council, nomination: Nomination) -> int:
    """The pass whose sheet a member works on for this dossier now: the second pass only for short-listed
    dossiers once the first pass is closed."""
    if council.current_pass == 2 and is_short_listed(nomination):
        return 2
    return 1


@transaction.atomic
def council_assign(*, council: Council, actor, member: CouncilMember, nominations) -> CouncilMember:
    """Set the dossiers a member scores when the council assigns them one by one (sheets already submitted for
    a dossier taken away stay on file, but a member only scores what it is assigned)."""
    _require_manager(actor, council.round)
    if council.assignment_mode != AssignmentMode.INDIVIDUAL:
        raise ValidationError(_("This council does not assign dossiers to members one by one."))
    if member.council_id != council.pk:
        raise ValidationError(_("This person does not sit on the council."))
    if not member.is_jury:
        raise ValidationError(_("Only jury members score dossiers."))
    nominations = list(nominations)
    if any(n.round_id != council.round_id for n in nominations):
        raise ValidationError(_("This dossier is not in the council's round."))
    conflicted = set(member.conflicts.values_list("nomination_id", flat=True))
    clash = [n for n in nominations if n.pk in conflicted]
    if clash:
        raise ValidationError(
            _("%(member)s has a conflict of interest with: %(products)s.")
            % {"member": member.user.full_name, "products": ", ".join(str(n.product) for n in clash)}
        )
    member.nominations.set(nominations)
    return member


@transaction.atomic
def scoring_pass_close(*, round_, actor, allow_incomplete: bool = False) -> list:
    """Close the first pass of a two-pass council: every dossier whose first-pass score reaches the cut is
    short-listed for a field visit and the second pass; first-pass sheets are locked. Returns the short list."""
    _require_manager(actor, round_)
    council = Council.objects.select_for_update().get(round=round_)
    if council.passes != 2:
        raise ValidationError(_("This council scores in a single pass."))
    if council.current_pass != 1:
        raise ValidationError(_("The first pass is already closed."))
    rows = [r for r in round_results(round_, pass_no=1) if r["nomination"].status == NominationStatus.ACCEPTED]
    if not any(r["result"].count for r in rows):
        raise ValidationError(_("No accepted dossier has a submitted score sheet yet."))
    if not allow_incomplete:
        missing = _incomplete(council, rows)
        if missing:
            raise ValidationError([_("Some members have not submitted their sheets:"), *missing])
    short = [r["nomination"] for r in rows if r["result"].count and r["result"].score >= council.pass_two_cut]
    for nomination in short:
        FieldVisit.objects.get_or_create(nomination=nomination, defaults={"recorded_by": actor})
    council.current_pass = 2
    council.save(update_fields=["current_pass"])
    return short


def _incomplete(council: Council, rows) -> list[str]:
    """One line per dossier that lacks a sheet from a jury member who should score it."""
    jury = list(council.members.filter(is_jury=True))
    lines = []
    for row in rows:
        expected = sum(1 for member in jury if is_assigned(member, row["nomination"]))
        if row["result"].count < expected:
            lines.append(
                _("%(code)s: %(done)d of %(expected)d sheets submitted")
                % {"code": row["nomination"].receipt_code, "done": row["result"].count, "expected": expected}
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


def _leaf_criteria(council: Council):
    return list(Criterion.objects.filter(sheet=council.criteria_sheet, children__isnull=True).order_by("order"))


@transaction.atomic
def sheet_save(
    *,
    member: CouncilMember,
    nomination: Nomination,
    points: dict,
    comment: str = "",
    submit: bool = False,
    pass_no: int | None = None,
) -> ScoreSheet:
    """Save a member's sheet (a draft, or submitted and then locked) for the pass being scored. Every value
    must lie between 0 and the criterion's maximum; a submitted sheet needs every criterion."""
    council = member.council
    if nomination.round_id != council.round_id or not is_assigned(member, nomination):
        raise PermissionDenied
    if nomination.status != NominationStatus.ACCEPTED:
        raise ValidationError(_("This dossier is not open for scoring."))
    current = sheet_pass(council, nomination)
    pass_no = current if pass_no is None else pass_no
    if pass_no > council.passes:
        raise ValidationError(_("This round has no scoring pass %(n)d.") % {"n": pass_no})
    if pass_no != current:
        raise ValidationError(_("Scoring pass %(n)d of this dossier is not open.") % {"n": pass_no})
    sheet, _created = ScoreSheet.objects.get_or_create(nomination=nomination, member=member, pass_no=pass_no)
    sheet = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
    if sheet.status == SheetStatus.SUBMITTED:
        raise ValidationError(_("This sheet is submitted and locked; only the department can reopen it."))
    criteria = _leaf_criteria(council)
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
    for criterion_id, value in values.items():
        Score.objects.update_or_create(sheet=sheet, criterion_id=criterion_id, defaults={"points": value})
    # A field emptied in a draft removes its earlier score (and from the total).
    Score.objects.filter(sheet=sheet, criterion_id__in=cleared).delete()
    sheet.comment = comment
    sheet.total = sum(sheet.scores.values_list("points", flat=True), Decimal(0))
    fields = ["comment", "total", "updated_at"]
    if submit:
        sheet.status = SheetStatus.SUBMITTED
        sheet.submitted_at = timezone.now()
        fields += ["status", "submitted_at"]
    sheet.save(update_fields=fields)
    return sheet


@transaction.atomic
def sheet_reopen(*, sheet: ScoreSheet, actor, reason: str) -> ScoreSheet:
    _require_manager(actor, sheet.member.council.round)
    if not reason.strip():
        raise ValidationError(_("Give the reason for reopening the sheet."))
    sheet = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
    if sheet.status != SheetStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted sheet can be reopened."))
    sheet.status = SheetStatus.DRAFT
    sheet.submitted_at = None
    sheet.save(update_fields=["status", "submitted_at", "updated_at"])
    SheetReopening.objects.create(sheet=sheet, by=actor, reason=reason)
    return sheet


def scoring_reminders_send(*, today=None, days_before: int = 3) -> int:
    """E-mail every jury member who still has dossiers to score in a round whose scoring phase ends within
    `days_before` days. Meant to run daily (manage.py remind_scorers). Returns the number of e-mails sent."""
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
                "date": ends_on.strftime("%d/%m/%Y"),
            }
            send_mail(subject, body, None, [member.user.email])
            sent += 1
    return sent
