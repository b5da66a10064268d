"""Publishing the recognition decision: recognitions, final statuses, notifications."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ..access import can_close_scoring
from ..enums import SYSTEM, NominationStatus, RecognitionSource
from ..models import Decision, Nomination, Recognition
from ..selectors import round_results
from .nominations import nomination_transition
from .scoring import _incomplete, _require_manager


def certificate_valid_until(programme, issued: datetime.date) -> datetime.date:
    """31 December of the n-th year counting the year of issue as the first (Thông tư 14/2018: n = 4)."""
    return datetime.date(issued.year + programme.certificate_years - 1, 12, 31)


@transaction.atomic
def scores_finalise(*, round_, actor, allow_incomplete: bool = False) -> int:
    """Close the scoring: every accepted dossier with submitted sheets becomes "scored" (members can no longer
    change sheets); the council's proposal and the decision follow. Refused, with the dossiers listed, while a
    jury member who should score a dossier has not submitted, unless staff explicitly close anyway."""
    _require_manager(actor, round_)
    rows = [
        r for r in round_results(round_) if r["nomination"].status == NominationStatus.ACCEPTED and r["result"].count
    ]
    if not rows:
        raise ValidationError(_("No accepted dossier has a submitted score sheet yet."))
    council = round_.council
    allowed, reason = can_close_scoring(council)
    if not allowed:
        raise ValidationError(reason)
    if not allow_incomplete:
        incomplete = _incomplete(council, [r for r in rows if r["pass_no"] == council.current_pass])
        if incomplete:
            raise ValidationError([_("Some members have not submitted their sheets:"), *incomplete])
    for row in rows:
        nomination_transition(
            nomination=row["nomination"],
            to=NominationStatus.SCORED,
            actor=actor,
            role=SYSTEM,
            note=_("Score: %(score)s") % {"score": number_format(row["result"].score, 2)},
        )
    return len(rows)


@transaction.atomic
def decision_publish(*, round_, actor, nominations, **data) -> Decision:
    """Record the decision and publish it at once: every listed dossier is recognised at the round's level and
    year (a Recognition with the decision), the other scored dossiers are not; producers are told on commit.
    Only dossiers accepted for scoring with at least one submitted sheet can be listed."""
    _require_manager(actor, round_)
    if Decision.objects.filter(round=round_).exists():
        raise ValidationError(_("The decision of this round is already published."))
    council = round_.council
    two_pass = council.passes == 2
    allowed, reason = can_close_scoring(council)
    if not allowed:
        raise ValidationError(reason)
    rows = {row["nomination"].pk: row for row in round_results(round_)}
    chosen = [n for n in nominations if n.round_id == round_.pk]
    if not chosen:
        raise ValidationError(_("Choose the products the decision recognises."))
    for nomination in chosen:
        row = rows.get(nomination.pk)
        if row is not None and two_pass and not row["short_listed"]:
            raise ValidationError(
                _("“%(product)s” was not short-listed by the first pass: it cannot be recognised.")
                % {"product": nomination.product}
            )
        if row is None or row["result"].count == 0:
            raise ValidationError(_("“%(product)s” has no submitted score sheet.") % {"product": nomination.product})
    decision = Decision(round=round_, published_at=timezone.now(), published_by=actor, **data)
    decision.full_clean()
    decision.save()
    decision.nominations.set(chosen)
    valid_until = certificate_valid_until(round_.programme, decision.date)
    chosen_ids = {n.pk for n in chosen}
    for pk, row in rows.items():
        nomination = Nomination.objects.get(pk=pk)
        if row["result"].count == 0 or nomination.status not in (NominationStatus.ACCEPTED, NominationStatus.SCORED):
            continue
        if nomination.status == NominationStatus.ACCEPTED:
            nomination_transition(
                nomination=nomination,
                to=NominationStatus.SCORED,
                actor=actor,
                role=SYSTEM,
                note=_("Score: %(score)s") % {"score": number_format(row["result"].score, 2)},
                notify=False,  # the producer hears once, with the result
            )
        final = NominationStatus.RECOGNISED if pk in chosen_ids else NominationStatus.NOT_RECOGNISED
        if final == NominationStatus.RECOGNISED:
            Recognition.objects.create(
                product=nomination.product,
                level=round_.level,
                year=round_.year,
                decision_number=decision.number,
                decision_date=decision.date,
                valid_until=valid_until,
                source=RecognitionSource.PORTAL,
                decision=decision,
                nomination=nomination,
                recorded_by=actor,
            )
        nomination_transition(
            nomination=nomination,
            to=final,
            actor=actor,
            role=SYSTEM,
            note=_("Decision %(number)s") % {"number": decision.number},
        )
    return decision
