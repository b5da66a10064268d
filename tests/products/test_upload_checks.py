"""An upload is what it claims as a whole, not by its first bytes: a PDF parses as a PDF without repair and carries
no active content; a photo is stored as the portal's own re-encoded image. Files stored before these checks are
brought under the same rule by the data migration (products.stored_files)."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, PngImagePlugin

from extension_projects import services as extension_services
from extension_projects.enums import FundingSource
from products import services
from products.models import Document, DocumentType, ProductPhoto
from products.stored_files import bring_under_upload_rules
from products.validators import (
    DOCUMENT_MAX_SIDE,
    DOCUMENT_TYPES,
    IMAGE_TYPES,
    PHOTO_MAX_SIDE,
    validate_image_upload,
    validate_upload,
)
from tests import factories, hostile_files
from tests.extension_projects.helpers import project, to_implementing

PDF, JPEG, PNG, OCTET = "application/pdf", "image/jpeg", "image/png", "application/octet-stream"


def refusal(data: bytes, name="ho-so.pdf", validator=validate_upload) -> ValidationError:
    with pytest.raises(ValidationError) as exc:
        validator(SimpleUploadedFile(name, data))
    return exc.value


def registration():
    return DocumentType.objects.get(code="registration")


# --- PDFs ------------------------------------------------------------------------------------------------------


def test_pdf_html_polyglot_is_refused_with_a_reason_naming_the_file():
    error = refusal(hostile_files.polyglot(), name="bien-ban-bo-sung.html")
    assert error.code == "bad_pdf"
    assert error.messages == [
        "Tệp “bien-ban-bo-sung.html” không phải là tài liệu PDF hợp lệ: tệp bị hỏng, hoặc là loại tệp khác chỉ có "
        "phần đầu giống PDF. Hãy lưu hoặc quét lại thành tệp PDF rồi tải tệp đó lên."
    ]


def test_html_pushed_in_front_of_a_real_pdfs_objects_is_refused():
    """qpdf would open it by rebuilding the cross-reference table: a PDF that needs repairing is not accepted."""
    assert refusal(hostile_files.html_before_a_real_pdf()).code == "bad_pdf"


def test_html_appended_after_a_real_pdfs_end_is_refused():
    error = refusal(hostile_files.html_after_a_real_pdf(), name="bien-ban.pdf")
    assert error.code == "bad_pdf"
    assert "“bien-ban.pdf”" in error.messages[0]


def test_pdf_without_pages_is_refused():
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    assert refusal(body).code == "bad_pdf"


@pytest.mark.parametrize(
    ("make", "what"),
    [
        pytest.param(hostile_files.pdf_with_open_action_javascript, "lệnh tự chạy khi mở tệp", id="open-action-js"),
        pytest.param(hostile_files.pdf_with_embedded_file, "tệp đính kèm bên trong", id="embedded-files"),
        pytest.param(hostile_files.pdf_with_names_javascript, "mã JavaScript", id="names-javascript"),
        pytest.param(hostile_files.pdf_with_javascript_link, "mã JavaScript", id="annotation-javascript"),
        pytest.param(hostile_files.pdf_with_javascript_uri_link, "mã JavaScript", id="javascript-uri-link"),
        pytest.param(
            hostile_files.pdf_with_launch_link,
            "lệnh khởi chạy chương trình, mở tệp khác hoặc gửi dữ liệu đi",
            id="annotation-launch",
        ),
        pytest.param(hostile_files.pdf_with_page_additional_action, "lệnh tự chạy khi mở tệp", id="page-aa"),
        pytest.param(hostile_files.pdf_with_xfa, "biểu mẫu XFA", id="acroform-xfa"),
    ],
)
def test_pdf_with_active_content_is_refused_saying_what_it_carries(make, what):
    error = refusal(make(), name="quyet-dinh.pdf")
    assert error.code == "pdf_active_content"
    assert error.messages[0].startswith(f"Tệp PDF “quyet-dinh.pdf” chứa {what}, cổng không nhận")


def test_password_protected_pdf_is_refused():
    assert refusal(hostile_files.encrypted_pdf()).code == "pdf_password"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "make",
    [factories.pdf_bytes, hostile_files.pdf_with_open_destination, hostile_files.pdf_with_web_link],
    ids=["plain", "open-at-a-page", "link-to-a-web-address"],
)
def test_ordinary_pdfs_are_accepted_and_stored_as_they_are(producer_a, make):
    """Not over-strict: an /OpenAction that only names the page to open at, or a link to a web address, is no
    active content."""
    data = make()
    document = services.document_add(
        producer=producer_a, file=SimpleUploadedFile("giay-phep.pdf", data), doc_type=registration()
    )
    assert Document.objects.get(pk=document.pk).content_type == PDF
    with document.file.open("rb") as handle:
        assert handle.read() == data


@pytest.mark.django_db
def test_accepted_pdf_is_stored_with_its_type(producer_a):
    document = services.document_add(
        producer=producer_a, file=factories.pdf_file("giấy phép.html"), doc_type=registration()
    )
    document.refresh_from_db()
    assert document.content_type == PDF
    assert document.file.name.endswith(f"/{document.uid}.pdf")
    with document.file.open("rb") as handle:
        assert handle.read() == factories.pdf_bytes()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "make",
    [hostile_files.polyglot, hostile_files.pdf_with_open_action_javascript, hostile_files.pdf_with_embedded_file],
)
def test_refused_pdf_stores_nothing(producer_a, make):
    with pytest.raises(ValidationError):
        services.document_add(
            producer=producer_a, file=SimpleUploadedFile("ho-so.pdf", make()), doc_type=registration()
        )
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_producer_page_shows_why_a_polyglot_is_refused(client, producer_user):
    client.force_login(producer_user)
    response = client.post(
        reverse("products:producer.document.create"),
        {"doc_type": registration().pk, "file": SimpleUploadedFile("dang-ky.html", hostile_files.polyglot())},
    )
    assert response.status_code == 400
    assert "Tệp “dang-ky.html” không phải là tài liệu PDF hợp lệ" in response.content.decode()
    assert not Document.objects.exists()


# --- images ----------------------------------------------------------------------------------------------------


def opened(field) -> Image.Image:
    with field.open("rb") as handle:
        data = handle.read()
    image = Image.open(io.BytesIO(data))
    image.load()
    return image, data


@pytest.mark.django_db
def test_photo_is_re_encoded_upright_without_exif_or_comment(product_a):
    photo = services.photo_add(product=product_a, image=SimpleUploadedFile("anh.jpg", hostile_files.jpeg_with_exif()))
    photo.refresh_from_db()
    image, data = opened(photo.image)

    assert photo.content_type == JPEG
    assert image.format == "JPEG"
    assert image.size == (40, 60)  # 60 × 40 turned as EXIF orientation 6 says
    assert not image.getexif()
    assert "comment" not in image.info
    assert b"Toa do" not in data
    assert "icc_profile" not in image.info


@pytest.mark.django_db
def test_large_photo_is_scaled_down(product_a):
    buf = io.BytesIO()
    Image.new("RGB", (PHOTO_MAX_SIDE * 2, PHOTO_MAX_SIDE), (10, 120, 40)).save(buf, "JPEG")
    photo = services.photo_add(product=product_a, image=SimpleUploadedFile("rong.jpg", buf.getvalue()))
    image, _data = opened(photo.image)
    assert image.size == (PHOTO_MAX_SIDE, PHOTO_MAX_SIDE // 2)


@pytest.mark.django_db
def test_png_photo_is_re_encoded_without_its_text_chunks(product_a):
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    buf = io.BytesIO()
    Image.new("RGBA", (30, 20), (10, 120, 40, 128)).save(buf, "PNG", pnginfo=info)
    photo = services.photo_add(product=product_a, image=SimpleUploadedFile("so-do.png", buf.getvalue()))
    image, data = opened(photo.image)
    assert (photo.content_type, image.format, image.mode, image.size) == (PNG, "PNG", "RGBA", (30, 20))
    assert b"<script>" not in data


@pytest.mark.django_db
def test_image_document_is_re_encoded_too(producer_a):
    document = services.document_add(
        producer=producer_a,
        file=SimpleUploadedFile("ban-chup.jpg", hostile_files.jpeg_with_exif()),
        doc_type=registration(),
    )
    image, _data = opened(document.file)
    assert document.content_type == JPEG
    assert not image.getexif()


def test_image_of_too_many_pixels_is_refused():
    buf = io.BytesIO()
    Image.new("1", (8000, 7000)).save(buf, "PNG")  # 56 million pixels in a few kB
    error = refusal(buf.getvalue(), name="to.png", validator=validate_image_upload)
    assert error.code == "too_many_pixels"
    assert "“to.png”" in error.messages[0]


def test_image_beyond_pillows_bomb_limit_is_refused_as_too_large_not_damaged():
    buf = io.BytesIO()
    Image.new("1", (40_000, 40_000)).save(buf, "PNG")  # 1,600 million pixels: Pillow refuses to open it
    error = refusal(buf.getvalue(), name="rat-lon.png", validator=validate_image_upload)
    assert error.code == "too_many_pixels"
    assert error.messages[0].startswith("Ảnh “rat-lon.png” có quá nhiều điểm ảnh")


# --- khuyến công disbursement documents (stored, not served) ----------------------------------------------------


@pytest.mark.django_db
def test_disbursement_document_is_stored_with_its_type_under_a_name_of_that_type(staff_user, producer_a):
    p = project(
        staff_user,
        beneficiaries=[producer_a],
        funding={FundingSource.LOCAL: 250_000_000, FundingSource.COUNTERPART: 300_000_000},
    )
    to_implementing(p, staff_user)

    disbursement = extension_services.disbursement_add(
        project=p,
        actor=staff_user,
        source=FundingSource.LOCAL,
        amount=100_000_000,
        paid_on=datetime.date(2024, 5, 2),
        document=factories.pdf_file("uy-nhiem-chi.html"),
    )

    disbursement.refresh_from_db()
    assert disbursement.content_type == PDF
    assert disbursement.document.name.endswith(".pdf")
    assert "uy-nhiem-chi" not in disbursement.document.name


# --- files stored before the checks (the data migration) -------------------------------------------------------


@pytest.mark.django_db
def test_stored_files_are_brought_under_the_upload_rules(producer_a, product_a):
    """What products 0013 does to each row: the type from the content, images re-encoded, a PDF kept under the
    uploader's extension copied under .pdf; a polyglot, a PDF with JavaScript or a lost file only a download."""
    storage = Document._meta.get_field("file").storage
    contents = {
        "pdf-as-html": factories.pdf_bytes(),
        "polyglot": hostile_files.polyglot(),
        "javascript": hostile_files.pdf_with_open_action_javascript(),
    }
    documents = {}
    for label, data in contents.items():
        document = services.document_add(producer=producer_a, file=factories.pdf_file(), doc_type=registration())
        name = storage.save(f"documents/2023/05/{document.uid}.html", ContentFile(data))
        Document.objects.filter(pk=document.pk).update(file=name, content_type=OCTET)
        documents[label] = document
    lost = services.document_add(producer=producer_a, file=factories.pdf_file(), doc_type=registration())
    Document.objects.filter(pk=lost.pk).update(file="documents/2023/05/khong-con.pdf", content_type=PDF)
    photo = services.photo_add(product=product_a, image=factories.jpeg_file())
    old_photo = storage.save(f"photos/2023/05/{photo.uid}.jpg", ContentFile(hostile_files.jpeg_with_exif()))
    ProductPhoto.objects.filter(pk=photo.pk).update(image=old_photo, content_type=OCTET)

    bring_under_upload_rules(Document, "file", allowed=DOCUMENT_TYPES, max_side=DOCUMENT_MAX_SIDE)
    bring_under_upload_rules(ProductPhoto, "image", allowed=IMAGE_TYPES, max_side=PHOTO_MAX_SIDE)

    rows = {label: Document.objects.get(pk=d.pk) for label, d in documents.items()}
    assert {label: row.content_type for label, row in rows.items()} == {
        "pdf-as-html": PDF,
        "polyglot": OCTET,
        "javascript": OCTET,
    }
    assert rows["pdf-as-html"].file.name.endswith(".pdf")
    assert rows["polyglot"].file.name.endswith(".html")  # kept as it was: only ever served as a .bin download
    assert Document.objects.get(pk=lost.pk).content_type == OCTET
    photo.refresh_from_db()
    image, _data = opened(photo.image)
    assert (photo.content_type, image.size, dict(image.getexif())) == (JPEG, (40, 60), {})
    assert photo.image.name != old_photo
