"""Councils, conflicts of interest and score sheets."""

import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from portal.accounts.enums import Role
from portal.core.formatting import vn_date

from ..access import can_manage_round, may_sit_on_council
from ..enums import AssignmentMode, CouncilRole, NominationStatus, PhaseKind, SheetStatus
from ..models import (
    Conflict,
    Council,
    CouncilMember,
    Criterion,
    Decision,
    FieldVisit,
    Nomination,
    Score,
    ScoreSheet,
    SheetReopening,
)
from ..selectors import member_nominations, round_results


def _require_manager(actor, round_):
    if not can_manage_round(actor, round_)[0]:
        raise PermissionDenied


def council_is_on_record(council: Council) -> bool:
    """Once the round's recognition decision is published, its council (members, assignments, conflicts) is on
    record with it and no longer changes."""
    return Decision.objects.filter(round_id=council.round_id, published_at__isnull=False).exists()


def _require_council_open(council: Council) -> None:
    if council_is_on_record(council):
        raise ValidationError(
            _("The round's recognition decision is published: its council is on record and can no longer change.")
        )


@transaction.atomic
def council_create(*, round_, actor, **data) -> Council:
    _require_manager(actor, round_)
    if Council.objects.filter(round=round_).exists():
        raise ValidationError(_("This round already has its council."))
    council = Council(round=round_, **data)
    council.full_clean()
    council.save()
    return council


# Settings that decide how the submitted sheets are read: fixed once the first sheet is in.
SCORING_SETTINGS = ("criteria_sheet", "aggregate_method", "trim_from", "outlier_points", "passes", "pass_two_cut")


@transaction.atomic
def council_update(*, council: Council, actor, **data) -> Council:
    """Change the council's facts. The criteria sheet and the aggregation settings stay as they are once a
    member has submitted a sheet: the sheets already in were filled and would be read by them."""
    _require_manager(actor, council.round)
    _require_council_open(council)
    council = Council.objects.select_for_update().get(pk=council.pk)
    changed = [f for f in SCORING_SETTINGS if f in data and _field_value(council, f) != _field_value(data, f)]
    if changed and ScoreSheet.objects.filter(member__council=council, status=SheetStatus.SUBMITTED).exists():
        message = _(
            "Members have already submitted score sheets: the criteria sheet and the way the score is computed "
            "can no longer change, or the sheets already submitted would be read differently."
        )
        raise ValidationError(dict.fromkeys(changed, message))
    for field, value in data.items():
        setattr(council, field, value)
    council.full_clean()
    council.save()
    return council


def _field_value(source, field):
    value = source.get(field) if isinstance(source, dict) else getattr(source, field)
    return getattr(value, "pk", value)


def _check_one_chair(council: Council, role: str, member: CouncilMember | None = None) -> None:
    if role != CouncilRole.CHAIR:
        return
    # Lock the council row so that two chairs added at the same moment cannot both pass the check.
    list(Council.objects.select_for_update().filter(pk=council.pk).values_list("pk", flat=True))
    chair = council.members.filter(role=CouncilRole.CHAIR).select_related("user")
    if member is not None and member.pk:
        chair = chair.exclude(pk=member.pk)
    chair = chair.first()
    if chair is not None:
        raise ValidationError(
            {
                "role": _("The council already has a chair: %(name)s. A council has one chair.")
                % {"name": chair.user.full_name}
            }
        )


@transaction.atomic
def council_member_add(
    *, council: Council, user, actor, role: str, organization: str = "", is_jury: bool = True, groups=()
) -> CouncilMember:
    _require_manager(actor, council.round)
    _require_council_open(council)
    seatable, reason = may_sit_on_council(user, council.round)
    if not seatable:
        raise ValidationError(reason)
    if council.members.filter(user=user).exists():
        raise ValidationError(_("%(name)s already sits on this council.") % {"name": user.full_name or user.email})
    _check_one_chair(council, role)
    member = CouncilMember(council=council, user=user, role=role, organization=organization, is_jury=is_jury)
    member.full_clean()
    member.save()
    member.groups.set(groups)
    return member


@transaction.atomic
def council_member_update(
    *, member: CouncilMember, actor, role: str, organization: str = "", is_jury: bool = True, groups=()
) -> CouncilMember:
    _require_manager(actor, member.council.round)
    _require_council_open(member.council)
    _check_one_chair(member.council, role, member)
    member.role, member.organization, member.is_jury = role, organization, is_jury
    member.full_clean()
    member.save(update_fields=["role", "organization", "is_jury"])
    member.groups.set(groups)
    return member


@transaction.atomic
def council_member_remove(*, member: CouncilMember, actor) -> None:
    """Take a person off the council, unless it has score sheets: they are part of the council's record."""
    _require_manager(actor, member.council.round)
    _require_council_open(member.council)
    if member.sheets.exists():
        raise ValidationError(
            _(
                "%(name)s cannot be removed: this member has score sheets, which stay in the council's record. "
                "Take the member off the jury instead."
            )
            % {"name": member.user.full_name}
        )
    member.delete()


def _invitation_link(user, base_url: str) -> str:
    """A set-password link (the password-reset confirmation page) for an account without a password yet,
    otherwise the sign-in page."""
    if user.has_usable_password():
        path = reverse("accounts:login")
    else:
        path = reverse(
            "accounts:password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    return base_url.rstrip("/") + path


def _send_invitation(member: CouncilMember, base_url: str) -> None:
    council, user = member.council, member.user
    round_ = council.round
    scoring = round_.phases.filter(kind=PhaseKind.SCORING).first()
    body = render_to_string(
        "awards/email/council_invitation.txt",
        {
            "member": member,
            "user": user,
            "council": council,
            "round": round_,
            "link": _invitation_link(user, base_url),
            "set_password": not user.has_usable_password(),
            "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
            "scoring": scoring,
        },
    )
    subject = _("Invitation to the council “%(council)s”") % {"council": council.name}
    send_mail(subject, body, None, [user.email])


@transaction.atomic
def council_invitation_send(*, member: CouncilMember, actor, base_url: str) -> CouncilMember:
    """(Re)send a member its invitation: a new person gets a link to choose its password, an existing account
    the sign-in address. The e-mail leaves once the transaction is committed."""
    _require_manager(actor, member.council.round)
    if not member.user.is_active:
        raise ValidationError(_("This account is disabled: it cannot sit on a council."))
    member.invited_at = timezone.now()
    member.save(update_fields=["invited_at"])
    transaction.on_commit(lambda: _send_invitation(member, base_url))
    return member


@transaction.atomic
def council_member_invite(
    *,
    council: Council,
    actor,
    email: str,
    full_name: str = "",
    role: str = CouncilRole.MEMBER,
    organization: str = "",
    is_jury: bool = True,
    groups=(),
    phone: str = "",
    base_url: str = "",
) -> CouncilMember:
    """Seat a person on the council by e-mail address and invite it. An existing account (not a producer's) is
    seated as it is; otherwise a council-member account is created without a password, which the person
    chooses from the link in the invitation (that also confirms its e-mail address)."""
    _require_manager(actor, council.round)
    _require_council_open(council)
    user_model = get_user_model()
    email = user_model.objects.normalize_email(email or "").strip().lower()
    user = user_model.objects.filter(email__iexact=email).first()
    if user is None:
        if not full_name.strip():
            raise ValidationError({"full_name": _("No account uses this e-mail address: give the person's full name.")})
        user = user_model(email=email, full_name=full_name.strip(), phone=phone.strip(), role=Role.MEMBER)
        user.set_unusable_password()
        user.full_clean()
        user.save()
    elif user.role == Role.PRODUCER:  # said of the address typed, rather than of "the account"
        raise ValidationError(
            {"email": _("This e-mail address belongs to a producer's account, which cannot sit on a council.")}
        )
    else:
        seatable, reason = may_sit_on_council(user, council.round)
        if not seatable:
            raise ValidationError({"email": reason})
    member = council_member_add(
        council=council, user=user, actor=actor, role=role, organization=organization, is_jury=is_jury, groups=groups
    )
    return council_invitation_send(member=member, actor=actor, base_url=base_url)


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
SCORING_CLOSED = (NominationStatus.SCORED, NominationStatus.RECOGNISED, NominationStatus.NOT_RECOGNISED)


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
    _require_council_open(council)
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
def council_member_set_groups(*, member: CouncilMember, actor, groups) -> CouncilMember:
    """Set the product groups a member scores when the council assigns dossiers by product group."""
    council = member.council
    _require_manager(actor, council.round)
    _require_council_open(council)
    if council.assignment_mode != AssignmentMode.GROUPS:
        raise ValidationError(_("This council does not assign product groups to members."))
    if not member.is_jury:
        raise ValidationError(_("Only jury members score dossiers."))
    member.groups.set(groups)
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
    # Read the council under its row lock: a sheet saved while staff close the first pass waits for the close
    # and then sees the pass it really lands in.
    council = Council.objects.select_for_update().get(pk=member.council_id)
    if nomination.round_id != council.round_id or not is_assigned(member, nomination):
        raise PermissionDenied
    if nomination.status != NominationStatus.ACCEPTED:
        raise ValidationError(_("This dossier is not open for scoring."))
    current = sheet_pass(council, nomination)
    pass_no = current if pass_no is None else pass_no
    if pass_no > council.passes:
        raise ValidationError(_("This round has no scoring pass %(n)d.") % {"n": pass_no})
    if pass_no != current or council.pass_closed(pass_no):
        # Once the first pass is closed its sheets are on record, and a dossier left off the short list is
        # not scored again.
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
    if sheet.member.council.pass_closed(sheet.pass_no):
        raise ValidationError(_("The first pass is closed: its sheets can no longer be reopened."))
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
                "date": vn_date(ends_on),
            }
            send_mail(subject, body, None, [member.user.email])
            sent += 1
    return sent


@transaction.atomic
def council_minutes_update(
    *, council: Council, actor, meeting_date: datetime.date | None, meeting_place: str, minutes_notes: str
) -> Council:
    """The council's meeting as the minutes (biên bản) print it: when, where, and the council's conclusions."""
    _require_manager(actor, council.round)
    if meeting_date and meeting_date < council.decision_date:
        raise ValidationError(
            {
                "meeting_date": _("The meeting cannot be before the decision setting up the council (%(date)s).")
                % {"date": vn_date(council.decision_date)}
            }
        )
    council.meeting_date = meeting_date
    council.meeting_place = meeting_place.strip()
    council.minutes_notes = minutes_notes.strip()
    council.full_clean()
    council.save(update_fields=["meeting_date", "meeting_place", "minutes_notes"])
    return council
