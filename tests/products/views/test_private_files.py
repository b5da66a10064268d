"""Private files (photos and documents behind a login) are served with the type read from their content, never the
one their name suggests: a file named .html or .svg can never be rendered by the browser as a page."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from products import services
from products.models import Document, DocumentType, ProductPhoto
from products.stored_files import bring_under_upload_rules
from products.validators import DOCUMENT_MAX_SIDE, DOCUMENT_TYPES, IMAGE_TYPES, PHOTO_MAX_SIDE
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(producer_a):
    return factories.product(producer_a, "Lạp sườn gác bếp")


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("ext", ["html", "svg", "js"])
def test_photo_uploaded_under_a_script_name_is_stored_and_served_as_jpeg(client, staff_user, product, ext):
    upload = factories.jpeg_file(name=f"anh.{ext}")
    photo = services.photo_add(product=product, image=upload)
    assert photo.image.name.endswith(f"/{photo.uid}.jpg")
    client.force_login(staff_user)
    response = client.get(reverse("products:file.photo", args=[photo.uid]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == 'inline; filename="anh.jpg"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_png_photo_is_served_as_png(client, staff_user, product):
    photo = services.photo_add(product=product, image=factories.png_file(name="so-do.svg"))
    assert photo.image.name.endswith(f"/{photo.uid}.png")
    client.force_login(staff_user)
    response = client.get(reverse("products:file.photo", args=[photo.uid]) + "?download=1")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="so-do.png"'


@pytest.mark.parametrize(
    ("upload", "stored", "mime"),
    [
        (factories.pdf_file, "pdf", "application/pdf"),
        (factories.png_file, "png", "image/png"),
    ],
)
def test_document_uploaded_under_a_script_name_is_served_as_its_content(
    client, staff_user, producer_a, upload, stored, mime
):
    document = services.document_add(producer=producer_a, file=upload(name="giay-phep.html"), doc_type=_doc_type())
    assert document.file.name.endswith(f"/{document.uid}.{stored}")
    client.force_login(staff_user)
    response = client.get(reverse("products:file.document", args=[document.uid]))
    assert response.status_code == 200
    assert response["Content-Type"] == mime
    assert response["Content-Disposition"] == f'inline; filename="giay-phep.{stored}"'


def test_file_stored_earlier_under_an_html_name_is_served_by_its_content(client, staff_user, product, producer_a):
    """Files uploaded before the fix kept the uploader's extension. The data migration (products 0013) gives each
    the type its content earns: a JPEG is re-encoded and served as one; what is not a PDF/JPEG/PNG inside (which
    the upload check never let through, but the storage may hold) is only offered as a download."""
    photo = services.photo_add(product=product, image=factories.jpeg_file(name="anh.jpg"))
    storage = photo.image.storage
    with photo.image.open("rb") as handle:
        jpeg_name = storage.save(f"photos/old/{photo.uid}.html", ContentFile(handle.read()))
    ProductPhoto.objects.filter(pk=photo.pk).update(image=jpeg_name, original_name="anh.html", content_type="")
    document = services.document_add(producer=producer_a, file=factories.pdf_file(), doc_type=_doc_type())
    html_name = storage.save("documents/old/trang.html", ContentFile(b"<html><script>alert(1)</script></html>"))
    Document.objects.filter(pk=document.pk).update(file=html_name, original_name="trang.html", content_type="")
    bring_under_upload_rules(ProductPhoto, "image", allowed=IMAGE_TYPES, max_side=PHOTO_MAX_SIDE)
    bring_under_upload_rules(Document, "file", allowed=DOCUMENT_TYPES, max_side=DOCUMENT_MAX_SIDE)
    assert ProductPhoto.objects.get(pk=photo.pk).image.name.endswith(".jpg")

    client.force_login(staff_user)
    response = client.get(reverse("products:file.photo", args=[photo.uid]))
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == 'inline; filename="anh.jpg"'
    response = client.get(reverse("products:file.document", args=[document.uid]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="trang.bin"'
    assert body(response) == b"<html><script>alert(1)</script></html>"


def _doc_type():
    return DocumentType.objects.get(code="registration")
