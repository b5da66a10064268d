"""How long a certificate is valid: to 31 December of the fourth year counting the year of the recognition
decision as the first (Thông tư 14/2018), or as many years as the level or the programme says. The date belongs
to the recognition and is set once, when it is created: printing a certificate later (archive records),
re-issuing it or correcting it never changes it, and the certificate, the verification page, the catalogue and
the exports all show that one date."""

import datetime
import io
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from awards import services
from awards.enums import CertificateState
from awards.models import Certificate, Recognition
from awards.printouts.certificates import certificate_pdf
from awards.validity import recognition_valid_until

from .certificate_helpers import DECISION_DATE, ISSUE_DATE, peoples_committee, recognitions_of
from .helpers import level, programme


@pytest.fixture(autouse=True)
def _dated_years_ahead(settings):
    # Some certificates here are dated in 2028, to show that printing later keeps the decision's validity.
    settings.CERTIFICATE_MAX_DAYS_AHEAD = 3650


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def page_text(response) -> str:
    main = re.search(r"<main.*?</main>", response.content.decode(), re.S).group(0)
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def record_archive(staff_user, product, year=2017, decision_date=datetime.date(2017, 10, 20), code="province"):
    return services.recognition_record(
        actor=staff_user,
        product=product,
        level=level(code),
        year=year,
        decision_number="1234/QĐ-UBND",
        decision_date=decision_date,
    )


def issue_today(recognition, staff_user, **extra):
    return services.certificate_issue(
        recognition=recognition,
        actor=staff_user,
        issuing_body=peoples_committee(),
        signer_title="CHỦ TỊCH",
        signer_name="Hoàng Xuân Ánh",
        **extra,
    )


# -- the rule ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("year", "decision_date", "expected"),
    [
        (2024, datetime.date(2024, 12, 20), datetime.date(2027, 12, 31)),
        (2024, datetime.date(2025, 1, 15), datetime.date(2028, 12, 31)),  # a decision of the next January
        (2017, None, datetime.date(2020, 12, 31)),  # archive record without the decision's date: its year
    ],
)
def test_the_rule_counts_the_decisions_year_as_the_first(db, year, decision_date, expected):
    assert recognition_valid_until(level("province"), year=year, decision_date=decision_date) == expected


def test_a_level_may_set_its_own_number_of_years_over_the_programmes(staff_user, product_a, product_b):
    national = level("national")
    national.certificate_years = 5
    national.save()
    assert programme().certificate_years == 4

    province = record_archive(staff_user, product_a, year=2022, decision_date=datetime.date(2022, 10, 1))
    nationally = record_archive(
        staff_user, product_b, year=2023, decision_date=datetime.date(2023, 12, 1), code="national"
    )

    assert province.valid_until == datetime.date(2025, 12, 31)
    assert nationally.valid_until == datetime.date(2027, 12, 31)


# -- printing later never extends it --------------------------------------------------------------------------------
def test_an_archive_recognition_printed_today_keeps_its_validity_and_verifies_as_expired(client, staff_user, product_a):
    recognition = record_archive(staff_user, product_a)
    assert recognition.valid_until == datetime.date(2020, 12, 31)

    certificate = issue_today(recognition, staff_user)

    assert certificate.issued_on == timezone.localdate()
    assert certificate.valid_until == datetime.date(2020, 12, 31)
    recognition.refresh_from_db()
    assert recognition.valid_until == datetime.date(2020, 12, 31)  # printing did not touch the recognition
    text = pdf_text(certificate_pdf(certificate))
    assert "Giấy chứng nhận có giá trị đến hết ngày 31/12/2020." in text
    assert f"31/12/{timezone.localdate().year + 3}" not in text  # what the old rule printed

    response = client.get(reverse("awards:verify.detail", args=[certificate.code]))
    assert response.status_code == 200
    assert 'class="verify-state verify-expired"' in response.content.decode()
    text = page_text(response)
    assert "Hết hiệu lực" in text
    assert (
        "Hết hiệu lực từ ngày 01/01/2021: giấy chứng nhận này là thật nhưng chỉ có hiệu lực đến hết ngày 31/12/2020."
        in text
    )
    assert "Còn hiệu lực" not in text
    assert "Có hiệu lực đến" not in text


def test_issuing_on_any_day_after_the_decision_gives_the_decisions_validity(published_decision, staff_user):
    early, late = recognitions_of(published_decision())  # decision of 15/12/2026
    first = services.certificate_issue(recognition=early, actor=staff_user, issued_on=DECISION_DATE)
    last = services.certificate_issue(recognition=late, actor=staff_user, issued_on=datetime.date(2028, 6, 30))

    assert first.valid_until == last.valid_until == datetime.date(2029, 12, 31)
    assert first.state(today=datetime.date(2029, 12, 31)) == CertificateState.VALID
    assert first.state(today=datetime.date(2030, 1, 1)) == CertificateState.EXPIRED


def test_a_change_of_the_rule_applies_to_later_recognitions_only(published_decision, staff_user, product_a):
    recognition = recognitions_of(published_decision())[0]
    spcnnttb = programme()
    spcnnttb.certificate_years = 2
    spcnnttb.save()

    certificate = services.certificate_issue(recognition=recognition, actor=staff_user, issued_on=ISSUE_DATE)
    later = record_archive(staff_user, product_a, year=2025, decision_date=datetime.date(2025, 10, 1))

    assert certificate.valid_until == datetime.date(2029, 12, 31)  # set when the decision was published
    assert later.valid_until == datetime.date(2026, 12, 31)


# -- re-issuing never extends it, and says what it replaces ---------------------------------------------------------
def test_a_reissue_keeps_the_validity_and_states_the_certificate_it_replaces(client, published_decision, staff_user):
    recognition = recognitions_of(published_decision())[1]
    old = services.certificate_issue(recognition=recognition, actor=staff_user, issued_on=ISSUE_DATE)

    new = services.certificate_reissue(
        certificate=old, actor=staff_user, issued_on=datetime.date(2028, 3, 2), reason="Bản gốc bị mất"
    )

    assert (new.number, new.year, new.valid_until) == ("1/GCN-UBND", 2028, datetime.date(2029, 12, 31))
    recognition.refresh_from_db()
    assert recognition.valid_until == datetime.date(2029, 12, 31)
    text = pdf_text(certificate_pdf(new))
    assert "Số: 1/GCN-UBND, năm 2028" in text
    assert "Thay thế Giấy chứng nhận số 1/GCN-UBND ngày 05/01/2027." in text
    assert "có giá trị đến hết ngày 31/12/2029" in text
    assert "Thay thế" not in pdf_text(certificate_pdf(old))

    page = page_text(client.get(reverse("awards:verify.detail", args=[new.code])))
    assert "Thay thế Giấy chứng nhận số 1/GCN-UBND ngày 05/01/2027." in page
    assert "có hiệu lực đến ngày 31/12/2029" in page


def test_the_staff_page_of_an_archive_recognition_shows_the_validity_before_issuing(client, staff_user, product_a):
    recognition = record_archive(staff_user, product_a)
    client.force_login(staff_user)

    response = client.get(reverse("awards:staff.recognition.certificate", args=[recognition.pk]))

    text = page_text(response)
    assert "Giấy chứng nhận có hiệu lực đến 31/12/2020" in text
    assert "giấy chứng nhận cấp hoặc cấp lại sau này vẫn giữ nguyên ngày này" in text


def test_a_recognition_without_a_date_gets_the_rule_once_when_printed(staff_user, product_a):
    recognition = record_archive(staff_user, product_a, year=2019, decision_date=None)
    Recognition.objects.filter(pk=recognition.pk).update(valid_until=None)  # recorded before the rule was kept

    certificate = issue_today(recognition, staff_user)

    assert certificate.valid_until == datetime.date(2022, 12, 31)
    assert Recognition.objects.get(pk=recognition.pk).valid_until == datetime.date(2022, 12, 31)
    assert Certificate.objects.get(pk=certificate.pk).state() == CertificateState.EXPIRED
