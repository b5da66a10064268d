"""The producer's record (portal/producer_record.py): products with their nominations, recognitions by level,
certificates and OCOP ratings; khuyến công support and fairs. For staff of the producer's province and for the
producer itself, in a fixed number of queries."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from awards import services as awards_services
from extension_projects import services as extension_services
from extension_projects.enums import FairLevel, FundingSource
from portal.record_urls import urlpatterns
from tests import factories
from tests.awards.certificate_helpers import peoples_committee
from tests.awards.conftest import make_round  # noqa: F401 (the fixture, used by name below)
from tests.awards.helpers import level
from tests.awards.nomination_helpers import ready_product, submitted
from tests.extension_projects.helpers import project

pytestmark = pytest.mark.django_db

LOGIN = "login"
LAST_YEAR = timezone.localdate().year - 1


def recognised(product, staff, *, certificate=True):
    """Province last year (with its certificate, valid for four years) and region this year, as a product goes up
    the levels."""
    province = awards_services.recognition_record(
        actor=staff,
        product=product,
        level=level("province"),
        year=LAST_YEAR,
        decision_number=f"1450/QĐ-UBND-{product.pk}",
        decision_date=datetime.date(LAST_YEAR, 11, 20),
    )
    awards_services.recognition_record(
        actor=staff,
        product=product,
        level=level("region"),
        year=LAST_YEAR + 1,
        decision_number=f"2026/QĐ-BCT-{product.pk}",
        decision_date=datetime.date(LAST_YEAR + 1, 1, 1),
    )
    if certificate:
        return awards_services.certificate_issue(
            recognition=province,
            actor=staff,
            issued_on=datetime.date(LAST_YEAR, 12, 1),
            issuing_body=peoples_committee(),
            signer_title="CHỦ TỊCH",
            signer_name="Hoàng Xuân Ánh",
        )
    return None


def rated(product, staff):
    """3★ in 2021, then 4★ two months ago (still valid): both records kept."""
    awards_services.ocop_rating_record(
        product=product,
        actor=staff,
        stars=3,
        score=Decimal("62"),
        decision_number=f"2170/QĐ-UBND-{product.pk}",
        decision_date=datetime.date(2021, 12, 10),
    )
    return awards_services.ocop_rating_record(
        product=product,
        actor=staff,
        stars=4,
        score=Decimal("74"),
        decision_number=f"1688/QĐ-UBND-{product.pk}",
        decision_date=timezone.localdate() - datetime.timedelta(days=60),
    )


def at_fair(producer, products, staff, *, name="Hội chợ Công Thương vùng Đông Bắc 2024", support=12_000_000):
    fair = extension_services.fair_create(
        actor=staff,
        name=name,
        starts_on=datetime.date(2024, 10, 2),
        ends_on=datetime.date(2024, 10, 6),
        place="Thành phố Cao Bằng",
        organiser="Bộ Công Thương",
        level=FairLevel.REGIONAL,
        province=factories.province("Cao Bằng"),
    )
    return extension_services.participation_record(
        fair=fair, producer=producer, actor=staff, products=products, support_amount=support, sales=85_500_000
    )


def full_product(producer, name, staff, round_, *, code):
    """A product with a submitted dossier, two recognitions (one certified), two OCOP ratings, a khuyến công
    project and a fair."""
    product = ready_product(producer, name)
    submitted(round_, product, staff)
    certificate = recognised(product, staff)
    rated(product, staff)
    project(staff, code=code, beneficiaries=[producer])
    at_fair(producer, [product], staff, name=f"Hội chợ {code}")
    return product, certificate


@pytest.fixture
def records(staff_user, producer_a, producer_b, make_round):  # noqa: F811 (the imported fixture)
    round_ = make_round("province", title="Cấp tỉnh Cao Bằng 2026", publish=True)
    product, certificate = full_product(producer_a, "Lạp sườn Tâm Hòa", staff_user, round_, code="KCĐP-2024-01")
    other = factories.product(producer_b, "Chiếu trúc 688", group_code="1")
    return SimpleNamespace(producer=producer_a, product=product, certificate=certificate, other=other, round=round_)


def staff_record_url(producer):
    return reverse("record:staff.producer.detail", args=[producer.pk])


# --- what the page shows ---


def test_staff_record_traces_the_product_across_levels_with_support_and_fairs(client, staff_user, records):
    client.force_login(staff_user)

    response = client.get(staff_record_url(records.producer))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Hồ sơ tổng hợp của HTX Tâm Hòa" in html
    (product,) = response.context["products"]
    assert [(r.level.code, r.year) for r in product.record_recognitions] == [
        ("province", LAST_YEAR),
        ("region", LAST_YEAR + 1),
    ]
    assert "Cấp tỉnh" in html
    assert "Cấp khu vực" in html
    assert f"1450/QĐ-UBND-{records.product.pk}" in html
    # The certificate: its number, its state and the public verification page.
    assert records.certificate.number in html
    assert reverse("awards:verify.detail", args=[records.certificate.code]) in html
    assert "Còn hiệu lực" in html
    # The dossier, with the staff label of its state.
    assert "Cấp tỉnh Cao Bằng 2026" in html
    assert [n.round for n in product.record_nominations] == [records.round]
    # OCOP: 4★ now, the 3★ of 2021 kept.
    assert product.record_current_rating.stars == 4
    assert [r.stars for r in response.context["ocop_ratings"]] == [4, 3]
    assert f"2170/QĐ-UBND-{records.product.pk}" in html
    # Khuyến công: amounts per source, and the fair with the product shown.
    (supported,) = response.context["projects"]
    assert dict(supported.record_amounts) == {
        FundingSource.NATIONAL: None,
        FundingSource.LOCAL: 250_000_000,
        FundingSource.COUNTERPART: 300_000_000,
    }
    assert "KCĐP-2024-01" in html
    assert "250.000.000" in html
    assert "300.000.000" in html
    assert "Hội chợ KCĐP-2024-01" in html
    assert "12.000.000" in html
    assert response.context["summary"] == {
        "products": 1,
        "recognitions": 2,
        "valid_certificates": 1,
        "best_stars": 4,
        "projects": 1,
        "support_public": 250_000_000,
        "fairs": 1,
    }


def test_staff_record_leaves_out_the_producers_drafts_which_the_producer_sees(
    client,
    staff_user,
    producer_user,
    producer_a,
    make_round,  # noqa: F811 (the imported fixture)
):
    product = factories.product(producer_a, "Thịt lợn hun khói Tâm Hòa")
    round_ = make_round("province", title="Cấp tỉnh Cao Bằng 2026", publish=True)
    awards_services.nomination_create(round_=round_, product=product, actor=producer_user)

    client.force_login(staff_user)
    (shown,) = client.get(staff_record_url(producer_a)).context["products"]
    assert shown.record_nominations == []

    client.force_login(producer_user)
    response = client.get(reverse("record:producer.detail"))
    (shown,) = response.context["products"]
    assert [n.status for n in shown.record_nominations] == ["draft"]
    assert "Cấp tỉnh Cao Bằng 2026" in response.content.decode()
    assert str(shown.record_nominations[0].producer_label) in response.content.decode()


def test_product_record_narrows_to_one_product_and_its_fairs(client, staff_user, records):
    second = factories.product(records.producer, "Thịt gác bếp Tâm Hòa")
    at_fair(records.producer, [second], staff_user, name="Phiên chợ hàng Việt 2024")
    client.force_login(staff_user)

    response = client.get(reverse("record:staff.product", args=[second.pk]))

    assert [p.name for p in response.context["products"]] == ["Thịt gác bếp Tâm Hòa"]
    assert [p.fair.name for p in response.context["participations"]] == ["Phiên chợ hàng Việt 2024"]
    html = response.content.decode()
    assert "Thịt gác bếp Tâm Hòa: quá trình công nhận qua các cấp" in html
    assert "Lạp sườn Tâm Hòa" not in html


def test_producer_sees_its_own_record_only(client, producer_user, producer_b_user, records):
    client.force_login(producer_user)
    response = client.get(reverse("record:producer.detail"))
    html = response.content.decode()
    assert "Lạp sườn Tâm Hòa" in html
    assert "KCĐP-2024-01" in html
    assert "Chiếu trúc 688" not in html

    client.force_login(producer_b_user)
    html = client.get(reverse("record:producer.detail")).content.decode()
    assert "Chiếu trúc 688" in html
    assert "Lạp sườn Tâm Hòa" not in html
    assert "KCĐP-2024-01" not in html
    assert client.get(reverse("record:producer.product", args=[records.product.pk])).status_code == 404


def test_record_pages_link_from_the_producer_pages(client, staff_user, producer_user, records):
    client.force_login(staff_user)
    html = client.get(reverse("products:staff.producer.detail", args=[records.producer.pk])).content.decode()
    assert staff_record_url(records.producer) in html
    client.force_login(producer_user)
    assert reverse("record:producer.detail") in client.get(reverse("products:producer.profile")).content.decode()


# --- a fixed number of queries ---


def count_queries(client, url):
    client.get(url)  # the session and caches warm
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries), response


def test_record_costs_the_same_queries_with_one_or_ten_products(
    client, staff_user, producer_user, records, django_assert_max_num_queries
):
    staff_url = staff_record_url(records.producer)
    client.force_login(staff_user)
    staff_one, _ = count_queries(client, staff_url)
    client.force_login(producer_user)
    own_one, _ = count_queries(client, reverse("record:producer.detail"))

    for i in range(9):
        full_product(records.producer, f"Sản phẩm số {i}", staff_user, records.round, code=f"KCĐP-2024-{i + 10}")

    client.force_login(staff_user)
    staff_ten, response = count_queries(client, staff_url)
    assert len(response.context["products"]) == 10
    assert len(response.context["projects"]) == 10
    assert len(response.context["participations"]) == 10
    assert response.context["summary"]["valid_certificates"] == 10
    assert staff_ten == staff_one
    client.force_login(producer_user)
    own_ten, _ = count_queries(client, reverse("record:producer.detail"))
    assert own_ten == own_one
    with django_assert_max_num_queries(12):
        client.get(reverse("record:producer.detail"))


# --- who may open what ---

ROLES = {
    "anonymous": None,
    "producer_a": "producer_user",
    "producer_b": "producer_b_user",
    "member": "member_user",
    "staff_ca_mau": "other_staff_user",
    "staff_cao_bang": "staff_user",
    "superuser": "superuser",
}
STAFF_OBJECT = {
    "anonymous": LOGIN,
    "producer_a": 403,
    "producer_b": 403,
    "member": 403,
    "staff_ca_mau": 404,
    "staff_cao_bang": 200,
    "superuser": 200,
}
PRODUCER_PAGE = {
    "anonymous": LOGIN,
    "producer_a": 200,
    "producer_b": 200,
    "member": 403,
    "staff_ca_mau": 403,
    "staff_cao_bang": 403,
    "superuser": 403,
}
PRODUCER_OBJECT = {**PRODUCER_PAGE, "producer_b": 404}
PAGES = [
    ("record:staff.producer.detail", "producer", STAFF_OBJECT),
    ("record:staff.product", "product", STAFF_OBJECT),
    ("record:producer.detail", None, PRODUCER_PAGE),
    ("record:producer.product", "product", PRODUCER_OBJECT),
]


@pytest.mark.parametrize(
    ("name", "attr", "role", "expected"),
    [
        pytest.param(name, attr, role, expected[role], id=f"{name}-{role}")
        for name, attr, expected in PAGES
        for role in ROLES
    ],
)
def test_record_pages_answer_by_role(client, request, records, name, attr, role, expected):
    if ROLES[role] is not None:
        client.force_login(request.getfixturevalue(ROLES[role]))
    url = reverse(name, args=[getattr(records, attr).pk]) if attr else reverse(name)
    response = client.get(url)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected


def test_matrix_covers_every_record_url():
    assert {f"record:{p.name}" for p in urlpatterns} == {row[0] for row in PAGES}


def test_product_pages_link_to_the_products_trace(client, staff_user, producer_user, records):
    client.force_login(staff_user)
    html = client.get(reverse("products:staff.product.detail", args=[records.product.pk])).content.decode()
    assert reverse("record:staff.product", args=[records.product.pk]) in html
    client.force_login(producer_user)
    html = client.get(reverse("products:producer.product.detail", args=[records.product.pk])).content.decode()
    assert reverse("record:producer.product", args=[records.product.pk]) in html
