"""The demo installs test signing certificates (marked as such, under a test CA of no legal value), so that its
certificates come out signed: the Cao Bằng officer downloads one, pyHanko validates it against the demo's own
CA, and the public file check recognises it."""

import io
import re

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from awards.models import Certificate, SigningCertificate
from portal.accounts.models import User


def test_the_demo_signs_its_certificates_with_a_test_certificate_that_verifies_by_upload(client, db, demo_data):
    records = list(SigningCertificate.objects.filter(is_active=True).select_related("issuing_body"))
    assert {r.issuing_body.name for r in records} == {"Ủy ban nhân dân tỉnh Cao Bằng", "Sở Công Thương tỉnh Cao Bằng"}
    for record in records:
        assert "THỬ NGHIỆM" in record.label
        assert "THỬ NGHIỆM" in record.common_name
        assert "CA THỬ NGHIỆM — KHÔNG CÓ GIÁ TRỊ PHÁP LÝ" in record.issuer

    certificate = Certificate.objects.filter(decision_number="1450/QĐ-UBND").order_by("serial").first()
    client.force_login(User.objects.get(email="canbo.caobang@cnnt.demo"))
    response = client.get(reverse("awards:staff.certificate.pdf", args=[certificate.pk]))
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content

    record = next(r for r in records if r.issuing_body_id == certificate.issuing_body_id)
    _, _, ca_der = pem.unarmor(record.chain_pem.encode())
    embedded = PdfFileReader(io.BytesIO(data)).embedded_signatures[0]
    context = ValidationContext(trust_roots=[asn1_x509.Certificate.load(ca_der)], allow_fetching=False)
    status = validate_pdf_signature(embedded, context)
    assert status.intact
    assert status.valid
    assert status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.signing_cert.subject.native["common_name"] == "ỦY BAN NHÂN DÂN TỈNH CAO BẰNG (THỬ NGHIỆM)"

    client.logout()
    response = client.post(reverse("awards:verify.pdf"), {"file": SimpleUploadedFile("gcn.pdf", data)})
    text = " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())
    assert "Giấy chứng nhận do Cổng cấp, chưa bị sửa đổi" in text
    assert certificate.number in text
