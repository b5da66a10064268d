"""The guard rails of the results: each dossier's quorum (the sheets it needs before its score counts), the
outcome each dossier ends the round with, and the council's record of who scored what in each pass."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from ..enums import AssignmentMode, NominationStatus, SheetStatus
from ..models import Conflict, CouncilMember, FieldVisit, Nomination, ScoreSheet
from .nominations import SCORABLE_STATES

RECOGNISED, NOT_RECOGNISED, NOT_SCORED = "recognised", "not_recognised", "not_scored"


@dataclass(frozen=True)
class Quorum:
    """A dossier's sheets: `count` submitted (and counted) of `expected`; it needs `required`."""

    count: int
    expected: int
    required: int

    @property
    def met(self) -> bool:
        return self.count >= self.required

    def shortfall(self) -> str:
        if not self.count:
            return _("No jury member submitted a sheet.")
        return _("%(count)d of %(expected)d sheets submitted; the quorum is %(required)d.") % {
            "count": self.count,
            "expected": self.expected,
            "required": self.required,
        }


@dataclass(frozen=True)
class Outcome:
    row: object
    quorum: Quorum
    kind: str
    reason: str


def _seating(council) -> dict:
    """Who sits where, read once for the council: jury members, conflicts, product groups, assigned dossiers."""
    in_council = {"member__council_id": council.pk}
    return {
        "jury": list(CouncilMember.objects.filter(council=council, is_jury=True).values_list("pk", flat=True)),
        "conflicts": set(Conflict.objects.filter(**in_council).values_list("member_id", "nomination_id")),
        "groups": set(
            CouncilMember.groups.through.objects.filter(councilmember__council_id=council.pk).values_list(
                "councilmember_id", "productgroup_id"
            )
        ),
        "assigned": set(
            CouncilMember.nominations.through.objects.filter(councilmember__council_id=council.pk).values_list(
                "councilmember_id", "nomination_id"
            )
        ),
    }


def _scores(council, seating: dict, member_pk: int, nomination_pk: int, group_id: int) -> bool:
    """Whether the jury member should score the dossier (services.scoring.is_assigned, from sets)."""
    if (member_pk, nomination_pk) in seating["conflicts"]:
        return False
    if council.assignment_mode == AssignmentMode.GROUPS:
        return (member_pk, group_id) in seating["groups"]
    if council.assignment_mode == AssignmentMode.INDIVIDUAL:
        return (member_pk, nomination_pk) in seating["assigned"]
    return True


def dossier_quorums(round_, rows) -> dict[int, Quorum]:
    """{nomination pk: Quorum} for the result rows of the round, in four queries whatever their number. The
    quorum is the round's share (2 of every 3 by default) of the jury members who should score the dossier."""
    council = round_.council
    seating = _seating(council)
    quorums = {}
    for row in rows:
        nomination = row.nomination
        expected = sum(
            1
            for member_pk in seating["jury"]
            if _scores(council, seating, member_pk, nomination.pk, nomination.product.group_id)
        )
        quorums[nomination.pk] = Quorum(count=row.result.count, expected=expected, required=round_.quorum_for(expected))
    return quorums


def dossier_outcomes(round_, rows, chosen_ids) -> list[Outcome]:
    """The outcome each dossier still open (accepted or scored) would end the round with if the decision
    recognised `chosen_ids`: recognised, not recognised, or not scored (short of its quorum), with the reason."""
    quorums = dossier_quorums(round_, rows)
    outcomes = []
    for row in rows:
        if row.nomination.status not in (NominationStatus.ACCEPTED, NominationStatus.SCORED):
            continue
        quorum = quorums[row.nomination.pk]
        if not quorum.met:
            outcomes.append(Outcome(row, quorum, NOT_SCORED, quorum.shortfall()))
        elif row.nomination.pk in chosen_ids:
            outcomes.append(Outcome(row, quorum, RECOGNISED, row.reason))
        else:
            reason = row.reason if not row.passes else _("Not listed in the decision.")
            outcomes.append(Outcome(row, quorum, NOT_RECOGNISED, reason))
    return outcomes


def council_record(council, members) -> dict[int, list[dict]]:
    """{member pk: [{"pass_no", "done", "total"}, …]}: for each pass scored so far, the sheets each jury member
    submitted of the dossiers it should have scored — dossiers accepted for scoring and all those scored,
    decided or closed since, so the record stays after the decision. Five queries for the whole council."""
    seating = _seating(council)
    dossiers = list(
        Nomination.objects.filter(round_id=council.round_id, status__in=SCORABLE_STATES)
        .annotate(visited=Exists(FieldVisit.objects.filter(nomination_id=OuterRef("pk"))))
        .values_list("pk", "product__group_id", "visited")
    )
    submitted = set(
        ScoreSheet.objects.filter(member__council_id=council.pk, status=SheetStatus.SUBMITTED).values_list(
            "member_id", "nomination_id", "pass_no"
        )
    )
    record = {}
    for member in members:
        if not member.is_jury:
            continue
        passes = []
        for pass_no in range(1, council.current_pass + 1):
            own = [
                pk
                for pk, group_id, visited in dossiers
                if (pass_no == 1 or visited) and _scores(council, seating, member.pk, pk, group_id)
            ]
            done = sum(1 for pk in own if (member.pk, pk, pass_no) in submitted)
            passes.append({"pass_no": pass_no, "done": done, "total": len(own)})
        record[member.pk] = passes
    return record
