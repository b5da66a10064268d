"""The public check of a certificate file (/verify/pdf/): an unaltered signed certificate the portal issued is
recognised with its signer and its state today; a byte changed, bytes appended, another signer, a file the
portal never issued, a damaged file, something not a PDF or too big are each told apart. Rate-limited like the
other verification pages."""

import datetime
import io
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from awards import services
from awards.models import Certificate
from awards.printouts.certificates import certificate_pdf_to_sign
from portal.core import signing
from tests.signing_helpers import install, make_ca

from ..certificate_helpers import ISSUE_DATE, peoples_committee

URL = "awards:verify.pdf"
SIGNER = "ỦY BAN NHÂN DÂN TỈNH CAO BẰNG"


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def signing_dirs(settings, tmp_path):
    settings.SIGNING_KEYS_ROOT = tmp_path / "keys"
    settings.SIGNING_SECRETS_DIR = tmp_path / "secrets"


@pytest.fixture
def ca():
    return make_ca()


@pytest.fixture
def certificates(published_decision, staff_user):
    decision = published_decision()
    return services.certificates_issue_for_decision(decision=decision, actor=staff_user, issued_on=ISSUE_DATE)


@pytest.fixture
def signed(signing_dirs, ca, certificates):
    """A signed certificate PDF as the portal hands it out (2/GCN-UBND, Lạp sườn hun khói Tâm Hòa)."""
    install(peoples_committee(), ca, secret_name="ubnd-cao-bang", common_name=SIGNER)
    return services.certificate_document(certificate=certificates[1])


def upload(client, data: bytes, name="giay-chung-nhan.pdf"):
    return client.post(reverse(URL), {"file": SimpleUploadedFile(name, data, content_type="application/pdf")})


def text_of(response) -> str:
    main = re.search(r"<main.*?</main>", response.content.decode(), re.S).group(0)
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def test_the_verify_page_links_to_the_file_check_which_opens_without_signing_in(client, db):
    assert f'href="{reverse(URL)}"' in client.get(reverse("awards:verify.search")).content.decode()
    response = client.get(reverse(URL))
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def test_an_unaltered_signed_certificate_is_recognised_with_its_signer_and_state(client, signed, certificates):
    response = upload(client, signed)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    text = text_of(response)
    assert "Giấy chứng nhận do Cổng cấp, chưa bị sửa đổi" in text
    assert "Chữ ký số của Ủy ban nhân dân tỉnh Cao Bằng hợp lệ và bao trùm toàn bộ tệp" in text
    assert f"Người ký {SIGNER}" in text
    assert f"Chủ thể chứng thư số CN={SIGNER},C=VN" in text
    assert "Còn hiệu lực đến ngày 31/12/2029." in text
    assert "2/GCN-UBND" in text
    assert "Lạp sườn hun khói Tâm Hòa" in text
    assert f'href="{certificates[1].get_absolute_url()}"' in response.content.decode()
    assert "Nội dung không thay đổi từ khi ký có" in text
    assert "Chữ ký bao trùm toàn bộ tệp có" in text


def test_a_tampered_byte_is_detected(client, signed):
    tampered = bytearray(signed)
    tampered[len(signed) // 3] ^= 0x01  # one bit, inside the page as WeasyPrint wrote it (what the signature covers)
    response = upload(client, bytes(tampered))
    assert response.status_code == 200
    text = text_of(response)
    assert "Tệp đã bị sửa đổi" in text
    assert "Tệp đã bị sửa đổi sau khi ký: nội dung không còn khớp với chữ ký số." in text
    assert "Giấy chứng nhận do Cổng cấp, chưa bị sửa đổi" not in text


def test_content_added_after_the_signature_is_detected_and_the_original_named(client, signed, certificates):
    """An incremental update appended to the signed file (what an editor saving "on top" does)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    writer.root["/Lang"] = writer.root.get("/Lang", "vi")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    modified = out.getvalue()
    assert modified.startswith(signed)
    assert len(modified) > len(signed)
    text = text_of(upload(client, modified))
    assert "Tệp đã bị sửa đổi sau khi ký" in text
    assert "Chữ ký bao trùm toàn bộ tệp không" in text
    assert "Tệp được sửa từ giấy chứng nhận số 2/GCN-UBND do Cổng cấp" in text
    assert "Còn hiệu lực đến ngày 31/12/2029." in text


def verdict_box(response) -> tuple[str, str]:
    """The class and the heading of the verdict box, the first thing the visitor reads."""
    match = re.search(r'<section class="verify-state ([^"]+)".*?<h2[^>]*>(.*?)</h2>', response.content.decode(), re.S)
    return match.group(1), " ".join(match.group(2).split())


def test_a_revoked_certificates_genuine_file_leads_with_the_revocation(client, signed, certificates, staff_user):
    services.certificate_revoke(certificate=certificates[1], actor=staff_user, reason="Cơ sở ngừng sản xuất")
    response = upload(client, signed)
    text = text_of(response)
    # Not a green "unaltered certificate issued by the portal" over a revoked certificate.
    assert verdict_box(response) == ("verify-revoked", "Giấy chứng nhận đã bị thu hồi: tệp này không còn giá trị")
    assert "Giấy chứng nhận do Cổng cấp, chưa bị sửa đổi" not in text
    assert "Chữ ký số của Ủy ban nhân dân tỉnh Cao Bằng hợp lệ" in text  # the file itself is genuine
    assert "Đã bị thu hồi ngày" in text
    assert "Còn hiệu lực" not in text


def test_a_replaced_certificates_file_leads_with_the_replacement_and_names_its_successor(
    client, signed, certificates, staff_user
):
    new = services.certificate_reissue(certificate=certificates[1], actor=staff_user, issued_on=ISSUE_DATE)
    response = upload(client, signed)
    assert verdict_box(response) == (
        "verify-replaced",
        "Giấy chứng nhận đã được thay thế: tệp này không còn giá trị",
    )
    assert f"Đã được thay thế bằng giấy chứng nhận số {new.number}." in text_of(response)


def test_an_expired_certificates_genuine_file_leads_with_the_expiry(client, signed, certificates):
    Certificate.objects.filter(pk=certificates[1].pk).update(valid_until=datetime.date(2020, 12, 31))
    response = upload(client, signed)
    assert verdict_box(response) == ("verify-expired", "Giấy chứng nhận đã hết hiệu lực")
    assert "Hết hiệu lực: chỉ có hiệu lực đến ngày 31/12/2020." in text_of(response)


def test_a_genuine_file_of_a_certificate_in_force_is_green(client, signed):
    assert verdict_box(upload(client, signed)) == ("verify-valid", "Giấy chứng nhận do Cổng cấp, chưa bị sửa đổi")


def test_a_file_signed_by_another_ca_is_not_the_portals(client, signed, certificates):
    """A forger's own CA and key, made to look like the body's signature (same text in the seal area)."""
    forger = make_ca("CA GIẢ MẠO", key_index=3)
    key = signing.open_pkcs12(forger.pkcs12("KẺ GIẢ MẠO", "x", key_index=4), "x")
    lines = {"signer": SIGNER, "body": "Ủy ban nhân dân tỉnh Cao Bằng", "time": "05/01/2027 08:00:00 +07:00"}
    data, placed = certificate_pdf_to_sign(certificates[0], lines)
    forged = signing.sign_pdf(
        data, key=key, page=placed.page, box=placed.rect, signing_time=timezone.localtime().replace(microsecond=0)
    )
    text = text_of(upload(client, forged))
    assert "Không phải chữ ký số của Cổng" in text
    assert "Tệp được ký bởi “KẺ GIẢ MẠO”" in text
    assert "Giấy chứng nhận do Cổng cấp" not in text


def test_an_unsigned_file_the_portal_issued_is_recognised_as_such(client, certificates):
    data = services.certificate_document(certificate=certificates[0])
    assert PdfFileReader(io.BytesIO(data)).embedded_signatures == []
    text = text_of(upload(client, data))
    assert "Tệp giấy chứng nhận do Cổng cấp, không có chữ ký số" in text
    assert "1/GCN-UBND" in text


def test_a_pdf_the_portal_never_issued_is_unknown(client, certificates):
    from awards.printouts.certificates import certificate_pdf

    text = text_of(upload(client, certificate_pdf(certificates[0])))  # rendered, never handed out
    assert "Không phải giấy chứng nhận do Cổng cấp" in text
    assert "Tệp không có chữ ký số và không phải tệp Cổng đã cấp." in text


def test_a_damaged_pdf_is_reported_as_modified_or_damaged(client, db):
    text = text_of(upload(client, b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"))
    assert "Tệp đã bị sửa đổi hoặc bị hỏng" in text


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"PK\x03\x04 day la tep zip", "Tệp này không phải PDF"),
        (b"", "Tập tin được gửi là rỗng"),
    ],
)
def test_what_is_not_a_pdf_is_refused_with_the_reason(client, db, data, expected):
    response = upload(client, data, name="tep.pdf")
    assert response.status_code == 400
    assert expected in text_of(response)


def test_a_file_too_big_is_refused_with_the_reason(client, db, settings):
    settings.VERIFY_PDF_MAX_BYTES = 2 * 1024 * 1024
    response = upload(client, b"%PDF-1.7\n" + b"0" * (2 * 1024 * 1024))
    assert response.status_code == 400
    assert "Tệp lớn hơn 2 MB; tệp PDF giấy chứng nhận nhỏ hơn nhiều." in text_of(response)


def test_uploads_share_the_verification_rate_limit(client, db, settings):
    settings.VERIFY_RATE = "2/m"
    pdf = b"%PDF-1.7\n%%EOF\n"
    assert upload(client, pdf).status_code == 200
    search = {"number": "1/GCN-UBND", "year": 2027, "holder": "4800000001"}
    assert client.get(reverse("awards:verify.search"), search).status_code == 404
    response = upload(client, pdf)
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
