"""Figures per province, for the comparison of provinces (`portal.comparison`) and the national dashboard's ranking:
one aggregate query per measure, grouped by province, whatever the number of records — the page costs the same
few queries with 10 recognitions or 100,000. Every read by province lives here, so that the measures can move to
maintained aggregate tables without touching the pages.

A record counts under today's province (`TODAY`: the province it lies in today, the old provinces merged into it
included) or under the province as recorded (`RECORDED`: a record made before 1 July 2025 under its old province,
a later one under today's). These reads count every province: what a reader may see of them (every row, or a
province's own row against the national totals) is decided by the page, from `portal.core.access`."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce

from awards.models import OcopRating, Recognition
from awards.selectors import ocop_as_of, ocop_latest_only
from extension_projects.enums import FundingSource
from extension_projects.models import Fair, Project

from .selectors import SPCNNTTB

TODAY, RECORDED = "today", "recorded"
OCOP_STARS = (3, 4, 5)  # OCOP products: provinces recognise 3★ and 4★, the ministry 5★
SOURCES = [s.value for s in FundingSource]


@dataclass(frozen=True)
class Period:
    """What the figures count: the province basis, a range of years (recognition year, project plan year, the
    year a fair starts; OCOP: ratings valid at the end of the range) and, for recognitions and OCOP, a product
    group."""

    basis: str = TODAY
    year_from: int | None = None
    year_to: int | None = None
    group: int | None = None

    def place(self, today: str, recorded: str) -> str:
        """The lookup of the province a record counts under."""
        return recorded if self.basis == RECORDED else today

    def years(self, lookup: str) -> Q:
        condition = Q()
        if self.year_from is not None:
            condition &= Q(**{f"{lookup}__gte": self.year_from})
        if self.year_to is not None:
            condition &= Q(**{f"{lookup}__lte": self.year_to})
        return condition

    def ocop_day(self, today: datetime.date) -> datetime.date:
        """The day OCOP ratings are counted on: 31 December of the last year of the range (today while that year
        runs, and without a range)."""
        return ocop_as_of(self.year_to, today) if self.year_to is not None else today


def recognitions_by_province(period: Period) -> dict[int, dict[str, int]]:
    """{province id: {level code: recognitions}}, SPCNNTTB levels."""
    field = period.place("product__producer__current_province_id", "product__producer__province_id")
    qs = Recognition.objects.filter(period.years("year"), level__programme__code=SPCNNTTB)
    if period.group is not None:
        qs = qs.filter(product__group_id=period.group)
    out: dict[int, dict[str, int]] = {}
    for province, level, n in qs.order_by().values_list(field, "level__code").annotate(n=Count("pk")):
        out.setdefault(province, {})[level] = n
    return out


def ocop_by_province(period: Period, day: datetime.date) -> dict[int, dict[int, int]]:
    """{province id: {stars: products}}: each product's latest rating decided by `day`, if still valid that day
    (the OCOP list with "valid on" that day counts the same)."""
    field = period.place("product__producer__current_province_id", "product__producer__province_id")
    ratings = OcopRating.objects.all()
    if period.group is not None:
        ratings = ratings.filter(product__group_id=period.group)
    valid = ocop_latest_only(ratings, as_of=day).filter(valid_until__gte=day)
    out: dict[int, dict[int, int]] = {}
    for province, stars, n in valid.order_by().values_list(field, "stars").annotate(n=Count("pk")):
        out.setdefault(province, {})[stars] = n
    return out


def projects_by_province(period: Period) -> dict[int, dict[str, int]]:
    """{province id: {"projects": n, source: amount…}}: projects by plan year; amounts are the actual amounts at
    settlement where recorded, else the approved ones (as on the dashboard)."""
    field = period.place("current_province_id", "province_id")
    amount = Coalesce(F("fundings__actual"), F("fundings__approved"))
    rows = (
        Project.objects.filter(period.years("plan_year"))
        .order_by()
        .values(field)
        .annotate(
            projects=Count("pk", distinct=True),
            **{source: Coalesce(Sum(amount, filter=Q(fundings__source=source)), 0) for source in SOURCES},
        )
    )
    return {row.pop(field): row for row in rows}


def fairs_by_province(period: Period) -> dict[int, dict[str, int]]:
    """{province id: {"fairs": n, "participations": n}}: fairs by the year they start, under the province that
    sent its producers."""
    field = period.place("current_province_id", "province_id")
    rows = (
        Fair.objects.filter(period.years("starts_on__year"))
        .order_by()
        .values(field)
        .annotate(fairs=Count("pk", distinct=True), participations=Count("participations"))
    )
    return {row.pop(field): row for row in rows}
