"""What waits for the department and for the council: the reads behind the portal's task inbox and the screening
queue's columns. Each read costs a fixed number of queries, whatever the number of rounds, dossiers or members.

"Managed" rounds are those the user may change (`portal.core.access.scoped(..., write=True)`): the rounds a
province's department organises, the region and national rounds for the ministry agency, all for a superuser."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    DateField,
    Exists,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.utils import timezone

from portal.core.access import access_shape, is_staff, province_scope, scoped
from portal.core.prepared import Bind, Prepared

from ..enums import ExportStatus, NominationStatus, PhaseKind, RoundStatus
from ..models import (
    CertificateExport,
    Council,
    CouncilMember,
    Nomination,
    NominationStatusLog,
    Round,
    RoundPhase,
)
from .ocop import ocop_expiring
from .scoring import seats_progress

# A dossier waits for the department from its (re)submission until it is accepted, returned or rejected.
WAITING_FOR_SCREENING = (NominationStatus.SUBMITTED, NominationStatus.IN_SCREENING, NominationStatus.RESUBMITTED)


def managed_rounds(user) -> QuerySet[Round]:
    return scoped(Round.objects.all(), user, write=True) if is_staff(user) else Round.objects.none()


def waiting_since() -> Subquery:
    """When a dossier last reached the department: its latest (re)submission, from the status log."""
    latest = NominationStatusLog.objects.filter(
        nomination_id=OuterRef("pk"),
        to_status__in=[NominationStatus.SUBMITTED, NominationStatus.RESUBMITTED],
    ).order_by("-at", "-pk")
    return Subquery(latest.values("at")[:1])


def correction_overdue(today: datetime.date) -> Q:
    """Returned dossiers whose producer let the correction deadline pass."""
    return Q(status=NominationStatus.RETURNED, correction_deadline__lt=today)


def days_since(moment, today: datetime.date) -> int | None:
    if moment is None:
        return None
    return max((today - timezone.localtime(moment).date()).days, 0)


def _rounds_with_phases(ids) -> dict[int, Round]:
    phases = Prefetch("phases", queryset=RoundPhase.objects.order_by("starts_on"))
    return {r.pk: r for r in Round.objects.filter(pk__in=ids).prefetch_related(phases)}


@dataclass
class RoundWork:
    """A managed round's dossiers waiting for screening and its returned dossiers past their deadline."""

    round: Round
    waiting: int
    oldest_days: int | None
    overdue: int
    first_missed: datetime.date | None

    @property
    def screening_deadline(self) -> datetime.date | None:
        phase = self.round.phase(PhaseKind.SCREENING)
        return phase.ends_on if phase else None


def screening_work(user, today: datetime.date) -> list[RoundWork]:
    """Per managed round: the dossiers waiting for screening (how many, the longest wait in days) and the
    corrections past their deadline (how many, the first missed deadline). Three queries."""
    waiting, overdue = Q(status__in=WAITING_FOR_SCREENING), correction_overdue(today)
    rows = list(
        Nomination.objects.filter(round__in=managed_rounds(user).values("pk"))
        .filter(waiting | overdue)
        .annotate(since=waiting_since())
        .values("round_id")
        .annotate(
            waiting=Count("pk", filter=waiting),
            oldest=Min("since", filter=waiting),
            overdue=Count("pk", filter=overdue),
            first_missed=Min("correction_deadline", filter=overdue),
        )
        .order_by()
    )
    rounds = _rounds_with_phases([row["round_id"] for row in rows])
    work = [
        RoundWork(
            round=rounds[row["round_id"]],
            waiting=row["waiting"],
            oldest_days=days_since(row["oldest"], today),
            overdue=row["overdue"],
            first_missed=row["first_missed"],
        )
        for row in rows
    ]
    return sorted(work, key=lambda w: (-(w.oldest_days or 0), w.round.title))


def phases_ending(user, today: datetime.date, days: int = 7) -> list[RoundPhase]:
    """Phases of the published rounds the user manages that end within `days` (today included). One query."""
    return list(
        RoundPhase.objects.filter(
            round__in=managed_rounds(user).values("pk"),
            round__status=RoundStatus.PUBLISHED,
            ends_on__gte=today,
            ends_on__lte=today + datetime.timedelta(days=days),
        )
        .select_related("round")
        .order_by("ends_on", "round__title", "pk")
    )


@dataclass
class SeatWork:
    """One jury seat and its progress in the pass being scored."""

    member: CouncilMember
    done: int
    total: int

    @property
    def left(self) -> int:
        return self.total - self.done

    @property
    def scoring_deadline(self) -> datetime.date | None:
        phase = self.member.council.round.phase(PhaseKind.SCORING)
        return phase.ends_on if phase else None


@dataclass
class CouncilWork:
    """A council of a managed round, still scoring, with the jury members short of sheets."""

    council: Council
    short: list[SeatWork] = field(default_factory=list)


def _open_seats(members: QuerySet[CouncilMember], *, phases: bool = True) -> list[CouncilMember]:
    """Jury seats of councils whose round has no published decision yet, with their council, round (and the
    round's phases, for the deadlines)."""
    seats = (
        members.filter(is_jury=True)
        .exclude(council__round__decision__published_at__isnull=False)
        .select_related("user", "council__round")
        .order_by("council__round__title", "role", "pk")
    )
    if phases:
        seats = seats.prefetch_related(
            Prefetch("council__round__phases", queryset=RoundPhase.objects.order_by("starts_on"))
        )
    return list(seats)


def councils_short_of_sheets(user) -> list[CouncilWork]:
    """The councils of managed rounds still scoring whose jury members have sheets left to submit, each with those
    members and their progress. Seven queries."""
    seats = _open_seats(CouncilMember.objects.filter(council__round__in=managed_rounds(user).values("pk")))
    progress = seats_progress(seats)
    councils: dict[int, CouncilWork] = {}
    for seat in seats:
        row = progress.get(seat.pk, {"done": 0, "total": 0})
        if row["done"] < row["total"]:
            work = councils.setdefault(seat.council_id, CouncilWork(council=seat.council))
            work.short.append(SeatWork(member=seat, **row))
    return list(councils.values())


def seats_to_score(user, *, deadlines: bool = True) -> list[SeatWork]:
    """The user's own jury seats with dossiers left to score in the pass being scored. Seven queries (six without
    the deadlines)."""
    seats = _open_seats(CouncilMember.objects.filter(user=user), phases=deadlines)
    progress = seats_progress(seats)
    work = [SeatWork(member=seat, **progress.get(seat.pk, {"done": 0, "total": 0})) for seat in seats]
    return [w for w in work if w.left > 0]


def dossiers_to_score(user) -> int:
    return sum(w.left for w in seats_to_score(user, deadlines=False))


def ocop_expiry(user, today: datetime.date, days: int = 90) -> dict:
    """How many current OCOP ratings end within `days`, and the first end date. One query."""
    return ocop_expiring(user, today=today, days=days).order_by().aggregate(count=Count("pk"), first=Min("valid_until"))


def exports_ready(user) -> dict:
    """The user's own bulk certificate exports that are built and still downloadable. One query."""
    return (
        CertificateExport.objects.filter(created_by=user, status=ExportStatus.DONE)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
        .aggregate(count=Count("pk"), first_expiry=Min("expires_at"))
    )


def badge_figures(user, today: datetime.date) -> tuple[int, bool]:
    """What the inbox's count in the menu needs, in one query (compiled once per kind of reader, every page shows
    it): how many dossiers wait for the user's screening (or are past their correction deadline), and whether the
    user holds a jury seat on a council still scoring."""
    staff = is_staff(user)
    values = {"user": user.pk, "today": today}
    province = province_scope(user, write=True).province_or_none
    if staff and province is not None:
        values["province"] = province
    rows = _BADGE.rows((staff, *access_shape(user, write=True)), values, user=user)
    waiting, seated = rows[0] if rows else (0, False)
    return waiting or 0, bool(seated)


def _badge_query(staff: bool, *access: tuple, user) -> QuerySet:
    """The badge's query for the readers of `user`'s shape, the reader and the day bound."""
    reader = Bind("user")
    seats = CouncilMember.objects.filter(user_id=OuterRef("pk"), is_jury=True).exclude(
        council__round__decision__published_at__isnull=False
    )
    row = get_user_model().objects.filter(pk=reader).annotate(seated=Exists(seats))
    if staff:
        rounds = scoped(Round.objects.all(), user, write=True, province=Bind("province"))
        waiting = (
            Nomination.objects.filter(round__in=rounds.values("pk"))
            .filter(Q(status__in=WAITING_FOR_SCREENING) | correction_overdue(Bind("today", DateField())))
            .order_by()
            .annotate(n=Func("pk", function="COUNT"))
            .values("n")
        )
        row = row.annotate(waiting=Subquery(waiting, output_field=IntegerField()))
    else:
        row = row.annotate(waiting=Value(0))
    return row.values_list("waiting", "seated")


_BADGE = Prepared(_badge_query)


def annotate_queue_rows(nominations, round_: Round, today: datetime.date) -> None:
    """The screening queue's columns for each row (annotated with `waiting_since`): days waiting while the dossier
    waits for the department, and the deadline that applies to it now — the round's screening phase end while it
    waits, the producer's correction deadline while it is returned."""
    phase = round_.phase(PhaseKind.SCREENING)
    for nomination in nominations:
        waiting = nomination.status in WAITING_FOR_SCREENING
        nomination.days_waiting = days_since(nomination.waiting_since, today) if waiting else None
        nomination.deadline, nomination.deadline_missed = None, False
        if waiting and phase is not None:
            nomination.deadline = phase.ends_on
        elif nomination.status == NominationStatus.RETURNED and nomination.correction_deadline:
            nomination.deadline = nomination.correction_deadline
        if nomination.deadline is not None:
            nomination.deadline_missed = nomination.deadline < today
