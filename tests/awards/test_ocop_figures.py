"""The one OCOP actual-against-target computation (`awards.selectors.ocop`): the rounding rule, what counts on a
measuring day, and the typed rows the targets page, the reports and the dashboards share."""

import datetime
from decimal import Decimal

import pytest

from awards import services
from awards.enums import OcopTargetMetric
from awards.models import OcopRating
from awards.selectors import OcopGoal, ocop_as_of, ocop_measure, ocop_percent, ocop_round, ocop_target_rows
from portal.core.workflow import SYSTEM
from products.enums import ProducerKind
from tests import factories

END_2024 = datetime.date(2024, 12, 31)


def rate(product, stars, day, number):
    score = {1: "20", 2: "40", 3: "60", 4: "75", 5: "92"}[stars]
    return services.ocop_rating_record(
        product=product, actor=SYSTEM, stars=stars, score=score, decision_number=number, decision_date=day
    )


@pytest.mark.parametrize(
    ("value", "shown"),
    [("33.33333", "33.3"), ("66.66667", "66.7"), ("62.25", "62.3"), ("62.35", "62.4"), ("50", "50.0")],
)
def test_a_percentage_is_rounded_to_one_decimal_halves_up(value, shown):
    assert ocop_round(Decimal(value)) == Decimal(shown)


def test_a_percentage_of_nothing_is_none():
    assert ocop_percent(3, 0) is None
    assert ocop_percent(None, 10) is None
    assert ocop_percent(2, 3) == Decimal("66.7")


def test_a_year_is_measured_on_31_december_or_today_while_it_runs():
    today = datetime.date(2025, 8, 1)
    assert ocop_as_of(2024, today) == END_2024
    assert ocop_as_of(2025, today) == today


@pytest.fixture
def ratings(producer_a, producer_b, product_a):
    """Cao Bằng: the lạp sườn 3★ then 4★ (June 2024); a chả 3★ of 2023; the 688 company's mat 5★, and its
    chopsticks 4★ decided in 2025 (after the end of 2024); a household's 2★."""
    producer_b.kind = ProducerKind.ENTERPRISE
    producer_b.save()
    rate(product_a, 3, datetime.date(2022, 3, 1), "A1")
    rate(product_a, 4, datetime.date(2024, 6, 1), "A2")
    rate(factories.product(producer_a, "Chả Tâm Hòa"), 3, datetime.date(2023, 5, 10), "A3")
    rate(factories.product(producer_b, "Chiếu trúc 688"), 5, datetime.date(2024, 2, 1), "B1")
    rate(factories.product(producer_b, "Đũa trúc 688"), 4, datetime.date(2025, 3, 1), "B2")
    household = factories.producer("Hộ Nông Văn Hải", "Cao Bằng", kind=ProducerKind.HOUSEHOLD)
    rate(factories.product(household, "Miến dong"), 2, datetime.date(2024, 1, 10), "C1")
    return OcopRating.objects.filter(product__producer__current_province__name="Cao Bằng")


def test_each_product_counts_with_its_latest_rating_of_the_day(ratings, django_assert_num_queries):
    with django_assert_num_queries(1):
        measures = ocop_measure(ratings, [(END_2024, None), (datetime.date(2022, 12, 31), None)])
    end_2024 = measures.actuals[(END_2024, None)]
    assert end_2024.by_stars == {1: 0, 2: 1, 3: 1, 4: 1, 5: 1}
    assert (end_2024.at_least_3, end_2024.subjects, end_2024.cooperatives, end_2024.smes) == (3, 2, 1, 1)
    end_2022 = measures.actuals[(datetime.date(2022, 12, 31), None)]
    assert end_2022.by_stars == {1: 0, 2: 0, 3: 1, 4: 0, 5: 0}  # the lạp sườn's first rating
    assert measures.latest_by_stars == {1: 0, 2: 1, 3: 1, 4: 2, 5: 1}  # whatever the day


def test_target_rows_round_once_and_judge_on_the_exact_figure(ratings, producer_a):
    today = datetime.date(2025, 8, 1)
    goals = [
        OcopGoal(year=2024, metric=OcopTargetMetric.AT_LEAST_3, value=Decimal(6)),
        OcopGoal(year=2024, metric=OcopTargetMetric.SME_SHARE, value=Decimal(30)),
        OcopGoal(year=2024, metric=OcopTargetMetric.FIVE, value=Decimal(1)),
    ]
    rows, _measures = ocop_target_rows(ratings, goals, today=today)
    assert [row.metric for row in rows] == [
        OcopTargetMetric.AT_LEAST_3,
        OcopTargetMetric.FIVE,
        OcopTargetMetric.SME_SHARE,
    ]
    at_least_3, five, smes = rows
    assert (at_least_3.actual, at_least_3.reached, at_least_3.met) == (3, Decimal("50.0"), False)
    assert (five.actual, five.reached, five.met) == (1, Decimal("100.0"), True)
    assert smes.is_share
    assert not at_least_3.is_share
    assert (smes.actual, smes.reached, smes.met) == (Decimal("50.0"), Decimal("166.7"), True)
    assert smes.as_of == END_2024
    assert str(at_least_3.label) == "Sản phẩm đạt từ 3★ trở lên"


def test_an_old_provinces_target_counts_the_producers_registered_in_it(db, ratings):
    ha_giang = factories.province("Hà Giang", current=False)
    buckwheat = factories.producer("HTX Tam Giác Mạch", "Hà Giang", current=False)
    rate(factories.product(buckwheat, "Bánh tam giác mạch"), 4, datetime.date(2024, 3, 1), "H1")
    tuyen_quang = OcopRating.objects.filter(product__producer__current_province_id=buckwheat.current_province_id)
    goal = OcopGoal(
        year=2024,
        metric=OcopTargetMetric.FOUR,
        value=Decimal(2),
        old_province_id=ha_giang.pk,
        old_province_name=ha_giang.name,
        old_province_full_name=ha_giang.full_name,
    )
    (row,), _measures = ocop_target_rows(tuyen_quang, [goal], today=datetime.date(2025, 8, 1))
    assert (row.actual, row.reached, row.province_id) == (1, Decimal("50.0"), ha_giang.pk)
    assert str(row.label) == f"Sản phẩm đạt 4★ – {ha_giang.full_name[:1].lower()}{ha_giang.full_name[1:]} cũ"
