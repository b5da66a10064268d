"""Certificates: issuing for a decision, numbering, validity, revocation, re-issue, and the PDF's text and QR."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from awards import services
from awards.enums import CertificateState, CertificateStatus
from awards.models import Certificate
from awards.printouts.certificates import certificate_pdf, qr_path, verification_url

from .certificate_helpers import ISSUE_DATE, peoples_committee, recognitions_of


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_issuing_for_a_decision_numbers_each_recognition_in_order(published_decision, staff_user):
    decision = published_decision()
    certificates = services.certificates_issue_for_decision(decision=decision, actor=staff_user, issued_on=ISSUE_DATE)
    assert [c.number for c in certificates] == ["1/GCN-UBND", "2/GCN-UBND"]
    assert [c.product_name for c in certificates] == ["Chiếu trúc Nguyên Bình", "Lạp sườn hun khói Tâm Hòa"]
    first = certificates[0]
    # Thông tư 14/2018: to 31 December of the fourth year, the decision's year (2026) counting as one; issuing
    # in January 2027 changes nothing.
    assert (first.issued_on, first.valid_until) == (ISSUE_DATE, datetime.date(2029, 12, 31))
    assert first.recognition.valid_until == datetime.date(2029, 12, 31)
    # The decision's one-line title is stored as the two lines it prints on.
    assert (first.signer_title, first.signer_name) == ("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "Nguyễn Trung Thảo")
    assert first.place == "Cao Bằng"
    assert first.decision_number == "1450/QĐ-UBND"
    assert len({c.code for c in certificates}) == 2
    assert all(len(c.code) == 20 for c in certificates)
    # A second run issues nothing new; a single issue for the same recognition is refused.
    assert services.certificates_issue_for_decision(decision=decision, actor=staff_user) == []
    with pytest.raises(ValidationError):
        services.certificate_issue(recognition=first.recognition, actor=staff_user)


def test_numbers_restart_each_year_and_per_issuing_body(published_decision, staff_user):
    decision = published_decision()
    one, two = recognitions_of(decision)
    a = services.certificate_issue(recognition=one, actor=staff_user, issued_on=datetime.date(2026, 12, 20))
    b = services.certificate_issue(recognition=two, actor=staff_user, issued_on=ISSUE_DATE)
    assert (a.number, b.number) == ("1/GCN-UBND", "1/GCN-UBND")
    assert (a.year, b.year) == (2026, 2027)
    body = peoples_committee()
    body.certificate_suffix = "GCN-UBNDT"
    body.save()
    c = services.certificate_reissue(certificate=b, actor=staff_user, issued_on=ISSUE_DATE, reason="Mất bản gốc")
    assert c.number == "2/GCN-UBNDT"


def test_no_certificate_before_its_decision_and_only_for_managers(published_decision, staff_user, other_staff_user):
    decision = published_decision()
    recognition = recognitions_of(decision)[0]
    with pytest.raises(ValidationError) as exc:
        services.certificate_issue(recognition=recognition, actor=staff_user, issued_on=datetime.date(2026, 12, 1))
    assert "15/12/2026" in str(exc.value)
    with pytest.raises(PermissionDenied):
        services.certificate_issue(recognition=recognition, actor=other_staff_user, issued_on=ISSUE_DATE)
    assert not Certificate.objects.exists()


def test_revoke_and_reissue(published_decision, staff_user):
    decision = published_decision()
    first, second = services.certificates_issue_for_decision(decision=decision, actor=staff_user, issued_on=ISSUE_DATE)
    with pytest.raises(ValidationError):
        services.certificate_revoke(certificate=first, actor=staff_user, reason="  ")
    services.certificate_revoke(certificate=first, actor=staff_user, reason="Cơ sở vi phạm an toàn thực phẩm")
    first.refresh_from_db()
    assert first.state() == CertificateState.REVOKED
    assert first.revoked_by == staff_user
    with pytest.raises(ValidationError):
        services.certificate_reissue(certificate=first, actor=staff_user)
    new = services.certificate_reissue(
        certificate=second, actor=staff_user, issued_on=ISSUE_DATE, reason="Cơ sở đổi tên"
    )
    second.refresh_from_db()
    assert second.status == CertificateStatus.REPLACED
    assert second.replaced_by == new
    assert new.number == "3/GCN-UBND"
    assert new.code != second.code
    assert new.state() == CertificateState.VALID
    assert new.valid_until == datetime.date(2029, 12, 31)
    assert new.state(today=datetime.date(2030, 1, 1)) == CertificateState.EXPIRED


def test_the_pdf_prints_the_certificate_in_vietnamese(published_decision, staff_user, settings):
    settings.PUBLIC_BASE_URL = "https://spcnnt.caobang.gov.vn"
    decision = published_decision()
    certificate = services.certificates_issue_for_decision(decision=decision, actor=staff_user, issued_on=ISSUE_DATE)[1]
    data = certificate_pdf(certificate)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert box.width > box.height  # A4 landscape
    text = " ".join(pdf_text(data).split())
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "GIẤY CHỨNG NHẬN",
        "Số: 2/GCN-UBND, năm 2027",
        "LẠP SƯỜN HUN KHÓI TÂM HÒA",
        "Hợp tác xã Tâm Hòa",
        "Quyết định số 1450/QĐ-UBND ngày 15/12/2026",
        "cấp tỉnh năm",
        "31/12/2029",
        "Cao Bằng, ngày 05 tháng 01 năm 2027",
        "Nguyễn Trung Thảo",
        # The address to type the code at (no https://), and the code in groups of four, as typed by hand.
        f"spcnnt.caobang.gov.vn/verify/ và nhập mã xác thực: {certificate.grouped_code}",
    ]:
        assert expected in text, expected


def test_the_qr_code_encodes_the_verification_url(published_decision, staff_user, settings):
    settings.PUBLIC_BASE_URL = "https://spcnnt.caobang.gov.vn"
    decision = published_decision(recognised=1)
    (certificate,) = services.certificates_issue_for_decision(decision=decision, actor=staff_user, issued_on=ISSUE_DATE)
    url = verification_url(certificate)
    assert url == f"https://spcnnt.caobang.gov.vn/verify/{certificate.code}/"
    # Redraw the SVG path as a module matrix and compare it with segno's own matrix for that URL.
    import re

    import segno

    size, path = qr_path(url)
    drawn = [[0] * size for _ in range(size)]
    for x, y, width in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", path):
        for dx in range(int(width)):
            drawn[int(y)][int(x) + dx] = 1
    reference = segno.make(url, error="m", micro=False)
    expected = [[0] * size for _ in range(size)]
    for y, row in enumerate(reference.matrix):
        for x, dark in enumerate(row):
            expected[y + 2][x + 2] = 1 if dark else 0
    assert drawn == expected
