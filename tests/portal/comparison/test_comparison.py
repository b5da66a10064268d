"""The comparison of provinces: the figures of every province from a small data set, as they were before the
reform, sorting and ranking through the query string, the national totals, what a province's staff see of it,
the Excel and CSV files, the lists its numbers open, its query count and who may open it."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.core.palette import LEVEL_COLOURS, STAR_COLOURS
from portal.dashboards.tallies import refresh_tallies
from tests import factories
from tests.portal.dashboards.helpers import populate

URL = reverse("comparison:staff.province.compare")
MILLION = 1_000_000
pytestmark = pytest.mark.django_db

# populate(name, n): n producers, each with a product recognised at province level (and every other one at region
# level), rated 3★ (4★ for every third) on 01/06/2024 until 31/05/2027, one project (local 100 million; every
# other one national 50 million approved, 40 actual) and one fair with one participation.
CAO_BANG = {
    "level:province": 6,
    "level:region": 3,
    "recognitions": 9,
    "stars:3": 4,
    "stars:4": 2,
    "ocop": 6,
    "projects": 6,
    "funding:local": 600 * MILLION,
    "funding:national": 120 * MILLION,
    "funding": 720 * MILLION,
    "fairs": 6,
    "participations": 6,
}
CA_MAU = {
    "level:province": 4,
    "level:region": 2,
    "recognitions": 6,
    "stars:3": 2,
    "stars:4": 2,
    "ocop": 4,
    "projects": 4,
    "funding:local": 400 * MILLION,
    "funding:national": 80 * MILLION,
    "funding": 480 * MILLION,
    "fairs": 4,
    "participations": 4,
}
HA_GIANG = {"recognitions": 5, "level:province": 3, "level:region": 2, "projects": 3, "funding": 380 * MILLION}


@pytest.fixture
def provinces(db):
    """Cao Bằng and Cà Mau recorded today; Hà Giang recorded before the reform (today part of Tuyên Quang)."""
    return {
        "Cao Bằng": populate("Cao Bằng", 6),
        "Cà Mau": populate("Cà Mau", 4),
        "Hà Giang": populate("Hà Giang", 3, current=False),
    }


def get(client, user, **params):
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


def rows(response) -> dict:
    return {row.name: row for row in response.context["comparison"].rows}


def subset(values: dict, expected: dict) -> dict:
    return {key: values[key] for key in expected}


# -- the figures -----------------------------------------------------------------------------------------------------
def test_the_ministry_sees_every_province_with_its_figures(client, ministry_user, provinces):
    response = get(client, ministry_user, year_to=2025)
    comparison = response.context["comparison"]
    by_name = rows(response)
    assert len(by_name) == 34
    assert subset(by_name["Cao Bằng"].values, CAO_BANG) == CAO_BANG
    assert subset(by_name["Cà Mau"].values, CA_MAU) == CA_MAU
    assert subset(by_name["Tuyên Quang"].values, HA_GIANG) == HA_GIANG  # Hà Giang merged into it
    assert by_name["An Giang"].values["recognitions"] == 0
    totals = comparison.totals.values
    assert totals["recognitions"] == 9 + 6 + 5
    assert totals["funding"] == (720 + 480 + 380) * MILLION
    assert totals["participations"] == 6 + 4 + 3
    html = response.content.decode()
    assert "So sánh các tỉnh" in html
    assert "Cả nước" in html
    assert "1.580.000.000" in html  # the total funding, with dot thousands
    assert "Sản phẩm OCOP còn hiệu lực ngày 31/12/2025" in html


def test_the_default_order_ranks_by_recognitions_largest_first(client, ministry_user, provinces):
    response = get(client, ministry_user)
    names = [row.name for row in response.context["comparison"].rows]
    assert names[:3] == ["Cao Bằng", "Cà Mau", "Tuyên Quang"]
    ranks = [row.rank for row in response.context["comparison"].rows]
    # The 31 provinces with nothing share the 4th place, in dictionary order.
    assert ranks[:5] == [1, 2, 3, 4, 4]
    assert names[3:5] == ["An Giang", "Bắc Ninh"]
    assert 'aria-sort="descending"' in response.content.decode()


def test_a_column_heading_sorts_by_it_and_a_second_click_reverses(client, ministry_user, provinces):
    response = get(client, ministry_user, sort="-participations")
    comparison = response.context["comparison"]
    assert [r.name for r in comparison.rows[:3]] == ["Cao Bằng", "Cà Mau", "Tuyên Quang"]
    assert comparison.ranked_by.key == "participations"
    html = response.content.decode()
    # The heading of the sorted column now links to the other way round, keeping the other choices.
    assert "?sort=participations" in html
    response = get(client, ministry_user, sort="participations")
    assert [r.name for r in response.context["comparison"].rows[-3:]] == ["Tuyên Quang", "Cà Mau", "Cao Bằng"]
    assert response.context["comparison"].rows[-1].rank == 1  # the rank is still largest first
    response = get(client, ministry_user, sort="name")
    assert response.context["comparison"].rows[0].name == "An Giang"
    response = get(client, ministry_user, sort="-name")
    assert response.context["comparison"].rows[0].name == "Vĩnh Long"


def test_an_unknown_sort_falls_back_to_the_recognitions(client, ministry_user, provinces):
    response = get(client, ministry_user, sort="-pk); drop table")
    assert response.context["comparison"].sort == "recognitions"


def test_the_year_range_narrows_every_figure(client, ministry_user, provinces):
    cao_bang = rows(get(client, ministry_user, year_from=2021, year_to=2021))["Cao Bằng"].values
    # Recognitions of 2021 (i % 3 == 1: two), projects of plan year 2021 (even i: three), no fair in 2021, and
    # no OCOP rating decided by 31/12/2021.
    assert (cao_bang["recognitions"], cao_bang["projects"], cao_bang["fairs"], cao_bang["ocop"]) == (2, 3, 0, 0)
    assert cao_bang["funding"] == 3 * 100 * MILLION + 3 * 40 * MILLION


def test_the_years_are_checked(client, ministry_user, provinces):
    response = get(client, ministry_user, year_from=2020, year_to=2019)
    assert "Năm kết thúc đứng trước năm bắt đầu." in response.content.decode()
    assert response.context["comparison"].totals.values["recognitions"] == 20  # the end year left out


def test_as_it_was_lists_the_old_provinces_and_today_ones_recorded_since(client, ministry_user, provinces):
    response = get(client, ministry_user, basis="recorded", year_to=2025)
    comparison = response.context["comparison"]
    old = [r for r in comparison.rows if not r.is_current]
    assert len(old) == 63
    by_name = {(r.name, r.is_current): r for r in comparison.rows}
    assert subset(by_name["Hà Giang", False].values, HA_GIANG) == HA_GIANG
    assert by_name["Hà Giang", False].successor == "Tuyên Quang"
    # Cao Bằng's and Cà Mau's records were made under today's provinces: they show as such, the old ones empty.
    assert subset(by_name["Cao Bằng", True].values, CAO_BANG) == CAO_BANG
    assert by_name["Cao Bằng", False].values["recognitions"] == 0
    assert ("Tuyên Quang", True) not in by_name  # nothing recorded under today's Tuyên Quang
    assert comparison.totals.values["recognitions"] == 20
    html = response.content.decode()
    assert "nay thuộc Tuyên Quang" in html
    assert "từ ngày 01/07/2025" in html
    assert 'aria-current="true">Theo tỉnh cũ (trước 01/07/2025)' in html


# -- a province's staff ----------------------------------------------------------------------------------------------
def test_staff_see_their_province_against_the_national_totals(client, staff_user, provinces):
    response = get(client, staff_user, year_to=2025)
    comparison = response.context["comparison"]
    assert [r.name for r in comparison.rows] == ["Cao Bằng"]
    assert comparison.rows[0].rank == 1
    assert comparison.totals.values["recognitions"] == 20
    table = response.content.decode().split('id="comparison"', 1)[1]
    assert "Cà Mau" not in table
    assert "Tuyên Quang" not in table
    assert "trong 34 tỉnh" in response.content.decode()
    # The national totals open no list: a province's lists hold its own records only.
    totals = response.context["totals"]
    assert all(cell.url is None for cell in totals)
    assert response.context["chart"] == ""


def test_staff_of_a_merged_province_see_the_old_provinces_as_they_were(client, provinces):
    tuyen_quang = factories.UserFactory(role="staff", organization=factories.organization("Tuyên Quang"))
    response = get(client, tuyen_quang, basis="recorded")
    assert [(r.name, r.is_current) for r in response.context["comparison"].rows] == [
        ("Hà Giang", False),
        ("Tuyên Quang", False),
    ]


def test_an_account_without_a_province_sees_nothing(client, provinces):
    nobody = factories.UserFactory(role="staff", organization=None)
    response = get(client, nobody)
    assert response.context["comparison"].rows == []
    assert response.context["comparison"].totals is None


# -- the lists behind the numbers ------------------------------------------------------------------------------------
def test_every_number_of_a_province_opens_a_list_with_the_same_count(client, ministry_user, provinces):
    response = get(client, ministry_user, year_to=2025)
    row, cells = response.context["province_rows"][0]
    assert row.name == "Cao Bằng"
    checked = 0
    for cell in cells:
        if cell.url is None:
            continue
        listed = client.get(cell.url)
        assert listed.status_code == 200, cell.url
        value = int(cell.text.replace(".", ""))
        if cell.key in ("fairs", "participations"):
            assert listed.context["summary"][cell.key] == value, cell.url
        elif cell.key.startswith("funding"):  # an amount: its link lists the projects funded from the source
            assert listed.context["paginator"].count == (3 if cell.key == "funding:national" else 6), cell.url
        else:
            assert listed.context["paginator"].count == value, cell.url
        checked += 1
    assert checked == 12


def test_the_national_totals_open_the_national_lists(client, ministry_user, provinces):
    response = get(client, ministry_user)
    totals = {cell.key: cell for cell in response.context["totals"]}
    listed = client.get(totals["recognitions"].url)
    assert listed.context["paginator"].count == 20


# -- files -----------------------------------------------------------------------------------------------------------
def workbook(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(response.content))


def test_the_excel_file_holds_the_table_in_the_page_order_with_totals(client, ministry_user, provinces):
    client.force_login(ministry_user)
    response = client.get(URL, {"sort": "-funding", "year_to": 2025, "export": "xlsx"})
    assert 'filename="so-sanh-cac-tinh-' in response["Content-Disposition"]
    book = workbook(response)
    sheet = book.worksheets[0]
    values = list(sheet.values)
    headers = values[0]
    assert headers[:2] == ("Xếp hạng", "Tỉnh hiện nay")
    assert "Sản phẩm CNNT tiêu biểu được công nhận – Cấp tỉnh" in headers
    assert "Đề án khuyến công (kinh phí: đồng) – Tổng kinh phí" in headers
    assert len(values) == 1 + 34 + 1
    first = dict(zip(headers, values[1], strict=True))
    assert (first["Xếp hạng"], first["Tỉnh hiện nay"]) == (1, "Cao Bằng")
    assert first["Đề án khuyến công (kinh phí: đồng) – Tổng kinh phí"] == 720 * MILLION
    assert first["Sản phẩm OCOP còn hiệu lực ngày 31/12/2025 – 4★"] == 2
    total = dict(zip(headers, values[-1], strict=True))
    assert total["Tỉnh hiện nay"] == "Cả nước"
    assert total["Sản phẩm CNNT tiêu biểu được công nhận – Tổng cộng"] == 20
    funding = headers.index("Đề án khuyến công (kinh phí: đồng) – Tổng kinh phí") + 1
    assert sheet.cell(row=2, column=funding).number_format == "#,##0"
    notes = dict(book["Ghi chú"].values)
    assert notes["Thống kê theo"] == "Theo tỉnh hiện nay"
    assert notes["Giai đoạn"] == "đến năm 2025"
    assert "Tổng kinh phí" in notes["Xếp hạng theo"]


def test_staff_export_their_row_and_the_national_totals(client, staff_user, provinces):
    client.force_login(staff_user)
    values = list(workbook(client.get(URL, {"basis": "recorded", "export": "xlsx"})).worksheets[0].values)
    assert values[0][:3] == ("Xếp hạng", "Tỉnh theo hồ sơ", "Nay thuộc tỉnh")
    assert [row[1] for row in values[1:]] == ["Cao Bằng", "Cao Bằng", "Cả nước"]


def test_the_csv_file_has_a_bom_and_the_same_rows(client, ministry_user, provinces):
    client.force_login(ministry_user)
    response = client.get(URL, {"export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert lines[1][:2] == ["1", "Cao Bằng"]
    assert lines[-1][1] == "Cả nước"


# -- colours ---------------------------------------------------------------------------------------------------------
def test_levels_and_stars_wear_the_portals_colours(client, ministry_user, provinces):
    html = get(client, ministry_user).content.decode()
    for code in ("province", "region", "national"):
        assert f'fill="{LEVEL_COLOURS[code]}"' in html
    for stars in (3, 4, 5):
        assert f'fill="{STAR_COLOURS[stars]}"' in html


# -- cost ------------------------------------------------------------------------------------------------------------
# Staff pages carry the menu's "Việc cần làm" count: two more queries (the user's organisation, the count), whatever
# the data, and one for the time of the maintained figures.
@pytest.mark.parametrize(("who", "budget"), [("ministry_user", 8), ("staff_user", 10)])
def test_the_page_and_its_file_cost_the_same_queries_whatever_the_data(client, who, budget, request):
    user = request.getfixturevalue(who)
    populate("Cao Bằng", 1, tag="a")
    client.force_login(user)
    client.get(URL)
    with CaptureQueriesContext(connection) as small:
        client.get(URL, {"basis": "recorded", "sort": "-funding"})
    with CaptureQueriesContext(connection) as small_file:
        client.get(URL, {"export": "xlsx"})
    populate("Cao Bằng", 15, tag="b")
    populate("Cà Mau", 10, tag="c")
    populate("Hà Giang", 10, current=False, tag="d")
    refresh_tallies()  # the worker's recount
    with CaptureQueriesContext(connection) as large:
        assert client.get(URL, {"basis": "recorded", "sort": "-funding"}).status_code == 200
    with CaptureQueriesContext(connection) as large_file:
        client.get(URL, {"export": "xlsx"})
    assert len(large.captured_queries) == len(small.captured_queries) <= budget
    assert len(large_file.captured_queries) == len(small_file.captured_queries) <= budget


# -- who may open it -------------------------------------------------------------------------------------------------
LOGIN = "login"
ROLES = {
    "anonymous": None,
    "producer": "producer_user",
    "member": "member_user",
    "staff_ca_mau": "other_staff_user",
    "staff_cao_bang": "staff_user",
    "ministry": "ministry_user",
    "superuser": "superuser",
}
# The page and its files answer every list reader (each sees its own reach); it has nothing to send.
MATRIX = {
    ("get", ""): dict(zip(ROLES, (LOGIN, 403, 403, 200, 200, 200, 200), strict=True)),
    ("get", "export=xlsx"): dict(zip(ROLES, (LOGIN, 403, 403, 200, 200, 200, 200), strict=True)),
    ("get", "export=csv&basis=recorded"): dict(zip(ROLES, (LOGIN, 403, 403, 200, 200, 200, 200), strict=True)),
    ("post", ""): dict(zip(ROLES, (LOGIN, 403, 403, 405, 405, 405, 405), strict=True)),
}


@pytest.mark.parametrize(("method", "query", "role"), [(m, q, r) for m, q in MATRIX for r in ROLES])
def test_who_may_open_the_comparison(client, request, provinces, method, query, role):
    if ROLES[role] is not None:
        client.force_login(request.getfixturevalue(ROLES[role]))
    response = getattr(client, method)(f"{URL}?{query}" if query else URL)
    expected = MATRIX[method, query][role]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected


def test_the_matrix_covers_every_comparison_url():
    from portal.comparison.urls import urlpatterns

    assert {p.name for p in urlpatterns} == {"staff.province.compare"}
    assert URL == "/staff/provinces/compare/"
