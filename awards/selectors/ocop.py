"""Reads of OCOP ratings: lists, latest valid rating per product, expiry, actual against targets.

Actual against targets is worked out here once (`ocop_measure`, `ocop_target_rows`) for the targets page, the
periodic reports and the dashboards, with one rounding rule (`ocop_percent`)."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, Window
from django.db.models.functions import Lead
from django.utils.translation import gettext as _

from portal.core.access import can_read_lists, scoped
from portal.core.collation import vietnamese_key


def ocop_ratings_for_staff(user):
    """OCOP ratings of the producers of a staff member's province today; superusers (and the ministry agency)
    see every province."""
    from ..models import OcopRating

    if not can_read_lists(user):
        return OcopRating.objects.none()
    return scoped(OcopRating.objects.all(), user)


def ocop_latest_only(qs, as_of=None):
    """Keep each product's latest rating (by decision date, then entry order), among those decided by `as_of`
    when given. One NOT EXISTS on the (product, decision date) index, whatever the number of ratings."""
    from ..models import OcopRating

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
    horizon = today + datetime.timedelta(days=days)
    return (
        ocop_latest_only(ocop_ratings_for_staff(user))
        .filter(valid_until__gte=today, valid_until__lte=horizon)
        .select_related("product__producer__current_province", "product__producer__province")
        .order_by("valid_until", "pk")
    )


# -- actual against targets ------------------------------------------------------------------------------------------
ONE_DECIMAL = Decimal("0.1")


def ocop_round(value) -> Decimal | None:
    """The one rounding rule of the OCOP figures: a percentage is shown to one decimal, halves rounded up. Figures
    are worked out exactly and rounded once, for showing (a target is met or not on the exact figure)."""
    if value is None:
        return None
    return Decimal(value).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def ocop_percent(part, whole) -> Decimal | None:
    """`part` of `whole` in per cent by `ocop_round` (2 of 3 is 66.7); None when there is nothing to divide by."""
    if part is None or not whole:
        return None
    return ocop_round(Decimal(part) * 100 / Decimal(whole))


def ocop_as_of(year: int, today: datetime.date) -> datetime.date:
    """A target year's actual figures: measured on 31 December of that year, or today while the year runs."""
    return min(datetime.date(year, 12, 31), today)


def is_share(metric: str) -> bool:
    from ..enums import OCOP_SHARE_METRICS

    return metric in OCOP_SHARE_METRICS


@dataclass(frozen=True)
class OcopActual:
    """What the ratings reach on a day: products by stars (each product's latest rating decided by then and
    still valid then) and the subjects (distinct producers) of the products rated 3★ or more, by kind."""

    as_of: datetime.date
    by_stars: dict
    subjects: int
    cooperatives: int
    smes: int

    @property
    def at_least_3(self) -> int:
        return sum(n for stars, n in self.by_stars.items() if stars >= 3)

    def share(self, part: int) -> Decimal | None:
        """A share of the subjects in per cent, unrounded (`value` rounds it)."""
        return Decimal(part * 100) / self.subjects if self.subjects else None

    def exact(self, metric: str) -> int | Decimal | None:
        from ..enums import OcopTargetMetric

        return {
            OcopTargetMetric.AT_LEAST_3: self.at_least_3,
            OcopTargetMetric.FOUR: self.by_stars.get(4, 0),
            OcopTargetMetric.FIVE: self.by_stars.get(5, 0),
            OcopTargetMetric.COOPERATIVE_SHARE: self.share(self.cooperatives),
            OcopTargetMetric.SME_SHARE: self.share(self.smes),
        }[metric]

    def value(self, metric: str) -> int | Decimal | None:
        """The figure as shown: a count, or a share rounded by `ocop_round`."""
        exact = self.exact(metric)
        return ocop_round(exact) if is_share(metric) else exact


@dataclass(frozen=True)
class OcopMeasures:
    """`latest_by_stars`: each product's latest rating, valid or not (what the OCOP list shows by default);
    `actuals`: what the ratings reach, by (day, old province or None)."""

    latest_by_stars: dict[int, int]
    actuals: dict[tuple, OcopActual]


STARS = range(1, 6)


def ocop_measure(ratings, points: Iterable[tuple]) -> OcopMeasures:
    """One aggregate query over `ratings` (the ratings of an area: a product's ratings are all in it or none is),
    measured at each point (day, old province id or None). A rating counts on a day when it was decided on or
    before that day, no later rating of its product was decided by then, and it is still valid then (an expired
    rating no longer makes an OCOP product). An old province's point counts only the producers registered in it.
    Cooperatives are producers of kind "cooperative" (not cooperative groups); SMEs those of kind "enterprise"."""
    from products.enums import ProducerKind

    # The decision day of the product's next rating (None for its latest): one window over the ratings, computed
    # once per rating whatever the number of points.
    next_day = Window(Lead("decision_date"), partition_by=[F("product_id")], order_by=[F("decision_date"), F("pk")])
    ratings = ratings.annotate(next_day=next_day)
    latest = Q(next_day__isnull=True)
    aggregates = {f"latest_{s}": Count("pk", filter=latest & Q(stars=s)) for s in STARS}
    points = sorted(set(points), key=lambda p: (p[0], p[1] or 0))
    for i, (as_of, old) in enumerate(points):
        valid = Q(decision_date__lte=as_of, valid_until__gte=as_of) & (Q(next_day__isnull=True) | Q(next_day__gt=as_of))
        if old is not None:
            valid &= Q(product__producer__province_id=old)
        for s in STARS:
            aggregates[f"p{i}_{s}"] = Count("pk", filter=valid & Q(stars=s))
        top = valid & Q(stars__gte=3)
        aggregates[f"p{i}_subjects"] = Count("product__producer_id", distinct=True, filter=top)
        for name, kind in (("coops", ProducerKind.COOPERATIVE), ("smes", ProducerKind.ENTERPRISE)):
            aggregates[f"p{i}_{name}"] = Count(
                "product__producer_id", distinct=True, filter=top & Q(product__producer__kind=kind)
            )
    figures = ratings.aggregate(**aggregates)
    return OcopMeasures(
        latest_by_stars={s: figures[f"latest_{s}"] for s in STARS},
        actuals={
            (as_of, old): OcopActual(
                as_of=as_of,
                by_stars={s: figures[f"p{i}_{s}"] for s in STARS},
                subjects=figures[f"p{i}_subjects"],
                cooperatives=figures[f"p{i}_coops"],
                smes=figures[f"p{i}_smes"],
            )
            for i, (as_of, old) in enumerate(points)
        },
    )


@dataclass(frozen=True)
class OcopGoal:
    """A target to compare: one `OcopTarget` row, or the sum of several (the national view). An old province's
    target (merged into the province read) is compared with the producers registered in it."""

    year: int
    metric: str
    value: Decimal
    target: object = None  # the OcopTarget row, when the goal is one
    old_province_id: int | None = None
    old_province_name: str = ""  # "Hà Giang": the reading order
    old_province_full_name: str = ""  # "Tỉnh Hà Giang": the label


@dataclass(frozen=True)
class OcopTargetRow:
    """A target against what the ratings reached on its measuring day. `actual` is a count of products, or a
    share of subjects in per cent; `reached` is actual over target in per cent; both rounded by `ocop_round`.
    `met` says whether the exact figure reaches the target."""

    goal: OcopGoal
    exact: int | Decimal | None  # what the ratings reached, unrounded
    as_of: datetime.date
    year: int = field(init=False)
    metric: str = field(init=False)
    value: Decimal = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "year", self.goal.year)
        object.__setattr__(self, "metric", self.goal.metric)
        object.__setattr__(self, "value", self.goal.value)

    @property
    def target(self):
        return self.goal.target

    @property
    def province_id(self) -> int | None:
        return self.goal.old_province_id

    @property
    def province_name(self) -> str:
        return self.goal.old_province_full_name

    @property
    def is_share(self) -> bool:
        return is_share(self.metric)

    @property
    def actual(self) -> int | Decimal | None:
        return ocop_round(self.exact) if self.is_share else self.exact

    @property
    def reached(self) -> Decimal | None:
        return ocop_percent(self.exact, self.value)

    @property
    def met(self) -> bool:
        return self.exact is not None and self.exact >= self.value

    @property
    def label(self) -> str:
        """The metric, and for an old province's target, which one ('… – former tỉnh Hà Giang')."""
        from ..enums import OcopTargetMetric

        label = OcopTargetMetric(self.metric).label
        if self.province_id is None:
            return str(label)
        name = self.goal.old_province_full_name
        return _("%(metric)s – former %(province)s") % {"metric": label, "province": name[:1].lower() + name[1:]}


def ocop_target_rows(ratings, goals: Iterable[OcopGoal], *, today, also: Iterable[tuple] = ()):
    """Each goal against what `ratings` reach on its measuring day (`ocop_as_of`), in reading order: by year,
    today's province before the old ones (by name), then by metric. One query (`ocop_measure`), which also
    measures the extra points `also`. Returns (rows, measures)."""
    goals = list(goals)
    measures = ocop_measure(ratings, [*goal_points(goals, today), *also])
    return target_rows(goals, measures, today=today), measures


def goal_points(goals: Iterable[OcopGoal], today) -> set[tuple]:
    """The (day, old province or None) points the goals are measured at."""
    return {(ocop_as_of(g.year, today), g.old_province_id) for g in goals}


def target_rows(goals: Iterable[OcopGoal], measures: OcopMeasures, *, today) -> list[OcopTargetRow]:
    """Each goal against its point of `measures`, in reading order: by year, today's province before the old
    ones (by name), then by metric."""
    from ..enums import OcopTargetMetric

    goals = list(goals)
    order = {metric: i for i, metric in enumerate(OcopTargetMetric.values)}
    goals.sort(
        key=lambda g: (g.year, g.old_province_id is not None, vietnamese_key(g.old_province_name), order[g.metric])
    )
    rows = []
    for goal in goals:
        as_of = ocop_as_of(goal.year, today)
        rows.append(
            OcopTargetRow(
                goal=goal, exact=measures.actuals[(as_of, goal.old_province_id)].exact(goal.metric), as_of=as_of
            )
        )
    return rows


@dataclass(frozen=True)
class OcopYear:
    """A year of a province's targets page: its targets against the actual figures, and those figures."""

    year: int
    as_of: datetime.date
    rows: list[OcopTargetRow]
    actual: OcopActual
    year_over: bool

    @property
    def by_stars(self) -> list[tuple[int, int]]:
        return [(stars, self.actual.by_stars.get(stars, 0)) for stars in (5, 4, 3)]


def ocop_target_years(province_id, today: datetime.date) -> list[OcopYear]:
    """A province of today's targets by year (and today's year even without a target), each against what every
    producer the province has today reached on the year's measuring day. Two queries."""
    from ..models import OcopRating, OcopTarget

    goals = [
        OcopGoal(year=t.year, metric=t.metric, value=t.value, target=t)
        for t in OcopTarget.objects.filter(province_id=province_id)
    ]
    years = sorted({g.year for g in goals} | {today.year})
    rows, measures = ocop_target_rows(
        OcopRating.objects.filter(product__producer__current_province_id=province_id),
        goals,
        today=today,
        also=[(ocop_as_of(year, today), None) for year in years],
    )
    return [
        OcopYear(
            year=year,
            as_of=ocop_as_of(year, today),
            rows=[row for row in rows if row.year == year],
            actual=measures.actuals[(ocop_as_of(year, today), None)],
            year_over=ocop_as_of(year, today) < today,
        )
        for year in years
    ]
