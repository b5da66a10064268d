"""Recognitions recorded from the paper archive: results of rounds held before the portal (2012 onward), kept so
that a product can be traced across levels and the province's published totals can be reproduced. Recognitions
of rounds run on the portal are written by `decision_publish` and are not touched here."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from products.search import nfc

from ..access import can_record_recognition
from ..enums import RecognitionSource
from ..models import Level, Recognition
from ..validity import recognition_valid_until

FIRST_ARCHIVE_YEAR = 2012  # the first rounds under Thông tư 26/2014's predecessor kept in provincial archives


def _valid_in_year(level: Level, year: int) -> bool:
    """Whether the level existed on some day of the year (2025 has both district and commune rounds)."""
    return (level.valid_from is None or level.valid_from <= datetime.date(year, 12, 31)) and (
        level.valid_until is None or level.valid_until >= datetime.date(year, 1, 1)
    )


def recognition_validate(*, actor, product, level: Level, year: int, decision_number: str, decision_date=None) -> None:
    """Every check `recognition_record` makes, without writing: forms (the back office's) call it to show the
    refusals next to the fields. Raises PermissionDenied or ValidationError."""
    allowed, reason = can_record_recognition(actor, product, level)
    if not allowed:
        raise PermissionDenied(reason)
    today = timezone.localdate()
    errors = {}
    if not decision_number:
        errors["decision_number"] = _("Give the number of the recognition decision, e.g. 1450/QĐ-UBND.")
    if year < FIRST_ARCHIVE_YEAR or year > today.year:
        errors["year"] = _("The year must lie between %(first)d and %(last)d.") % {
            "first": FIRST_ARCHIVE_YEAR,
            "last": today.year,
        }
    elif decision_date is not None and not (year <= decision_date.year <= year + 1):
        errors["decision_date"] = _("The decision date must fall in %(year)d or early the next year.") % {"year": year}
    elif decision_date is not None and decision_date > today:
        errors["decision_date"] = _("The decision date cannot be in the future.")
    elif not (level.is_valid_on(decision_date) if decision_date else _valid_in_year(level, year)):
        errors["level"] = _(
            "%(level)s did not exist at that time: district-level recognitions end on 30/06/2025, "
            "commune-level ones start on 01/07/2025."
        ) % {"level": level.name}
    if errors:
        raise ValidationError(errors)
    if Recognition.objects.filter(product=product, level=level, year=year).exists():
        raise ValidationError(
            _("“%(product)s” is already recorded as recognised at %(level)s in %(year)d.")
            % {"product": product.name, "level": level.name.lower(), "year": year}
        )


@transaction.atomic
def recognition_record(
    *, actor, product, level: Level, year: int, decision_number: str, decision_date=None, note: str = ""
) -> Recognition:
    """Record a recognition from the paper archive (no dossier, no sheets). Its certificate's validity is set
    here, once, by the rule of `awards.validity` from the decision's year (the recognition's year when the
    decision's date is unknown); a certificate printed later copies it."""
    decision_number = nfc(decision_number).strip()
    recognition_validate(
        actor=actor,
        product=product,
        level=level,
        year=year,
        decision_number=decision_number,
        decision_date=decision_date,
    )
    recognition = Recognition(
        product=product,
        level=level,
        year=year,
        decision_number=decision_number,
        decision_date=decision_date,
        valid_until=recognition_valid_until(level, year=year, decision_date=decision_date),
        source=RecognitionSource.ARCHIVE,
        note=nfc(note).strip(),
        recorded_by=actor,
    )
    recognition.full_clean()
    recognition.save()
    return recognition


@transaction.atomic
def recognition_delete(*, actor, recognition: Recognition) -> None:
    """Remove a recognition recorded from the archive by mistake. Those of a decision published on the portal
    stay: they are the decision's content."""
    allowed, reason = can_record_recognition(actor, recognition.product, recognition.level)
    if not allowed:
        raise PermissionDenied(reason)
    if recognition.source != RecognitionSource.ARCHIVE or recognition.decision_id is not None:
        raise ValidationError(
            _("This recognition comes from a decision published on the portal and cannot be removed here.")
        )
    try:
        recognition.delete()
    except ProtectedError as exc:
        raise ValidationError(
            _(
                "A certificate was issued for this recognition, so the recognition stays on record, even once the "
                "certificate is revoked."
            )
        ) from exc
