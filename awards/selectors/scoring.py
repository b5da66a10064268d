"""Reads of councils and scoring: members' dossiers, progress, a nomination's score and the round's results."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, Sum
from django.utils.translation import gettext as _

from ..aggregation import aggregate, rank_key
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
    return CouncilMember.objects.filter(user=user, is_jury=True).select_related("council__round__level")


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
    pass_no = council.current_pass
    qs = Nomination.objects.filter(round_id=council.round_id, status=NominationStatus.ACCEPTED)
    if pass_no == 2:
        qs = qs.filter(field_visit__isnull=False)
    nominations = list(qs.values_list("pk", "product__group_id"))
    conflicts = set(Conflict.objects.filter(member__council=council).values_list("member_id", "nomination_id"))
    submitted = set(
        ScoreSheet.objects.filter(member__council=council, pass_no=pass_no, status=SheetStatus.SUBMITTED).values_list(
            "member_id", "nomination_id"
        )
    )
    groups = set(
        CouncilMember.groups.through.objects.filter(councilmember__council=council).values_list(
            "councilmember_id", "productgroup_id"
        )
    )
    assigned = set(
        CouncilMember.nominations.through.objects.filter(councilmember__council=council).values_list(
            "councilmember_id", "nomination_id"
        )
    )
    mode = council.assignment_mode
    progress = {}
    for member in members:
        if not member.is_jury:
            continue
        own = [
            pk
            for pk, group_id in nominations
            if (member.pk, pk) not in conflicts
            and (mode != AssignmentMode.GROUPS or (member.pk, group_id) in groups)
            and (mode != AssignmentMode.INDIVIDUAL or (member.pk, pk) in assigned)
        ]
        progress[member.pk] = {"done": sum(1 for pk in own if (member.pk, pk) in submitted), "total": len(own)}
    return progress


@dataclass(frozen=True)
class SheetSummary:
    """A submitted sheet as the results need it (total, member, pass), without loading the model instance."""

    pk: int
    nomination_id: int
    member: CouncilMember
    total: Decimal
    pass_no: int

    @property
    def member_id(self) -> int:
        return self.member.pk


def round_results(round_, pass_no: int | None = None) -> list[dict]:
    """Every scored dossier of a round with its statistics, ranked within its product group, in a fixed number
    of queries: sheets, scores per criterion group and conflicts are read once for the whole round.

    With a two-pass council, a dossier short-listed by the first pass is judged on its second-pass sheets once
    the first pass is closed; the others keep their first-pass score and cannot pass. `pass_no` forces one
    pass for every dossier (closing the first pass uses it)."""
    council = round_.council
    nominations = list(
        Nomination.objects.filter(round=round_, status__in=SCORABLE_STATES)
        .select_related("product__group", "producer__current_province")
        .order_by("product__group__order", "receipt_code")
    )
    two_pass = council.passes == 2
    short_listed = (
        set(FieldVisit.objects.filter(nomination__round=round_).values_list("nomination_id", flat=True))
        if two_pass
        else set()
    )

    def pass_of(nomination_id) -> int:
        if pass_no is not None:
            return pass_no
        return 2 if two_pass and council.current_pass == 2 and nomination_id in short_listed else 1

    conflicts = set(Conflict.objects.filter(member__council=council).values_list("member_id", "nomination_id"))
    members = {m.pk: m for m in CouncilMember.objects.filter(council=council).select_related("user")}
    # Plain rows, not model instances: a 500-dossier round has 4,500 sheets.
    sheets = [
        SheetSummary(pk=pk, nomination_id=nomination_id, member=members[member_id], total=total, pass_no=sheet_pass)
        for pk, nomination_id, member_id, total, sheet_pass in ScoreSheet.objects.filter(
            nomination__round=round_, status=SheetStatus.SUBMITTED
        ).values_list("pk", "nomination_id", "member_id", "total", "pass_no")
        if (member_id, nomination_id) not in conflicts and sheet_pass == pass_of(nomination_id)
    ]
    # Points per criterion group, summed over each dossier's counted sheets by the database (one row per
    # dossier and group, whatever the number of members).
    if pass_no is not None:
        counted = Q(sheet__pass_no=pass_no)
    elif two_pass and council.current_pass == 2:
        counted = Q(sheet__pass_no=2, sheet__nomination_id__in=short_listed) | (
            Q(sheet__pass_no=1) & ~Q(sheet__nomination_id__in=short_listed)
        )
    else:
        counted = Q(sheet__pass_no=1)
    conflicted = Conflict.objects.filter(
        member_id=OuterRef("sheet__member_id"), nomination_id=OuterRef("sheet__nomination_id")
    )
    group_points = {}
    for nomination_id, code, points in (
        Score.objects.filter(counted, sheet__nomination__round=round_, sheet__status=SheetStatus.SUBMITTED)
        .exclude(Exists(conflicted))
        .values_list("sheet__nomination_id", "criterion__parent__code")
        .annotate(points=Sum("points"))
        .values_list("sheet__nomination_id", "criterion__parent__code", "points")
    ):
        group_points.setdefault(nomination_id, {})[code] = points
    by_nomination = {}
    for sheet in sheets:
        by_nomination.setdefault(sheet.nomination_id, []).append(sheet)
    group_codes = sorted(
        Criterion.objects.filter(sheet=council.criteria_sheet, parent__isnull=True).values_list("code", flat=True)
    )
    rows = []
    for nomination in nominations:
        own = by_nomination.get(nomination.pk, [])
        result = aggregate(
            {s.member: s.total for s in own},
            method=council.aggregate_method,
            trim_from=council.trim_from,
            outlier_points=council.outlier_points,
        )
        group_means = [
            ((group_points.get(nomination.pk, {}).get(code) or Decimal(0)) / len(own)) if own else Decimal(0)
            for code in group_codes
        ]
        rows.append(
            {
                "nomination": nomination,
                "result": result,
                "sheets": own,
                "group_means": group_means,
                "outlier_ids": {m.pk for m in result.outliers},
                "pass_no": pass_of(nomination.pk),
                "short_listed": nomination.pk in short_listed,
            }
        )
    # Rank within each product group; apply the minimum score, then the per-province quota in rank order.
    rows.sort(
        key=lambda r: (r["nomination"].product.group.order, [-x for x in rank_key(r["result"].score, r["group_means"])])
    )
    taken, rank, last_group = {}, 0, None
    for row in rows:
        group = row["nomination"].product.group_id
        rank = 1 if group != last_group else rank + 1
        last_group = group
        row["rank"] = rank
        score = row["result"].score
        province = row["nomination"].producer.current_province_id
        cut = format(council.pass_two_cut.normalize(), "f")
        if score is None:
            row["passes"], row["reason"] = False, _("No submitted sheet yet.")
        elif council.first_pass_open and pass_no is None and row["pass_no"] == 1:
            row["passes"] = False
            row["reason"] = (
                _("Reaches the cut of %(cut)s: goes to the field visit and the second pass.")
                if score >= council.pass_two_cut
                else _("Below the cut of %(cut)s for the second pass.")
            ) % {"cut": cut}
        elif two_pass and pass_no is None and row["pass_no"] == 1:
            row["passes"], row["reason"] = False, _("Below the cut of %(cut)s for the second pass.") % {"cut": cut}
        elif score < round_.min_score:
            row["passes"], row["reason"] = (
                False,
                _("Below the minimum score of %(min)s.") % {"min": format(round_.min_score.normalize(), "f")},
            )
        elif round_.quota_per_province and taken.get(province, 0) >= round_.quota_per_province:
            row["passes"], row["reason"] = (
                False,
                _("Over the province's quota of %(n)d.") % {"n": round_.quota_per_province},
            )
        else:
            taken[province] = taken.get(province, 0) + 1
            row["passes"], row["reason"] = True, _("Reaches the minimum score.")
    return rows
