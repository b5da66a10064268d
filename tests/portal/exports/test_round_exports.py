"""Excel/CSV exports of the award rounds list and of a round's dossiers (the screening queue)."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from products.models import ProductGroup
from tests import factories
from tests.awards.certificate_helpers import _accepted

pytestmark = pytest.mark.django_db

ROUNDS = reverse("awards:staff.round.list")


def rows_of(response, fmt):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "csv":
        assert body.startswith(b"\xef\xbb\xbf")
        return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    return [list(r) for r in openpyxl.load_workbook(io.BytesIO(body)).worksheets[0].iter_rows(values_only=True)]


@pytest.fixture
def rounds(make_round):
    return {
        "cb_2025": make_round("province", year=2025, title="Bình chọn cấp tỉnh Cao Bằng 2025"),
        "cb": make_round("province", title="Bình chọn cấp tỉnh Cao Bằng"),
        "cm": make_round("province", province_name="Cà Mau", title="Bình chọn cấp tỉnh Cà Mau"),
    }


def test_round_list_export_is_the_filtered_province_rounds(client, staff_user, rounds):
    client.force_login(staff_user)
    response = client.get(ROUNDS, {"export": "xlsx"})
    assert response.status_code == 200
    assert 'filename="dot-binh-chon-' in response["Content-Disposition"]
    rows = rows_of(response, "xlsx")
    assert rows[0][:3] == ["Đợt bình chọn", "Cấp", "Năm"]
    titles = {r[0] for r in rows[1:]}
    assert titles == {"Bình chọn cấp tỉnh Cao Bằng 2025", "Bình chọn cấp tỉnh Cao Bằng"}
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["Trạng thái"] == "Bản nháp"
    assert record["Cấp"] == "Cấp tỉnh"
    rows = rows_of(client.get(ROUNDS, {"year": "2025", "export": "csv"}), "csv")
    assert [r[0] for r in rows[1:]] == ["Bình chọn cấp tỉnh Cao Bằng 2025"]


def test_round_list_export_is_refused_outside_the_department(client, producer_user, member_user, rounds):
    assert client.get(ROUNDS, {"export": "xlsx"}).status_code == 302
    for user in (producer_user, member_user):
        client.force_login(user)
        assert client.get(ROUNDS, {"export": "xlsx"}).status_code == 403


def test_round_list_export_costs_the_same_queries_for_more_rounds(
    client, staff_user, make_round, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_round("province", title="Một")
    client.force_login(staff_user)
    rows_of(client.get(ROUNDS, {"export": "csv"}), "csv")
    with CaptureQueriesContext(connection) as small:
        rows_of(client.get(ROUNDS, {"export": "csv"}), "csv")
    for i in range(4):
        make_round("province", title=f"Đợt {i}", year=2020 + i)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(rows_of(client.get(ROUNDS, {"export": "csv"}), "csv")) == 1 + 5


@pytest.fixture
def queue(make_round, staff_user):
    round_ = make_round("province", publish=True, title="Bình chọn cấp tỉnh Cao Bằng")
    food = _accepted(round_, factories.producer("HTX Tâm Hòa", "Cao Bằng"), "Lạp sườn hun khói", staff_user, "2")
    craft = _accepted(round_, factories.producer("Công ty TNHH MTV 688", "Cao Bằng"), "Chiếu trúc", staff_user, "1")
    return round_, food, craft


def test_round_dossiers_export_holds_the_filtered_queue(client, staff_user, queue):
    round_, food, craft = queue
    url = reverse("awards:staff.nomination.list", args=[round_.pk])
    client.force_login(staff_user)
    response = client.get(url, {"export": "xlsx"})
    assert f'filename="ho-so-dot-{round_.pk}-' in response["Content-Disposition"]
    rows = rows_of(response, "xlsx")
    assert rows[0][0] == "Mã tiếp nhận hồ sơ"
    assert {r[0] for r in rows[1:]} == {food.receipt_code, craft.receipt_code}
    record = next(dict(zip(rows[0], r, strict=True)) for r in rows[1:] if r[0] == food.receipt_code)
    assert record["Trạng thái"] == "Đủ điều kiện chấm điểm"  # the label, not "accepted"
    food_group = ProductGroup.objects.get(code="2")
    rows = rows_of(client.get(url, {"group": food_group.pk, "export": "csv"}), "csv")
    assert [r[0] for r in rows[1:]] == [food.receipt_code]


def test_round_dossiers_export_is_refused_to_another_province_and_outsiders(
    client, other_staff_user, producer_user, queue
):
    round_, _food, _craft = queue
    url = reverse("awards:staff.nomination.list", args=[round_.pk])
    assert client.get(url, {"export": "csv"}).status_code == 302
    client.force_login(other_staff_user)
    assert client.get(url, {"export": "csv"}).status_code == 404
    client.force_login(producer_user)
    assert client.get(url, {"export": "csv"}).status_code == 403


def test_round_pages_show_the_export_links(client, staff_user, queue):
    round_, _food, _craft = queue
    client.force_login(staff_user)
    for url in (ROUNDS, reverse("awards:staff.nomination.list", args=[round_.pk])):
        html = client.get(url).content.decode()
        assert "Xuất Excel" in html
        assert "export=csv" in html
