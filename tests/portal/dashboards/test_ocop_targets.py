"""OCOP targets on the dashboard when old provinces were merged: Hà Giang (old) into Tuyên Quang on 1 July 2025.
Tuyên Quang's officer sees Hà Giang's targets too, each against its own province's producers; the national view
adds up only today's provinces' targets (Hà Giang's overlaps Tuyên Quang's)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from awards.enums import OcopTargetMetric
from awards.models import OcopTarget
from portal.accounts.enums import Role
from portal.dashboards.tallies import refresh_tallies
from tests import factories

from .helpers import populate

pytestmark = pytest.mark.django_db

URL = reverse("dashboards:staff.dashboard")
AT_LEAST_3 = "Sản phẩm đạt từ 3★ trở lên"


@pytest.fixture
def tuyen_quang_staff(db):
    return factories.UserFactory(
        role=Role.STAFF, organization=factories.organization("Tuyên Quang"), is_staff=True, full_name="Cán bộ Sở TQ"
    )


@pytest.fixture
def merged(db):
    """Tuyên Quang has 3 rated products of its own and 2 of producers registered in Hà Giang (all 3★ or 4★,
    valid through 2025); Cà Mau 1. Targets for 2025 (≥ 3★): Tuyên Quang 4, Hà Giang (old) 5, Cà Mau 7."""
    populate("Tuyên Quang", 3)
    populate("Hà Giang", 2, current=False)
    populate("Cà Mau", 1)
    for name, current, value in [("Tuyên Quang", True, 4), ("Hà Giang", False, 5), ("Cà Mau", True, 7)]:
        OcopTarget.objects.create(
            province=factories.province(name, current=current),
            year=2025,
            metric=OcopTargetMetric.AT_LEAST_3,
            value=Decimal(value),
        )


def target_rows(client, user, params=None):
    client.force_login(user)
    response = client.get(URL, {"year_from": 2025, "year_to": 2025, **(params or {})})
    assert response.status_code == 200
    return {
        row.label: (row.cells[0].value, int(row.cells[1].value), row.cells[2].value)
        for row in response.context["ocop"].extra_tables[0].rows
    }


def test_a_province_sees_the_targets_of_the_old_provinces_merged_into_it(client, tuyen_quang_staff, merged):
    assert target_rows(client, tuyen_quang_staff) == {
        AT_LEAST_3: (2025, 4, 3 + 2),  # today's province: every producer it has today
        f"{AT_LEAST_3} – tỉnh Hà Giang cũ": (2025, 5, 2),  # the old province: the producers registered in it
    }


def test_a_national_reader_chooses_a_province_and_sees_the_same_targets(client, superuser, merged):
    tuyen_quang = factories.province("Tuyên Quang")
    assert target_rows(client, superuser, {"province": tuyen_quang.pk}) == {
        AT_LEAST_3: (2025, 4, 5),
        f"{AT_LEAST_3} – tỉnh Hà Giang cũ": (2025, 5, 2),
    }


def test_the_national_sum_counts_only_todays_provinces_targets(client, superuser, merged):
    # Tuyên Quang 4 + Cà Mau 7; Hà Giang's 5 is part of what Tuyên Quang plans, not on top of it.
    assert target_rows(client, superuser) == {AT_LEAST_3: (2025, 11, 3 + 2 + 1)}


def test_the_page_with_merged_targets_costs_no_more_queries(
    client, tuyen_quang_staff, merged, django_assert_max_num_queries
):
    refresh_tallies()  # the worker's recount
    client.force_login(tuyen_quang_staff)
    with django_assert_max_num_queries(11):  # 10, and the menu's count of the task inbox
        assert client.get(URL).status_code == 200
