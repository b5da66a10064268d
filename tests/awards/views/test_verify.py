"""The public verification pages: what someone scanning a certificate's QR code, typing its verification code
from the paper, or typing its number, year and producer sees in each state, what an unknown code reveals
(nothing), and the per-address rate limit."""

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
from tests import factories

from ..certificate_helpers import ISSUE_DATE, peoples_committee
from ..helpers import level

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
        "Giấy chứng nhận này là thật và có hiệu lực đến ngày 31/12/2029.",
        "Số giấy chứng nhận 2/GCN-UBND, năm 2027",
        "Có hiệu lực đến 31/12/2029",
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
    assert (
        f"Hết hiệu lực từ ngày {today:%d/%m/%Y}: giấy chứng nhận này là thật nhưng chỉ có hiệu lực đến hết ngày "
        f"{yesterday:%d/%m/%Y}." in text
    )
    assert f"Hết hiệu lực từ {today:%d/%m/%Y}" in text  # in the facts, where a valid one says "Có hiệu lực đến"
    assert "Còn hiệu lực" not in text
    assert "Có hiệu lực đến" not in text


def test_a_revoked_certificate_shows_the_date_and_the_reason(client, certificate, staff_user):
    services.certificate_revoke(certificate=certificate, actor=staff_user, reason="Cơ sở vi phạm an toàn thực phẩm")
    response = client.get(detail_url(certificate))
    assert response.status_code == 200
    assert_private(response)
    assert 'class="verify-state verify-revoked"' in main_of(response)
    text = text_of(response)
    # The state leads, with the date and the reason; nothing on the page reads as still in force.
    assert text.index("Đã thu hồi") < text.index("2/GCN-UBND")
    assert f"Đã bị thu hồi ngày {timezone.localdate():%d/%m/%Y} — lý do: Cơ sở vi phạm an toàn thực phẩm" in text
    assert "Giấy chứng nhận này không còn giá trị." in text
    assert "Còn hiệu lực" not in text
    assert "hiệu lực đến" not in text
    assert "31/12/2029" not in text


def test_a_replaced_certificate_links_to_the_new_one(client, certificate, staff_user):
    new = services.certificate_reissue(certificate=certificate, actor=staff_user, issued_on=ISSUE_DATE, reason="Mất")
    response = client.get(detail_url(certificate))
    assert response.status_code == 200
    assert 'class="verify-state verify-replaced"' in main_of(response)
    text = text_of(response)
    assert "Đã được thay bằng giấy chứng nhận mới" in text
    assert (
        "Đã được thay bằng Giấy chứng nhận số 3/GCN-UBND ngày 05/01/2027: giấy chứng nhận này không còn giá trị."
        in text
    )
    assert f"Xem giấy chứng nhận {new.number}" in text
    assert f'href="{detail_url(new)}"' in main_of(response)
    assert "hiệu lực đến" not in text

    followed = text_of(client.get(detail_url(new)))
    assert "Còn hiệu lực" in followed
    assert "3/GCN-UBND" in followed
    assert "Thay thế Giấy chứng nhận số 2/GCN-UBND ngày 05/01/2027." in followed
    assert "Có hiệu lực đến 31/12/2029" in followed  # the re-issue keeps the recognition's validity


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


# --- Typing the verification code from the paper ---------------------------------------------------------------


def by_code(client, typed, **extra):
    return client.get(reverse("awards:verify.search"), {"code": typed}, **extra)


def typed_variants(code: str) -> dict[str, str]:
    grouped = " ".join(code[i : i + 4] for i in range(0, 20, 4))
    return {
        "as printed": grouped,
        "dashes, lower case": "-".join(code[i : i + 4] for i in range(0, 20, 4)).lower(),
        "spaces around, en dashes": f"  {code[:4]} – {code[4:12]}\t{code[12:]} ",
        "full-width (Vietnamese keyboard)": "".join(chr(ord(ch) + 0xFEE0) for ch in code),
    }


@pytest.mark.parametrize(
    "variant", ["as printed", "dashes, lower case", "spaces around, en dashes", "full-width (Vietnamese keyboard)"]
)
def test_the_code_typed_by_hand_leads_to_the_certificate(client, certificates, variant):
    certificate = certificates[1]
    response = by_code(client, typed_variants(certificate.code)[variant])
    assert response.status_code == 302
    assert response.url == detail_url(certificate)
    assert_private(response)


def test_look_alike_characters_are_forgiven(client, certificate):
    """The code has no 0, O, 1, I or L: typed, they are read as the letter or digit they were mistaken for;
    5/S, 2/Z, 8/B, 6/G and U/V are taken for each other."""
    Certificate.objects.filter(pk=certificate.pk).update(code="DQJ7S5Z2B8G6UVAB3CD4")
    response = by_code(client, "0oi1 5s2z 8b6g vuab 3cd4")
    assert response.status_code == 302
    assert response.url == detail_url("DQJ7S5Z2B8G6UVAB3CD4")
    # The same on the QR code's address typed by hand; one character really different is another code.
    assert client.get(detail_url("0O1L-SS22-8B6G-UUAB-3CD4")).status_code == 200
    assert client.get(detail_url("0O1L-SS22-8B6G-UUAB-3CD5")).status_code == 404


def test_a_code_that_cannot_be_one_says_what_is_wrong(client, certificate):
    short = by_code(client, certificate.code[:19])
    assert short.status_code == 400
    assert "Mã xác thực gồm 20 chữ cái và chữ số; bạn đã nhập 19 ký tự." in text_of(short)

    foreign = by_code(client, certificate.code[:19] + "#")
    assert foreign.status_code == 400
    assert "Mã xác thực chỉ gồm chữ cái và chữ số; “#” không có trong mã xác thực." in text_of(foreign)

    empty = by_code(client, "  ")
    assert empty.status_code == 400
    assert "Nhập mã xác thực in trên giấy chứng nhận." in text_of(empty)
    for response in (short, foreign, empty):
        assert "Lạp sườn" not in text_of(response)


def test_an_unknown_typed_code_is_not_found(client, certificates):
    response = by_code(client, "ABCD EFGH JKMN PQRS TUVW")
    assert response.status_code == 404
    assert_private(response)
    text = text_of(response)
    assert "Không có giấy chứng nhận nào mang mã xác thực này. Hãy đối chiếu lại với giấy chứng nhận." in text
    for name in PRODUCTS + PRODUCERS:
        assert name not in text


# --- Search by number, year and producer -----------------------------------------------------------------------


def search(client, number, holder, year=2027, **extra):
    return client.get(reverse("awards:verify.search"), {"number": number, "year": year, "holder": holder}, **extra)


def tax_code_of(certificate):
    return certificate.recognition.product.producer.tax_code


def test_the_search_page_opens_with_both_ways_to_search(client, db):
    response = client.get(reverse("awards:verify.search"))
    assert response.status_code == 200
    text = text_of(response)
    for expected in [
        "Tra cứu giấy chứng nhận",
        "Tra cứu bằng mã xác thực",
        "Mã xác thực",
        "Tra cứu bằng số giấy chứng nhận",
        "Số giấy chứng nhận",
        "Năm cấp",
        "Tên cơ sở hoặc mã số thuế",
    ]:
        assert expected in text, expected


@pytest.mark.parametrize("typed", ["2/GCN-UBND", " 2 / gcn-ubnd ", "2/gcn–ubnd"])
@pytest.mark.parametrize(
    "holder",
    ["tax code", "Hợp tác xã Tâm Hòa", "HOP TAC XA TAM HOA", "htx tâm hoà", "Tâm Hòa"],
)
def test_number_year_and_producer_lead_to_the_certificate(client, certificate, typed, holder):
    holder = f" {tax_code_of(certificate)} " if holder == "tax code" else holder
    response = search(client, typed, holder)
    assert response.status_code == 302
    assert response.url == detail_url(certificate)
    assert_private(response)


def test_a_number_with_another_producer_is_not_found(client, certificates):
    first, second = certificates
    # Each number exists, but belongs to the other producer: the answer is the same as for no certificate at all.
    wrong_tax_code = search(client, second.number, tax_code_of(first))
    wrong_name = search(client, second.number, "Công ty TNHH Một thành viên 688")
    missing = search(client, "999/GCN-UBND", tax_code_of(first))
    wrong_year = search(client, second.number, tax_code_of(second), year=2026)
    for response in (wrong_tax_code, wrong_name, missing, wrong_year):
        assert response.status_code == 404
        assert_private(response)
        text = text_of(response)
        assert "Không có giấy chứng nhận nào khớp với số, năm cấp và cơ sở này." in text
        for name in PRODUCTS:
            assert name not in text
    assert 'value="999/GCN-UBND"' in main_of(missing)


def test_a_number_needs_its_year_and_the_producer(client, certificate):
    no_year = client.get(reverse("awards:verify.search"), {"number": "2/GCN-UBND", "holder": tax_code_of(certificate)})
    assert no_year.status_code == 400
    assert 'value="2/GCN-UBND"' in main_of(no_year)
    assert "Nhập năm cấp in cùng số giấy chứng nhận: năm nào số giấy chứng nhận cũng bắt đầu lại từ 1." in text_of(
        no_year
    )

    no_holder = search(client, "2/GCN-UBND", "")
    assert no_holder.status_code == 400
    assert "Nhập tên cơ sở sản xuất như in trên giấy chứng nhận, hoặc mã số thuế của cơ sở." in text_of(no_holder)

    too_long = search(client, "2/GCN-UBND", "1" * 300)
    assert too_long.status_code == 400
    for response in (no_year, no_holder, too_long):
        assert "Lạp sườn" not in text_of(response)


def test_the_same_number_in_two_years_finds_the_certificate_of_the_year_typed(client, staff_user, product_a):
    """One product holds "1/GCN-UBND" of 2022 (an expired archive recognition) and "1/GCN-UBND" of 2023:
    the year picks one; a number never falls back on the other year's certificate."""
    older, newer = (
        services.certificate_issue(
            recognition=services.recognition_record(
                actor=staff_user,
                product=product_a,
                level=level(code),
                year=year,
                decision_number=f"{year}/QĐ-UBND",
                decision_date=datetime.date(year, 3, 1),
            ),
            actor=staff_user,
            issued_on=datetime.date(year, 3, 10),
            issuing_body=peoples_committee(),
            signer_title="CHỦ TỊCH",
            signer_name="Hoàng Xuân Ánh",
        )
        for code, year in (("district", 2022), ("province", 2023))
    )
    assert (older.number, newer.number) == ("1/GCN-UBND", "1/GCN-UBND")
    name = product_a.producer.name

    assert search(client, "1/GCN-UBND", name, year=2022).url == detail_url(older)
    assert search(client, "1/GCN-UBND", name, year=2023).url == detail_url(newer)
    assert search(client, "1/GCN-UBND", tax_code_of(older), year=2022).url == detail_url(older)
    # Another year: nothing, not the nearest one.
    assert search(client, "1/GCN-UBND", name, year=2024).status_code == 404


def test_two_producers_of_the_same_name_are_told_apart_by_the_tax_code(client, staff_user, other_staff_user, product_a):
    """Two "HTX Tâm Hòa" (in two provinces) each hold "1/GCN-UBND" of 2023: the name matches both, so the page
    asks for the tax code instead of showing one of them."""
    twin = factories.product(factories.producer("HTX Tâm Hòa", "Cà Mau"), "Tôm khô Tâm Hòa")
    pair = [
        services.certificate_issue(
            recognition=services.recognition_record(
                actor=user,
                product=product,
                level=level("province"),
                year=2023,
                decision_number="15/QĐ-UBND",
                decision_date=datetime.date(2023, 3, 1),
            ),
            actor=user,
            issued_on=datetime.date(2023, 3, 10),
            issuing_body=peoples_committee(province),
            signer_title="CHỦ TỊCH",
            signer_name="Hoàng Xuân Ánh",
        )
        for product, province, user in (
            (product_a, "Cao Bằng", staff_user),
            (twin, "Cà Mau", other_staff_user),
        )
    ]
    assert [c.number for c in pair] == ["1/GCN-UBND", "1/GCN-UBND"]

    ambiguous = search(client, "1/GCN-UBND", "HTX Tâm Hòa", year=2023)
    assert ambiguous.status_code == 400
    text = text_of(ambiguous)
    assert "Có nhiều giấy chứng nhận cùng năm mang số và tên này: hãy nhập mã số thuế của cơ sở thay cho tên" in text
    for name in ("Lạp sườn Tâm Hòa", "Tôm khô Tâm Hòa"):
        assert name not in text
    for certificate in pair:
        assert search(client, "1/GCN-UBND", tax_code_of(certificate), year=2023).url == detail_url(certificate)


def test_a_household_business_is_found_by_its_personal_identification_number_as_typed(client, certificate):
    producer = certificate.recognition.product.producer
    products_services.producer_update(producer=producer, kind="household", tax_code="004089012345")
    response = search(client, certificate.number, "004 089 012 345")
    assert response.status_code == 302
    assert response.url == detail_url(certificate)


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
