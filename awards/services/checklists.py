"""A round's dossier checklist and photo rules, edited by the staff who manage the round.

What producers already submitted stays as it was: an item a dossier has attached a document to may still be
moved up or down or switched between required and optional, but not removed, nor moved to another document type
or product group (the attached document would then answer another question). Items may be added until the
round is closed, but once registration has started a new item is optional and no item becomes required: dossiers
already submitted would otherwise miss it. A closed round's checklist is kept as it was."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..access import can_manage_round
from ..enums import RoundStatus
from ..models import NominationDocument, Round, RoundChecklistItem


@dataclass(frozen=True)
class ChecklistRow:
    """One row of the checklist page: an existing item (pk) or a new one (pk None); `remove` deletes it."""

    pk: int | None
    document_type: object
    group: object
    required: bool
    order: int
    remove: bool = False


def items_in_use(round_: Round) -> set[int]:
    """The checklist items of the round some dossier has attached a document to."""
    return set(NominationDocument.objects.filter(item__round=round_).values_list("item_id", flat=True).distinct())


def registration_started(round_: Round) -> bool:
    phase = round_.registration
    return round_.status != RoundStatus.DRAFT and phase is not None and phase.starts_on <= timezone.localdate()


def _check_rows(round_: Round, rows: list[ChecklistRow], current: dict) -> None:
    in_use = items_in_use(round_)
    started = registration_started(round_)
    for row in rows:
        if row.pk is not None and row.pk not in current:
            raise ValidationError(_("This checklist item belongs to another round."))
        if started and row.required and not row.remove and not (row.pk and current[row.pk].required):
            raise ValidationError(
                _(
                    "Registration has started: “%(item)s” can only be added or kept as optional (“if available”), "
                    "or dossiers already submitted would be missing it."
                )
                % {"item": row.document_type}
            )
        if row.pk not in in_use:
            continue
        item = current[row.pk]
        if row.remove:
            raise ValidationError(
                _("“%(item)s” cannot be removed: dossiers already attached a document to it.") % {"item": item}
            )
        if row.document_type.pk != item.document_type_id or getattr(row.group, "pk", None) != item.group_id:
            raise ValidationError(
                _(
                    "“%(item)s” keeps its document type and product group: dossiers already attached a document "
                    "to it. Add a new item instead."
                )
                % {"item": item}
            )


def _check_duplicates(round_: Round) -> None:
    """One item per document type and group (the database constraint does not see two "all groups" rows)."""
    seen = set()
    for item in round_.checklist.select_related("document_type"):
        key = (item.document_type_id, item.group_id)
        if key in seen:
            raise ValidationError(_("“%(item)s” is already on the checklist for this product group.") % {"item": item})
        seen.add(key)


@transaction.atomic
def round_checklist_update(*, round_: Round, actor, rows: list[ChecklistRow], rules: dict) -> Round:
    """Save the checklist rows and the photo rules (`rules` maps a group rule's pk to its min_photos and
    requires_lower_certificate). All or nothing: a refused row leaves the whole checklist as it was."""
    if not can_manage_round(actor, round_)[0]:
        raise PermissionDenied
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status == RoundStatus.CLOSED:
        raise ValidationError(_("The round is closed: its checklist and photo rules can no longer be changed."))
    current = {item.pk: item for item in round_.checklist.all()}
    _check_rows(round_, rows, current)
    for row in rows:
        if row.remove:
            if row.pk is not None:
                current[row.pk].delete()
            continue
        item = current.get(row.pk) or RoundChecklistItem(round=round_)
        item.document_type, item.group = row.document_type, row.group
        item.required, item.order = row.required, row.order
        item.full_clean()
        item.save()
    _check_duplicates(round_)
    group_rules = {rule.pk: rule for rule in round_.group_rules.all()}
    for pk, values in rules.items():
        rule = group_rules.get(pk)
        if rule is None:
            raise ValidationError(_("This photo rule belongs to another round."))
        rule.min_photos = values["min_photos"]
        rule.requires_lower_certificate = values["requires_lower_certificate"]
        rule.full_clean()
        rule.save(update_fields=["min_photos", "requires_lower_certificate"])
    return round_
