"""The certificate (giấy chứng nhận) as PDF: A4 landscape, state heading block, decorative border, QR code to the
public verification page. Rendered with the same static fonts and WeasyPrint set-up as the other documents."""

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .documents import FONT_FILES, render_pdf, vn_date_line


def verification_url(certificate) -> str:
    return settings.PUBLIC_BASE_URL + reverse("awards:verify.detail", args=[certificate.code])


QR_BORDER = 2


def qr_path(url: str) -> tuple[int, str]:
    """The QR code of `url` as an SVG path (one rectangle per run of dark modules) and the side of its viewBox.
    Vector, so sharp at any print size; error correction M survives a creased print. The template draws it
    with `<path d="…">`: the path holds only digits and M/h/v/z, nothing to escape."""
    qr = segno.make(url, error="m", micro=False)
    parts = []
    for y, row in enumerate(qr.matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                parts.append(f"M{start + QR_BORDER} {y + QR_BORDER}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return len(qr.matrix) + 2 * QR_BORDER, "".join(parts)


def certificate_context(certificate) -> dict:
    url = verification_url(certificate)
    qr = qr_path(url)
    body = certificate.issuing_body
    emblem = None
    if body.emblem:
        try:
            emblem = body.emblem.path and f"file://{body.emblem.path}"
        except (NotImplementedError, ValueError):
            emblem = None
    return {
        "c": certificate,
        "body_name": body.name,
        "emblem": emblem,
        "title_line": (
            f"Sản phẩm công nghiệp nông thôn tiêu biểu {certificate.level_name.lower()} năm "
            f"{certificate.recognition_year}"
        ),
        "date_line": vn_date_line(certificate.place, certificate.issued_on),
        "qr_size": qr[0],
        "qr_path": qr[1],
        "url": url,
        "fonts": {key: path.as_uri() for key, path in FONT_FILES.items()},
    }


def certificate_html(certificate) -> str:
    with translation.override("vi"):
        return render_to_string("awards/pdf/certificate.html", certificate_context(certificate))


def certificate_pdf(certificate) -> bytes:
    return render_pdf(certificate_html(certificate))
