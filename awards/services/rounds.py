"""Every write to rounds. Keyword-only, atomic, validated; raise ValidationError with a reason."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.formatting import vn_date
from portal.core.workflow import SYSTEM, Requirement, Workflow, transition
from products.models import ProductGroup

from ..access import can_manage_round
from ..enums import ROUND_TRANSITIONS, AreaKind, PhaseKind, RoundStatus
from ..models import Round, RoundChecklistItem, RoundGroupRule, RoundPhase, RoundStatusLog

ROUND_FIELDS = (
    "level",
    "year",
    "title",
    "organiser",
    "province",
    "local_unit",
    "region",
    "min_score",
    "quota_per_province",
    "quorum_numerator",
    "quorum_denominator",
    "notes",
)


def _check_area(round_: Round) -> None:
    area = round_.level.area_kind
    errors = {}
    if area in (AreaKind.DISTRICT, AreaKind.COMMUNE, AreaKind.PROVINCE):
        if round_.province_id is None:
            errors["province"] = _("A round of this level covers one province: choose it.")
        if round_.region_id:
            errors["region"] = _("Only region rounds have a region.")
    if area in (AreaKind.DISTRICT, AreaKind.COMMUNE):
        unit = round_.local_unit
        if unit is None:
            errors["local_unit"] = _("Choose the commune or district the round covers.")
        elif area == AreaKind.COMMUNE and not (unit.is_current and unit.parent_id == round_.province_id):
            errors["local_unit"] = _("Choose a commune or ward of the round's province.")
        elif area == AreaKind.DISTRICT and not (
            not unit.is_current and unit.level == "district" and unit.parent.successor_id == round_.province_id
        ):
            errors["local_unit"] = _("Choose a district (before 1 July 2025) of the round's province.")
    elif round_.local_unit_id:
        errors["local_unit"] = _("Only commune and district rounds cover a single commune or district.")
    if area == AreaKind.REGION and round_.region_id is None:
        errors["region"] = _("A region round needs its region.")
    if area == AreaKind.NATIONAL and (round_.province_id or round_.region_id):
        field = "province" if round_.province_id else "region"
        errors[field] = _("A national round covers the whole country: leave province and region empty.")
    if round_.level.programme_id != round_.programme_id:
        errors["level"] = _("This level belongs to another programme.")
    if errors:
        raise ValidationError(errors)


def _check_phases(round_: Round, phases: dict) -> None:
    registration = phases.get(PhaseKind.REGISTRATION)
    if registration is None:
        raise ValidationError(_("The registration phase needs its start and end dates."))
    if not round_.level.is_valid_on(registration[0]):
        raise ValidationError(
            {
                "level": _("The level “%(level)s” does not exist on %(date)s (the start of registration).")
                % {"level": round_.level, "date": vn_date(registration[0])}
            }
        )
    for kind, (starts, ends) in phases.items():
        if ends < starts:
            raise ValidationError(_("%(phase)s ends before it starts.") % {"phase": PhaseKind(kind).label})


def _save_phases(round_: Round, phases: dict) -> None:
    round_.phases.exclude(kind__in=list(phases)).delete()
    for kind, (starts, ends) in phases.items():
        RoundPhase.objects.update_or_create(round=round_, kind=kind, defaults={"starts_on": starts, "ends_on": ends})


@transaction.atomic
def round_create(*, programme, phases: dict, **data) -> Round:
    """Create a draft round; its checklist and group rules start as copies of the level's defaults."""
    round_ = Round(programme=programme, status=RoundStatus.DRAFT, **data)
    _check_area(round_)
    _check_phases(round_, phases)
    round_.full_clean()
    round_.save()
    _save_phases(round_, phases)
    level = round_.level
    RoundChecklistItem.objects.bulk_create(
        RoundChecklistItem(round=round_, group=item.group, document_type=item.document_type, required=item.required)
        for item in level.checklist.all()
    )
    RoundGroupRule.objects.bulk_create(
        RoundGroupRule(
            round=round_,
            group=group,
            min_photos=level.min_photos,
            requires_lower_certificate=level.requires_lower_certificate,
        )
        for group in ProductGroup.objects.all()
    )
    return round_


@transaction.atomic
def round_update(*, round_: Round, phases: dict, **data) -> Round:
    for field, value in data.items():
        if field not in ROUND_FIELDS:
            raise TypeError(f"round_update() got an unexpected field {field!r}")
        setattr(round_, field, value)
    _check_area(round_)
    _check_phases(round_, phases)
    round_.full_clean()
    round_.save()
    _save_phases(round_, phases)
    return round_


def _registration_dates(round_: Round) -> list[str]:
    return [] if round_.phases.filter(kind=PhaseKind.REGISTRATION).exists() else ["registration"]


def _manages(actor, round_: Round) -> bool:
    return can_manage_round(actor, round_)[0]


ROUND_WORKFLOW = Workflow(
    model=Round,
    # Staff who manage the round make every move; so may the portal itself (demo data, scheduled jobs).
    moves={(frm, to): {_manages, SYSTEM} for frm, targets in ROUND_TRANSITIONS.items() for to in targets},
    refusal=gettext_lazy("A round cannot go from “%(from)s” to “%(to)s”."),
    log_model=RoundStatusLog,
    requirements={
        RoundStatus.PUBLISHED: Requirement(
            checks=(_registration_dates,),
            message=gettext_lazy("Give the registration dates before publishing the round."),
        )
    },
)


def round_set_status(*, round_: Round, to: str, actor, note: str = "") -> Round:
    """The one way a round changes status (staff who manage it, or SYSTEM for demo data and scheduled jobs)."""
    return transition(round_, to, workflow=ROUND_WORKFLOW, actor=actor, note=note)
