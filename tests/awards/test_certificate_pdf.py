"""The certificate PDF beyond its text: the issuing body's emblem (uploaded in the back office, checked as an
image, printed at the top left), and the PDF/A-3b declaration."""

import io
from xml.etree import ElementTree

import pypdfium2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from awards import services
from awards.printouts.certificates import certificate_pdf

from .certificate_helpers import ISSUE_DATE, peoples_committee


@pytest.fixture
def certificate(published_decision, staff_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    decision = published_decision(recognised=1)
    (certificate,) = services.certificates_issue_for_decision(decision=decision, actor=staff_user, issued_on=ISSUE_DATE)
    return certificate


def page_images(data: bytes):
    (page,) = PdfReader(io.BytesIO(data)).pages
    return page.images


def image_box(data: bytes) -> tuple[float, ...]:
    """(left, bottom, right, top) of the page's one image in PDF points (origin bottom left), and the page size."""
    document = pypdfium2.PdfDocument(data)
    try:
        page = document[0]
        (image,) = page.get_objects(filter=[pypdfium2.raw.FPDF_PAGEOBJ_IMAGE])
        return (*image.get_bounds(), *page.get_size())
    finally:
        document.close()


def emblem_png(name="quoc-huy.png", size=(64, 48)):
    """A PNG with an alpha channel, as emblems usually have a transparent background."""
    return SimpleUploadedFile(name, image_file("PNG", size, mode="RGBA"), content_type="image/png")


def change_organization(client, organization, emblem):
    data = {
        "name": organization.name,
        "short_name": organization.short_name,
        "kind": organization.kind,
        "province": organization.province_id,
        "address": organization.address,
        "phone": organization.phone,
        "email": organization.email,
        "certificate_suffix": organization.certificate_suffix,
        "emblem": emblem,
    }
    return client.post(reverse("admin:products_organization_change", args=[organization.pk]), data)


def test_without_an_emblem_the_certificate_has_no_image(certificate):
    assert len(page_images(certificate_pdf(certificate))) == 0


def test_an_emblem_uploaded_in_the_back_office_is_printed_on_the_certificate(client, superuser, certificate):
    client.force_login(superuser)
    body = peoples_committee()

    response = change_organization(client, body, emblem_png("quốc huy tỉnh.png"))

    assert response.status_code == 302, response.content.decode()[:2000]
    body.refresh_from_db()
    assert body.emblem
    certificate.issuing_body.refresh_from_db()
    data = certificate_pdf(certificate)
    (image,) = page_images(data)
    assert image.image.size == (64, 48)
    # At the top left, out of the text's way; not interpolated (PDF/A forbids it); the file is still PDF/A.
    left, bottom, right, top, page_width, page_height = image_box(data)
    assert 0 < left < right < page_width / 4
    assert page_height * 3 / 4 < bottom < top < page_height
    assert image.indirect_reference.get_object()["/Interpolate"].value is False
    assert pdfa_identification(PdfReader(io.BytesIO(data))) == {"part": "3", "conformance": "B"}


def image_file(fmt, size=(64, 48), mode="RGB"):
    buf = io.BytesIO()
    Image.new(mode, size, (200, 30, 30, 255)[: len(mode)]).save(buf, fmt)
    return buf.getvalue()


# Files Django's own image check lets through (Pillow opens them), refused by the project's upload check.
BAD_EMBLEMS = {
    "gif": (lambda: SimpleUploadedFile("quoc-huy.png", image_file("GIF")), "không phải là tệp JPEG hoặc PNG"),
    "truncated-jpeg": (
        lambda: SimpleUploadedFile("quoc-huy.jpg", image_file("JPEG", (400, 300))[:-300]),
        "bị hỏng, không mở được",
    ),
}


@pytest.mark.parametrize("kind", BAD_EMBLEMS)
def test_the_emblem_upload_must_be_a_real_image(client, superuser, certificate, kind):
    make_upload, message = BAD_EMBLEMS[kind]
    client.force_login(superuser)
    body = peoples_committee()

    response = change_organization(client, body, make_upload())

    assert response.status_code == 200
    assert message in response.content.decode()
    body.refresh_from_db()
    assert not body.emblem
    assert len(page_images(certificate_pdf(certificate))) == 0


PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"


def pdfa_identification(reader) -> dict:
    """pdfaid:part and pdfaid:conformance from the XMP packet (as attributes or as elements)."""
    root = reader.trailer["/Root"]
    xmp = ElementTree.fromstring(root["/Metadata"].get_object().get_data())  # noqa: S314 (our own PDF)
    found = {}
    for element in xmp.iter():
        for key, value in element.attrib.items():
            if key.startswith(PDFAID):
                found[key.removeprefix(PDFAID)] = value
        if element.tag.startswith(PDFAID):
            found[element.tag.removeprefix(PDFAID)] = element.text
    return found


def embedded_fonts(page) -> dict:
    """Each font of the page: whether its program is embedded and whether it maps back to Unicode."""
    fonts = {}
    for font in page["/Resources"]["/Font"].values():
        font = font.get_object()
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descendant["/FontDescriptor"].get_object()
        fonts[str(font["/BaseFont"])] = (
            any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")),
            "/ToUnicode" in font,
        )
    return fonts


def test_the_certificate_is_a_pdf_a_3b(certificate):
    reader = PdfReader(io.BytesIO(certificate_pdf(certificate)))
    assert pdfa_identification(reader) == {"part": "3", "conformance": "B"}
    root = reader.trailer["/Root"]
    (intent,) = [i.get_object() for i in root["/OutputIntents"]]
    assert intent["/S"] == "/GTS_PDFA1"
    assert intent["/DestOutputProfile"].get_object()["/N"] == 3  # an RGB ICC profile (sRGB)
    assert "/ID" in reader.trailer
    assert not reader.is_encrypted
    # The XMP title and the document information agree (a PDF/A rule), with every diacritic.
    assert reader.metadata.title == "Giấy chứng nhận 1/GCN-UBND – Lạp sườn hun khói Tâm Hòa"
    fonts = embedded_fonts(reader.pages[0])
    assert len(fonts) == 3  # Plex Serif regular, bold, italic
    assert all(fonts.values()), fonts
