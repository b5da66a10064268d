"""Photos from an iPhone (HEIC/HEIF) are accepted wherever a photo or a scanned document is, checked by their
content like every upload, and stored as the portal's own JPEG: served, previewed and printed as any JPEG."""

import io

import pillow_heif
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from products.models import Document, DocumentType, ProductPhoto
from products.validators import validate_image_upload

pillow_heif.register_heif_opener()


def heic_bytes(size=(60, 80), color=(30, 140, 60)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "HEIF", quality=90)
    return buf.getvalue()


def heic_file(name="IMG_0001.HEIC", data=None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data or heic_bytes(), content_type="image/heic")


def test_a_heic_photo_is_stored_as_jpeg_and_served_as_one(client, producer_user, product_a):
    client.force_login(producer_user)

    response = client.post(reverse("products:producer.photo.create", args=[product_a.pk]), {"photos": [heic_file()]})

    assert response.status_code == 302
    photo = ProductPhoto.objects.get()
    assert (photo.content_type, photo.original_name) == ("image/jpeg", "IMG_0001.HEIC")
    assert photo.image.name.endswith(".jpg")
    with photo.image.open("rb") as stored, Image.open(stored) as img:
        assert (img.format, img.size) == ("JPEG", (60, 80))
        assert max(abs(a - b) for a, b in zip(img.convert("RGB").getpixel((30, 40)), (30, 140, 60), strict=True)) < 12
    served = client.get(reverse("products:file.photo", args=[photo.uid]))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"


def test_a_heic_scan_is_stored_as_a_jpeg_document(client, producer_user, product_a):
    client.force_login(producer_user)

    response = client.post(
        reverse("products:producer.document.create"),
        {
            "doc_type": DocumentType.objects.get(code="self_declaration").pk,
            "product": product_a.pk,
            "number": "01/2025/TCB",
            "issuer": "",
            "issue_date": "02/01/2025",
            "expiry_date": "",
            "file": heic_file("giay-tu.heic"),
        },
    )

    assert response.status_code == 302
    document = Document.objects.get()
    assert document.content_type == "image/jpeg"
    assert document.file.name.endswith(".jpg")


def test_a_damaged_heic_is_refused_with_the_reason_and_nothing_is_stored(client, producer_user, product_a):
    data = heic_bytes()
    client.force_login(producer_user)

    response = client.post(
        reverse("products:producer.photo.create", args=[product_a.pk]),
        {"photos": [heic_file("hong.heic", data[: len(data) * 2 // 3])]},
    )

    assert response.status_code == 400
    assert "Ảnh “hong.heic” bị hỏng, không mở được." in response.content.decode()
    assert not ProductPhoto.objects.exists()


def test_the_photo_forms_say_heic_is_accepted(client, producer_user, product_a):
    client.force_login(producer_user)

    page = client.get(reverse("products:producer.photo.create", args=[product_a.pk])).content.decode()

    assert "JPEG, PNG hoặc HEIC (iPhone), có thể chọn nhiều ảnh cùng lúc." in page
    assert 'accept="image/jpeg,image/png,image/heic,image/heif,.heic,.heif"' in page


def test_a_logo_is_still_only_jpeg_or_png(db):
    """The logo and the certificate's emblem are stored as uploaded, so HEIC is not accepted there."""
    with pytest.raises(ValidationError, match="JPEG"):
        validate_image_upload(heic_file())
