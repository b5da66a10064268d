from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.enums import Role
from products.enums import OrganizationKind
from products.models import AdministrativeUnit
from products.rules import is_staff, staff_province_id
from products.search import fold

from .aggregation import aggregate, rank_key
from .enums import ACTIVE_STATES, AreaKind, AssignmentMode, NominationStatus, PhaseKind, RoundStatus, SheetStatus
from .models import (
    Conflict,
    CouncilMember,
    Criterion,
    FieldVisit,
    Level,
    Nomination,
    Recognition,
    Round,
    RoundPhase,
    Score,
    ScoreSheet,
)


def _with_details(qs: QuerySet[Round]) -> QuerySet[Round]:
    return qs.select_related("level", "organiser", "province", "local_unit", "region").prefetch_related(
        Prefetch("phases", queryset=RoundPhase.objects.order_by("starts_on"))
    )


def rounds_for_staff(user) -> QuerySet[Round]:
    qs = _with_details(Round.objects.all())
    if user.is_superuser:
        return qs
    org = user.organization if user.role == Role.STAFF else None
    if org is None:
        return qs.none()
    if org.kind == OrganizationKind.MINISTRY_AGENCY:
        return qs.filter(level__area_kind__in=[AreaKind.REGION, AreaKind.NATIONAL])
    # A province sees its own rounds and the region/national rounds its producers may be sent to.
    return qs.filter(
        Q(province_id=org.province_id) | Q(region__provinces=org.province_id) | Q(level__area_kind=AreaKind.NATIONAL)
    ).distinct()


def round_covers(round_, producer) -> bool:
    """Whether a producer may take part in a round: it lies in the round's commune, district, province or
    region (a national round takes everyone)."""
    area = round_.level.area_kind
    if area == AreaKind.NATIONAL:
        return True
    if area == AreaKind.REGION:
        return round_.region.provinces.filter(pk=producer.current_province_id).exists()
    if area in (AreaKind.COMMUNE, AreaKind.DISTRICT):
        return producer.unit_id == round_.local_unit_id
    return producer.current_province_id == round_.province_id


def rounds_open_to_public(today=None) -> QuerySet[Round]:
    """Published rounds whose registration has not closed yet, soonest deadline first."""
    today = today or timezone.localdate()
    registration_ends = RoundPhase.objects.filter(round=OuterRef("pk"), kind=PhaseKind.REGISTRATION).values("ends_on")
    return (
        _with_details(Round.objects.filter(status=RoundStatus.PUBLISHED))
        .annotate(registration_ends=Subquery(registration_ends))
        .filter(registration_ends__gte=today)
        .order_by("registration_ends", "title")
    )


# -- nominations ----------------------------------------------------------------------------------------------
def group_rule(nomination):
    rule = next((r for r in nomination.round.group_rules.all() if r.group_id == nomination.product.group_id), None)
    return rule


def nomination_checklist(nomination, today=None) -> list[dict]:
    """The round's checklist for this product's group, each item with its attached document and state:
    'ok', 'missing' (required, nothing attached), 'optional' (nothing attached) or 'expired'."""
    today = today or timezone.localdate()
    attached = {nd.item_id: nd.document for nd in nomination.documents.select_related("document__doc_type")}
    rows = []
    for item in nomination.round.checklist.select_related("document_type", "group"):
        if item.group_id not in (None, nomination.product.group_id):
            continue
        document = attached.get(item.pk)
        if document is None:
            state = "missing" if item.required else "optional"
        elif document.expiry_date and document.expiry_date < today:
            state = "expired"
        else:
            state = "ok"
        rows.append({"item": item, "document": document, "state": state})
    return rows


def valid_lower_recognition(product, level, today=None):
    """A recognition of the product at a level whose next level is `level`, with a certificate still valid."""
    today = today or timezone.localdate()
    return (
        Recognition.objects.filter(product=product, level__next_level=level)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .select_related("level")
        .order_by("-year")
        .first()
    )


def nomination_problems(nomination, today=None) -> list[tuple[str, str]]:
    """Everything that stops the dossier from being submitted, as (code, message) pairs."""
    today = today or timezone.localdate()
    problems = []
    round_ = nomination.round
    if nomination.status == NominationStatus.DRAFT:
        if not round_.is_open_for_registration(today):
            problems.append(("phase", _("The round is not taking registrations now.")))
    elif (
        nomination.status == NominationStatus.RETURNED
        and nomination.correction_deadline
        and today > nomination.correction_deadline
    ):
        problems.append(
            (
                "deadline",
                _("The deadline for corrections (%(date)s) has passed.")
                % {"date": nomination.correction_deadline.strftime("%d/%m/%Y")},
            )
        )
    labels = {f.name: f.verbose_name for f in Nomination._meta.fields}
    for field in Nomination.REQUIRED_FORM_FIELDS:
        if getattr(nomination, field) in (None, ""):
            problems.append(
                (f"field:{field}", _("Registration form: “%(field)s” is empty.") % {"field": labels[field]})
            )
    for row in nomination_checklist(nomination, today):
        item = row["item"]
        if row["state"] == "missing":
            problems.append((f"doc:{item.pk}", _("Missing document: %(doc)s.") % {"doc": item.document_type}))
        elif row["state"] == "expired":
            problems.append(
                (
                    f"doc:{item.pk}",
                    _("Expired document: %(doc)s (expired on %(date)s).")
                    % {"doc": item.document_type, "date": row["document"].expiry_date.strftime("%d/%m/%Y")},
                )
            )
    rule = group_rule(nomination)
    min_photos = rule.min_photos if rule else 3
    count = nomination.photos.count()
    if count < min_photos:
        problems.append(
            ("photos", _("Photos: %(count)d chosen, at least %(min)d needed.") % {"count": count, "min": min_photos})
        )
    if not nomination.declaration_accepted:
        problems.append(("declaration", _("The declaration of eligibility has not been accepted.")))
    if (
        rule
        and rule.requires_lower_certificate
        and valid_lower_recognition(nomination.product, round_.level, today) is None
    ):
        problems.append(
            (
                "eligibility",
                _("The product has no recognition of the level below with a certificate that is still valid."),
            )
        )
    if round_.quota_per_province and nomination.status == NominationStatus.DRAFT:
        taken = (
            Nomination.objects.filter(
                round=round_,
                status__in=ACTIVE_STATES,
                producer__current_province_id=nomination.producer.current_province_id,
            )
            .exclude(pk=nomination.pk)
            .count()
        )
        if taken >= round_.quota_per_province:
            problems.append(
                (
                    "quota",
                    _("The province has already sent the maximum of %(n)d nominations to this round.")
                    % {"n": round_.quota_per_province},
                )
            )
    return problems


SCORABLE_STATES = [
    NominationStatus.ACCEPTED,
    NominationStatus.SCORED,
    NominationStatus.RECOGNISED,
    NominationStatus.NOT_RECOGNISED,
]
DOSSIER_PROBLEM_PREFIXES = ("field:", "doc:", "photos", "declaration", "eligibility")


def dossier_gaps(nomination, today=None) -> list[tuple[str, str]]:
    """The problems that concern the dossier itself (not the calendar or the quota)."""
    return [p for p in nomination_problems(nomination, today) if p[0].startswith(DOSSIER_PROBLEM_PREFIXES)]


def nomination_parts(nomination) -> list[tuple[str, str]]:
    """Every part of a dossier that staff can ask the producer to correct, as (code, label)."""
    labels = {f.name: f.verbose_name for f in Nomination._meta.fields}
    parts = [(f"field:{name}", _("Form: %(field)s") % {"field": labels[name]}) for name in Nomination.FORM_FIELDS]
    parts += [
        (f"doc:{row['item'].pk}", _("Document: %(doc)s") % {"doc": row["item"].document_type})
        for row in nomination_checklist(nomination)
    ]
    parts += [("photos", _("Photos")), ("declaration", _("Declaration of eligibility"))]
    return parts


def nominations_for_staff(user):
    """Nominations a staff member may see: of its province's producers, or in rounds it manages."""
    qs = Nomination.objects.select_related("round__level", "product__group", "producer__current_province")
    if user.is_superuser:
        return qs
    org = user.organization if user.role == Role.STAFF else None
    if org is None:
        return qs.none()
    if org.kind == OrganizationKind.MINISTRY_AGENCY:
        return qs.filter(round__level__area_kind__in=[AreaKind.REGION, AreaKind.NATIONAL])
    province = staff_province_id(user)
    return qs.filter(Q(producer__current_province_id=province) | Q(round__province_id=province))


# -- scoring --------------------------------------------------------------------------------------------------
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
        elif two_pass and pass_no is None and row["pass_no"] == 1 and council.current_pass == 1:
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


# -- recognitions: the results of every level, from the portal's decisions and from the archive ------------------

PROVINCE_TODAY, PROVINCE_RECORDED = "today", "recorded"


def recognitions_for_staff(user) -> QuerySet[Recognition]:
    """A province's staff see the recognitions of producers in their province today; the ministry agency and
    superusers see every province."""
    if not is_staff(user):
        return Recognition.objects.none()
    province = staff_province_id(user)
    qs = Recognition.objects.all()
    return qs if province is None else qs.filter(product__producer__current_province_id=province)


def recognition_list(user) -> QuerySet[Recognition]:
    return (
        recognitions_for_staff(user)
        .select_related(
            "level",
            "product__group",
            "product__producer__province",
            "product__producer__current_province",
        )
        .order_by("-year", "level__rank", "product__name", "id")
    )


def recognition_levels() -> QuerySet[Level]:
    """The award levels in chain order; district (until 30/06/2025) before commune (from 01/07/2025)."""
    return Level.objects.filter(programme__code="spcnnttb").order_by("rank", F("valid_from").asc(nulls_first=True))


def recognition_summary(qs: QuerySet[Recognition], *, basis: str, user) -> list[dict]:
    """Counts per province and level in one aggregate query. `basis` "today" groups by today's province;
    "recorded" by the province as recorded (an old province before the 1 July 2025 reform), so a merged
    province shows the provinces it absorbed as separate rows. Provinces the user always sees (its own, or every
    province of today for a superuser) appear with zeros."""
    field = "product__producer__current_province" if basis == PROVINCE_TODAY else "product__producer__province"
    rows: dict[int, dict] = {}

    def row_for(unit_id, name, is_current, successor):
        return rows.setdefault(
            unit_id,
            {"id": unit_id, "name": name, "is_current": is_current, "successor": successor, "counts": {}, "total": 0},
        )

    counts = (
        qs.order_by()
        .values(field, f"{field}__name", f"{field}__is_current", f"{field}__successor__name", "level__code")
        .annotate(n=Count("id"))
    )
    for item in counts:
        row = row_for(
            item[field], item[f"{field}__name"], item[f"{field}__is_current"], item[f"{field}__successor__name"]
        )
        row["counts"][item["level__code"]] = row["counts"].get(item["level__code"], 0) + item["n"]
        row["total"] += item["n"]
    province = staff_province_id(user)
    expected = AdministrativeUnit.objects.filter(level="province")
    if province is not None:
        expected = expected.filter(pk=province) if basis == PROVINCE_TODAY else expected.filter(successor_id=province)
    elif basis == PROVINCE_TODAY:
        expected = expected.filter(is_current=True)
    else:
        expected = expected.none()
    for unit in expected.values("id", "name", "is_current", "successor__name"):
        row_for(unit["id"], unit["name"], unit["is_current"], unit["successor__name"])
    return sorted(rows.values(), key=lambda r: (fold(r["name"]), r["is_current"]))


# -- certificates ---------------------------------------------------------------------------------------------
def certificates_for_staff(user):
    """Certificates a staff member may see: of its province's producers (today's province), or issued for
    recognitions of rounds it manages (a ministry agency: region and national). Superusers see all."""
    from .models import Certificate

    qs = Certificate.objects.select_related("issuing_body", "recognition__level")
    if user.is_superuser:
        return qs
    org = user.organization if user.is_authenticated and user.role == Role.STAFF else None
    if org is None:
        return qs.none()
    if org.kind == OrganizationKind.MINISTRY_AGENCY:
        return qs.filter(recognition__level__area_kind__in=[AreaKind.REGION, AreaKind.NATIONAL])
    province = staff_province_id(user)
    return qs.filter(
        Q(recognition__product__producer__current_province_id=province)
        | Q(recognition__decision__round__province_id=province)
    )


def certificates_of_producer(producer):
    """A producer's own certificates, newest first (the replaced and revoked ones too, marked as such)."""
    from .models import Certificate

    return Certificate.objects.filter(recognition__product__producer=producer).select_related(
        "issuing_body", "recognition__level"
    )


# -- OCOP ratings ----------------------------------------------------------------------------------------------
def ocop_ratings_for_staff(user):
    """OCOP ratings of the producers of a staff member's province today; superusers (and the ministry agency)
    see every province."""
    from .models import OcopRating

    if not is_staff(user):
        return OcopRating.objects.none()
    province = staff_province_id(user)
    qs = OcopRating.objects.all()
    return qs if province is None else qs.filter(product__producer__current_province_id=province)


def ocop_latest_only(qs, as_of=None):
    """Keep each product's latest rating (by decision date, then entry order), among those decided by `as_of`
    when given. One NOT EXISTS on the (product, decision date) index, whatever the number of ratings."""
    from .models import OcopRating

    same_day_later = Q(decision_date=OuterRef("decision_date"), pk__gt=OuterRef("pk"))
    newer = OcopRating.objects.filter(product_id=OuterRef("product_id")).filter(
        Q(decision_date__gt=OuterRef("decision_date")) | same_day_later
    )
    if as_of is not None:
        qs = qs.filter(decision_date__lte=as_of)
        newer = newer.filter(decision_date__lte=as_of)
    return qs.filter(~Exists(newer))


def ocop_rating_list(user):
    return (
        ocop_ratings_for_staff(user)
        .select_related(
            "criteria_set",
            "product__producer__province",
            "product__producer__current_province",
        )
        .order_by("-decision_date", "-pk")
    )


def ocop_expiring(user, *, today, days: int):
    """Current ratings (each product's latest) still valid today and ending within `days`: soonest first."""
    import datetime

    horizon = today + datetime.timedelta(days=days)
    return (
        ocop_latest_only(ocop_ratings_for_staff(user))
        .filter(valid_until__gte=today, valid_until__lte=horizon)
        .select_related("product__producer__current_province", "product__producer__province")
        .order_by("valid_until", "pk")
    )


@dataclass
class OcopActual:
    """What a province has reached on a day: products by stars (each product's latest rating decided by then and
    still valid then) and the subjects (distinct producers) of its products rated 3★ or more, by kind."""

    as_of: object
    by_stars: dict
    subjects: int
    cooperatives: int
    smes: int

    @property
    def at_least_3(self) -> int:
        return sum(n for stars, n in self.by_stars.items() if stars >= 3)

    def share(self, part: int) -> Decimal | None:
        return Decimal(part * 100) / self.subjects if self.subjects else None

    def value(self, metric: str):
        from .enums import OcopTargetMetric

        return {
            OcopTargetMetric.AT_LEAST_3: self.at_least_3,
            OcopTargetMetric.FOUR: self.by_stars.get(4, 0),
            OcopTargetMetric.FIVE: self.by_stars.get(5, 0),
            OcopTargetMetric.COOPERATIVE_SHARE: self.share(self.cooperatives),
            OcopTargetMetric.SME_SHARE: self.share(self.smes),
        }[metric]


def ocop_actual(province_id, as_of) -> OcopActual:
    """Two aggregate queries. A product counts with its latest rating decided on or before `as_of`, if that
    rating is still valid on `as_of` (an expired rating no longer makes an OCOP product). Cooperatives are
    producers of kind "cooperative" (not cooperative groups); SMEs are producers of kind "enterprise"."""
    from products.enums import ProducerKind

    from .models import OcopRating

    valid = ocop_latest_only(
        OcopRating.objects.filter(product__producer__current_province_id=province_id), as_of=as_of
    ).filter(valid_until__gte=as_of)
    by_stars = dict(valid.values_list("stars").annotate(n=Count("product_id", distinct=True)).order_by())
    kinds = dict(
        valid.filter(stars__gte=3)
        .values_list("product__producer__kind")
        .annotate(n=Count("product__producer_id", distinct=True))
        .order_by()
    )
    return OcopActual(
        as_of=as_of,
        by_stars=by_stars,
        subjects=sum(kinds.values()),
        cooperatives=kinds.get(ProducerKind.COOPERATIVE, 0),
        smes=kinds.get(ProducerKind.ENTERPRISE, 0),
    )
