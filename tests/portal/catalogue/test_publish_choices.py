"""The four "show in the public catalogue" checkboxes on the producer's own profile form and on the staff producer
form: labelled in Vietnamese, saved, and followed by the catalogue."""

import pytest
from django.urls import reverse

from products.models import Producer
from tests import factories

from .conftest import recognise

pytestmark = pytest.mark.django_db

PUBLISH = ("publish_address", "publish_phone", "publish_email", "publish_website")
LABELS = (
    "Hiển thị địa chỉ trong danh mục công khai",
    "Hiển thị số điện thoại trong danh mục công khai",
    "Hiển thị địa chỉ email trong danh mục công khai",
    "Hiển thị trang web trong danh mục công khai",
)


def form_data(producer, **changes):
    data = {
        "name": producer.name,
        "kind": producer.kind,
        "tax_code": producer.tax_code,
        "legal_representative": producer.legal_representative,
        "representative_title": producer.representative_title,
        "province": producer.province_id,
        "unit": producer.unit_id or "",
        "address": producer.address,
        "phone": "0206 3852 123",
        "email": "lienhe@tamhoa.example.vn",
        "website": "https://tamhoa.example.vn",
        "founding_year": "",
        "workers": "",
    }
    data.update(changes)
    return data


def assert_checkboxes(html):
    for field, label in zip(PUBLISH, LABELS, strict=True):
        assert f'type="checkbox" name="{field}"' in html
        assert label in html
    assert "Danh mục công khai luôn hiển thị tên, loại hình và tỉnh của cơ sở" in html


def test_producer_profile_form_has_the_checkboxes(client, producer_user):
    client.force_login(producer_user)
    response = client.get(reverse("products:producer.profile.update"))
    assert response.status_code == 200
    assert_checkboxes(response.content.decode())


def test_producer_publishes_phone_and_website(client, producer_user, superuser):
    producer = producer_user.producer
    product = factories.product(producer, "Lạp sườn Tâm Hòa")
    recognise(product, superuser, "province", 2020)
    client.force_login(producer_user)
    response = client.post(
        reverse("products:producer.profile.update"),
        form_data(producer, publish_phone="on", publish_website="on"),
    )
    assert response.status_code == 302
    producer.refresh_from_db()
    assert (producer.publish_address, producer.publish_phone, producer.publish_email, producer.publish_website) == (
        False,
        True,
        False,
        True,
    )
    client.logout()
    html = client.get(reverse("catalogue:public.product.detail", args=[product.pk])).content.decode()
    assert "0206 3852 123" in html
    assert "https://tamhoa.example.vn" in html
    assert "lienhe@tamhoa.example.vn" not in html


def test_producer_unticks_a_choice(client, producer_user):
    producer = producer_user.producer
    Producer.objects.filter(pk=producer.pk).update(publish_email=True, publish_address=True)
    client.force_login(producer_user)
    html = client.get(reverse("products:producer.profile.update")).content.decode()
    assert 'name="publish_email" id="id_publish_email" checked' in html
    client.post(reverse("products:producer.profile.update"), form_data(producer, publish_address="on"))
    producer.refresh_from_db()
    assert producer.publish_address is True
    assert producer.publish_email is False


def test_staff_producer_form_has_the_checkboxes_and_saves_them(client, staff_user, producer_a):
    client.force_login(staff_user)
    url = reverse("products:staff.producer.update", args=[producer_a.pk])
    assert_checkboxes(client.get(url).content.decode())
    response = client.post(url, form_data(producer_a, publish_address="on", publish_email="on"))
    assert response.status_code == 302
    producer_a.refresh_from_db()
    assert producer_a.publish_address is True
    assert producer_a.publish_email is True
    assert producer_a.publish_phone is False
    assert producer_a.publish_website is False


def test_staff_creates_a_producer_with_choices(client, staff_user, producer_a):
    client.force_login(staff_user)
    data = form_data(producer_a, name="HTX Mới", tax_code="4800999999", publish_phone="on")
    response = client.post(reverse("products:staff.producer.create"), data)
    assert response.status_code == 302
    created = Producer.objects.get(tax_code="4800999999")
    assert created.publish_phone is True
    assert created.publish_address is False


def test_staff_of_another_province_cannot_edit_the_choices(client, other_staff_user, producer_a):
    client.force_login(other_staff_user)
    url = reverse("products:staff.producer.update", args=[producer_a.pk])
    assert client.get(url).status_code == 404
    client.post(url, form_data(producer_a, publish_phone="on"))
    producer_a.refresh_from_db()
    assert producer_a.publish_phone is False


@pytest.mark.parametrize("role_fixture", ["member_user", "staff_user"])
def test_only_producer_accounts_use_the_own_profile_form(client, request, role_fixture):
    client.force_login(request.getfixturevalue(role_fixture))
    assert client.get(reverse("products:producer.profile.update")).status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("products:producer.profile.update"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
