"""Councils: the council of a round, its members and seats, who scores which dossiers, the minutes."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.core.formatting import vn_date

from ...access import can_manage_round, may_sit_on_council
from ...enums import AssignmentMode, CouncilRole, SheetStatus
from ...models import (
    Council,
    CouncilMember,
    Decision,
    ScoreSheet,
)


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
