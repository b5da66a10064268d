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

What a reader may see is decided here: a province's staff their province today (and the old provinces merged
into it); a ministry official or a superuser every province (`portal.core.access`)."""

import datetime
import functools
from dataclasses import dataclass, field

from django.db.models import CharField, DateField, F, IntegerField, Q, QuerySet, Sum, Value
from django.utils import timezone

from awards.enums import OCOP_COUNT_METRICS
from awards.models import Level, OcopRating, OcopTarget
from awards.selectors import OcopGoal, OcopTargetRow, goal_points, target_rows
from portal.core.access import EVERYTHING, NOTHING, ProvinceScope, Reach, is_national, province_scope
from portal.core.collation import vietnamese_key
from portal.core.prepared import Bind, Prepared
from portal.models import Tally, TallyRefresh
from products.models import AdministrativeUnit, ProductGroup

from .tallies import OUTPUTS, PLACES, ocop_measures

SPCNNTTB = "spcnnttb"


# -- reference data and the reader's scope -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Province:
    pk: int
    name: str
    is_current: bool
    successor_id: int | None


@dataclass(frozen=True)
class LevelRow:
    pk: int
    code: str
    name: str
    rank: int


@dataclass(frozen=True)
class GroupRow:
    pk: int
    code: str
    name: str


@dataclass
class Reference:
    """What the filter form offers and what the charts label: read once per page."""

    national: bool
    reach: ProvinceScope  # the reader's provinces: everything nationally, one for a province's staff
    provinces: dict[int, Province]
    levels: list[LevelRow]
    groups: list[GroupRow]
    refresh: TallyRefresh | None = None  # the maintained figures' last rebuild (the page reads it)
    memo: dict = field(default_factory=dict)  # figures read once for several blocks

    @property
    def own_province(self) -> int | None:
        """Today's province of a province's staff; None for a national reader (or a reader of nothing)."""
        return self.reach.province_or_none

    def today_provinces(self) -> list[Province]:
        """Today's provinces the reader may choose: all of them nationally, its own for a province's staff."""
        rows = [p for p in self.provinces.values() if p.is_current]
        if not self.national:
            rows = [p for p in rows if p.pk == self.own_province]
        return sorted(rows, key=lambda p: vietnamese_key(p.name))

    def old_provinces(self) -> list[Province]:
        """Provinces as they were before 1 July 2025: every one nationally, those merged into the reader's own
        province for a province's staff."""
        rows = [p for p in self.provinces.values() if not p.is_current]
        if not self.national:
            rows = [p for p in rows if p.successor_id == self.own_province]
        return sorted(rows, key=lambda p: vietnamese_key(p.name))

    def level_by_code(self, code) -> LevelRow | None:
        return next((lv for lv in self.levels if lv.code == code), None)


def dashboard_reference(user) -> Reference:
    """Provinces (today's and as they were), the SPCNNTTB levels and the product groups, in one query compiled once
    per thread (`REFERENCE`); for a province's staff, which province is theirs (its organisation's, read with the
    account)."""
    national = is_national(user)
    province_rows, level_rows, group_rows = {}, [], []
    for kind, pk, code, name, rank, current, successor in REFERENCE.rows():
        if kind == "province":
            province_rows[pk] = Province(pk, name, bool(current), successor)
        elif kind == "level":
            level_rows.append((rank, pk, LevelRow(pk, code, name, rank)))
        else:
            group_rows.append((rank, code, GroupRow(pk, code, name)))
    own_province = None
    if not national and user.organization_id and user.organization.province_id in province_rows:
        own_province = user.organization.province_id
    national, reach = _reach(user, national, own_province)
    # District (until 30/06/2025) and commune (from 01/07/2025) share a rank: district first, as the chain runs.
    level_rows.sort(key=lambda r: (r[0], r[2].code != "district", r[1]))
    group_rows.sort(key=lambda r: (r[0], r[1]))
    return Reference(
        national=national,
        reach=reach,
        provinces=province_rows,
        levels=[r[2] for r in level_rows],
        groups=[r[2] for r in group_rows],
    )


def _reference_rows():
    """One UNION query: provinces, levels and groups as rows of the same columns."""
    columns = ("kind", "ref_id", "ref_code", "ref_name", "ref_rank", "ref_current", "ref_successor")
    text, number = CharField(), IntegerField()
    provinces = (
        AdministrativeUnit.objects.filter(level="province")
        .order_by()
        .annotate(
            kind=Value("province", output_field=text),
            ref_id=F("pk"),
            ref_code=Value("", output_field=text),
            ref_name=F("name"),
            ref_rank=Value(0, output_field=number),
            ref_current=F("is_current"),
            ref_successor=F("successor_id"),
        )
        .values_list(*columns)
    )

    def coded(qs, kind, rank):
        """Rows of a coded list (levels, groups): always current, no successor."""
        return (
            qs.order_by()
            .annotate(
                kind=Value(kind, output_field=text),
                ref_id=F("pk"),
                ref_code=F("code"),
                ref_name=F("name"),
                ref_rank=F(rank),
                ref_current=Value(True),
                ref_successor=Value(None, output_field=number),
            )
            .values_list(*columns)
        )

    levels = coded(Level.objects.filter(programme__code=SPCNNTTB), "level", "rank")
    groups = coded(ProductGroup.objects.all(), "group", "order")
    return provinces.union(levels, groups, all=True)


REFERENCE = Prepared(_reference_rows)


def _reach(user, national: bool, own_province):
    """(national, the province scope the dashboard reads)."""
    if national:
        reach = EVERYTHING
    elif own_province is not None:
        reach = ProvinceScope(Reach.PROVINCE, own_province)
    else:
        # A staff account without an organisation reaches nothing; one of the ministry agency (a nationwide
        # organisation, no province) reads every province, as portal.core.access.province_scope says.
        reach = province_scope(user)
        national = reach.reach is Reach.NATIONWIDE
        reach = EVERYTHING if national else NOTHING
    return national, reach


@dataclass(frozen=True)
class Scope:
    """The records a dashboard counts: the reader's province (None nationally) narrowed by the filters."""

    reach: ProvinceScope = EVERYTHING  # the reader's provinces
    province: int | None = None  # today's province chosen (a national reader)
    recorded_province: int | None = None  # a province as it was before 1 July 2025
    year_from: int | None = None
    year_to: int | None = None
    level: str | None = None  # a level code (recognitions only)
    group: int | None = None  # a product group (recognitions and OCOP)

    def places(self, today: str, recorded: str) -> Q:
        """The province conditions, given the lookups of today's province and of the province as recorded."""
        condition = self.reach.q(today)
        if self.province is not None:
            condition &= Q(**{today: self.province})
        if self.recorded_province is not None:
            condition &= Q(**{recorded: self.recorded_province})
        return condition

    @property
    def own_province(self) -> int | None:
        return self.reach.province_or_none

    @property
    def whole_country(self) -> bool:
        """Every province, none chosen: what the national cells count."""
        every_province = self.reach.reach in (Reach.EVERYTHING, Reach.NATIONWIDE)
        return every_province and self.province is None and self.recorded_province is None

    def years(self, lookup: str) -> Q:
        condition = Q()
        if self.year_from is not None:
            condition &= Q(**{f"{lookup}__gte": self.year_from})
        if self.year_to is not None:
            condition &= Q(**{f"{lookup}__lte": self.year_to})
        return condition

    # For the reads compiled once per shape (portal.core.prepared): which values a scope has, and a scope of
    # placeholders of that shape.
    VALUES = ("province", "recorded_province", "year_from", "year_to", "level", "group")

    def bound(self) -> tuple[tuple, dict]:
        """(shape, values): the reach and the names of the values set, then those values by name."""
        values = {name: getattr(self, name) for name in self.VALUES if getattr(self, name) is not None}
        if self.reach.province_id is not None:
            values["own"] = self.reach.province_id
        return (self.reach.reach, *sorted(values)), values

    @classmethod
    def placeholder(cls, reach: Reach, *names: str) -> "Scope":
        """The scope of a shape, with a `Bind` placeholder for each value."""

        def bind(name):
            if name not in names:
                return None
            return Bind(name, CharField()) if name == "level" else Bind(name)

        return cls(reach=ProvinceScope(reach, bind("own")), **{name: bind(name) for name in cls.VALUES})


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
