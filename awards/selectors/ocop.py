"""Reads of OCOP ratings: lists, latest valid rating per product, expiry, actual against targets."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q

from portal.core.access import can_read_lists, scoped


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
        from ..enums import OcopTargetMetric

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

    from ..models import OcopRating

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
