"""The staff pages of recognitions: the dashboard of counts per province and level (today's province or the
province as recorded before the reform), the list behind each count, recording a past recognition, and who may
open what."""

import datetime
import re
from types import SimpleNamespace
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from awards import services
from awards.models import Recognition
from awards.urls import urlpatterns
from awards.views import recognitions
from tests import factories

from ..helpers import level

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
SUMMARY = reverse("awards:staff.recognition.summary")
LIST = reverse("awards:staff.recognition.list")
CREATE = reverse("awards:staff.recognition.create")


def outcomes(anonymous, producer, member, staff_ca_mau, staff_cao_bang, ministry, superuser):
    values = (anonymous, producer, member, staff_ca_mau, staff_cao_bang, ministry, superuser)
    return dict(zip(ROLES, values, strict=True))


def recognise(product, code, year, number="100/QĐ-UBND", **extra):
    admin = factories.UserFactory(role="staff", is_staff=True, is_superuser=True, full_name="Quản trị ghi")
    return services.recognition_record(
        actor=admin, product=product, level=level(code), year=year, decision_number=number, **extra
    )


@pytest.fixture
def records(product_a, product_b, producer_other_province):
    """Cao Bằng: lạp sườn province → region → national, chiếu trúc province → region. Đồng Tháp today: a product
    recorded in old Đồng Tháp (district, then province) and one recorded in old Tiền Giang (province). Cà Mau:
    one province recognition."""
    dong_thap = factories.product(factories.producer("HTX Sa Đéc", "Đồng Tháp", current=False), "Bánh phồng Sa Đéc")
    tien_giang = factories.product(
        factories.producer("Cơ sở Chợ Gạo", "Tiền Giang", current=False), "Bánh phồng Chợ Gạo"
    )
    ca_mau = factories.product(producer_other_province, "Tôm khô Tân Phát Lợi")
    for code, year in (("province", 2017), ("region", 2018), ("national", 2019)):
        recognise(product_a, code, year)
    recognise(product_b, "province", 2019)
    recognise(product_b, "region", 2020, number="941/QĐ-CTĐP")
    recognise(dong_thap, "district", 2016)
    recognise(dong_thap, "province", 2017)
    recognise(tien_giang, "province", 2019)
    recognise(ca_mau, "province", 2018)
    return SimpleNamespace(
        cao_bang=product_a,
        chieu_truc=product_b,
        dong_thap=dong_thap,
        tien_giang=tien_giang,
        ca_mau=ca_mau,
        archive=Recognition.objects.get(product=product_a, level__code="province"),
    )


def row_named(response, name, *, current):
    rows = [r for r in response.context["rows"] if r["name"] == name and r["is_current"] == current]
    assert len(rows) == 1, [r["name"] for r in response.context["rows"]]
    return rows[0]


def counts(row):
    return {cell["level"].code: cell["count"] for cell in row["cells"]} | {"total": row["total"]}


ZERO = {"district": 0, "commune": 0, "province": 0, "region": 0, "national": 0}


# --- the dashboard ---


def test_summary_counts_per_province_today_for_a_superuser(client, superuser, records):
    client.force_login(superuser)

    response = client.get(SUMMARY)

    assert response.status_code == 200
    assert counts(row_named(response, "Cao Bằng", current=True)) == ZERO | {
        "province": 2,
        "region": 2,
        "national": 1,
        "total": 5,
    }
    # Today's Đồng Tháp holds the records of old Đồng Tháp and old Tiền Giang.
    assert counts(row_named(response, "Đồng Tháp", current=True)) == ZERO | {"district": 1, "province": 2, "total": 3}
    assert counts(row_named(response, "Cà Mau", current=True)) == ZERO | {"province": 1, "total": 1}
    # Every province of today is listed for a superuser, with zeros where nothing is recognised.
    assert len(response.context["rows"]) == 34
    assert [c["count"] for c in response.context["total_cells"]] == [1, 0, 5, 2, 1]
    html = response.content.decode()
    assert "Kết quả công nhận" in html
    assert "Cấp huyện" in html
    assert "Cấp quốc gia" in html


def test_summary_as_recorded_shows_the_old_provinces_as_separate_rows(client, superuser, records):
    client.force_login(superuser)

    response = client.get(SUMMARY, {"basis": "recorded"})

    assert counts(row_named(response, "Đồng Tháp", current=False)) == ZERO | {"district": 1, "province": 1, "total": 2}
    assert counts(row_named(response, "Tiền Giang", current=False)) == ZERO | {"province": 1, "total": 1}
    assert "nay thuộc Đồng Tháp" in response.content.decode()
    assert {r["name"] for r in response.context["rows"]} == {"Cao Bằng", "Đồng Tháp", "Tiền Giang", "Cà Mau"}


def test_summary_count_links_to_the_list_of_those_products(client, superuser, records):
    client.force_login(superuser)
    response = client.get(SUMMARY, {"basis": "recorded", "year_from": "2017"})
    cell = next(c for c in row_named(response, "Đồng Tháp", current=False)["cells"] if c["level"].code == "province")
    assert cell["count"] == 1
    assert cell["url"] in response.content.decode().replace("&amp;", "&")
    query = parse_qs(urlparse(cell["url"]).query)
    assert query["level"] == ["province"]
    assert query["year_from"] == ["2017"]

    listed = client.get(cell["url"])

    assert [(r.product.name, r.level.code, r.year) for r in listed.context["recognitions"]] == [
        ("Bánh phồng Sa Đéc", "province", 2017)
    ]


def test_summary_total_link_lists_the_whole_province_today(client, superuser, records):
    client.force_login(superuser)
    response = client.get(SUMMARY)

    listed = client.get(row_named(response, "Đồng Tháp", current=True)["url"])

    assert sorted(r.product.name for r in listed.context["recognitions"]) == [
        "Bánh phồng Chợ Gạo",
        "Bánh phồng Sa Đéc",
        "Bánh phồng Sa Đéc",
    ]


def test_summary_filters_years_group_and_source(client, superuser, records):
    client.force_login(superuser)

    years = client.get(SUMMARY, {"year_from": "2018", "year_to": "2019"})
    group = client.get(SUMMARY, {"group": records.chieu_truc.group_id})
    portal = client.get(SUMMARY, {"source": "portal"})

    assert counts(row_named(years, "Cao Bằng", current=True)) == ZERO | {
        "province": 1,
        "region": 1,
        "national": 1,
        "total": 3,
    }
    assert counts(row_named(group, "Cao Bằng", current=True)) == ZERO | {"province": 1, "region": 1, "total": 2}
    assert counts(row_named(group, "Đồng Tháp", current=True)) == ZERO | {"total": 0}
    assert portal.context["grand_total"] == 0


def test_summary_of_a_province_officer_shows_only_their_province(client, staff_user, other_staff_user, records):
    client.force_login(other_staff_user)
    response = client.get(SUMMARY)
    assert [(r["name"], r["total"]) for r in response.context["rows"]] == [("Cà Mau", 1)]
    assert "Cao Bằng" not in response.content.decode().split("<main", 1)[1]

    client.force_login(staff_user)
    assert [(r["name"], r["total"]) for r in client.get(SUMMARY).context["rows"]] == [("Cao Bằng", 5)]


def test_summary_as_recorded_for_an_officer_lists_the_provinces_merged_into_theirs(client, records):
    dong_thap_staff = factories.UserFactory(
        role="staff", organization=factories.organization("Đồng Tháp"), is_staff=True, full_name="Cán bộ Đồng Tháp"
    )
    client.force_login(dong_thap_staff)

    today = client.get(SUMMARY)
    recorded = client.get(SUMMARY, {"basis": "recorded"})

    assert [(r["name"], r["total"]) for r in today.context["rows"]] == [("Đồng Tháp", 3)]
    assert sorted((r["name"], r["is_current"], r["total"]) for r in recorded.context["rows"]) == [
        ("Tiền Giang", False, 1),
        ("Đồng Tháp", False, 2),
    ]


def test_summary_costs_the_same_queries_with_more_recognitions(client, superuser, records, count_queries):
    client.force_login(superuser)
    few, _response = count_queries(client, SUMMARY + "?basis=recorded")
    for i in range(20):
        product = factories.product(factories.producer(f"Cơ sở {i}", "Vĩnh Long", current=False), f"Kẹo dừa {i}")
        recognise(product, "district", 2014 + i % 6)
        recognise(product, "province", 2021)

    many, response = count_queries(client, SUMMARY + "?basis=recorded")

    assert many == few
    assert counts(row_named(response, "Vĩnh Long", current=False))["total"] == 40


# --- the list ---


def listed(client, **params):
    response = client.get(LIST, params)
    assert response.status_code == 200
    return sorted((r.product.name, r.level.code, r.year) for r in response.context["recognitions"])


def test_list_search_ignores_accents_and_finds_producer_names(client, superuser, records):
    client.force_login(superuser)

    assert listed(client, q="lap suon") == [
        ("Lạp sườn Tâm Hòa", "national", 2019),
        ("Lạp sườn Tâm Hòa", "province", 2017),
        ("Lạp sườn Tâm Hòa", "region", 2018),
    ]
    assert listed(client, q="TAN PHAT loi") == [("Tôm khô Tân Phát Lợi", "province", 2018)]
    assert listed(client, q="cho gao") == [("Bánh phồng Chợ Gạo", "province", 2019)]


def test_list_filters_level_years_and_provinces(client, superuser, records):
    client.force_login(superuser)
    dong_thap_today = factories.province("Đồng Tháp")
    tien_giang = factories.province("Tiền Giang", current=False)

    assert listed(client, level="region") == [("Chiếu trúc", "region", 2020), ("Lạp sườn Tâm Hòa", "region", 2018)]
    assert listed(client, year_from="2019", year_to="2019") == [
        ("Bánh phồng Chợ Gạo", "province", 2019),
        ("Chiếu trúc", "province", 2019),
        ("Lạp sườn Tâm Hòa", "national", 2019),
    ]
    assert [name for name, *_ in listed(client, province=dong_thap_today.pk)] == [
        "Bánh phồng Chợ Gạo",
        "Bánh phồng Sa Đéc",
        "Bánh phồng Sa Đéc",
    ]
    assert listed(client, recorded_province=tien_giang.pk) == [("Bánh phồng Chợ Gạo", "province", 2019)]
    assert listed(client, source="portal") == []
    assert len(listed(client, source="archive")) == 9


def test_list_shows_province_as_recorded_and_today_decision_and_source(client, superuser, records):
    client.force_login(superuser)

    html = client.get(LIST, {"q": "cho gao"}).content.decode()

    assert "Tiền Giang → Đồng Tháp" in html
    assert "100/QĐ-UBND" in html
    assert "lưu trữ" in html
    assert "Cơ sở Chợ Gạo" in html


def test_list_of_a_province_officer_holds_only_their_province(client, other_staff_user, records):
    client.force_login(other_staff_user)

    assert listed(client) == [("Tôm khô Tân Phát Lợi", "province", 2018)]
    # Another province in the query string is not among the choices: the filter is refused, nothing leaks.
    assert listed(client, province=factories.province("Cao Bằng").pk) == []


def test_list_costs_the_same_queries_with_1_or_20_rows(client, superuser, product_a, count_queries):
    client.force_login(superuser)
    recognise(product_a, "province", 2017)
    one, _response = count_queries(client, LIST)
    for i in range(19):
        product = factories.product(factories.producer(f"Cơ sở {i}", "Cà Mau"), f"Khô cá {i}")
        recognise(product, "province", 2013 + i % 10)

    twenty, response = count_queries(client, LIST)

    assert twenty == one
    assert len(response.context["recognitions"]) == 20


# --- recording a past recognition ---


def form_data(product, **changes):
    return {
        "product": product.pk,
        "level": level("province").pk,
        "year": "2019",
        "decision_number": "2345/QĐ-UBND",
        "decision_date": "05/10/2019",
        "note": "Bản chính lưu tại Sở",
    } | changes


def options(response):
    """The labels of the product list's options."""
    select = re.search(r'<select name="product".*?</select>', response.content.decode(), re.S).group(0)
    return re.findall(r'<option value="\d+"[^>]*>([^<]*)</option>', select)


def test_create_form_offers_the_officers_products_only(client, staff_user, product_a, producer_other_province):
    factories.product(producer_other_province, "Tôm khô Tân Phát Lợi")
    client.force_login(staff_user)

    response = client.get(CREATE)

    assert response.status_code == 200
    assert "Lạp sườn Tâm Hòa — HTX Tâm Hòa" in options(response)
    assert not any("Tân Phát Lợi" in o for o in options(response))


def test_create_form_search_narrows_the_products_and_keeps_the_chosen_one(client, staff_user, product_a, product_b):
    client.force_login(staff_user)

    narrowed = client.get(CREATE, {"q": "chieu"})
    chosen = client.get(CREATE, {"q": "chieu", "product": product_a.pk})

    assert [o.split(" — ")[0] for o in options(narrowed)] == ["Chiếu trúc"]
    assert sorted(o.split(" — ")[0] for o in options(chosen)) == ["Chiếu trúc", "Lạp sườn Tâm Hòa"]
    assert f'<option value="{product_a.pk}" selected>' in chosen.content.decode()


def test_create_records_and_goes_to_the_product_page(client, staff_user, product_a):
    client.force_login(staff_user)

    response = client.post(CREATE, form_data(product_a))

    assert response.status_code == 302
    assert response.url == reverse("products:staff.product.detail", args=[product_a.pk])
    recognition = Recognition.objects.get()
    assert (recognition.product, recognition.level.code, recognition.year) == (product_a, "province", 2019)
    assert recognition.decision_date == datetime.date(2019, 10, 5)
    assert recognition.valid_until == datetime.date(2022, 12, 31)
    page = client.get(response.url).content.decode()
    assert "Đã ghi nhận: “Lạp sườn Tâm Hòa”, cấp tỉnh năm 2019." in page
    assert "2345/QĐ-UBND" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"year": "2010"}, "Năm phải trong khoảng từ 2012 đến"),
        ({"level": "district", "year": "2026", "decision_date": ""}, "công nhận cấp xã bắt đầu từ ngày 01/07/2025"),
        ({"decision_date": "31/02/2019"}, "dd/mm/yyyy"),
        ({"decision_number": ""}, "Trường này là bắt buộc"),
    ],
)
def test_create_with_invalid_input_answers_400_and_keeps_what_was_typed(
    client, staff_user, product_a, changes, message
):
    client.force_login(staff_user)
    if changes.get("level") == "district":
        changes = changes | {"level": level("district").pk}

    response = client.post(CREATE, form_data(product_a, **changes))

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Bản chính lưu tại Sở" in html
    assert f'<option value="{product_a.pk}" selected>' in html
    assert not Recognition.objects.exists()


def test_create_refuses_a_duplicate_with_a_vietnamese_message(client, staff_user, product_a):
    recognise(product_a, "province", 2019)
    client.force_login(staff_user)

    response = client.post(CREATE, form_data(product_a))

    assert response.status_code == 400
    assert "đã được ghi nhận là sản phẩm CNNT tiêu biểu cấp tỉnh năm 2019" in response.content.decode()
    assert Recognition.objects.count() == 1


def test_create_refuses_a_product_of_another_province(client, other_staff_user, product_a):
    client.force_login(other_staff_user)

    response = client.post(CREATE, form_data(product_a))

    assert response.status_code == 400
    assert "Hãy chọn một sản phẩm trong danh sách." in response.content.decode()
    assert not Recognition.objects.exists()


# --- tracing a product across levels on the registry pages ---


def test_product_and_producer_pages_trace_the_recognitions_by_level(client, staff_user, records):
    client.force_login(staff_user)

    product_page = client.get(reverse("products:staff.product.detail", args=[records.cao_bang.pk])).content.decode()
    producer_page = client.get(
        reverse("products:staff.producer.detail", args=[records.chieu_truc.producer_id])
    ).content.decode()

    assert "Kết quả công nhận theo cấp" in product_page
    for name in ("Cấp tỉnh", "Cấp khu vực", "Cấp quốc gia"):
        assert name in product_page
    assert product_page.index("2017") < product_page.index("2018") < product_page.index("2019")
    assert f"{CREATE}?product={records.cao_bang.pk}" in product_page
    assert "941/QĐ-CTĐP" in producer_page
    assert "Chiếu trúc" in producer_page


def test_product_page_says_when_nothing_is_recognised(client, staff_user, product_a):
    client.force_login(staff_user)

    page = client.get(reverse("products:staff.product.detail", args=[product_a.pk])).content.decode()

    assert "Chưa được công nhận ở cấp nào." in page


def test_delete_of_a_portal_recognition_is_refused_with_a_message(client, staff_user, product_a):
    portal = Recognition.objects.create(
        product=product_a, level=level("province"), year=2024, decision_number="1450/QĐ-UBND", source="portal"
    )
    client.force_login(staff_user)

    response = client.post(reverse("awards:staff.recognition.delete", args=[portal.pk]), follow=True)

    assert "không thể xóa tại đây" in response.content.decode()
    assert Recognition.objects.filter(pk=portal.pk).exists()


def test_staff_navigation_links_to_the_dashboard(client, staff_user):
    client.force_login(staff_user)

    html = client.get(LIST).content.decode()

    assert f'<a href="{SUMMARY}">Kết quả công nhận</a>' in html


# --- who may open what ---

STAFF_PAGE = outcomes(LOGIN, 403, 403, 200, 200, 403, 200)
READ_PAGE = outcomes(LOGIN, 403, 403, 200, 200, 200, 200)  # ministry officials read it too
GET_PAGES = [
    ("awards:staff.recognition.summary", READ_PAGE),
    ("awards:staff.recognition.list", READ_PAGE),
    ("awards:staff.recognition.create", STAFF_PAGE),
]


def _count(records):
    return Recognition.objects.count()


# url name, url args (a function of records), POST data, expected per role. A Cà Mau officer cannot choose a
# Cao Bằng product (400), nor find a Cao Bằng recognition (404). The summary takes no form: staff get 405, a
# ministry official (who reads it) 403 before that.
POSTS = [
    (
        "awards:staff.recognition.summary",
        lambda r: [],
        lambda r: {},
        outcomes(LOGIN, 403, 403, 405, 405, 403, 405),
    ),
    (
        "awards:staff.recognition.create",
        lambda r: [],
        lambda r: form_data(r.cao_bang, year="2021", decision_date="12/11/2021"),
        outcomes(LOGIN, 403, 403, 400, 302, 403, 302),
    ),
    (
        "awards:staff.recognition.delete",
        lambda r: [r.archive.pk],
        lambda r: {},
        outcomes(LOGIN, 403, 403, 404, 302, 403, 302),
    ),
]


def sign_in(client, request, role):
    if ROLES[role] is not None:
        client.force_login(request.getfixturevalue(ROLES[role]))


def assert_outcome(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(
    ("name", "role", "expected"),
    [pytest.param(name, role, exp[role], id=f"{name}-{role}") for name, exp in GET_PAGES for role in ROLES],
)
def test_get_answers_by_role(client, request, records, name, role, expected):
    sign_in(client, request, role)
    assert_outcome(client.get(reverse(name)), expected)


@pytest.mark.parametrize(
    ("name", "args", "data", "role", "expected"),
    [
        pytest.param(name, args, data, role, exp[role], id=f"{name}-{role}")
        for name, args, data, exp in POSTS
        for role in ROLES
    ],
)
def test_post_answers_by_role_and_changes_nothing_when_refused(
    client, request, records, name, args, data, role, expected
):
    sign_in(client, request, role)
    before = _count(records)

    response = client.post(reverse(name, args=args(records)), data(records))

    assert_outcome(response, expected)
    assert (_count(records) != before) == (expected == 302)


def test_delete_answers_only_post(client, staff_user, records):
    client.force_login(staff_user)
    assert client.get(reverse("awards:staff.recognition.delete", args=[records.archive.pk])).status_code == 405


def test_matrix_covers_every_recognition_url():
    names = {f"awards:{p.name}" for p in urlpatterns if getattr(p.callback, "__module__", "") == recognitions.__name__}
    assert names == {name for name, _ in GET_PAGES} | {name for name, *_ in POSTS}
