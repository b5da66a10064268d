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

from django.db.models import Count, Q, Sum

from awards.models import OcopRating
from awards.selectors import ocop_as_of, ocop_latest_only
from extension_projects.enums import FundingSource
from portal.models import Tally, TallyRefresh

from .reference import SPCNNTTB, year_range
from .tallies import PLACES, day_counted

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
        return year_range(lookup, self.year_from, self.year_to)

    def ocop_day(self, today: datetime.date) -> datetime.date:
        """The day OCOP ratings are counted on: 31 December of the last year of the range (today while that year
        runs, and without a range)."""
        return ocop_as_of(self.year_to, today) if self.year_to is not None else today


def _cells(period: Period, *topics: str):
    return Tally.objects.filter(period.years("year"), topic__in=topics).order_by()


def recognitions_by_province(period: Period) -> dict[int, dict[str, int]]:
    """{province id: {level code: recognitions}}, SPCNNTTB levels."""
    field = period.place(*PLACES)
    cells = _cells(period, "recognition_places").filter(level__programme__code=SPCNNTTB)
    if period.group is not None:
        cells = cells.filter(group_id=period.group)
    out: dict[int, dict[str, int]] = {}
    for province, level, n in cells.values_list(field, "level__code").annotate(n=Sum("value")):
        out.setdefault(province, {})[level] = n
    return out


def ocop_by_province(period: Period, day: datetime.date, refresh: TallyRefresh) -> dict[int, dict[int, int]]:
    """{province id: {stars: products}}: each product's latest rating decided by `day`, if still valid that day
    (the OCOP list with "valid on" that day counts the same). A day the maintained cells do not hold (a "today"
    after their last rebuild) is counted from the ratings."""
    field = period.place(*PLACES)
    if day_counted(day, refresh):
        cells = Tally.objects.filter(topic="ocop_valid", as_of=day).order_by()
        if period.group is not None:
            cells = cells.filter(group_id=period.group)
        rows = cells.values_list(field, "stars").annotate(n=Sum("value"))
    else:
        live = period.place("product__producer__current_province_id", "product__producer__province_id")
        ratings = OcopRating.objects.all()
        if period.group is not None:
            ratings = ratings.filter(product__group_id=period.group)
        valid = ocop_latest_only(ratings, as_of=day).filter(valid_until__gte=day)
        rows = valid.order_by().values_list(live, "stars").annotate(n=Count("pk"))
    out: dict[int, dict[int, int]] = {}
    for province, stars, n in rows:
        out.setdefault(province, {})[stars] = n
    return out


def projects_by_province(period: Period) -> dict[int, dict[str, int]]:
    """{province id: {"projects": n, source: amount…}}: projects by plan year; amounts are the actual amounts at
    settlement where recorded, else the approved ones (as on the dashboard)."""
    field = period.place(*PLACES)
    cells = _cells(period, "outputs", "funding_amount").filter(Q(topic="funding_amount") | Q(key="projects"))
    out: dict[int, dict[str, int]] = {}
    for province, topic, key, n in cells.values_list(field, "topic", "key").annotate(n=Sum("value")):
        row = out.setdefault(province, {"projects": 0, **dict.fromkeys(SOURCES, 0)})
        row["projects" if topic == "outputs" else key] = n
    return out


def fairs_by_province(period: Period) -> dict[int, dict[str, int]]:
    """{province id: {"fairs": n, "participations": n}}: fairs by the year they start, under the province that
    sent its producers."""
    field = period.place(*PLACES)
    out: dict[int, dict[str, int]] = {}
    for province, topic, n in (
        _cells(period, "fairs", "fair_participations").values_list(field, "topic").annotate(n=Sum("value"))
    ):
        out.setdefault(province, {"fairs": 0, "participations": 0})[
            "fairs" if topic == "fairs" else "participations"
        ] = n
    return out
