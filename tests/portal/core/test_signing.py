"""portal.core.signing and portal.core.signature_checks, and the PDF placement they rely on, without any app: where
a signing key's password is read from, signing a PDF (also when the reserved room is too small), what a PDF check
says, and where WeasyPrint put an element (the rectangle a signature field is laid over)."""

import dataclasses
import datetime
import io

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.serialization import Encoding
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from portal.core import signature_checks, signing
from portal.core.pdf import render_pdf, render_pdf_placing
from tests.signing_helpers import make_ca

NOW = datetime.datetime(2026, 12, 7, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture
def secrets_dir(settings, tmp_path, monkeypatch):
    settings.SIGNING_SECRETS_DIR = tmp_path
    monkeypatch.delenv("SIGNING_KEY_PASSWORD_KHOA_THU", raising=False)
    return tmp_path


def test_the_password_comes_from_the_environment_before_the_secrets_file(secrets_dir, monkeypatch):
    (secrets_dir / "khoa-thu").write_text("từ tệp\n", encoding="utf-8")
    assert signing.read_password("khoa-thu") == "từ tệp"
    monkeypatch.setenv("SIGNING_KEY_PASSWORD_KHOA_THU", "từ biến môi trường")
    assert signing.read_password("khoa-thu") == "từ biến môi trường"


def test_a_missing_password_says_where_to_put_it(secrets_dir):
    with pytest.raises(signing.SigningError) as refused:
        signing.read_password("khoa-thu")
    assert "SIGNING_KEY_PASSWORD_KHOA_THU" in str(refused.value)
    assert str(secrets_dir / "khoa-thu") in str(refused.value)


@pytest.mark.parametrize("name", ["../etc/passwd", "Khoa", "", "khoa thu"])
def test_a_password_name_is_a_plain_slug(secrets_dir, name):
    with pytest.raises(signing.SigningError):
        signing.read_password(name)


def test_the_key_storage_follows_the_setting(settings, tmp_path):
    settings.SIGNING_KEYS_ROOT = tmp_path / "khoa"
    storage = signing.KeyStorage()
    name = storage.save("k.p12", io.BytesIO(b"x"))
    assert (tmp_path / "khoa" / name).stat().st_mode & 0o777 == 0o600


def one_page() -> tuple[bytes, tuple]:
    html = (
        "<html><head><style>@page { margin: 0 }</style></head><body style='margin:0'>"
        "<div id='o-ky' style='position:absolute; left:20mm; top:30mm; width:50mm; height:10mm'>Ký</div>"
        "</body></html>"
    )
    data, placed = render_pdf_placing(html, anchor="o-ky", pdf_variant="pdf/a-3b")
    return data, placed


def test_render_pdf_placing_gives_the_element_rectangle_in_pdf_points():
    _, placed = one_page()
    mm = 72 / 25.4
    page_height = 297 * mm  # WeasyPrint's default page: A4 portrait
    assert placed.page == 0
    expected = (20 * mm, page_height - 40 * mm, 70 * mm, page_height - 30 * mm)
    assert placed.rect == pytest.approx(expected, abs=0.05)
    assert render_pdf_placing("<p>Không có</p>", anchor="o-ky")[1] is None


def key_of(ca, **options) -> signing.SigningKey:
    return signing.open_pkcs12(ca.pkcs12("NGƯỜI KÝ THỬ", "mk", **options), "mk")


def validate(data: bytes, ca):
    embedded = PdfFileReader(io.BytesIO(data)).embedded_signatures[0]
    root = asn1_x509.Certificate.load(ca.cert.public_bytes(Encoding.DER))
    return validate_pdf_signature(embedded, ValidationContext(trust_roots=[root], allow_fetching=False))


@pytest.mark.parametrize("room", ["computed", "too small"])
def test_a_pdf_is_signed_over_the_whole_file_at_the_given_time(room):
    ca = make_ca()
    key = key_of(ca)
    if room == "too small":  # a chain larger than estimated: pyHanko sizes the signature itself
        key = dataclasses.replace(key, bytes_reserved=1024)
    data, placed = one_page()
    signed = signing.sign_pdf(data, key=key, page=placed.page, box=placed.rect, signing_time=NOW)
    status = validate(signed, ca)
    assert status.intact
    assert status.valid
    assert status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.signer_reported_dt == NOW
    assert signed.startswith(data)  # an incremental update: the original file is untouched


def test_check_pdf_tells_unreadable_unsigned_and_signed_apart():
    ca = make_ca()
    data, placed = one_page()
    assert not signature_checks.check_pdf(b"%PDF-1.7 hong", trusted_pem=[ca.pem]).readable
    unsigned = signature_checks.check_pdf(render_pdf("<p>Chưa ký</p>"), trusted_pem=[ca.pem])
    assert unsigned.readable
    assert unsigned.signatures == ()
    key = key_of(ca)
    signed = signing.sign_pdf(data, key=key, page=0, box=placed.rect, signing_time=NOW)
    check = signature_checks.check_pdf(signed, trusted_pem=[ca.pem])
    (signature,) = check.signatures
    assert (signature.intact, signature.valid, signature.trusted, signature.whole_file) == (True, True, True, True)
    assert signature.signer_name == "NGƯỜI KÝ THỬ"
    assert signature.signer_fingerprint == key.facts.fingerprint
    other = signature_checks.check_pdf(signed, trusted_pem=[make_ca("CA KHÁC", key_index=3).pem])
    assert other.signatures[0].trusted is False
