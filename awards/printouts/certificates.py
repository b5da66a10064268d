"""The certificate (giấy chứng nhận) as PDF: A4 landscape, state heading block, decorative border, QR code to the
public verification page. Rendered with the same static fonts and WeasyPrint set-up as the other documents."""

import base64

import filetype
import segno
from django.conf import settings
from django.urls import reverse

from portal.core.formatting import title_lines, vn_date_line
from portal.core.pdf import Placed, document_html, render_pdf, render_pdf_placing

from ..models import Certificate


def verification_url(certificate) -> str:
    return settings.PUBLIC_BASE_URL + reverse("awards:verify.detail", args=[certificate.code])


def search_url() -> str:
    """Where a code read off the paper is typed: printed without the scheme, as people type it."""
    url = settings.PUBLIC_BASE_URL + reverse("awards:verify.search")
    return url.split("://", 1)[-1]


def replaced_certificate(certificate):
    """The certificate this one replaces (a re-issue prints its number and date), or None."""
    return Certificate.objects.filter(replaced_by=certificate).only("number", "issued_on").first()


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


def emblem_uri(body) -> str | None:
    """The issuing body's emblem as a data: URI for WeasyPrint, read through the storage (a file system or an
    object store alike), or None without one, or when the file is missing from the storage. Its type is read
    from its content (the upload check let only PNG and JPEG through)."""
    if not body.emblem:
        return None
    try:
        with body.emblem.open("rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return None
    content_type = filetype.guess_mime(data)
    if content_type not in ("image/png", "image/jpeg"):
        return None
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"


def address_note(certificate) -> str:
    """ "(nay thuộc tỉnh …)" after an address printed with the province as recorded before the 2025 reform; none
    after an address already in today's units (it ends with today's province)."""
    c = certificate
    if not c.province_as_recorded or c.producer_address.endswith(c.province_name):
        return ""
    return f" (nay thuộc tỉnh {c.province_name})"


def certificate_context(certificate) -> dict:
    url = verification_url(certificate)
    qr = qr_path(url)
    body = certificate.issuing_body
    return {
        "c": certificate,
        # The body has room for a product name on one line and an address on one line at full size.
        "compact": len(certificate.product_name) > 42 or len(certificate.producer_address) > 95,
        "heading": body.heading_lines,
        "emblem": emblem_uri(body),
        "title_line": (
            f"Sản phẩm công nghiệp nông thôn tiêu biểu {certificate.level_name.lower()} năm "
            f"{certificate.recognition_year}"
        ),
        "address_note": address_note(certificate),
        "signer_lines": title_lines(certificate.signer_title),
        "date_line": vn_date_line(certificate.place, certificate.issued_on),
        "qr_size": qr[0],
        "qr_path": qr[1],
        "url": url,
        "search_url": search_url(),
        "replaces": replaced_certificate(certificate),
    }


def certificate_html(certificate) -> str:
    return document_html("awards/pdf/certificate.html", certificate_context, certificate)


# PDF/A-3b (ISO 19005-3, level B): the certificate is an archival record. WeasyPrint's variant adds the XMP
# metadata (pdfaid:part 3, conformance B), an sRGB output intent and a document ID; the fonts are embedded
# subsets either way. 50 renders each way, interleaved: CPU per render 68-71 ms median either way, i.e. within
# the noise; +3 kB per file (the ICC profile). The emblem is drawn without interpolation, which PDF/A requires.
# No veraPDF here: tests check the declaration, the output intent and the embedded fonts. The merged bulk PDF
# is re-assembled by pypdf and is a print file, not PDF/A.
CERTIFICATE_PDF_VARIANT = "pdf/a-3b"


def certificate_pdf(certificate) -> bytes:
    return render_pdf(certificate_html(certificate), pdf_variant=CERTIFICATE_PDF_VARIANT)


def certificate_pdf_to_sign(certificate, signature: dict) -> tuple[bytes, Placed]:
    """The certificate with its visible signature's text in the seal area (`signature`: signer, body, time), and
    where that text landed, for the signature field laid over it (awards.services.certificate_signing)."""
    html = document_html(
        "awards/pdf/certificate.html", lambda c: {**certificate_context(c), "signature": signature}, certificate
    )
    data, placed = render_pdf_placing(html, anchor="e-signature", pdf_variant=CERTIFICATE_PDF_VARIANT)
    if placed is None:
        raise ValueError("The certificate template has no signature area (#e-signature).")
    return data, placed
