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
from ..selectors.outcomes import dossier_quorums
from ..validity import recognition_valid_until
from .guards import CLOSE, DECISION, require_phase
from .nominations import NOMINATION_WORKFLOW, nomination_transition
from .scoring.councils import _require_manager
from .scoring.passes import _incomplete


@transaction.atomic
def scores_finalise(*, round_, actor, allow_incomplete: bool = False, override_reason: str = "") -> int:
    """Close the scoring: every accepted dossier whose submitted sheets reach the round's quorum becomes
    "scored" (members can no longer change sheets); the others end "not scored", with the reason. Refused, with
    the dossiers listed, while a jury member who should score a dossier has not submitted, unless staff
    explicitly close anyway; refused before the scoring phase unless staff give a reason (logged)."""
    _require_manager(actor, round_)
    council = round_.council
    allowed, reason = can_close_scoring(council)
    if not allowed:
        raise ValidationError(reason)
    rows = [r for r in round_results(round_) if r.nomination.status == NominationStatus.ACCEPTED]
    if not any(r.result.count for r in rows):
        raise ValidationError(_("No accepted dossier has a submitted score sheet yet."))
    if not allow_incomplete:
        incomplete = _incomplete(council, [r for r in rows if r.pass_no == council.current_pass])
        if incomplete:
            raise ValidationError([_("Some members have not submitted their sheets:"), *incomplete])
    require_phase(round_, CLOSE, actor=actor, override_reason=override_reason)
    quorums = dossier_quorums(round_, rows)
    scored = [r for r in rows if quorums[r.nomination.pk].met]
    for row in scored:
        nomination_transition(
            nomination=row.nomination,
            to=NominationStatus.SCORED,
            actor=actor,
            note=_("Score: %(score)s") % {"score": number_format(row.result.score, 2)},
        )
    short = [r.nomination for r in rows if not quorums[r.nomination.pk].met]
    _set_statuses(short, NominationStatus.NOT_SCORED, _shortfall_notes(short, quorums), actor)
    return len(scored)


def _shortfall_notes(nominations, quorums: dict, prefix: str = "") -> dict:
    return {n.pk: f"{prefix}{_('Not scored:')} {quorums[n.pk].shortfall()}" for n in nominations}


def _check_chosen(round_, nominations, rows_by_pk: dict, two_pass: bool, quorums: dict) -> list:
    """The listed dossiers of this round, refused unless each has a submitted sheet, reaches the round's quorum
    (and, with two passes, was short-listed by the first)."""
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
        if not quorums[nomination.pk].met:
            raise ValidationError(
                _("“%(product)s” is short of the quorum and cannot be recognised: %(shortfall)s")
                % {"product": nomination.product, "shortfall": quorums[nomination.pk].shortfall()}
            )
    return chosen


def _set_statuses(nominations: list, to: str, notes: dict, actor, *, notify: bool = True) -> None:
    """Move the dossiers to `to` through the workflow, in a fixed number of queries."""
    transition_many(nominations, to, workflow=NOMINATION_WORKFLOW, actor=actor, notes=notes, notify=notify)


@transaction.atomic
def decision_publish(*, round_, actor, nominations, override_reason: str = "", **data) -> Decision:
    """Record the decision and publish it at once: every listed dossier is recognised at the round's level and
    year (a Recognition with the decision), the other dossiers reaching the quorum are not, and those short of
    it (no sheet, or too few) end "not scored" with the reason; producers are told on commit. Only dossiers
    reaching the quorum can be listed. Refused before the end of the scoring phase unless staff give a reason
    (logged).

    The results are read here, inside the transaction, after locking the council's sheets: a sheet reopened
    while the decision is published waits for it, so the decision never rests on a sheet that was withdrawn
    (results the page computed a moment earlier are not trusted for that).

    A fixed number of queries whatever the number of dossiers (the e-mails after commit aside)."""
    _require_manager(actor, round_)
    if Decision.objects.filter(round=round_).exists():
        raise ValidationError(_("The decision of this round is already published."))
    council = round_.council
    allowed, reason = can_close_scoring(council)
    if not allowed:
        raise ValidationError(reason)
    list(ScoreSheet.objects.select_for_update().filter(member__council=council).values_list("pk", flat=True))
    rows_by_pk = {row.nomination.pk: row for row in round_results(round_)}
    quorums = dossier_quorums(round_, rows_by_pk.values())
    chosen = _check_chosen(round_, nominations, rows_by_pk, council.passes == 2, quorums)
    require_phase(round_, DECISION, actor=actor, override_reason=override_reason)
    if "signer_title" in data:  # stored one line per line: "KT. CHỦ TỊCH – PHÓ CHỦ TỊCH" prints on two
        data["signer_title"] = title_text(data["signer_title"])
    decision = Decision(round=round_, published_at=timezone.now(), published_by=actor, **data)
    decision.full_clean()
    decision.save()
    decision.nominations.set(chosen)
    _settle(round_, decision, {n.pk for n in chosen}, rows_by_pk, quorums, actor)
    return decision


def _settle(round_, decision, chosen_ids: set, rows_by_pk: dict, quorums: dict, actor) -> None:
    """Every dossier still open ends the round: recognised, not recognised, or not scored (short of quorum)."""
    decided = _decided_nominations(round_)
    settled = [n for n in decided if quorums[n.pk].met]
    accepted = [n for n in settled if n.status == NominationStatus.ACCEPTED]
    # The producer hears once, with the result: no e-mail for the move to "scored".
    _set_statuses(accepted, NominationStatus.SCORED, _score_notes(accepted, rows_by_pk), actor, notify=False)
    recognised = [n for n in settled if n.pk in chosen_ids]
    notes = {n.pk: _("Decision %(number)s") % {"number": decision.number} for n in decided}
    _set_statuses(recognised, NominationStatus.RECOGNISED, notes, actor)
    _set_statuses([n for n in settled if n.pk not in chosen_ids], NominationStatus.NOT_RECOGNISED, notes, actor)
    short = [n for n in decided if not quorums[n.pk].met]
    prefix = _("Decision %(number)s.") % {"number": decision.number} + " "
    _set_statuses(short, NominationStatus.NOT_SCORED, _shortfall_notes(short, quorums, prefix), actor)
    _record_recognitions(round_, decision, recognised, actor)


def _decided_nominations(round_) -> list[Nomination]:
    """The dossiers the decision settles, locked and read afresh: every one accepted or scored."""
    return list(
        Nomination.objects.select_for_update()
        .filter(round=round_, status__in=(NominationStatus.ACCEPTED, NominationStatus.SCORED))
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
