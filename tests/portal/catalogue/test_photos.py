"""Public photos: a recognised product's photos for everyone, with caching headers and scaled copies; every other
photo stays private (404 here, whoever asks)."""

import io
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from portal.accounts.enums import Role
from products import services as product_services
from products.models import ProductPhoto
from tests import factories

from .conftest import add_photo, recognise

pytestmark = pytest.mark.django_db


def photo_url(photo, **params) -> str:
    url = reverse("catalogue:public.photo", args=[photo.uid])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_photo_of_recognised_product_is_public_and_cacheable(client, catalogue):
    photo = add_photo(catalogue["lap_suon"])
    response = client.get(photo_url(photo))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "public, max-age=86400"
    assert Image.open(io.BytesIO(body(response))).size == (1200, 900)


@pytest.mark.parametrize(("width", "expected"), [(480, (480, 360)), (960, (960, 720))])
def test_scaled_copies(client, catalogue, width, expected):
    photo = add_photo(catalogue["lap_suon"])
    response = client.get(photo_url(photo, w=width))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    image_bytes = body(response)
    image = Image.open(io.BytesIO(image_bytes))
    assert (image.format, image.size) == ("JPEG", expected)
    # Made once, kept in the uploads' storage and served from there next time.
    assert photo.image.storage.exists(f"catalogue-thumbs/{photo.uid}-{width}.jpg")
    assert body(client.get(photo_url(photo, w=width))) == image_bytes


def test_other_widths_serve_the_full_size_copy(client, catalogue):
    photo = add_photo(catalogue["lap_suon"])
    image = Image.open(io.BytesIO(body(client.get(photo_url(photo, w=5000)))))
    assert (image.format, image.size) == ("JPEG", (1200, 900))


def test_full_size_photo_is_scaled_to_1600(client, catalogue):
    photo = product_services.photo_add(product=catalogue["lap_suon"], image=factories.jpeg_file(size=(3200, 2400)))
    image = Image.open(io.BytesIO(body(client.get(photo_url(photo)))))
    assert (image.format, image.size) == ("JPEG", (1600, 1200))


def jpeg_with_gps_and_html_comment() -> bytes:
    image = Image.new("RGB", (1200, 900), (200, 100, 50))
    exif = image.getexif()
    exif[0x8825] = {1: "N", 2: (22.0, 40.0, 12.5), 3: "E", 4: (106.0, 15.0, 3.2)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=b"<h1>Trang gia mao</h1><script>alert(1)</script>")
    return out.getvalue()


def test_public_photo_drops_the_phone_location_and_comment(client, catalogue):
    data = jpeg_with_gps_and_html_comment()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)
    photo = product_services.photo_add(product=catalogue["lap_suon"], image=SimpleUploadedFile("home.jpg", data))
    for params in ({}, {"w": 480}, {"w": 960}):
        served = body(client.get(photo_url(photo, **params)))
        image = Image.open(io.BytesIO(served))
        assert image.format == "JPEG"
        assert not image.getexif().get_ifd(0x8825)
        assert b"<script>" not in served
        assert b"Trang gia mao" not in served


@pytest.mark.parametrize("ext", ["html", "svg", "js", "htm", "xhtml"])
def test_photo_uploaded_under_a_script_name_is_served_as_jpeg(client, catalogue, ext):
    upload = SimpleUploadedFile(f"anh.{ext}", jpeg_with_gps_and_html_comment(), content_type="text/html")
    photo = product_services.photo_add(product=catalogue["lap_suon"], image=upload)
    # Stored under the type read from its content; the name the uploader typed is kept only as a label.
    assert photo.image.name.endswith(f"/{photo.uid}.jpg")
    assert photo.original_name == f"anh.{ext}"
    response = client.get(photo_url(photo))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == f'inline; filename="{photo.uid}.jpg"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"<script>" not in body(response)


def test_png_is_stored_as_png(catalogue):
    out = io.BytesIO()
    Image.new("RGBA", (40, 30)).save(out, "PNG")
    photo = product_services.photo_add(product=catalogue["lap_suon"], image=SimpleUploadedFile("a.svg", out.getvalue()))
    assert photo.image.name.endswith(f"/{photo.uid}.png")


def test_photo_stored_earlier_under_an_html_name_is_served_as_jpeg(client, catalogue):
    """Files uploaded before the fix kept the uploader's extension: they are served safely all the same."""
    photo = add_photo(catalogue["lap_suon"])
    storage = photo.image.storage
    with photo.image.open("rb") as handle:
        old_name = storage.save(f"photos/old/{photo.uid}.html", ContentFile(handle.read()))
    ProductPhoto.objects.filter(pk=photo.pk).update(image=old_name)
    response = client.get(photo_url(photo))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(body(response))).format == "JPEG"


def test_photo_of_unrecognised_product_is_not_found(client, catalogue):
    photo = add_photo(catalogue["mat_ong"])
    owner = factories.UserFactory(role=Role.PRODUCER, producer=catalogue["tam_hoa"])
    assert client.get(photo_url(photo)).status_code == 404
    assert client.get(photo_url(photo, w=480)).status_code == 404
    # Not even for its own producer: the private file view serves it to them instead.
    client.force_login(owner)
    assert client.get(photo_url(photo)).status_code == 404
    assert client.get(photo.get_file_url()).status_code == 200


def test_photo_becomes_public_when_the_product_is_recognised(client, catalogue, superuser):
    photo = add_photo(catalogue["mat_ong"])
    assert client.get(photo_url(photo)).status_code == 404
    recognise(catalogue["mat_ong"], superuser, "province", 2020)
    assert client.get(photo_url(photo)).status_code == 200


@pytest.mark.parametrize("width", ["", "480"])
def test_photo_whose_file_is_missing_from_the_store_is_not_found_not_a_server_error(client, catalogue, width):
    photo = add_photo(catalogue["lap_suon"])
    photo.image.storage.delete(photo.image.name)
    assert client.get(photo_url(photo, **({"w": width} if width else {}))).status_code == 404


def test_unknown_photo_is_not_found(client, catalogue):
    assert client.get(reverse("catalogue:public.photo", args=[uuid.uuid4()])).status_code == 404


def test_private_file_view_stays_private(client, catalogue):
    photo = add_photo(catalogue["lap_suon"])
    assert client.get(photo.get_file_url()).status_code == 404
