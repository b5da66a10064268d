"""Digital signatures on certificates: an issuing body's signing certificate (PKCS#12, its password from the
environment or a secrets file) signs every certificate PDF the portal hands out — staff, producer and admin
downloads, a re-issued certificate, every part of a bulk export — as PAdES with a visible signature in the seal
area, PDF/A kept; each PDF's SHA-256 is recorded. Every signed PDF is validated with pyHanko's validator
trusting the tests' own CA. Without a signing certificate the PDFs stay unsigned."""

import datetime
import hashlib
import io
import re
import zipfile

import pikepdf
import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.serialization import Encoding
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from awards import services
from awards.models import CertificateDocument, SigningCertificate
from portal.accounts.enums import Role
from tests import factories
from tests.signing_helpers import install, make_ca

from .certificate_helpers import ISSUE_DATE, peoples_committee

SIGNER = "ỦY BAN NHÂN DÂN TỈNH CAO BẰNG"


@pytest.fixture
def signing_dirs(settings, tmp_path):
    settings.SIGNING_KEYS_ROOT = tmp_path / "keys"
    settings.SIGNING_SECRETS_DIR = tmp_path / "secrets"
    return tmp_path


@pytest.fixture
def ca():
    return make_ca()


@pytest.fixture
def certificates(published_decision, staff_user):
    """Two certificates of the Cao Bằng people's committee (1/GCN-UBND, 2/GCN-UBND)."""
    decision = published_decision()
    return services.certificates_issue_for_decision(decision=decision, actor=staff_user, issued_on=ISSUE_DATE)


@pytest.fixture
def signed_by_body(signing_dirs, ca, certificates):
    return install(peoples_committee(), ca, secret_name="ubnd-cao-bang", common_name=SIGNER)


def validated(data: bytes, ca):
    """pyHanko's own validator, trusting the test CA only."""
    reader = PdfFileReader(io.BytesIO(data))
    assert len(reader.embedded_signatures) == 1
    embedded = reader.embedded_signatures[0]
    root = asn1_x509.Certificate.load(ca.cert.public_bytes(Encoding.DER))
    return validate_pdf_signature(embedded, ValidationContext(trust_roots=[root], allow_fetching=False))


def assert_signed(data: bytes, ca, *, certificate):
    status = validated(data, ca)
    assert status.intact
    assert status.valid
    assert status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.signing_cert.subject.native["common_name"] == SIGNER
    assert status.bottom_line
    document = CertificateDocument.objects.get(sha256=hashlib.sha256(data).hexdigest())
    assert document.certificate == certificate
    assert document.signing_certificate.common_name == SIGNER
    assert status.signer_reported_dt == document.signed_at
    return status


def text_lines(data: bytes) -> dict[str, tuple[float, float]]:
    """Each line of text on the first page and where it starts (x, y in PDF points from the bottom-left)."""
    found = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
            found.setdefault(" ".join(text.split()), (x, y))

    PdfReader(io.BytesIO(data)).pages[0].extract_text(visitor_text=visit)
    return found


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


# --- unsigned by default ---------------------------------------------------------------------------------------------
def test_without_a_signing_certificate_the_pdf_is_unsigned_and_its_hash_recorded(client, staff_user, certificates):
    client.force_login(staff_user)
    response = client.get(reverse("awards:staff.certificate.pdf", args=[certificates[0].pk]))
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    assert PdfFileReader(io.BytesIO(data)).embedded_signatures == []
    assert "Ký bởi" not in pdf_text(data)
    document = CertificateDocument.objects.get()
    assert (document.certificate, document.sha256, document.size) == (
        certificates[0],
        hashlib.sha256(data).hexdigest(),
        len(data),
    )
    assert document.signing_certificate is None
    assert document.signed_at is None


# --- every way a PDF leaves the portal is signed ----------------------------------------------------------------------
def body_of(response) -> bytes:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_staff_download_is_signed_pades_with_a_visible_signature_in_the_seal_area(
    client, staff_user, certificates, signed_by_body, ca
):
    certificate = certificates[1]
    client.force_login(staff_user)
    before = timezone.now().replace(microsecond=0)
    data = body_of(client.get(reverse("awards:staff.certificate.pdf", args=[certificate.pk])))
    status = assert_signed(data, ca, certificate=certificate)
    assert before <= status.signer_reported_dt <= timezone.now()

    pdf = pikepdf.open(io.BytesIO(data))
    field = pdf.Root.AcroForm.Fields[0]
    assert str(field.FT) == "/Sig"
    assert str(field.V.SubFilter) == "/ETSI.CAdES.detached"
    assert int(field.F) & 4  # printed
    x1, y1, x2, y2 = (float(v) for v in field.Rect)
    assert x2 - x1 > 100
    assert y2 - y1 > 20
    # The seal area: below the signer's title, above the signer's name, around the signature's own text.
    lines = text_lines(data)
    assert lines[certificate.signer_name][1] < y1 < y2 < lines[certificate.signer_title.splitlines()[-1]][1]
    assert x1 < lines[f"Ký bởi: {SIGNER}"][0] < x2
    assert field.AP.N.objgen != (0, 0)

    text = pdf_text(data)
    signed_at = timezone.localtime(status.signer_reported_dt)
    assert f"Ký bởi: {SIGNER}" in text
    assert "Cơ quan: Ủy ban nhân dân tỉnh Cao Bằng" in text
    assert f"Thời gian ký: {signed_at:%d/%m/%Y %H:%M:%S} +07:00" in text
    assert f"Số: {certificate.number}" in text  # the certificate itself is still all there


def test_the_signed_pdf_is_still_pdf_a(client, staff_user, certificates, signed_by_body):
    client.force_login(staff_user)
    data = body_of(client.get(reverse("awards:staff.certificate.pdf", args=[certificates[0].pk])))
    pdf = pikepdf.open(io.BytesIO(data))
    xmp = pdf.open_metadata()  # read only (as a context manager, pikepdf would rewrite it)
    assert (xmp["pdfaid:part"], xmp["pdfaid:conformance"]) == ("3", "B")
    assert str(pdf.docinfo["/Producer"]) == xmp["pdf:Producer"]  # ISO 19005: the Info dictionary and XMP agree
    intent = pdf.Root.OutputIntents[0]
    assert str(intent.S) == "/GTS_PDFA1"
    assert intent.DestOutputProfile.read_bytes()[36:40] == b"acsp"
    for font in pdf.pages[0].Resources.Font.values():
        descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
        assert "/FontFile2" in descendant.FontDescriptor or "/FontFile3" in descendant.FontDescriptor
    widget = pdf.Root.AcroForm.Fields[0]
    assert not int(widget.F) & (1 | 2 | 32)  # not invisible, hidden or no-view
    # The signature is an incremental update: the PDF/A file WeasyPrint wrote is its untouched first revision.
    assert data.count(b"%%EOF") == 2


def test_producer_and_admin_downloads_are_signed(client, certificates, signed_by_body, ca, superuser, producer_user):
    certificate = next(c for c in certificates if c.producer_name == "Hợp tác xã Tâm Hòa")
    producer_user.producer = certificate.recognition.product.producer
    producer_user.save()
    client.force_login(producer_user)
    data = body_of(client.get(reverse("awards:producer.certificate.pdf", args=[certificate.pk])))
    assert_signed(data, ca, certificate=certificate)

    client.force_login(superuser)
    response = client.post(
        reverse("admin:awards_certificate_changelist"),
        {"action": "download_certificate_pdf", "_selected_action": [certificate.pk]},
    )
    second = assert_signed(body_of(response), ca, certificate=certificate)
    assert second.signing_cert.subject.native["common_name"] == SIGNER
    assert CertificateDocument.objects.filter(certificate=certificate).count() == 2


def test_a_reissued_certificate_is_signed(client, staff_user, certificates, signed_by_body, ca):
    new = services.certificate_reissue(
        certificate=certificates[0], actor=staff_user, issued_on=ISSUE_DATE, reason="Mất bản giấy"
    )
    client.force_login(staff_user)
    data = body_of(client.get(reverse("awards:staff.certificate.pdf", args=[new.pk])))
    assert_signed(data, ca, certificate=new)
    assert f"Số: {new.number}" in pdf_text(data)


def export_all(staff_user, certificates, capture):
    with capture(execute=True):
        return services.certificate_export_create(
            actor=staff_user,
            certificates=type(certificates[0]).objects.filter(pk__in=[c.pk for c in certificates]),
            title="Xuất thử có ký số",
        )


def test_every_part_of_a_bulk_export_is_signed_and_recorded(
    staff_user, certificates, signed_by_body, ca, django_capture_on_commit_callbacks
):
    export = export_all(staff_user, certificates, django_capture_on_commit_callbacks)
    export.refresh_from_db()
    assert export.status == "done"
    with export.archive.open("rb") as fh, zipfile.ZipFile(fh) as archive:
        parts = [archive.read(name) for name in archive.namelist()]
    assert len(parts) == 2
    by_hash = {d.sha256: d.certificate for d in CertificateDocument.objects.all()}
    for data in parts:
        certificate = by_hash[hashlib.sha256(data).hexdigest()]
        assert_signed(data, ca, certificate=certificate)
    with export.merged.open("rb") as fh:
        merged = fh.read()
    assert len(PdfReader(io.BytesIO(merged)).pages) == 2
    assert b"/ByteRange" not in merged  # a print file: the frames printed, the signatures (of other files) not copied


# --- a signing certificate that cannot sign: no PDF in the body's name --------------------------------------------
def test_an_expired_signing_certificate_refuses_the_download_with_the_reason(
    client, staff_user, certificates, signed_by_body
):
    SigningCertificate.objects.update(valid_until=timezone.now() - datetime.timedelta(days=1))
    client.force_login(staff_user)
    url = reverse("awards:staff.certificate.pdf", args=[certificates[0].pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("awards:staff.certificate.detail", args=[certificates[0].pk])
    message = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "Giấy chứng nhận chưa được cấp" in message
    assert "đã hết hạn" in message
    assert "Ủy ban nhân dân tỉnh Cao Bằng" in message
    assert not CertificateDocument.objects.exists()


def test_a_missing_password_refuses_the_export_with_the_reason(
    staff_user, certificates, signed_by_body, signing_dirs, django_capture_on_commit_callbacks
):
    (signing_dirs / "secrets" / "ubnd-cao-bang").unlink()
    from awards.services import certificate_signing

    certificate_signing._KEYS.clear()  # a freshly started worker
    export = export_all(staff_user, certificates, django_capture_on_commit_callbacks)
    export.refresh_from_db()
    assert export.status == "failed"
    assert "SIGNING_KEY_PASSWORD_UBND_CAO_BANG" in export.error
    assert not CertificateDocument.objects.exists()


def test_the_password_can_come_from_the_environment(monkeypatch, settings, tmp_path, ca, certificates, staff_user):
    settings.SIGNING_KEYS_ROOT = tmp_path / "keys"
    settings.SIGNING_SECRETS_DIR = tmp_path / "no-secrets-here"
    from django.core.files.uploadedfile import SimpleUploadedFile

    monkeypatch.setenv("SIGNING_KEY_PASSWORD_UBND_2027", "mật khẩu từ môi trường")
    record = services.signing_certificate_install(
        issuing_body=peoples_committee(),
        label="Chứng thư số UBND 2027",
        pkcs12=SimpleUploadedFile("k.p12", ca.pkcs12(SIGNER, "mật khẩu từ môi trường")),
        secret_name="ubnd-2027",
        actor=factories.UserFactory(is_superuser=True, is_staff=True, role=Role.STAFF),
    )
    data = services.certificate_document(certificate=certificates[0])
    assert_signed(data, ca, certificate=certificates[0])
    assert record.documents.count() == 1


def test_a_new_signing_certificate_takes_over_and_the_old_one_stays(signing_dirs, ca, certificates):
    old = install(peoples_committee(), ca, secret_name="ubnd-2026", common_name=SIGNER)
    new = install(peoples_committee(), ca, secret_name="ubnd-2027", common_name=SIGNER, key_index=2)
    old.refresh_from_db()
    assert (old.is_active, new.is_active) == (False, True)
    data = services.certificate_document(certificate=certificates[0])
    assert CertificateDocument.objects.get(sha256=hashlib.sha256(data).hexdigest()).signing_certificate == new


def test_the_password_is_nowhere_in_the_database(signing_dirs, ca, certificates):
    record = install(peoples_committee(), ca, secret_name="ubnd", common_name=SIGNER, password="Bí-mật-9f3Kx")
    values = [str(v) for v in SigningCertificate.objects.filter(pk=record.pk).values().get().values()]
    assert not any("Bí-mật-9f3Kx" in v for v in values)
    assert re.fullmatch(r"[0-9a-f]{32}\.p12", record.pkcs12.name)
    assert (signing_dirs / "keys" / record.pkcs12.name).stat().st_mode & 0o777 == 0o600
