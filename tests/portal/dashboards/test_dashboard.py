"""The staff dashboard: who may read it and which provinces, the figures it shows from small data, the lists its
figures link to (the same counts), its filters, the chart and table of every block, and its query count."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.enums import OcopTargetMetric
from awards.models import OcopTarget
from portal.accounts.enums import Role
from portal.dashboards.tallies import refresh_tallies
from products.models import ProductGroup
from tests import factories

from .helpers import populate

URL = reverse("dashboards:staff.dashboard")
pytestmark = pytest.mark.django_db


def get(client, user, params=None):
    client.force_login(user)
    response = client.get(URL, params or {})
    assert response.status_code == 200
    return response


def totals(table) -> dict:
    """The totals row of a dashboard table, by column header."""
    return {column: cell.value for column, cell in zip(table.columns, table.footer.cells, strict=True)}


def block(response, block_id):
    blocks = [*response.context["recognition_blocks"], response.context["ocop"], response.context["funding"]]
    blocks.append(response.context["fairs"])
    return next(b for b in blocks if b.id == block_id)


def key(response, figure_id):
    return next(f for f in response.context["key_figures"] if f["id"] == figure_id)


@pytest.fixture
def two_provinces(db):
    return {"Cao Bằng": populate("Cao Bằng", 6), "Cà Mau": populate("Cà Mau", 4)}


# -- who may read it ---------------------------------------------------------------------------------------------------
def test_anonymous_readers_are_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("who", ["producer_user", "member_user"])
def test_producers_and_council_members_are_refused(client, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403


def test_staff_read_their_own_province_only(client, staff_user, two_provinces):
    response = get(client, staff_user)
    html = response.content.decode()
    assert response.context["national"] is False
    assert "Province dashboard" in html or "Bảng số liệu của tỉnh" in html
    assert key(response, "key-recognitions")["value"] == 6 + 3  # Cao Bằng: 6 province + 3 region
    assert key(response, "key-projects")["value"] == 6
    assert key(response, "key-fairs")["value"] == 6
    # No province to choose, and only the old provinces merged into Cao Bằng "as it was".
    form = response.context["form"]
    assert "province" not in form.fields
    old = {label for value, label in form.fields["recorded_province"].choices if value}
    assert old == {"Cao Bằng"}


def test_staff_cannot_choose_another_province(client, staff_user, two_provinces):
    ca_mau = factories.province("Cà Mau")
    response = get(client, staff_user, {"province": ca_mau.pk})
    assert key(response, "key-recognitions")["value"] == 9  # the parameter is not theirs to give: ignored
    old_ca_mau = factories.province("Cà Mau", current=False)
    response = get(client, staff_user, {"recorded_province": old_ca_mau.pk})
    assert "recorded_province" in response.context["form"].errors
    assert key(response, "key-recognitions")["value"] == 9
    assert "Cà Mau" not in response.content.decode()


def test_other_province_staff_read_theirs(client, other_staff_user, two_provinces):
    response = get(client, other_staff_user)
    assert key(response, "key-recognitions")["value"] == 4 + 2
    assert response.context["own_province"].name == "Cà Mau"


@pytest.mark.parametrize("who", ["ministry_user", "superuser"])
def test_national_readers_see_every_province_and_may_choose_one(client, who, request, two_provinces):
    user = request.getfixturevalue(who)
    response = get(client, user)
    assert response.context["national"] is True
    assert key(response, "key-recognitions")["value"] == 9 + 6
    assert key(response, "key-projects")["value"] == 10
    provinces = {label for value, label in response.context["form"].fields["province"].choices if value}
    assert len(provinces) == 34
    response = get(client, user, {"province": factories.province("Cà Mau").pk})
    assert key(response, "key-recognitions")["value"] == 6
    assert key(response, "key-participations")["value"] == 4


def test_readers_served_in_turn_each_see_their_own_figures(
    client, staff_user, other_staff_user, superuser, two_provinces
):
    """The page's reads are compiled once per shape of scope (portal.core.prepared) and given each reader's
    province, years and group at each request: readers served one after another see their own figures."""
    cao_bang, ca_mau = factories.province("Cao Bằng"), factories.province("Cà Mau")
    group = ProductGroup.objects.get(code="1")
    cases = [
        (staff_user, {}, 9, 6),
        (other_staff_user, {}, 6, 4),
        (superuser, {"province": ca_mau.pk}, 6, 4),
        (superuser, {"province": cao_bang.pk}, 9, 6),
        (staff_user, {"year_from": 2021, "year_to": 2021}, 2, 3),
        (other_staff_user, {"year_from": 2021, "year_to": 2021}, 1, 2),
        (staff_user, {"group": group.pk}, 3, 6),
        (other_staff_user, {"group": group.pk}, 2, 4),
        (staff_user, {}, 9, 6),
    ]
    for user, params, recognitions, projects in cases:
        response = get(client, user, params)
        assert key(response, "key-recognitions")["value"] == recognitions, (user, params)
        assert key(response, "key-projects")["value"] == projects, (user, params)


# -- figures -----------------------------------------------------------------------------------------------------------
def test_recognitions_by_year_level_group_and_kind(client, staff_user, two_provinces):
    response = get(client, staff_user)
    by_year = block(response, "recognitions-year").table
    assert totals(by_year) == {"Cấp tỉnh": 6, "Cấp khu vực": 3, "Tổng cộng": 9}
    rows = {row.label: [c.value for c in row.cells] for row in by_year.rows}
    assert rows == {"2020": [2, 0, 2], "2021": [2, 0, 2], "2022": [2, 0, 2], "2023": [0, 3, 3]}
    by_kind = {row.label: row.cells[-1].value for row in block(response, "recognitions-kind").table.rows}
    assert by_kind["Hợp tác xã"] == 4  # producers 0 and 4: province and region each
    by_group = {row.label[:2]: row.cells[-1].value for row in block(response, "recognitions-group").table.rows}
    assert by_group["1."] == 3
    assert by_group["2."] == 6


def test_ocop_stars_and_targets(client, staff_user, two_provinces):
    province = factories.province("Cao Bằng")
    OcopTarget.objects.create(province=province, year=2025, metric=OcopTargetMetric.AT_LEAST_3, value=Decimal(10))
    OcopTarget.objects.create(province=province, year=2025, metric=OcopTargetMetric.FOUR, value=Decimal(4))
    response = get(client, staff_user)
    ocop = block(response, "ocop")
    assert {row.label: row.cells[0].value for row in ocop.table.rows} == {"1★": 0, "2★": 0, "3★": 4, "4★": 2, "5★": 0}
    targets = {row.label: [c.value for c in row.cells[:3]] for row in ocop.extra_tables[0].rows}
    assert targets == {"Sản phẩm đạt từ 3★ trở lên": [2025, 10, 6], "Sản phẩm đạt 4★": [2025, 4, 2]}


def test_staff_without_an_organisation_see_no_figures_and_no_targets(client, two_provinces):
    """An account of the department's kind with no organisation yet reaches no province: every figure is 0 and no
    province's (nor the country's) OCOP targets are listed."""
    OcopTarget.objects.create(
        province=factories.province("Cao Bằng"), year=2025, metric=OcopTargetMetric.AT_LEAST_3, value=Decimal(10)
    )
    unplaced = factories.UserFactory(role=Role.STAFF, organization=None, is_staff=True, full_name="Chưa có đơn vị")
    response = get(client, unplaced)
    assert [f["value"] for f in response.context["key_figures"]] == [0] * len(response.context["key_figures"])
    assert block(response, "ocop").extra_tables[0].rows == []
    assert "Sản phẩm đạt từ 3★ trở lên" not in response.content.decode()


def test_funding_per_source_and_year_and_fairs(client, staff_user, two_provinces):
    response = get(client, staff_user)
    funding = block(response, "funding")
    footer = totals(funding.table)
    assert footer["Đề án"] == 6
    assert footer["KCĐP (địa phương)"] == 600_000_000
    assert footer["KCQG (quốc gia)"] == 3 * 40_000_000  # the actual amount at settlement where recorded
    assert key(response, "key-funding")["value"] == 720_000_000
    html = response.content.decode()
    assert "720.000.000" in html
    outputs = totals(funding.extra_tables[0])
    assert outputs["Máy móc, thiết bị được hỗ trợ"] == 12
    fairs = totals(block(response, "fairs").table)
    assert fairs["Số hội chợ"] == 6
    assert fairs["Lượt tham gia"] == 6


def test_every_block_has_an_svg_chart_and_a_table(client, staff_user, two_provinces):
    html = get(client, staff_user).content.decode()
    sections = re.findall(r'<section class="card dashboard-block"(.*?)</section>', html, re.S)
    assert len(sections) == 6
    for section in sections:
        assert re.search(r'<svg class="chart" role="(img|group)" aria-label="', section)
        assert "<title" in section
        assert "<desc" in section
        assert "<table" in section
        assert "<caption>" in section
    assert 'href="/static/css/dashboards.css"' in html or "dashboards.css" in html
    assert "<script" not in html.split("<main", 1)[1]


def test_filters_narrow_every_block(client, superuser, two_provinces):
    response = get(client, superuser, {"year_from": 2021, "year_to": 2021})
    assert key(response, "key-recognitions")["value"] == 2 + 1  # 2021: producers 1 and 4, and 1
    assert key(response, "key-projects")["value"] == 3 + 2  # plan year 2021: odd producers
    assert key(response, "key-fairs")["value"] == 0
    response = get(client, superuser, {"level": "region"})
    assert key(response, "key-recognitions")["value"] == 3 + 2
    group = ProductGroup.objects.get(code="1")  # odd producers: province level only
    response = get(client, superuser, {"group": group.pk})
    assert key(response, "key-recognitions")["value"] == 3 + 2
    assert key(response, "key-ocop")["value"] == 3 + 2
    assert key(response, "key-projects")["value"] == 10  # a product group does not apply to projects
    response = get(client, superuser, {"year_from": 2023, "year_to": 2020})
    assert "year_to" in response.context["form"].errors


def test_as_it_was_filter_counts_the_old_province(client, staff_user, db):
    populate("Cao Bằng", 3)
    populate("Cao Bằng", 2, current=False)
    old = factories.province("Cao Bằng", current=False)
    assert key(get(client, staff_user), "key-recognitions")["value"] == (3 + 2) + (2 + 1)
    response = get(client, staff_user, {"recorded_province": old.pk})
    assert key(response, "key-recognitions")["value"] == 2 + 1
    assert key(response, "key-projects")["value"] == 2
    assert "as it was before 1 July 2025" in response.content.decode() or "trước ngày 01/07/2025" in (
        response.content.decode()
    )


# -- links -------------------------------------------------------------------------------------------------------------
def linked_cells(table):
    rows = [*table.rows, *([table.footer] if table.footer else [])]
    for row in rows:
        for column, cell in zip(table.columns, row.cells, strict=True):
            if cell.url:
                yield column, cell


@pytest.mark.parametrize("who", ["staff_user", "superuser"])
def test_every_count_links_to_a_list_with_the_same_count(client, who, request, two_provinces):
    user = request.getfixturevalue(who)
    province = factories.province("Cao Bằng")
    OcopTarget.objects.create(province=province, year=2025, metric=OcopTargetMetric.AT_LEAST_3, value=Decimal(10))
    response = get(client, user, {"province": province.pk} if user.is_superuser else {})
    checked = 0
    for block_id in ("recognitions-year", "recognitions-group", "recognitions-kind", "ocop"):
        for _column, cell in linked_cells(block(response, block_id).table):
            listed = client.get(cell.url)
            assert listed.status_code == 200, cell.url
            assert listed.context["paginator"].count == cell.value, cell.url
            checked += 1
    target = block(response, "ocop").extra_tables[0].rows[0].cells[2]
    assert client.get(target.url).context["paginator"].count == target.value == 6
    funding = block(response, "funding").table
    for column, cell in linked_cells(funding):
        if column == "Đề án":
            assert client.get(cell.url).context["paginator"].count == cell.value, cell.url
            checked += 1
    for column, cell in linked_cells(block(response, "fairs").table):
        summary = client.get(cell.url).context["summary"]
        expected = summary["participations"] if column == "Lượt tham gia" else summary["fairs"]
        assert expected == cell.value, cell.url
        checked += 1
    assert checked > 30
    for figure in response.context["key_figures"]:
        assert client.get(figure["url"]).status_code == 200
    # The links are in the page, HTML-escaped.
    html = response.content.decode()
    assert block(response, "recognitions-year").table.footer.cells[0].url.replace("&", "&amp;") in html


# -- queries -----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["staff_user", "superuser"])
def test_the_page_costs_the_same_queries_whatever_the_data(client, who, request, django_assert_max_num_queries):
    user = request.getfixturevalue(who)
    populate("Cao Bằng", 1, tag="a")
    province = factories.province("Cao Bằng")
    OcopTarget.objects.create(province=province, year=2025, metric=OcopTargetMetric.FOUR, value=Decimal(2))
    client.force_login(user)
    client.get(URL)
    with CaptureQueriesContext(connection) as small:
        client.get(URL, {"year_from": 2012})
    populate("Cao Bằng", 20, tag="b")
    populate("Cà Mau", 10, tag="c")
    OcopTarget.objects.create(province=province, year=2026, metric=OcopTargetMetric.FOUR, value=Decimal(5))
    refresh_tallies()  # the worker's recount
    # 10, and the menu's count of the task inbox (one query)
    with django_assert_max_num_queries(11), CaptureQueriesContext(connection) as large:
        response = client.get(URL, {"year_from": 2012})
    assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
    assert key(response, "key-recognitions")["value"] > 30


def test_names_in_the_tables_are_escaped(client, superuser, two_provinces):
    ProductGroup.objects.filter(code="1").update(name='Thủ công <script>alert("x")</script> & gốm')
    response = get(client, superuser)
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "Thủ công &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; gốm" in html
