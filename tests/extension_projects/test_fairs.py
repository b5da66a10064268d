"""Trade fairs on the staff pages: the list with its counts and summary line, a new fair, and one fair with its
participations (added and corrected through services.participation_record). Who may open what, and the Cao Bằng
figure (2018–2022: 257 participations in 124 fairs) on the demo data."""

import datetime
import io
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.urls import reverse

from extension_projects import services
from extension_projects.enums import FairLevel
from extension_projects.models import Fair, FairParticipation
from extension_projects.urls import urlpatterns
from portal.accounts.models import User
from tests import factories

from .helpers import project

pytestmark = pytest.mark.django_db

LOGIN = "login"


def fair(actor, *, name="Hội chợ Công Thương vùng Đông Bắc 2024", province="Cao Bằng", **extra):
    data = {
        "name": name,
        "starts_on": datetime.date(2024, 10, 2),
        "ends_on": datetime.date(2024, 10, 6),
        "place": "Thành phố Cao Bằng",
        "organiser": "Bộ Công Thương",
        "level": FairLevel.REGIONAL,
        "booths": 200,
        "province": factories.province(province) if isinstance(province, str) else province,
    }
    data.update(extra)
    return services.fair_create(actor=actor, **data)


def participation_data(producer, **extra):
    data = {
        "producer": producer.pk,
        "participation-booths": "2",
        "participation-support_amount": "12.000.000",
        "participation-sales": "85.500.000",
        "participation-contracts": "",
        "participation-contracts_value": "",
        "participation-project": "",
    }
    data.update(extra)
    return data


# --- the list ---


def test_fair_list_counts_participations_within_the_province(
    client, staff_user, other_staff_user, producer_a, producer_b, superuser
):
    cao_bang = fair(staff_user)
    services.participation_record(fair=cao_bang, producer=producer_a, actor=staff_user)
    services.participation_record(fair=cao_bang, producer=producer_b, actor=staff_user)
    fair(other_staff_user, name="Hội chợ Cà Mau 2024", province="Cà Mau")
    client.force_login(staff_user)

    response = client.get(reverse("extension_projects:staff.fair.list"))

    assert [(f.name, f.participation_count) for f in response.context["fairs"]] == [
        ("Hội chợ Công Thương vùng Đông Bắc 2024", 2)
    ]
    html = response.content.decode()
    assert "Hội chợ, triển lãm" in html
    assert "1 hội chợ, 2 lượt cơ sở tham gia" in html
    assert "Hội chợ Cà Mau 2024" not in html

    client.force_login(superuser)
    assert len(client.get(reverse("extension_projects:staff.fair.list")).context["fairs"]) == 2


def test_fair_list_filters_by_period_level_and_province(client, staff_user, producer_a):
    old_cao_bang = factories.province("Cao Bằng", current=False)
    for year, level in ((2019, FairLevel.PROVINCIAL), (2021, FairLevel.NATIONAL), (2024, FairLevel.NATIONAL)):
        f = fair(
            staff_user,
            name=f"Hội chợ {year}",
            starts_on=datetime.date(year, 5, 1),
            ends_on=datetime.date(year, 5, 3),
            level=level,
            province=old_cao_bang if year < 2024 else factories.province("Cao Bằng"),
        )
        services.participation_record(fair=f, producer=producer_a, actor=staff_user)
    client.force_login(staff_user)
    url = reverse("extension_projects:staff.fair.list")

    def names(**params):
        return [f.name for f in client.get(url, params).context["fairs"]]

    assert names(year_from=2019, year_to=2021) == ["Hội chợ 2021", "Hội chợ 2019"]
    assert names(level=FairLevel.NATIONAL) == ["Hội chợ 2024", "Hội chợ 2021"]
    # The old province (before 1 July 2025) narrows to what was recorded under it; today's takes in both.
    assert names(province=old_cao_bang.pk) == ["Hội chợ 2021", "Hội chợ 2019"]
    assert len(names(province=factories.province("Cao Bằng").pk)) == 3
    html = client.get(url, {"year_from": 2019, "year_to": 2021}).content.decode()
    assert "2 hội chợ, 2 lượt cơ sở tham gia" in html
    assert "từ năm 2019 đến năm 2021" in html


def test_fair_list_province_filter_offers_only_the_officers_provinces(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("extension_projects:staff.fair.list"))
    offered = {p.name for p in response.context["filter"].form.fields["province"].queryset}
    assert offered == {"Cao Bằng"}  # today's Cao Bằng and the old one of the same name
    response = client.get(reverse("extension_projects:staff.fair.list"), {"province": factories.province("Cà Mau").pk})
    assert list(response.context["fairs"]) == []


def test_fair_list_costs_the_same_queries_for_one_or_many_fairs(
    client, staff_user, producer_a, producer_b, django_assert_num_queries
):
    first = fair(staff_user)
    services.participation_record(fair=first, producer=producer_a, actor=staff_user)
    client.force_login(staff_user)
    url = reverse("extension_projects:staff.fair.list")
    client.get(url)  # warm the session and the caches

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(12):
        f = fair(staff_user, name=f"Phiên chợ hàng Việt số {i}")
        services.participation_record(fair=f, producer=producer_a, actor=staff_user)
        services.participation_record(fair=f, producer=producer_b, actor=staff_user)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.context["fairs"]) == 13


# --- a new fair ---


def test_staff_create_a_fair_for_their_province(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        reverse("extension_projects:staff.fair.create"),
        {
            "name": "Hội chợ Thương mại – Du lịch tỉnh Cao Bằng 2025",
            "starts_on": "12/09/2025",
            "ends_on": "16/09/2025",
            "place": "Quảng trường Cao Bằng",
            "organiser": "Sở Công Thương",
            "level": FairLevel.PROVINCIAL,
            "booths": "150",
            "province": factories.province("Cao Bằng").pk,
        },
    )
    created = Fair.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("extension_projects:staff.fair.detail", args=[created.pk])
    assert (created.starts_on, created.booths, created.current_province.name) == (
        datetime.date(2025, 9, 12),
        150,
        "Cao Bằng",
    )


def test_fair_form_refuses_reversed_dates_and_another_province_keeping_the_input(client, staff_user):
    client.force_login(staff_user)
    data = {
        "name": "Hội chợ OCOP 2025",
        "starts_on": "16/09/2025",
        "ends_on": "12/09/2025",
        "place": "Cao Bằng",
        "organiser": "Sở Công Thương",
        "level": FairLevel.PROVINCIAL,
        "province": factories.province("Cà Mau").pk,
    }
    response = client.post(reverse("extension_projects:staff.fair.create"), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Ngày kết thúc không được trước ngày khai mạc." in html
    assert "province" in response.context["form"].errors
    assert 'value="Hội chợ OCOP 2025"' in html
    assert not Fair.objects.exists()


# --- one fair and its participations ---


def test_fair_detail_records_a_participation_with_products_support_and_sales(client, staff_user, producer_a, product_a):
    f = fair(staff_user)
    supporting = project(staff_user, code="KCĐP-2024-07", activity_code="trade-promotion")
    client.force_login(staff_user)
    url = reverse("extension_projects:staff.fair.detail", args=[f.pk])

    form_page = client.get(url, {"producer": producer_a.pk})
    assert form_page.status_code == 200
    assert "Ghi nhận việc tham gia của HTX Tâm Hòa" in form_page.content.decode()
    assert list(form_page.context["form"].fields["products"].queryset) == [product_a]

    response = client.post(
        url,
        participation_data(
            producer_a,
            **{"participation-products": [product_a.pk], "participation-project": supporting.pk},
            **{"participation-contracts": "3", "participation-contracts_value": "240.000.000"},
        ),
    )

    assert response.status_code == 302
    p = FairParticipation.objects.get(fair=f, producer=producer_a)
    assert (p.booths, p.support_amount, p.sales, p.contracts, p.contracts_value, p.project) == (
        2,
        12_000_000,
        85_500_000,
        3,
        240_000_000,
        supporting,
    )
    assert list(p.products.all()) == [product_a]
    html = client.get(url).content.decode()
    assert "Lạp sườn Tâm Hòa" in html
    assert "12.000.000" in html
    assert "85.500.000" in html
    assert "KCĐP-2024-07" in html


def test_fair_detail_corrects_an_existing_participation(client, staff_user, producer_a, product_a):
    f = fair(staff_user)
    services.participation_record(fair=f, producer=producer_a, actor=staff_user, products=[product_a], booths=1)
    client.force_login(staff_user)
    url = reverse("extension_projects:staff.fair.detail", args=[f.pk])

    form = client.get(url, {"producer": producer_a.pk})
    assert "Sửa thông tin tham gia của HTX Tâm Hòa" in form.content.decode()
    assert form.context["form"].initial["products"] == [product_a.pk]

    client.post(url, participation_data(producer_a, **{"participation-booths": "3"}))

    p = FairParticipation.objects.get()
    assert (p.booths, list(p.products.all())) == (3, [])


def test_participation_refuses_another_producers_product_and_another_provinces_project(
    client, staff_user, other_staff_user, producer_a, product_a, product_b
):
    f = fair(staff_user)
    ca_mau_project = project(other_staff_user, code="CM-2024-01", province="Cà Mau")
    client.force_login(staff_user)
    url = reverse("extension_projects:staff.fair.detail", args=[f.pk])

    response = client.post(url, participation_data(producer_a, **{"participation-products": [product_b.pk]}))
    assert response.status_code == 400
    assert "Gian hàng chỉ trưng bày sản phẩm của chính cơ sở." in response.content.decode()

    response = client.post(url, participation_data(producer_a, **{"participation-project": ca_mau_project.pk}))
    assert response.status_code == 400
    assert "project" in response.context["form"].errors
    assert 'value="85.500.000"' in response.content.decode()
    assert not FairParticipation.objects.exists()


def test_participation_refuses_a_producer_of_another_province(client, staff_user, producer_other_province):
    f = fair(staff_user)
    client.force_login(staff_user)
    response = client.post(
        reverse("extension_projects:staff.fair.detail", args=[f.pk]), participation_data(producer_other_province)
    )
    assert response.status_code == 400
    assert "Hãy chọn một cơ sở sản xuất của tỉnh trong danh sách." in response.content.decode()
    assert not FairParticipation.objects.exists()


def test_producer_chooser_lists_the_provinces_producers_narrowed_by_search(
    client, staff_user, producer_a, producer_b, producer_other_province
):
    f = fair(staff_user)
    client.force_login(staff_user)
    url = reverse("extension_projects:staff.fair.detail", args=[f.pk])

    offered = client.get(url).context["chooser"].fields["producer"].queryset
    assert {p.name for p in offered} == {"HTX Tâm Hòa", "Công ty TNHH MTV 688"}
    offered = client.get(url, {"q": "tam hoa"}).context["chooser"].fields["producer"].queryset
    assert [p.name for p in offered] == ["HTX Tâm Hòa"]


def test_fair_detail_costs_the_same_queries_for_one_or_many_participations(
    client, staff_user, product_a, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    f = fair(staff_user)
    services.participation_record(fair=f, producer=product_a.producer, actor=staff_user, products=[product_a])
    client.force_login(staff_user)
    url = reverse("extension_projects:staff.fair.detail", args=[f.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(8):
        producer = factories.producer(f"HTX số {i}", "Cao Bằng")
        products = [factories.product(producer, f"Sản phẩm {i}-{k}") for k in range(2)]
        services.participation_record(fair=f, producer=producer, actor=staff_user, products=products)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.context["participations"]) == 9


# --- who may open what ---

STAFF_PAGE = {
    "anonymous": LOGIN,
    "producer": 403,
    "member": 403,
    "staff_ca_mau": 200,
    "staff_cao_bang": 200,
    "superuser": 200,
}
STAFF_OBJECT = {**STAFF_PAGE, "staff_ca_mau": 404}
ROLES = {
    "anonymous": None,
    "producer": "producer_user",
    "member": "member_user",
    "staff_ca_mau": "other_staff_user",
    "staff_cao_bang": "staff_user",
    "superuser": "superuser",
}
GET_PAGES = [
    ("extension_projects:staff.fair.list", False, STAFF_PAGE),
    ("extension_projects:staff.fair.create", False, STAFF_PAGE),
    ("extension_projects:staff.fair.detail", True, STAFF_OBJECT),
]
# A refused write changes nothing; a permitted one redirects.
POSTS = [
    ("extension_projects:staff.fair.detail", True, {**STAFF_OBJECT, "staff_cao_bang": 302, "superuser": 302}),
]


@pytest.fixture
def records(staff_user, producer_a):
    return SimpleNamespace(fair=fair(staff_user), producer=producer_a)


def sign_in(client, request, role):
    if ROLES[role] is not None:
        client.force_login(request.getfixturevalue(ROLES[role]))


def assert_outcome(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected


def _cases(table):
    return [
        pytest.param(name, with_fair, role, expected[role], id=f"{name.split(':')[1]}-{role}")
        for name, with_fair, expected in table
        for role in ROLES
    ]


@pytest.mark.parametrize(("name", "with_fair", "role", "expected"), _cases(GET_PAGES))
def test_fair_pages_answer_by_role(client, request, records, name, with_fair, role, expected):
    sign_in(client, request, role)
    url = reverse(name, args=[records.fair.pk]) if with_fair else reverse(name)
    assert_outcome(client.get(url), expected)


@pytest.mark.parametrize(("name", "with_fair", "role", "expected"), _cases(POSTS))
def test_participation_post_answers_by_role_and_changes_nothing_when_refused(
    client, request, records, name, with_fair, role, expected
):
    sign_in(client, request, role)
    response = client.post(reverse(name, args=[records.fair.pk]), participation_data(records.producer))
    assert_outcome(response, expected)
    assert FairParticipation.objects.exists() == (expected == 302)


def test_fair_create_post_by_role(client, request):
    data = {
        "name": "Phiên chợ hàng Việt 2025",
        "starts_on": "01/12/2025",
        "ends_on": "03/12/2025",
        "place": "Cao Bằng",
        "organiser": "Sở Công Thương",
        "level": FairLevel.PROVINCIAL,
        "province": factories.province("Cao Bằng").pk,
    }
    outcomes = {**STAFF_PAGE, "staff_ca_mau": 400, "staff_cao_bang": 302, "superuser": 302}
    for role, expected in outcomes.items():
        client.logout()
        sign_in(client, request, role)
        before = Fair.objects.count()
        assert_outcome(client.post(reverse("extension_projects:staff.fair.create"), data), expected)
        assert Fair.objects.count() == before + (1 if expected == 302 else 0), role


def test_matrix_covers_every_fair_url():
    names = {f"extension_projects:{p.name}" for p in urlpatterns if ".fair." in p.name}
    assert names == {row[0] for row in GET_PAGES}


# --- the published figure ---


def test_demo_cao_bang_2018_to_2022_shows_124_fairs_and_257_participations(client, staff_user, demo_data):
    call_command("load_demo", stdout=io.StringIO())
    client.force_login(User.objects.get(email="canbo.caobang@cnnt.demo"))

    response = client.get(reverse("extension_projects:staff.fair.list"), {"year_from": 2018, "year_to": 2022})

    assert response.context["summary"]["fairs"] == 124
    assert response.context["summary"]["participations"] == 257
    html = response.content.decode()
    assert "124 hội chợ, 257 lượt cơ sở tham gia" in html
    assert "từ năm 2018 đến năm 2022" in html
    assert response.context["paginator"].count == 124
    # The officer of Cà Mau sees none of them.
    client.force_login(User.objects.get(email="canbo.camau@cnnt.demo"))
    response = client.get(reverse("extension_projects:staff.fair.list"), {"year_from": 2018, "year_to": 2022})
    assert (response.context["summary"]["fairs"], response.context["summary"]["participations"]) == (0, 0)


# --- back office ---


def admin_user(user):
    """Staff with the back-office permission group, as accounts are set up in production."""
    from portal.accounts.roles import ensure_staff_group

    user.groups.add(ensure_staff_group())
    return user


def test_admin_lists_the_officers_fairs_and_records_participations_through_the_service(
    client, staff_user, other_staff_user, producer_a, product_a, product_b
):
    mine = fair(staff_user)
    fair(other_staff_user, name="Hội chợ Cà Mau 2024", province="Cà Mau")
    client.force_login(admin_user(staff_user))

    changelist = client.get(reverse("admin:extension_projects_fair_changelist"))
    assert [f.name for f in changelist.context["cl"].result_list] == ["Hội chợ Công Thương vùng Đông Bắc 2024"]

    data = {
        "fair": mine.pk,
        "producer": producer_a.pk,
        "products": [product_a.pk],
        "booths": "1",
        "support_amount": "5000000",
        "project": "",
        "sales": "",
        "contracts": "",
        "contracts_value": "",
    }
    response = client.post(reverse("admin:extension_projects_fairparticipation_add"), data)
    assert response.status_code == 302
    p = FairParticipation.objects.get()
    assert (p.fair, p.producer, p.support_amount, list(p.products.all())) == (mine, producer_a, 5_000_000, [product_a])

    # Another producer's product is not offered (the form refuses it) and nothing changes.
    response = client.post(
        reverse("admin:extension_projects_fairparticipation_change", args=[p.pk]), {**data, "products": [product_b.pk]}
    )
    assert response.status_code == 200
    assert list(p.products.all()) == [product_a]
