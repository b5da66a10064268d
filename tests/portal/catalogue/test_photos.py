"""Public photos: a recognised product's photos for everyone, with caching headers and scaled copies; every other
photo stays private (404 here, whoever asks)."""

import io
import uuid

import pytest
from django.urls import reverse
from PIL import Image

from portal.accounts.enums import Role
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


def test_other_widths_serve_the_original(client, catalogue):
    photo = add_photo(catalogue["lap_suon"])
    image = Image.open(io.BytesIO(body(client.get(photo_url(photo, w=5000)))))
    assert image.size == (1200, 900)


def test_photo_of_unrecognised_product_is_not_found(client, catalogue):
    photo = add_photo(catalogue["mat_ong"])
    owner = factories.UserFactory(role=Role.PRODUCER, producer=catalogue["tam_hoa"])
    assert client.get(photo_url(photo)).status_code == 404
    assert client.get(photo_url(photo, w=480)).status_code == 404
    # Not even for its own producer: the private file view serves it to them instead.
    client.force_login(owner)
    assert client.get(photo_url(photo)).status_code == 404
    assert client.get(photo.get_file_url()).status_code == 200


def test_photo_becomes_public_when_the_product_is_recognised(client, catalogue, recorder):
    photo = add_photo(catalogue["mat_ong"])
    assert client.get(photo_url(photo)).status_code == 404
    recognise(catalogue["mat_ong"], recorder, "province", 2020)
    assert client.get(photo_url(photo)).status_code == 200


def test_unknown_photo_is_not_found(client, catalogue):
    assert client.get(reverse("catalogue:public.photo", args=[uuid.uuid4()])).status_code == 404


def test_private_file_view_stays_private(client, catalogue):
    photo = add_photo(catalogue["lap_suon"])
    assert client.get(photo.get_file_url()).status_code == 404
