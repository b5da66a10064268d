"""The public dossier lookup by receipt code and tax code: what a match shows (the producer's labels and dates
only), the one neutral answer for an unknown code and for a wrong tax code, the shared per-address rate limit,
who may open the page, and a query count that does not grow with the dossier's history."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from awards import services
from awards.urls import urlpatterns

from ..nomination_helpers import ready_product, returned, submitted

URL = reverse("awards:public.dossier.lookup")
NEUTRAL = "Không tìm thấy hồ sơ nào khớp với mã tiếp nhận và mã số thuế này"
INTERNAL = "Ghi chú nội bộ: hồ sơ thiếu chữ ký giám đốc"


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    """The rate limit counts in the cache: every test starts with a fresh budget."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def round_(make_round):
    return make_round("province", publish=True)


@pytest.fixture
def dossier(round_, producer_a, producer_user, staff_user):
    """A dossier sent, returned for correction with a message, and started on screening with a staff note."""
    nomination = submitted(round_, ready_product(producer_a), producer_user)
    return returned(nomination, staff_user, message=INTERNAL)


def text_of(response) -> str:
    main = re.search(r"<main.*?</main>", response.content.decode(), re.S).group(0)
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def look_up(client, code, tax_code, **extra):
    return client.post(URL, {"receipt_code": code, "tax_code": tax_code}, **extra)


def test_a_match_shows_the_product_round_status_and_dated_steps(client, dossier, producer_a):
    response = look_up(client, dossier.receipt_code, producer_a.tax_code)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    text = text_of(response)
    assert dossier.receipt_code in text
    assert "Lạp sườn Tâm Hòa" in text
    assert dossier.round.title in text
    deadline = dossier.correction_deadline.strftime("%d/%m/%Y")
    assert f"Trạng thái Cần bổ sung, sửa hồ sơ · hạn sửa đến {deadline}" in text
    sent_on = timezone.localdate(dossier.submitted_at).strftime("%d/%m/%Y")
    returned_on = timezone.localdate().strftime("%d/%m/%Y")
    assert (
        f"Các bước {sent_on} Đã nộp, chờ Sở Công Thương tiếp nhận "
        f"{returned_on} Cần bổ sung, sửa hồ sơ · hạn sửa đến {deadline}"
    ) in text


def test_the_lookup_takes_the_code_and_tax_code_as_people_type_them(client, dossier, producer_a):
    typed_code = " " + dossier.receipt_code.lower().replace("-", " – ") + " "
    typed_tax = " ".join(producer_a.tax_code)
    response = look_up(client, typed_code, typed_tax)
    assert response.status_code == 200
    assert "Lạp sườn Tâm Hòa" in text_of(response)


def test_nothing_internal_is_shown(client, dossier, producer_a, staff_user):
    response = look_up(client, dossier.receipt_code, producer_a.tax_code)
    text = text_of(response)
    assert INTERNAL not in response.content.decode()
    assert staff_user.full_name not in text
    assert "Cán bộ" not in text
    assert ".pdf" not in response.content.decode()  # no document, no registration form
    assert "Hội đồng" not in text  # no council


def test_unknown_code_and_wrong_tax_code_get_one_and_the_same_answer(client, dossier, producer_a, producer_b):
    unknown = look_up(client, "CB-2026-T-9999", producer_a.tax_code)
    wrong_tax = look_up(client, dossier.receipt_code, producer_b.tax_code)
    assert unknown.status_code == wrong_tax.status_code == 404
    assert NEUTRAL in text_of(unknown)
    assert text_of(unknown) == text_of(wrong_tax)  # what was typed is kept in the fields, not in the text
    assert "Lạp sườn Tâm Hòa" not in text_of(wrong_tax)


def test_missing_fields_re_render_the_form_with_vietnamese_messages(client, dossier):
    response = client.post(URL, {"receipt_code": dossier.receipt_code, "tax_code": ""})
    assert response.status_code == 400
    text = text_of(response)
    assert "Nhập mã số thuế của cơ sở đã gửi hồ sơ" in text
    assert dossier.receipt_code in response.content.decode()  # the input is kept


def test_the_empty_form_is_not_a_lookup(client, db, settings):
    settings.VERIFY_RATE = "1/m"
    for _ in range(3):
        assert client.get(URL).status_code == 200


def test_codes_never_travel_in_the_address(client, dossier, producer_a):
    """The form posts; codes in a link's query are not looked up (a household's tax code is a personal ID)."""
    page = client.get(URL).content.decode()
    assert '<form method="post" action="/dossiers/lookup/"' in page
    response = client.get(URL, {"receipt_code": dossier.receipt_code, "tax_code": producer_a.tax_code})
    assert response.status_code == 200
    assert "Lạp sườn Tâm Hòa" not in text_of(response)


def test_lookups_share_the_verification_budget_per_address(client, dossier, producer_a, settings):
    settings.VERIFY_RATE = "3/m"
    assert look_up(client, dossier.receipt_code, producer_a.tax_code).status_code == 200
    assert look_up(client, "CB-2026-T-9999", producer_a.tax_code).status_code == 404
    # one budget with the certificate verification, as the verification pages share theirs
    assert client.get(reverse("awards:verify.detail", args=["ABCDEFGHJKMNPQRSTUVW"])).status_code == 404

    refused = look_up(client, dossier.receipt_code, producer_a.tax_code)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    text = text_of(refused)
    assert "Lạp sườn Tâm Hòa" not in text
    assert "Tra cứu hồ sơ quá nhiều lần" in text
    assert client.get(reverse("awards:verify.search"), {"code": "x"}).status_code == 429
    # another address keeps its own budget
    assert look_up(client, dossier.receipt_code, producer_a.tax_code, REMOTE_ADDR="203.0.113.9").status_code == 200


def test_the_query_count_does_not_grow_with_the_dossiers_history(
    client, dossier, producer_a, producer_user, staff_user, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8) as short:
        assert look_up(client, dossier.receipt_code, producer_a.tax_code).status_code == 200
    services.nomination_update_form(nomination=dossier, actor=producer_user, annual_output="14 tấn")
    services.nomination_submit(nomination=dossier, actor=producer_user)
    returned(dossier, staff_user)
    services.nomination_update_form(nomination=dossier, actor=producer_user, annual_output="15 tấn")
    services.nomination_submit(nomination=dossier, actor=producer_user)
    services.nomination_accept(nomination=dossier, actor=staff_user)
    cache.clear()
    with django_assert_max_num_queries(len(short.captured_queries)):
        response = look_up(client, dossier.receipt_code, producer_a.tax_code)
    assert response.status_code == 200
    text = text_of(response)
    assert text.count("Cần bổ sung, sửa hồ sơ · hạn sửa đến") == 2
    assert "Trạng thái Hồ sơ hợp lệ, chờ Hội đồng chấm điểm" in text
    assert text.count("Đã nộp hồ sơ đã sửa, chờ Sở Công Thương xem xét") == 2


# --- who may open the page: everyone, signed in or not -----------------------------------------------------------

ROLES = {
    "anonymous": None,
    "producer": "producer_user",
    "member": "member_user",
    "staff": "staff_user",
    "other_staff": "other_staff_user",
    "superuser": "superuser",
}
PAGES = {"awards:public.dossier.lookup"}


@pytest.mark.parametrize("role", ROLES)
def test_the_lookup_answers_everyone_alike(client, request, dossier, producer_a, role):
    if ROLES[role]:
        client.force_login(request.getfixturevalue(ROLES[role]))
    assert client.get(URL).status_code == 200
    response = look_up(client, dossier.receipt_code, producer_a.tax_code)
    assert response.status_code == 200
    assert "Lạp sườn Tâm Hòa" in text_of(response)


def test_matrix_covers_every_dossier_lookup_url():
    assert {f"awards:{p.name}" for p in urlpatterns if p.name and p.name.startswith("public.dossier.")} == PAGES


def test_the_home_page_and_the_footer_link_to_the_lookup(client, db):
    page = client.get(reverse("home")).content.decode()
    assert page.count(f'href="{URL}"') == 2


def test_every_demo_dossier_answers_with_the_same_queries(demo_data, db, client, django_assert_max_num_queries):
    from awards.models import Nomination

    sent = Nomination.objects.filter(receipt_code__isnull=False).select_related("producer")
    assert sent.count() >= 3
    counts = set()
    for nomination in sent:
        cache.clear()
        with django_assert_max_num_queries(8) as queries:
            response = look_up(client, nomination.receipt_code, nomination.producer.tax_code)
        assert response.status_code == 200
        assert nomination.product.name in text_of(response)
        counts.add(len(queries.captured_queries))
    assert len(counts) == 1
