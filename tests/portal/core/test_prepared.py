"""Reads compiled once per shape (portal.core.prepared): the same rows and Python types as the ORM's for every
bound value, no query for a read that can match nothing, and the same SQL in the query log."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import DateField, Q, Sum
from django.test.utils import CaptureQueriesContext

from awards.models import CertificateExport, Nomination, OcopTarget
from portal.core.access import scoped
from portal.core.prepared import Bind, Prepared
from portal.models import Tally, TallyRefresh
from tests import factories

pytestmark = pytest.mark.django_db


def _cells(with_year: bool, **_context):
    cells = Tally.objects.filter(topic="t", current_province_id=Bind("province"))
    if with_year:
        cells = cells.filter(year__gte=Bind("year"))
    return cells.order_by().values_list("year", "key").annotate(n=Sum("value")).order_by("year", "key")


CELLS = Prepared(_cells)


@pytest.fixture
def cells(db):
    rows = [(1, 2020, "a", 5), (1, 2020, "a", 7), (1, 2021, "b", 1), (2, 2020, "a", 100), (2, 2022, "c", 3)]
    Tally.objects.bulk_create(Tally(topic="t", current_province_id=p, year=y, key=k, value=v) for p, y, k, v in rows)


@pytest.mark.parametrize(
    ("shape", "values", "expected"),
    [
        ((False,), {"province": 1}, [(2020, "a", 12), (2021, "b", 1)]),
        ((False,), {"province": 2}, [(2020, "a", 100), (2022, "c", 3)]),
        ((True,), {"province": 1, "year": 2021}, [(2021, "b", 1)]),
        ((True,), {"province": 2, "year": 2021}, [(2022, "c", 3)]),
        ((False,), {"province": 3}, []),
    ],
)
def test_each_call_binds_its_own_values_and_matches_the_orm(cells, shape, values, expected):
    rows = CELLS.rows(shape, values)
    assert rows == expected
    orm = Tally.objects.filter(topic="t", current_province_id=values["province"])
    if shape[0]:
        orm = orm.filter(year__gte=values["year"])
    assert rows == list(orm.order_by("year", "key").values_list("year", "key").annotate(n=Sum("value")))


def test_columns_have_the_types_the_orm_gives(db):
    """Booleans, dates, date-times and decimal sums come back as Django returns them on either database."""
    province = factories.province("Cao Bằng")
    OcopTarget.objects.create(province=province, year=2025, metric="at_least_3", value=Decimal("12.50"))
    now = datetime.datetime(2026, 3, 1, 8, 30, tzinfo=datetime.UTC)
    TallyRefresh.objects.create(pk=1, refreshed_at=now, today=datetime.date(2026, 3, 1))

    targets = Prepared(
        lambda: (
            OcopTarget.objects.filter(province_id=Bind("p"))
            .values_list("province__is_current", "year")
            .annotate(total=Sum("value"))
        )
    )
    assert targets.rows((), {"p": province.pk}) == [(True, 2025, Decimal("12.50"))]
    refresh = Prepared(
        lambda: TallyRefresh.objects.filter(today__lte=Bind("day", DateField())).values_list("refreshed_at", "today")
    )
    assert refresh.rows((), {"day": datetime.date(2026, 12, 31)}) == [(now, datetime.date(2026, 3, 1))]
    assert refresh.rows((), {"day": datetime.date(2026, 2, 28)}) == []


def test_a_read_that_can_match_nothing_runs_no_query(db):
    nothing = Prepared(lambda: Tally.objects.filter(Q(pk__in=[])).values_list("pk"))
    with CaptureQueriesContext(connection) as queries:
        assert nothing.rows() == []
    assert queries.captured_queries == []


def test_the_query_log_shows_the_orms_sql(cells):
    """The SQL run is the ORM's own (a bound value in parentheses, as Django writes an expression): the query log,
    the query-count tests and the database's planner see the query the ORM would run."""
    with CaptureQueriesContext(connection) as prepared:
        CELLS.rows((True,), {"province": 1, "year": 2021})
    orm = Tally.objects.filter(topic="t", current_province_id=1).filter(year__gte=2021)
    with CaptureQueriesContext(connection) as direct:
        list(orm.order_by().values_list("year", "key").annotate(n=Sum("value")).order_by("year", "key"))
    (sql,) = [re.sub(r"\((\d+)\)", r"\1", q["sql"]) for q in prepared.captured_queries]
    assert [sql] == [q["sql"] for q in direct.captured_queries]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({}, "no value bound for 'province'"),
        ({"province": None}, "None bound for 'province'"),
        ({"province": 10**30}, "out of the column's range"),
    ],
)
def test_a_value_a_lookup_would_have_treated_apart_is_refused(cells, values, message):
    """None (IS NULL for a lookup), an integer no column holds (no match for a lookup) and a missing value are
    refused with the value's name rather than sent to the database."""
    with pytest.raises(ValueError, match=re.escape(message)):
        CELLS.rows((False,), values)


def test_a_province_placeholder_is_refused_where_the_query_holds_the_readers_own_ids(
    staff_user, producer_user, member_user
):
    """`scoped(..., province=placeholder)` serves staff reads through provinces only: a producer's or a member's
    query holds its own ids, and an owner's rows are the reader's own, so one compiled query cannot serve others."""
    for user in (producer_user, member_user):
        with pytest.raises(ValueError, match="province placeholder"):
            scoped(Nomination.objects.all(), user, province=Bind("province"))
    with pytest.raises(ValueError, match="province placeholder"):
        scoped(CertificateExport.objects.all(), staff_user, province=Bind("province"))
    rounds = scoped(Nomination.objects.all(), staff_user, province=Bind("province"))
    assert "Bind('province')" in repr(rounds.query.where)
