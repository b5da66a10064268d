"""Reads of councils and scoring: members' dossiers, progress, a nomination's score and the round's results."""

import functools
from collections.abc import Callable
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, Sum

from ..aggregation import aggregate
from ..enums import AssignmentMode, NominationStatus, SheetStatus
from ..models import (
    Conflict,
    CouncilMember,
    Criterion,
    FieldVisit,
    Nomination,
    Score,
    ScoreSheet,
)
from ..ranking import DossierScores, RankingRules, ResultRow, SheetSummary, rank_dossiers
from .nominations import SCORABLE_STATES


def nomination_score(nomination, pass_no: int = 1):
    """The dossier's aggregate from the submitted sheets of members without a conflict of interest."""
    council = nomination.round.council
    sheets = (
        ScoreSheet.objects.filter(nomination=nomination, pass_no=pass_no, status=SheetStatus.SUBMITTED)
        .exclude(member__conflicts__nomination=nomination)
        .select_related("member__user")
    )
    return aggregate(
        {sheet.member: sheet.total for sheet in sheets},
        method=council.aggregate_method,
        trim_from=council.trim_from,
        outlier_points=council.outlier_points,
    )


def seats_of(user):
    return CouncilMember.objects.filter(user=user, is_jury=True).select_related(
        "council__round__level", "council__criteria_sheet"
    )


def member_nominations(member) -> list[dict]:
    """The dossiers a jury member scores in the pass being scored: accepted, in its groups or assigned to it
    when the council assigns, without those it has a conflict with (and, in the second pass, only the
    short-listed ones); each with the member's sheet of that pass (or None)."""
    council = member.council
    if not member.is_jury:
        return []
    qs = (
        Nomination.objects.filter(round_id=council.round_id, status=NominationStatus.ACCEPTED)
        .exclude(conflicts__member=member)
        .select_related("product__group", "producer")
        .order_by("product__group__order", "receipt_code")
    )
    if council.assignment_mode == AssignmentMode.GROUPS:
        qs = qs.filter(product__group__in=member.groups.all())
    elif council.assignment_mode == AssignmentMode.INDIVIDUAL:
        qs = qs.filter(assigned_members=member)
    pass_no = council.current_pass
    if pass_no == 2:
        qs = qs.filter(field_visit__isnull=False)
    sheets = {s.nomination_id: s for s in ScoreSheet.objects.filter(member=member, pass_no=pass_no)}
    return [{"nomination": n, "sheet": sheets.get(n.pk), "pass_no": pass_no} for n in qs]


def council_progress(council, members) -> dict[int, dict]:
    """{member pk: {"done": submitted sheets, "total": dossiers to score}} for the council's jury members in the
    pass being scored — the same dossiers member_nominations() lists for each — in five queries for the whole
    council, however many members it has."""
    return _progress(list(members), {council.pk: council})


def seats_progress(members) -> dict[int, dict]:
    """council_progress() for seats of any number of councils at once (each seat with its `council` loaded, e.g.
    `select_related("council")`): the same five queries, however many councils and members."""
    members = list(members)
    return _progress(members, {member.council_id: member.council for member in members})


def _progress(members, councils: dict) -> dict[int, dict]:
    if not councils:
        return {}
    by_round = {}
    for pk, round_id, group_id, visited in (
        Nomination.objects.filter(
            round_id__in={c.round_id for c in councils.values()}, status=NominationStatus.ACCEPTED
        )
        .annotate(visited=Exists(FieldVisit.objects.filter(nomination_id=OuterRef("pk"))))
        .values_list("pk", "round_id", "product__group_id", "visited")
    ):
        by_round.setdefault(round_id, []).append((pk, group_id, visited))
    in_councils = {"member__council_id__in": list(councils)}
    conflicts = set(Conflict.objects.filter(**in_councils).values_list("member_id", "nomination_id"))
    submitted = set(
        ScoreSheet.objects.filter(**in_councils, status=SheetStatus.SUBMITTED).values_list(
            "member_id", "nomination_id", "pass_no"
        )
    )
    groups = set(
        CouncilMember.groups.through.objects.filter(councilmember__council_id__in=list(councils)).values_list(
            "councilmember_id", "productgroup_id"
        )
    )
    assigned = set(
        CouncilMember.nominations.through.objects.filter(councilmember__council_id__in=list(councils)).values_list(
            "councilmember_id", "nomination_id"
        )
    )
    progress = {}
    for member in members:
        if not member.is_jury:
            continue
        council = councils[member.council_id]
        mode, pass_no = council.assignment_mode, council.current_pass
        own = [
            pk
            for pk, group_id, visited in by_round.get(council.round_id, [])
            if (pass_no == 1 or visited)
            and (member.pk, pk) not in conflicts
            and (mode != AssignmentMode.GROUPS or (member.pk, group_id) in groups)
            and (mode != AssignmentMode.INDIVIDUAL or (member.pk, pk) in assigned)
        ]
        done = sum(1 for pk in own if (member.pk, pk, pass_no) in submitted)
        progress[member.pk] = {"done": done, "total": len(own)}
    return progress


def _counted_scores(round_, rules: RankingRules, short_listed: set) -> Q:
    """Which scores count: those of the pass that judges each dossier (see RankingRules.pass_of)."""
    if rules.forced_pass is not None:
        return Q(sheet__pass_no=rules.forced_pass)
    if rules.two_pass and rules.current_pass == 2:
        return Q(sheet__pass_no=2, sheet__nomination_id__in=short_listed) | (
            Q(sheet__pass_no=1) & ~Q(sheet__nomination_id__in=short_listed)
        )
    return Q(sheet__pass_no=1)


def _group_points(round_, counted: Q, nomination_ids) -> dict[int, dict[str, Decimal]]:
    """{nomination pk: {criterion group code: points}} of the dossiers `nomination_ids`, summed over each dossier's
    counted sheets by the database (one row per dossier and group, whatever the number of members). One query
    even for no dossier: the results' query count does not depend on whether scores tie."""
    conflicted = Conflict.objects.filter(
        member_id=OuterRef("sheet__member_id"), nomination_id=OuterRef("sheet__nomination_id")
    )
    points_by_nomination = {}
    wanted = sorted(nomination_ids) or [0]  # no dossier has pk 0
    for nomination_id, code, points in (
        Score.objects.filter(counted, sheet__nomination__round=round_, sheet__status=SheetStatus.SUBMITTED)
        .filter(sheet__nomination_id__in=wanted)
        .exclude(Exists(conflicted))
        .values_list("sheet__nomination_id", "criterion__parent__code")
        .annotate(points=Sum("points"))
        .values_list("sheet__nomination_id", "criterion__parent__code", "points")
    ):
        points_by_nomination.setdefault(nomination_id, {})[code] = points
    return points_by_nomination


def _counted_sheets(round_, council, rules: RankingRules, short_listed: set) -> dict[int, list[SheetSummary]]:
    """{nomination pk: its submitted sheets of the pass that judges it}, without those of a member with a
    conflict of interest. Plain rows, not model instances: a 500-dossier round has 4,500 sheets."""
    conflicts = set(Conflict.objects.filter(member__council=council).values_list("member_id", "nomination_id"))
    members = {m.pk: m for m in CouncilMember.objects.filter(council=council).select_related("user")}
    by_nomination = {}
    for pk, nomination_id, member_id, total, sheet_pass in ScoreSheet.objects.filter(
        nomination__round=round_, status=SheetStatus.SUBMITTED
    ).values_list("pk", "nomination_id", "member_id", "total", "pass_no"):
        if (member_id, nomination_id) in conflicts or sheet_pass != rules.pass_of(nomination_id in short_listed):
            continue
        by_nomination.setdefault(nomination_id, []).append(
            SheetSummary(pk=pk, nomination_id=nomination_id, member=members[member_id], total=total, pass_no=sheet_pass)
        )
    return by_nomination


def ranking_rules(round_, pass_no: int | None = None) -> RankingRules:
    council = round_.council
    return RankingRules(
        aggregate_method=council.aggregate_method,
        trim_from=council.trim_from,
        outlier_points=council.outlier_points,
        min_score=round_.min_score,
        passes=council.passes,
        current_pass=council.current_pass,
        pass_two_cut=council.pass_two_cut,
        quota_per_province=round_.quota_per_province,
        forced_pass=pass_no,
    )


# What the results show of each dossier (the page, its decision form and confirmation, the score summary export).
SHOWN_COLUMNS = (
    *("round_id", "product_id", "producer_id", "status", "receipt_code"),
    *("product__name", "product__group_id", "product__group__name", "product__group__order"),
    *("producer__name", "producer__current_province_id", "producer__current_province__name"),
)


def round_dossier_scores(
    round_, rules: RankingRules, *, shown_only=False
) -> tuple[list[DossierScores], list[str], Callable]:
    """The loader of round_results: every scorable dossier of the round with its counted sheets, the criterion
    group codes, and the reader of the dossiers' points per criterion group (`load_points` of rank_dossiers: only
    dossiers that tie on their score need them), in a fixed number of queries (sheets and conflicts are read once
    for the whole round). `shown_only`: the dossiers with SHOWN_COLUMNS only."""
    council = round_.council
    nominations = (
        Nomination.objects.filter(round=round_, status__in=SCORABLE_STATES)
        .select_related("product__group", "producer__current_province")
        .order_by("product__group__order", "receipt_code")
    )
    if shown_only:  # half the time of reading 500 dossiers whole, their products' and producers' texts and dates
        nominations = nominations.only(*SHOWN_COLUMNS)
    short_listed = (
        set(FieldVisit.objects.filter(nomination__round=round_).values_list("nomination_id", flat=True))
        if rules.two_pass
        else set()
    )
    sheets = _counted_sheets(round_, council, rules, short_listed)
    counted = _counted_scores(round_, rules, short_listed)
    dossiers = [
        DossierScores(
            nomination=nomination,
            group=nomination.product.group_id,
            group_order=nomination.product.group.order,
            province=nomination.producer.current_province_id,
            sheets=sheets.get(nomination.pk, []),
            group_points=None,  # read for the dossiers that tie on their score only (rank_dossiers)
            short_listed=nomination.pk in short_listed,
        )
        for nomination in nominations
    ]
    group_codes = sorted(
        Criterion.objects.filter(sheet=council.criteria_sheet, parent__isnull=True).values_list("code", flat=True)
    )
    return dossiers, group_codes, functools.partial(_group_points, round_, counted)


def round_results(round_, pass_no: int | None = None, *, shown_only: bool = False) -> list[ResultRow]:
    """Every scored dossier of a round with its statistics, ranked within its product group (see
    awards.ranking.rank_dossiers). Compute it once per request and pass the rows down.

    With a two-pass council, a dossier short-listed by the first pass is judged on its second-pass sheets once
    the first pass is closed; the others keep their first-pass score and cannot pass. `pass_no` forces one
    pass for every dossier (closing the first pass uses it). `shown_only`: for pages and exports that only show
    the rows (see SHOWN_COLUMNS); a caller that changes the dossiers reads them whole."""
    rules = ranking_rules(round_, pass_no)
    dossiers, group_codes, load_points = round_dossier_scores(round_, rules, shown_only=shown_only)
    return rank_dossiers(dossiers, group_codes, rules, load_points)
