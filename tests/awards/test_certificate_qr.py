"""The QR code printed on the certificate, read back as a phone would: the PDF page rendered to pixels with
pypdfium2 (no poppler needed) and decoded with zbar's `zbarimg` (Debian package zbar-tools, installed by
.ci/run). A missing zbarimg fails the test: a skipped check would let a broken QR code through unnoticed."""

import shutil
import subprocess

import pypdfium2
import pytest

from awards import services
from awards.printouts.certificates import certificate_pdf, verification_url

from .certificate_helpers import ISSUE_DATE

DPI = 200


def decode_qr_codes(pdf: bytes, tmp_path) -> list[str]:
    zbarimg = shutil.which("zbarimg")
    if zbarimg is None:
        pytest.fail("zbarimg is not installed: `apt-get install zbar-tools` (the certificate QR test needs it)")
    document = pypdfium2.PdfDocument(pdf)
    try:
        assert len(document) == 1
        bitmap = document[0].render(scale=DPI / 72)
        image = tmp_path / "certificate.png"
        bitmap.to_pil().save(image)
    finally:
        document.close()
    result = subprocess.run(  # noqa: S603 (a fixed program on a file this test wrote)
        [zbarimg, "--raw", "-q", str(image)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, f"zbarimg found no code (exit {result.returncode}): {result.stderr}"
    return result.stdout.splitlines()


def test_the_printed_qr_code_decodes_to_the_verification_url(published_decision, staff_user, settings, tmp_path):
    settings.PUBLIC_BASE_URL = "https://spcnnt.caobang.gov.vn"
    decision = published_decision(recognised=1)
    (certificate,) = services.certificates_issue_for_decision(decision=decision, actor=staff_user, issued_on=ISSUE_DATE)

    decoded = decode_qr_codes(certificate_pdf(certificate), tmp_path)

    assert decoded == [verification_url(certificate)]
    assert decoded == [f"https://spcnnt.caobang.gov.vn/verify/{certificate.code}/"]
