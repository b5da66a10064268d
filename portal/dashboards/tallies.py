"""The dashboards' maintained aggregates: every figure the staff dashboard and the comparison of provinces show,
counted once per province (today's and as recorded) and per key, in the `Tally` table.

`refresh_tallies()` rebuilds every cell in one transaction: one `INSERT … SELECT … GROUP BY` per figure, done
by the database, then the time of the rebuild in `TallyRefresh`. Readers see the previous cells until it
commits. The worker's scheduler runs it every minute (portal/scheduler.py, once per minute across workers); the
dashboard shows the time of the data it read. So the pages read a few hundred cells whatever the number of
products, recognitions, ratings, projects or fairs, and each figure stays the live count of a minute ago
(tests/portal/dashboards/test_tallies.py compares them after random writes, imports and deletions).

Topics and their keys (`key` is a producer kind, a funding source, a fair level or an output):
- recognitions: year × level × product group × producer kind; recognitions_all: the same for the whole country
  (no province); recognition_places: year × level × product group (no producer kind);
- ocop_latest: product group × stars, each product's latest rating (valid or not);
- ocop_valid: day × product group × stars, the ratings that make OCOP products on that day;
- ocop_subjects: day × producer kind, the producers with a product rated 3★ or more on that day;
- funding_amount, funding_projects: plan year × source; outputs: plan year × output ("projects", "jobs_created",
  then each `OutputField`); fairs, fair_participations: the year a fair starts × fair level.

OCOP days: 31 December of every year before the rebuild's year, and the rebuild's day ("today"). A day not
counted (a later "today") is measured live by the reader."""

import datetime
import logging
import time

from django.db import connection, transaction
from django.db.models import CharField, Count, DateField, F, IntegerField, Q, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from awards.models import OcopRating, Recognition
from awards.selectors import OcopActual, OcopMeasures, ocop_latest_only, ocop_measure
from awards.selectors.ocop import STARS
from extension_projects.enums import OutputField
from extension_projects.models import Fair, Project, ProjectFunding
from extension_projects.selectors import COUNTED_AMOUNT
from portal.core.access import Rule, register
from portal.core.prepared import Prepared
from portal.models import Tally, TallyRefresh
from products.enums import ProducerKind

logger = logging.getLogger(__name__)
# Counts of every province: read through the dashboard's own scope (its reads filter by the reader's provinces),
# never opened as records.
register(Tally, Rule(superuser_only=True))
register(TallyRefresh, Rule(superuser_only=True))

COLUMNS = ("topic", "current_province_id", "province_id", "year", "level_id", "group_id", "key", "stars", "as_of")
OUTPUTS = ("projects", "jobs_created", *(f.value for f in OutputField))
PRODUCER = "product__producer__"
FIRST_OCOP_YEAR = 2019  # the OCOP programme's first ratings (Decision 490/QĐ-TTg of 2018)


def _insert(qs, topic: str, value, **keys) -> None:
    """INSERT INTO the tally table the rows of `qs` grouped by `keys` (column → expression; a column left out is
    NULL, or "" for `key`), with `value` as each cell's figure."""
    typed = {
        "year": IntegerField(),
        "level_id": IntegerField(),
        "group_id": IntegerField(),
        "stars": IntegerField(),
        "as_of": DateField(),
        "current_province_id": IntegerField(),
        "province_id": IntegerField(),
    }
    annotations = {}
    for column in COLUMNS:
        if column == "topic":
            annotations[f"t_{column}"] = Value(topic, output_field=CharField())
        elif column in keys:
            annotations[f"t_{column}"] = keys[column]
        elif column == "key":
            annotations["t_key"] = Value("", output_field=CharField())
        else:
            annotations[f"t_{column}"] = Value(None, output_field=typed[column])
    rows = qs.order_by().annotate(**annotations).values(*annotations).annotate(t_value=value)
    names = list(rows.query.annotation_select)
    if names != [*annotations, "t_value"]:  # the SELECT's columns must come in the INSERT's order
        raise RuntimeError(f"unexpected column order {names}")
    sql, params = rows.query.get_compiler(connection=connection).as_sql()
    table = connection.ops.quote_name(Tally._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in (*COLUMNS, "value"))
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)


def _places(prefix: str = "") -> dict:
    return {"current_province_id": F(f"{prefix}current_province_id"), "province_id": F(f"{prefix}province_id")}


def _recognitions() -> None:
    """Three cuts of the same counts: per province with every key (a province's dashboard, the filters), for the
    whole country (the national dashboard, a few hundred cells) and per province without the producer kind (the
    ranking and the comparison of provinces)."""
    keys = {"year": F("year"), "level_id": F("level_id"), "group_id": F("product__group_id")}
    _insert(
        Recognition.objects.all(), "recognitions", Count("pk"), **_places(PRODUCER), **keys, key=F(f"{PRODUCER}kind")
    )
    # The other two cuts add up the first one's cells rather than reading the recognitions again.
    cells = Tally.objects.filter(topic="recognitions")
    keys = {"year": F("year"), "level_id": F("level_id"), "group_id": F("group_id")}
    _insert(cells, "recognitions_all", Sum("value"), **keys, key=F("key"))
    _insert(cells, "recognition_places", Sum("value"), **_places(), **keys)


def ocop_days(today: datetime.date) -> list[datetime.date]:
    """The days OCOP figures are counted on: 31 December of each year since the programme began, then today."""
    return [datetime.date(year, 12, 31) for year in range(FIRST_OCOP_YEAR, today.year)] + [today]


def _ocop(today: datetime.date) -> None:
    group = {"group_id": F("product__group_id")}
    _insert(
        ocop_latest_only(OcopRating.objects.all()),
        "ocop_latest",
        Count("pk"),
        **_places(PRODUCER),
        **group,
        stars=F("stars"),
    )
    for day in ocop_days(today):
        valid = ocop_latest_only(OcopRating.objects.all(), as_of=day).filter(valid_until__gte=day)
        on = {"as_of": Value(day, output_field=DateField())}
        _insert(valid, "ocop_valid", Count("pk"), **_places(PRODUCER), **group, **on, stars=F("stars"))
        _insert(
            valid.filter(stars__gte=3),
            "ocop_subjects",
            Count(f"{PRODUCER}id", distinct=True),
            **_places(PRODUCER),
            **on,
            key=F(f"{PRODUCER}kind"),
        )


def _projects() -> None:
    funding = ProjectFunding.objects.all()
    keys = {**_places("project__"), "year": F("project__plan_year"), "key": F("source")}
    _insert(funding, "funding_amount", Coalesce(Sum(COUNTED_AMOUNT), 0), **keys)
    _insert(funding, "funding_projects", Count("project_id", filter=Q(approved__gt=0)), **keys)
    for output in OUTPUTS:
        value = Count("pk") if output == "projects" else Coalesce(Sum(output), 0)
        key = Value(output, output_field=CharField())
        _insert(Project.objects.all(), "outputs", value, **_places(), year=F("plan_year"), key=key)


def _fairs() -> None:
    keys = {**_places(), "year": ExtractYear("starts_on"), "key": F("level")}
    _insert(Fair.objects.all(), "fairs", Count("pk"), **keys)
    _insert(Fair.objects.filter(participations__isnull=False), "fair_participations", Count("participations"), **keys)


def refresh_tallies(now: datetime.datetime | None = None) -> int:
    """Rebuild every cell in one transaction; returns the number of cells. Rebuilds queue behind each other on
    the one `TallyRefresh` row, so two of them never interleave."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    started = time.monotonic()
    TallyRefresh.objects.get_or_create(pk=1, defaults={"refreshed_at": now, "today": today})
    with transaction.atomic():
        TallyRefresh.objects.select_for_update().get(pk=1)
        Tally.objects.all().delete()  # one DELETE: nothing refers to a cell
        _recognitions()
        _ocop(today)
        _projects()
        _fairs()
        cells = Tally.objects.count()
        if connection.vendor == "postgresql":  # the planner's row counts of the new cells, before anyone reads them
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(Tally._meta.db_table)}")
        duration = round((time.monotonic() - started) * 1000)
        TallyRefresh.objects.filter(pk=1).update(refreshed_at=now, today=today, duration_ms=duration, cells=cells)
    logger.info("dashboard tallies rebuilt: %d cells in %d ms", cells, duration)
    return cells


_REFRESH_FIELDS = [f.attname for f in TallyRefresh._meta.concrete_fields]
_REFRESH = Prepared(lambda: TallyRefresh.objects.filter(pk=1).values_list(*_REFRESH_FIELDS))


def last_refresh() -> TallyRefresh:
    """The last rebuild (a read every dashboard makes, compiled once); the first reader of a new portal (no
    rebuild yet) makes one."""
    rows = _REFRESH.rows()
    if not rows:
        refresh_tallies()
        rows = _REFRESH.rows()
    return TallyRefresh.from_db(TallyRefresh.objects.db, _REFRESH_FIELDS, rows[0])


# -- reads ----------------------------------------------------------------------------------------------------------
PLACES = ("current_province_id", "province_id")  # today's province, the province as recorded


def day_counted(day: datetime.date, refresh: TallyRefresh) -> bool:
    """Whether the last rebuild counted the OCOP figures of `day` (see `ocop_days`)."""
    year_end = (day.month, day.day) == (12, 31) and FIRST_OCOP_YEAR <= day.year < refresh.today.year
    return day == refresh.today or year_end


def ocop_measures(fetch, points: set[tuple], refresh: TallyRefresh, live) -> OcopMeasures:
    """OCOP figures from the cells in scope (the tally rows of the reader's places and product group, read by
    `fetch(by_province, days)`: rows of topic, day, stars, key, old province when `by_province`, then the figure):
    each product's latest rating by stars, and at each (day, old province or None) point the ratings valid by
    stars and the subjects by kind. One query; a point on a day the rebuild did not count is measured from the
    live ratings (`live()`, one more query)."""
    counted = {point for point in points if day_counted(point[0], refresh)}
    by_province = any(old is not None for _day, old in counted)
    rows = fetch(by_province, sorted({d for d, _o in counted}))
    latest = dict.fromkeys(STARS, 0)
    actuals = {}
    for topic, _day, stars, _key, *_rest, n in rows:
        if topic == "ocop_latest":
            latest[stars] += n
    for day, old in counted:
        here = [r for r in rows if r[1] == day and (old is None or r[4] == old)]
        valid = [r for r in here if r[0] == "ocop_valid"]
        subjects = [r for r in here if r[0] == "ocop_subjects"]
        actuals[(day, old)] = OcopActual(
            as_of=day,
            by_stars={s: sum(r[-1] for r in valid if r[2] == s) for s in STARS},
            subjects=sum(r[-1] for r in subjects),
            cooperatives=sum(r[-1] for r in subjects if r[3] == ProducerKind.COOPERATIVE),
            smes=sum(r[-1] for r in subjects if r[3] == ProducerKind.ENTERPRISE),
        )
    missing = points - counted
    if missing:
        actuals.update(ocop_measure(live(), missing).actuals)
    return OcopMeasures(latest_by_stars=latest, actuals=actuals)
