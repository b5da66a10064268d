"""The public verification pages: what someone scanning a certificate's QR code (or typing its number and the
producer's tax code) sees in each state, what an unknown code reveals (nothing), and the per-address rate limit."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from awards import services
from awards.models import Certificate
from awards.urls import urlpatterns
from products import services as products_services

from ..certificate_helpers import ISSUE_DATE

PRODUCTS = ["Lạp sườn hun khói Tâm Hòa", "Chiếu trúc Nguyên Bình", "Miến dong Phja Đén"]
PRODUCERS = ["Hợp tác xã Tâm Hòa", "Công ty TNHH Một thành viên 688", "Hộ kinh doanh Đàm Thị Hường"]


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    """The rate limit counts in the cache: every test starts with a fresh budget."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def certificates(published_decision, staff_user):
    """Two certificates issued for a Cao Bằng decision: [Chiếu trúc Nguyên Bình, Lạp sườn hun khói Tâm Hòa]."""
    decision = published_decision()
    return services.certificates_issue_for_decision(decision=decision, actor=staff_user, issued_on=ISSUE_DATE)


@pytest.fixture
def certificate(certificates):
    return certificates[1]  # 2/GCN-UBND, Lạp sườn hun khói Tâm Hòa


def detail_url(certificate_or_code):
    code = getattr(certificate_or_code, "code", certificate_or_code)
    return reverse("awards:verify.detail", args=[code])


def main_of(response) -> str:
    """The page's <main>: the part that differs between pages (the header carries a per-request CSRF token)."""
    return re.search(r"<main.*?</main>", response.content.decode(), re.S).group(0)


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", main_of(response)).split())


def assert_private(response):
    assert response["Cache-Control"] == "no-store"
    assert response["X-Robots-Tag"] == "noindex"


# --- The four states -----------------------------------------------------------------------------------------


def test_a_valid_certificate_shows_what_it_certifies_without_signing_in(
    client, certificate, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        response = client.get(detail_url(certificate))
    assert response.status_code == 200
    assert_private(response)
    assert 'class="verify-state verify-valid"' in main_of(response)
    text = text_of(response)
    for expected in [
        "Còn hiệu lực",
        "Giấy chứng nhận này là thật và có hiệu lực đến ngày 31/12/2030.",
        "2/GCN-UBND",
        "Lạp sườn hun khói Tâm Hòa",
        "Hợp tác xã Tâm Hòa",
        "Cao Bằng",
        f"{certificate.level_name} · 2026",
        "1450/QĐ-UBND (15/12/2026)",
        "Ủy ban nhân dân tỉnh Cao Bằng",
        "05/01/2027",
    ]:
        assert expected in text, expected
    assert "Hết hiệu lực" not in text
    assert "Đã thu hồi" not in text


def test_the_code_is_found_when_typed_in_lower_case_or_with_spaces(client, certificate):
    assert client.get(detail_url(certificate.code.lower())).status_code == 200
    spaced = f"{certificate.code[:10]} {certificate.code[10:]}"
    assert client.get(detail_url(spaced)).status_code == 200


def test_a_certificate_past_its_validity_date_is_shown_as_expired(client, certificate):
    today = timezone.localdate()
    Certificate.objects.filter(pk=certificate.pk).update(valid_until=today)
    response = client.get(detail_url(certificate))
    assert "Còn hiệu lực" in text_of(response)  # valid to the end of its last day

    yesterday = today - datetime.timedelta(days=1)
    Certificate.objects.filter(pk=certificate.pk).update(valid_until=yesterday)
    response = client.get(detail_url(certificate))
    assert response.status_code == 200
    assert_private(response)
    assert 'class="verify-state verify-expired"' in main_of(response)
    text = text_of(response)
    assert "Hết hiệu lực" in text
    assert f"Giấy chứng nhận này là thật nhưng chỉ có hiệu lực đến ngày {yesterday:%d/%m/%Y}." in text
    assert "Còn hiệu lực" not in text


def test_a_revoked_certificate_shows_the_date_and_the_reason(client, certificate, staff_user):
    services.certificate_revoke(certificate=certificate, actor=staff_user, reason="Cơ sở vi phạm an toàn thực phẩm")
    response = client.get(detail_url(certificate))
    assert response.status_code == 200
    assert_private(response)
    assert 'class="verify-state verify-revoked"' in main_of(response)
    text = text_of(response)
    assert "Đã thu hồi" in text
    assert f"Giấy chứng nhận này đã bị thu hồi ngày {timezone.localdate():%d/%m/%Y}." in text
    assert "Lý do: Cơ sở vi phạm an toàn thực phẩm" in text
    assert "Còn hiệu lực" not in text


def test_a_replaced_certificate_links_to_the_new_one(client, certificate, staff_user):
    new = services.certificate_reissue(certificate=certificate, actor=staff_user, issued_on=ISSUE_DATE, reason="Mất")
    response = client.get(detail_url(certificate))
    assert response.status_code == 200
    assert 'class="verify-state verify-replaced"' in main_of(response)
    text = text_of(response)
    assert "Đã được thay bằng giấy chứng nhận mới" in text
    assert f"Xem giấy chứng nhận {new.number}" in text
    assert f'href="{detail_url(new)}"' in main_of(response)

    followed = client.get(detail_url(new))
    assert "Còn hiệu lực" in text_of(followed)
    assert "3/GCN-UBND" in text_of(followed)


def test_the_page_shows_no_internal_ids(client, certificate):
    """The only identifier on the page is the printed number and the code already in the address: no link,
    form or attribute carries a database id."""
    response = client.get(detail_url(certificate))
    main = main_of(response)
    assert re.findall(r'(?:href|src|action)="([^"]+)"', main) == [reverse("awards:verify.search")]
    assert not re.search(r"data-[a-z-]+=", main)
    assert "/staff/" not in response.content.decode()


# --- Unknown codes --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "ABCDEFGHJKMNPQRSTUVW",  # well-formed, issued to nobody
        "not-a-code",
        "0" * 20,  # the right length, with a character the codes never use
        "A" * 2000,
    ],
    ids=["unknown", "malformed", "foreign-characters", "very-long"],
)
def test_an_unknown_code_gets_the_friendly_page_and_nothing_else(client, certificates, code):
    reference = client.get(detail_url("ABCDEFGHJKMNPQRSTUVW"))
    response = client.get(detail_url(code))
    assert response.status_code == 404
    assert_private(response)
    text = text_of(response)
    assert "Không tìm thấy giấy chứng nhận" in text
    assert "Không có giấy chứng nhận nào mang mã xác thực này." in text
    for name in PRODUCTS + PRODUCERS + ["1/GCN-UBND", "2/GCN-UBND", "Cao Bằng"]:
        assert name not in response.content.decode(), name
    # The same page whatever was wrong with the code.
    assert main_of(response) == main_of(reference)


# --- Search by number and tax code ----------------------------------------------------------------------------


def search(client, number, tax_code, **extra):
    return client.get(reverse("awards:verify.search"), {"number": number, "tax_code": tax_code}, **extra)


def tax_code_of(certificate):
    return certificate.recognition.product.producer.tax_code


def test_the_search_page_opens_with_an_empty_form(client, db):
    response = client.get(reverse("awards:verify.search"))
    assert response.status_code == 200
    text = text_of(response)
    assert "Tra cứu giấy chứng nhận" in text
    assert "Số giấy chứng nhận" in text
    assert "Mã số thuế hoặc số đăng ký của cơ sở" in text


@pytest.mark.parametrize("typed", ["2/GCN-UBND", " 2 / gcn-ubnd ", "2/gcn-ubnd"])
def test_number_and_tax_code_lead_to_the_certificate(client, certificate, typed):
    response = search(client, typed, f" {tax_code_of(certificate)} ")
    assert response.status_code == 302
    assert response.url == detail_url(certificate)
    assert_private(response)


def test_a_number_with_the_wrong_tax_code_is_not_found(client, certificates):
    first, second = certificates
    # Each number exists, but belongs to the other producer: the answer is the same as for no certificate at all.
    wrong = search(client, second.number, tax_code_of(first))
    missing = search(client, "999/GCN-UBND", tax_code_of(first))
    for response in (wrong, missing):
        assert response.status_code == 404
        assert_private(response)
        text = text_of(response)
        assert "Không có giấy chứng nhận nào khớp với số và mã số thuế này." in text
        for name in PRODUCTS + PRODUCERS:
            assert name not in text
    assert 'value="999/GCN-UBND"' in main_of(missing)


def test_an_incomplete_search_is_refused_keeping_what_was_typed(client, certificate):
    response = search(client, "2/GCN-UBND", "")
    assert response.status_code == 400
    assert 'value="2/GCN-UBND"' in main_of(response)
    assert "Trường này là bắt buộc." in text_of(response)

    too_long = search(client, "2/GCN-UBND", "1" * 20)
    assert too_long.status_code == 400
    assert "Lạp sườn" not in text_of(too_long)


def test_a_household_business_is_found_by_its_personal_identification_number_as_typed(client, certificate):
    producer = certificate.recognition.product.producer
    products_services.producer_update(producer=producer, kind="household", tax_code="004089012345")
    response = search(client, certificate.number, "004 089 012 345")
    assert response.status_code == 302
    assert response.url == detail_url(certificate)


def test_a_number_that_is_no_tax_code_is_refused_with_its_reason_without_a_query(
    client, certificate, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = search(client, certificate.number, "999089012345")
    assert response.status_code == 400
    assert "ba chữ số đầu 999 không phải là mã của tỉnh" in text_of(response)


# --- Rate limit -----------------------------------------------------------------------------------------------


def test_the_fourth_check_in_a_minute_from_one_address_is_refused(client, certificate, settings):
    settings.VERIFY_RATE = "3/m"
    # The empty search form is not a check; a search and a code lookup draw on the same budget.
    assert client.get(reverse("awards:verify.search")).status_code == 200
    assert client.get(detail_url(certificate)).status_code == 200
    assert search(client, certificate.number, tax_code_of(certificate)).status_code == 302
    assert client.get(detail_url("ABCDEFGHJKMNPQRSTUVW")).status_code == 404

    refused = client.get(detail_url(certificate))
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert_private(refused)
    text = text_of(refused)
    assert "Tra cứu quá nhiều lần" in text
    assert "Lạp sườn hun khói Tâm Hòa" not in text
    assert search(client, certificate.number, tax_code_of(certificate)).status_code == 429

    # Another address still has its own budget.
    assert client.get(detail_url(certificate), REMOTE_ADDR="203.0.113.9").status_code == 200


def test_a_fresh_budget_after_the_cache_is_cleared(client, certificate, settings):
    """The fixture's cache.clear() is what keeps these tests independent: prove it resets the count."""
    settings.VERIFY_RATE = "1/m"
    assert client.get(detail_url(certificate)).status_code == 200
    assert client.get(detail_url(certificate)).status_code == 429
    cache.clear()
    assert client.get(detail_url(certificate)).status_code == 200


# --- Who may open the pages: everyone, signed in or not -------------------------------------------------------

ROLES = {
    "anonymous": None,
    "producer": "producer_user",
    "member": "member_user",
    "staff": "staff_user",
    "other_staff": "other_staff_user",
    "superuser": "superuser",
}
PAGES = {
    "awards:verify.search": lambda c: reverse("awards:verify.search"),
    "awards:verify.detail": detail_url,
    "awards:verify.pdf": lambda c: reverse("awards:verify.pdf"),  # the file check (its uploads: test_verify_pdf)
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", PAGES)
def test_verification_pages_answer_everyone_alike(client, request, certificate, name, role):
    if ROLES[role]:
        client.force_login(request.getfixturevalue(ROLES[role]))
    response = client.get(PAGES[name](certificate))
    assert response.status_code == 200


def test_matrix_covers_every_verification_url():
    assert {f"awards:{p.name}" for p in urlpatterns if p.name and p.name.startswith("verify.")} == set(PAGES)


def test_every_page_links_to_the_verification_search(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.content.decode().count(f'href="{reverse("awards:verify.search")}"') >= 1
