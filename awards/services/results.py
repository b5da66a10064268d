"""Publishing the recognition decision: recognitions, final statuses, notifications."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from portal.core.formatting import title_text
from portal.core.workflow import transition_many

from ..access import can_close_scoring
from ..enums import NominationStatus, RecognitionSource
from ..models import Decision, Nomination, Recognition, ScoreSheet
from ..selectors import round_results
from ..validity import recognition_valid_until
from .nominations import NOMINATION_WORKFLOW, nomination_transition
from .scoring.councils import _require_manager
from .scoring.passes import _incomplete


@transaction.atomic
def scores_finalise(*, round_, actor, allow_incomplete: bool = False) -> int:
    """Close the scoring: every accepted dossier with submitted sheets becomes "scored" (members can no longer
    change sheets); the council's proposal and the decision follow. Refused, with the dossiers listed, while a
    jury member who should score a dossier has not submitted, unless staff explicitly close anyway."""
    _require_manager(actor, round_)
    rows = [r for r in round_results(round_) if r.nomination.status == NominationStatus.ACCEPTED and r.result.count]
    if not rows:
        raise ValidationError(_("No accepted dossier has a submitted score sheet yet."))
    council = round_.council
    allowed, reason = can_close_scoring(council)
    if not allowed:
        raise ValidationError(reason)
    if not allow_incomplete:
        incomplete = _incomplete(council, [r for r in rows if r.pass_no == council.current_pass])
        if incomplete:
            raise ValidationError([_("Some members have not submitted their sheets:"), *incomplete])
    for row in rows:
        nomination_transition(
            nomination=row.nomination,
            to=NominationStatus.SCORED,
            actor=actor,
            note=_("Score: %(score)s") % {"score": number_format(row.result.score, 2)},
        )
    return len(rows)


def _check_chosen(round_, nominations, rows_by_pk: dict, two_pass: bool) -> list:
    """The listed dossiers of this round, refused unless each has a submitted sheet (and, with two passes, was
    short-listed by the first)."""
    chosen = [n for n in nominations if n.round_id == round_.pk]
    if not chosen:
        raise ValidationError(_("Choose the products the decision recognises."))
    for nomination in chosen:
        row = rows_by_pk.get(nomination.pk)
        if row is not None and two_pass and not row.short_listed:
            raise ValidationError(
                _("“%(product)s” was not short-listed by the first pass: it cannot be recognised.")
                % {"product": nomination.product}
            )
        if row is None or row.result.count == 0:
            raise ValidationError(_("“%(product)s” has no submitted score sheet.") % {"product": nomination.product})
    return chosen


def _set_statuses(nominations: list, to: str, notes: dict, actor, *, notify: bool = True) -> None:
    """Move the dossiers to `to` through the workflow, in a fixed number of queries."""
    transition_many(nominations, to, workflow=NOMINATION_WORKFLOW, actor=actor, notes=notes, notify=notify)


@transaction.atomic
def decision_publish(*, round_, actor, nominations, **data) -> Decision:
    """Record the decision and publish it at once: every listed dossier is recognised at the round's level and
    year (a Recognition with the decision), the other scored dossiers are not; producers are told on commit.
    Only dossiers accepted for scoring with at least one submitted sheet can be listed.

    The results are read here, inside the transaction, after locking the council's sheets: a sheet reopened
    while the decision is published waits for it, so the decision never rests on a sheet that was withdrawn
    (results the page computed a moment earlier are not trusted for that).

    A fixed number of queries whatever the number of dossiers (the e-mails after commit aside)."""
    _require_manager(actor, round_)
    if Decision.objects.filter(round=round_).exists():
        raise ValidationError(_("The decision of this round is already published."))
    council = round_.council
    two_pass = council.passes == 2
    allowed, reason = can_close_scoring(council)
    if not allowed:
        raise ValidationError(reason)
    list(ScoreSheet.objects.select_for_update().filter(member__council=council).values_list("pk", flat=True))
    rows_by_pk = {row.nomination.pk: row for row in round_results(round_)}
    chosen = _check_chosen(round_, nominations, rows_by_pk, two_pass)
    if "signer_title" in data:  # stored one line per line: "KT. CHỦ TỊCH – PHÓ CHỦ TỊCH" prints on two
        data["signer_title"] = title_text(data["signer_title"])
    decision = Decision(round=round_, published_at=timezone.now(), published_by=actor, **data)
    decision.full_clean()
    decision.save()
    decision.nominations.set(chosen)
    decided = _decided_nominations(round_, rows_by_pk)
    accepted = [n for n in decided if n.status == NominationStatus.ACCEPTED]
    # The producer hears once, with the result: no e-mail for the move to "scored".
    _set_statuses(accepted, NominationStatus.SCORED, _score_notes(accepted, rows_by_pk), actor, notify=False)
    chosen_ids = {n.pk for n in chosen}
    recognised = [n for n in decided if n.pk in chosen_ids]
    notes = {n.pk: _("Decision %(number)s") % {"number": decision.number} for n in decided}
    _set_statuses(recognised, NominationStatus.RECOGNISED, notes, actor)
    _set_statuses([n for n in decided if n.pk not in chosen_ids], NominationStatus.NOT_RECOGNISED, notes, actor)
    _record_recognitions(round_, decision, recognised, actor)
    return decision


def _decided_nominations(round_, rows_by_pk: dict) -> list[Nomination]:
    """The dossiers the decision settles, locked and read afresh: those with a submitted sheet that are
    accepted or scored."""
    with_sheets = [pk for pk, row in rows_by_pk.items() if row.result.count]
    return list(
        Nomination.objects.select_for_update()
        .filter(round=round_, pk__in=with_sheets, status__in=(NominationStatus.ACCEPTED, NominationStatus.SCORED))
        .select_related("product")
        .order_by("pk")
    )


def _score_notes(nominations, rows_by_pk: dict) -> dict:
    return {
        n.pk: _("Score: %(score)s") % {"score": number_format(rows_by_pk[n.pk].result.score, 2)} for n in nominations
    }


def _record_recognitions(round_, decision, nominations, actor) -> None:
    valid_until = recognition_valid_until(round_.level, year=round_.year, decision_date=decision.date)
    bulk_create_with_history(
        [
            Recognition(
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
            for nomination in nominations
        ],
        Recognition,
    )
