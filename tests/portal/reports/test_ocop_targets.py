"""OCOP targets of a report whose area merges old provinces: each target is compared with what its own province
reached (an old province: the producers registered in it; today's province: those it has today), not with the
whole area. Hà Giang (old) was merged into Tuyên Quang on 1 July 2025."""

import datetime
import re
from decimal import Decimal
from html import unescape

import pytest

from awards import services as award_services
from awards.enums import OcopTargetMetric
from awards.models import OcopTarget
from portal.accounts.enums import Role
from portal.reports.selectors import ocop_report, report_area
from tests import factories

from .helpers import get, old_province, province

pytestmark = pytest.mark.django_db


@pytest.fixture
def tuyen_quang_staff(db):
    return factories.UserFactory(
        role=Role.STAFF, organization=factories.organization("Tuyên Quang"), is_staff=True, full_name="Cán bộ Sở TQ"
    )


@pytest.fixture
def merged(tuyen_quang_staff):
    """Hà Giang (old) plans 2 products of 3★ or more in 2025 and Tuyên Quang (today) 3; Hà Giang's producers
    reach 1, Tuyên Quang as a whole 3 (2 of its own producers' products and Hà Giang's)."""
    ha_giang, tuyen_quang = old_province("Hà Giang"), province("Tuyên Quang")
    assert ha_giang.successor_id == tuyen_quang.pk
    OcopTarget.objects.create(province=ha_giang, year=2025, metric=OcopTargetMetric.AT_LEAST_3, value=Decimal(2))
    OcopTarget.objects.create(province=tuyen_quang, year=2025, metric=OcopTargetMetric.AT_LEAST_3, value=Decimal(3))
    tea = factories.producer("HTX Chè Tuyên", "Tuyên Quang")
    buckwheat = factories.producer("HTX Tam Giác Mạch", "Hà Giang", current=False)
    assert buckwheat.current_province_id == tuyen_quang.pk
    for number, (product, stars) in enumerate(
        [
            (factories.product(tea, "Chè xanh Tuyên"), 3),
            (factories.product(tea, "Chè búp khô"), 3),
            (factories.product(buckwheat, "Bánh tam giác mạch"), 4),
        ],
        start=1,
    ):
        award_services.ocop_rating_record(
            product=product,
            actor=tuyen_quang_staff,
            stars=stars,
            score=Decimal(60 + 10 * (stars - 3)),
            decision_number=f"{number}/QĐ-UBND",
            decision_date=datetime.date(2025, 3, 1),
        )
    return ha_giang, tuyen_quang


def rows_by_province(report):
    return {row["target"].province.name: (row["value"], row["actual"], row["reached"]) for row in report["targets"]}


def test_each_ocop_target_is_compared_with_its_own_province(merged):
    ha_giang, tuyen_quang = merged

    today = ocop_report(report_area(tuyen_quang), 2025, 2025)
    assert rows_by_province(today) == {"Hà Giang": (2, 1, False), "Tuyên Quang": (3, 3, True)}
    assert dict(today["by_stars"]) == {5: 0, 4: 1, 3: 2}  # the whole area's stars are unchanged

    as_it_was = ocop_report(report_area(ha_giang), 2025, 2025)
    assert rows_by_province(as_it_was) == {"Hà Giang": (2, 1, False)}
    assert dict(as_it_was["by_stars"]) == {5: 0, 4: 1, 3: 0}


def table_rows(html, table_id):
    table = re.search(rf'<table[^>]*id="{table_id}"[^>]*>(.*?)</table>', html, re.S)
    assert table, f"no table #{table_id}"
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(1), re.S)
    return [
        [
            " ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split())
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in rows
    ]


def test_the_report_page_shows_the_old_provinces_target_against_its_own_producers(client, merged, tuyen_quang_staff):
    _ha_giang, tuyen_quang = merged
    client.force_login(tuyen_quang_staff)
    html = get(client, "recognitions", tuyen_quang, 2025, 2025).content.decode()
    rows = table_rows(html, "table-ocop-targets")[1:]
    assert rows == [
        ["Sản phẩm đạt từ 3★ trở lên", "2025", "3", "3", "Có"],
        ["Sản phẩm đạt từ 3★ trở lên – tỉnh Hà Giang cũ", "2025", "2", "1", "Không"],
    ]
