"""A producer recorded in units abolished on 1 July 2025 (a district, an old province) is asked — on its home and
on the staff producer page — to confirm its commune/ward of today, with the commune/ward that took the district's
name suggested. Confirming records today's unit and keeps the units it was recorded with."""

import pytest
from django.urls import reverse

from portal.accounts.enums import Role
from products import services
from products.enums import OrganizationKind
from products.models import AdministrativeUnit, Organization, Producer
from tests import factories


def ward(name, province="Đồng Tháp"):
    return AdministrativeUnit.objects.get(level="ward", is_current=True, name=name, parent__name=province)


@pytest.fixture
def old_producer(db):
    old = factories.province("Đồng Tháp", current=False)
    return factories.producer(
        "Hợp tác xã Sen Tháp Mười",
        "Đồng Tháp",
        current=False,
        address="Ấp 3, xã Mỹ An",
        unit=old.children.get(name="Tháp Mười"),
    )


@pytest.fixture
def owner(old_producer):
    return factories.UserFactory(role=Role.PRODUCER, producer=old_producer, full_name="Chủ nhiệm HTX")


@pytest.fixture
def dong_thap_staff(db):
    department = Organization.objects.create(
        name="Sở Công Thương tỉnh Đồng Tháp", kind=OrganizationKind.DEPARTMENT, province=factories.province("Đồng Tháp")
    )
    return factories.UserFactory(role=Role.STAFF, organization=department, is_staff=True, full_name="Cán bộ Sở")


def stored(producer) -> Producer:
    return Producer.objects.select_related("province", "unit", "current_unit").get(pk=producer.pk)


def test_the_producer_home_asks_for_the_address_with_the_successor_suggested(client, owner, old_producer):
    client.force_login(owner)

    page = client.get(reverse("products:producer.profile")).content.decode()

    assert "Xác nhận địa chỉ theo đơn vị hành chính hiện nay" in page
    assert "Ấp 3, xã Mỹ An, huyện Tháp Mười, tỉnh Đồng Tháp" in page
    assert "Gợi ý: Xã Tháp Mười." in page
    assert reverse("products:producer.address.confirm") in page


def test_the_producer_confirms_its_new_address(client, owner, old_producer):
    client.force_login(owner)
    form = client.get(reverse("products:producer.address.confirm"))
    assert form.status_code == 200
    assert form.context["form"]["ward"].value() == ward("Tháp Mười").pk  # the suggestion is preselected
    assert form.context["form"]["address"].value() == "Ấp 3, xã Mỹ An"

    response = client.post(
        reverse("products:producer.address.confirm"), {"ward": ward("Tháp Mười").pk, "address": "Ấp 3"}
    )

    assert response.status_code == 302
    assert response.url == reverse("products:producer.profile")
    producer = stored(old_producer)
    assert producer.current_unit == ward("Tháp Mười")
    assert producer.address_confirmed_at is not None
    # The record keeps the units it was made with: it is still found and counted under the old province.
    assert (producer.province.is_current, producer.unit.name) == (False, "Tháp Mười")
    assert producer.full_address == "Ấp 3, xã Tháp Mười, tỉnh Đồng Tháp"
    home = client.get(reverse("products:producer.profile")).content.decode()
    assert "Xác nhận địa chỉ theo đơn vị hành chính hiện nay" not in home
    assert "Ấp 3, xã Tháp Mười, tỉnh Đồng Tháp" in home


def test_a_ward_of_another_province_is_refused(client, owner, old_producer):
    client.force_login(owner)

    response = client.post(
        reverse("products:producer.address.confirm"),
        {"ward": factories.ward_of(factories.province("Cà Mau")).pk, "address": "Ấp 3"},
    )

    assert response.status_code == 400
    assert stored(old_producer).current_unit is None
    assert stored(old_producer).address == "Ấp 3, xã Mỹ An"


def test_the_staff_page_asks_and_the_provinces_staff_confirm(client, dong_thap_staff, old_producer):
    client.force_login(dong_thap_staff)
    url = reverse("products:staff.producer.address.confirm", args=[old_producer.pk])

    page = client.get(reverse("products:staff.producer.detail", args=[old_producer.pk])).content.decode()
    assert "Xác nhận địa chỉ theo đơn vị hành chính hiện nay" in page
    assert url in page

    response = client.post(url, {"ward": ward("Mỹ Quí").pk, "address": "Ấp 3"})

    assert response.status_code == 302
    assert response.url == reverse("products:staff.producer.detail", args=[old_producer.pk])
    assert stored(old_producer).current_unit == ward("Mỹ Quí")
    page = client.get(reverse("products:staff.producer.detail", args=[old_producer.pk])).content.decode()
    assert "Ấp 3, xã Mỹ Quí, tỉnh Đồng Tháp" in page
    assert "Ấp 3, huyện Tháp Mười, tỉnh Đồng Tháp" in page  # the units as recorded, still shown
    assert "Xác nhận địa chỉ theo đơn vị hành chính hiện nay" not in page


def test_another_provinces_staff_cannot_confirm(client, other_staff_user, old_producer):
    client.force_login(other_staff_user)
    url = reverse("products:staff.producer.address.confirm", args=[old_producer.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, {"ward": ward("Tháp Mười").pk, "address": "Ấp 3"}).status_code == 404
    assert stored(old_producer).current_unit is None


def test_moving_the_record_to_another_old_district_asks_again(old_producer, superuser):
    services.producer_confirm_address(producer=old_producer, actor=superuser, ward=ward("Tháp Mười"), address="Ấp 3")
    assert not stored(old_producer).address_needs_confirmation

    other = old_producer.province.children.get(name="Tam Nông")
    services.producer_update(producer=stored(old_producer), unit=other)

    producer = stored(old_producer)
    assert producer.current_unit is None
    assert producer.address_needs_confirmation
    assert producer.suggested_current_unit == ward("Tam Nông")


def test_a_producer_recorded_in_todays_units_is_not_asked(client, producer_user, producer_a):
    client.force_login(producer_user)

    page = client.get(reverse("products:producer.profile")).content.decode()

    assert stored(producer_a).current_unit == producer_a.unit
    assert "Xác nhận địa chỉ theo đơn vị hành chính hiện nay" not in page
