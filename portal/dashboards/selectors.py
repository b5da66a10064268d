"""Reads of the staff dashboards (a province's and the national view). Every block is one aggregate query done by
the database (`values(...).annotate(Count/Sum)`), so the whole page costs the same few queries whatever the
number of products, recognitions, ratings, projects or fairs:

1. `dashboard_reference`: provinces, award levels and product groups (and the reader's own province), one query;
2. `recognition_counts`: recognitions per level × year × product group × producer kind, one query;
3. `ocop_figures`: the targets in scope, then the ratings (current stars and, for each target year, what the
   ratings reached on 31 December of that year or today), two queries;
4. `funding_by_year`: amounts and projects funded per plan year × source, one query;
5. `outputs_by_year`: projects and their outputs per plan year, one query;
6. `fairs_by_year`: fairs and participations per year × fair level, one query.

The reference data and the reader's scope (what a reader may see) are in `reference.py`."""

import datetime
import functools
from dataclasses import dataclass, field

from django.db.models import DateField, Q, QuerySet, Sum
from django.utils import timezone

from awards.enums import OCOP_COUNT_METRICS
from awards.models import OcopRating, OcopTarget
from awards.selectors import OcopGoal, OcopTargetRow, goal_points, target_rows
from portal.core.access import Reach
from portal.core.prepared import Bind, Prepared
from portal.models import Tally, TallyRefresh

from .reference import SPCNNTTB, Scope
from .tallies import OUTPUTS, PLACES, ocop_measures


# -- recognitions ------------------------------------------------------------------------------------------------------
@dataclass
class RecognitionCounts:
    """Counts per (level id, year, group id, producer kind), with the breakdowns the dashboard draws."""

    cells: dict[tuple, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.cells.values())

    @functools.cached_property
    def _breakdowns(self) -> tuple[dict, dict, dict]:
        """(year, level), (group, level) and (kind, level) counts, in one pass over the cells."""
        by_year, by_group, by_kind = {}, {}, {}
        for (level, year, group, kind), n in self.cells.items():
            by_year[year, level] = by_year.get((year, level), 0) + n
            by_group[group, level] = by_group.get((group, level), 0) + n
            by_kind[kind, level] = by_kind.get((kind, level), 0) + n
        return by_year, by_group, by_kind

    def by_year_level(self) -> dict[tuple, int]:
        return self._breakdowns[0]

    def by_group_level(self) -> dict[tuple, int]:
        return self._breakdowns[1]

    def by_kind_level(self) -> dict[tuple, int]:
        return self._breakdowns[2]

    def years(self) -> list[int]:
        return sorted({key[1] for key in self.cells})


def recognition_counts(scope: Scope) -> RecognitionCounts:
    """From the whole country's cells when the scope is the whole country, else from the provinces' cells. One
    query, compiled once per shape of scope."""
    shape, values = scope.bound()
    rows = RECOGNITION_COUNTS.rows(shape, values)
    return RecognitionCounts({(level, year, group, kind): int(n) for level, year, group, kind, n in rows})


def _recognition_counts(*shape) -> QuerySet:
    scope = Scope.placeholder(*shape)
    if scope.whole_country:
        qs = Tally.objects.filter(scope.years("year"), topic="recognitions_all")
    else:
        qs = Tally.objects.filter(scope.places(*PLACES), scope.years("year"), topic="recognitions")
    if scope.level:
        qs = qs.filter(level__code=scope.level, level__programme__code=SPCNNTTB)
    if scope.group is not None:
        qs = qs.filter(group_id=scope.group)
    return qs.order_by().values_list("level_id", "year", "group_id", "key").annotate(n=Sum("value"))


RECOGNITION_COUNTS = Prepared(_recognition_counts)


# -- OCOP --------------------------------------------------------------------------------------------------------------
@dataclass
class OcopFigures:
    by_stars: dict[int, int]  # each product's latest rating (what the OCOP list shows by default)
    targets: list[OcopTargetRow]
    targets_comparable: bool  # targets are a whole province's: not comparable under a group or "as it was" filter

    @property
    def rated(self) -> int:
        return sum(self.by_stars.values())


def _ocop_goals(scope: Scope, comparable: bool) -> list[OcopGoal]:
    """For one province of today, its targets and those of the old provinces merged into it, each against its own
    province: today's province against every producer it has today, an old one against the producers registered
    in it. Nationally, the sum of today's provinces' targets only (an old province's target and its successor's
    overlap, so they do not add up), and only the counts (a share does not add up over provinces). One query."""
    chosen = {p for p in (scope.own_province, scope.province) if p is not None}
    if not comparable or len(chosen) > 1 or scope.reach.is_nothing:
        return []
    values = {name: getattr(scope, name) for name in ("year_from", "year_to") if getattr(scope, name) is not None}
    if chosen:
        (values["province"],) = chosen
    rows = OCOP_GOALS.rows(tuple(sorted(values)), values)
    if not chosen:
        return [OcopGoal(year=year, metric=metric, value=value) for year, metric, value in rows]
    return [
        OcopGoal(year=year, metric=metric, value=value)
        if current
        else OcopGoal(
            year=year,
            metric=metric,
            value=value,
            old_province_id=pk,
            old_province_name=name,
            old_province_full_name=full_name,
        )
        for year, metric, pk, name, full_name, current, value in rows
    ]


def _ocop_goals_query(*names: str) -> QuerySet:
    """The targets of a province and the old provinces merged into it (`province` in `names`), else of every
    province today; within the years bound."""
    scope = Scope.placeholder(Reach.EVERYTHING, *names)
    if scope.province is not None:
        province = scope.province
        targets = OcopTarget.objects.filter(Q(province_id=province) | Q(province__successor_id=province))
    else:
        targets = OcopTarget.objects.filter(province__is_current=True, metric__in=OCOP_COUNT_METRICS)
    targets = targets.filter(scope.years("year")).order_by()
    if scope.province is None:
        return targets.values_list("year", "metric").annotate(value=Sum("value"))
    columns = ("year", "metric", "province_id", "province__name", "province__full_name", "province__is_current")
    return targets.values_list(*columns).annotate(value=Sum("value"))


OCOP_GOALS = Prepared(_ocop_goals_query)


def ocop_figures(scope: Scope, refresh: TallyRefresh, today: datetime.date | None = None) -> OcopFigures:
    """Two queries: the targets in scope (`_ocop_goals`), then every count from the maintained cells
    (`tallies.ocop_measures`: each product's latest rating, and each target against what the ratings reached on
    its measuring day)."""
    today = today or timezone.localdate()
    comparable = scope.recorded_province is None and scope.group is None
    goals = _ocop_goals(scope, comparable)

    def fetch(by_province: bool, days: list[datetime.date]) -> list[tuple]:
        shape, values = scope.bound()
        values.update({f"day{i}": day for i, day in enumerate(days)})
        return [(*row[:-1], int(row[-1])) for row in OCOP_CELLS.rows((*shape, by_province, len(days)), values)]

    def live():
        ratings = OcopRating.objects.filter(
            scope.places("product__producer__current_province_id", "product__producer__province_id")
        )
        return ratings.filter(product__group_id=scope.group) if scope.group is not None else ratings

    measures = ocop_measures(fetch, goal_points(goals, today), refresh, live)
    rows = target_rows(goals, measures, today=today)
    return OcopFigures(by_stars=measures.latest_by_stars, targets=rows, targets_comparable=comparable)


def _ocop_cells(*shape) -> QuerySet:
    """The OCOP cells of a scope: every product's latest rating, and the ratings valid and the subjects on each of
    the days bound (day0, day1…); by old province too when asked."""
    *scope_shape, by_province, days = shape
    scope = Scope.placeholder(*scope_shape)
    cells = Tally.objects.filter(scope.places(*PLACES))
    if scope.group is not None:
        cells = cells.filter(group_id=scope.group)
    fields = ["topic", "as_of", "stars", "key"] + (["province_id"] if by_province else [])
    on_days = [Bind(f"day{i}", DateField()) for i in range(days)]
    wanted = Q(topic="ocop_latest") | Q(topic__in=("ocop_valid", "ocop_subjects"), as_of__in=on_days)
    return cells.filter(wanted).order_by().values_list(*fields).annotate(n=Sum("value"))


OCOP_CELLS = Prepared(_ocop_cells)


# -- khuyến công projects ----------------------------------------------------------------------------------------------
KHUYEN_CONG = ("funding_amount", "funding_projects", "outputs", "fairs", "fair_participations")


def khuyen_cong_cells(scope: Scope, memo: dict) -> dict[str, list[tuple]]:
    """{topic: [(year, key, figure)…]} of the projects and fairs topics, one query for the funding, outputs and
    fairs blocks together (kept in `memo`, the page's, for the second block that asks)."""
    if scope not in memo:
        memo[scope] = {topic: [] for topic in KHUYEN_CONG}
        shape, values = scope.bound()
        for topic, year, key, n in KHUYEN_CONG_CELLS.rows(shape, values):
            memo[scope][topic].append((year, key, int(n)))
    return memo[scope]


def _khuyen_cong_cells(*shape) -> QuerySet:
    scope = Scope.placeholder(*shape)
    cells = Tally.objects.filter(scope.places(*PLACES), scope.years("year"), topic__in=KHUYEN_CONG).order_by()
    return cells.values_list("topic", "year", "key").annotate(n=Sum("value"))


KHUYEN_CONG_CELLS = Prepared(_khuyen_cong_cells)


def _by_year_and_key(cells: dict, figures: dict[str, str]) -> dict[tuple, dict]:
    """{(year, key): {figure: n}} from the cells of the topics in `figures` (topic → figure name)."""
    out: dict[tuple, dict] = {}
    for topic, figure in figures.items():
        for year, key, n in cells[topic]:
            out.setdefault((year, key), dict.fromkeys(figures.values(), 0))[figure] = n
    return out


def funding_by_year(scope: Scope, memo: dict) -> dict[tuple, dict]:
    """{(plan year, source): {"amount", "projects"}}: amounts are the actual amounts at settlement where recorded,
    else the approved ones; projects funded by a source are those with an approved amount from it (the project
    list's source filter)."""
    return _by_year_and_key(
        khuyen_cong_cells(scope, memo), {"funding_amount": "amount", "funding_projects": "projects"}
    )


def outputs_by_year(scope: Scope, memo: dict) -> dict[int, dict]:
    """{plan year: {"projects", "jobs_created", output field: total}}."""
    out: dict[int, dict] = {}
    for year, output, n in khuyen_cong_cells(scope, memo)["outputs"]:
        out.setdefault(year, dict.fromkeys(OUTPUTS, 0))[output] = n
    return out


# -- fairs -------------------------------------------------------------------------------------------------------------
def fairs_by_year(scope: Scope, memo: dict) -> dict[tuple, dict]:
    """{(year the fair starts, fair level): {"fairs", "participations"}}."""
    return _by_year_and_key(khuyen_cong_cells(scope, memo), {"fairs": "fairs", "fair_participations": "participations"})
