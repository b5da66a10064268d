"""A producer or product typed under a name already used in the same place (the same once folded: case,
diacritics and spacing ignored) is not created at once: the form comes back with a warning, a link to the one
recorded and a box to tick to create it anyway. Another province's producers, and another producer's products, do
not count, and the warning never links to a record the user may not open."""

from django.urls import reverse

from products.models import Producer, Product, ProductGroup
from tests import factories

from .test_staff import producer_post_data

CREATE_PRODUCER = reverse("products:staff.producer.create")
CREATE_PRODUCT = reverse("products:producer.product.create")


def product_data(name, **extra):
    return {"name": name, "group": ProductGroup.objects.get(code="2").pk, "description": "", **extra}


def test_staff_are_warned_of_a_producer_with_the_same_folded_name_in_the_province(client, staff_user):
    cao_bang = factories.province("Cao Bằng")
    existing = factories.producer("HTX Chè Shan tuyết Lũng Phìn", "Cao Bằng")
    client.force_login(staff_user)

    response = client.post(
        CREATE_PRODUCER, producer_post_data(cao_bang, factories.ward_of(cao_bang), name="htx che  SHAN TUYET lung phin")
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Trong tỉnh đã có cơ sở tên “HTX Chè Shan tuyết Lũng Phìn”." in page
    assert f'<a href="{existing.get_absolute_url()}">Mở hồ sơ cơ sở đã có</a>' in page
    assert "Đây là đối tượng khác: vẫn tạo mới" in page
    assert 'value="htx che  SHAN TUYET lung phin"' in page  # what was typed is kept
    assert list(Producer.objects.all()) == [existing]


def test_staff_create_the_producer_anyway_when_they_tick_the_box(client, staff_user):
    cao_bang = factories.province("Cao Bằng")
    factories.producer("HTX Chè Shan tuyết Lũng Phìn", "Cao Bằng")
    client.force_login(staff_user)

    response = client.post(
        CREATE_PRODUCER, producer_post_data(cao_bang, factories.ward_of(cao_bang), create_anyway="1")
    )

    assert response.status_code == 302
    assert Producer.objects.filter(name="HTX Chè Shan tuyết Lũng Phìn").count() == 2


def test_a_producer_of_the_same_name_in_another_province_is_no_duplicate(client, staff_user):
    cao_bang = factories.province("Cao Bằng")
    factories.producer("HTX Chè Shan tuyết Lũng Phìn", "Cà Mau")
    client.force_login(staff_user)

    response = client.post(CREATE_PRODUCER, producer_post_data(cao_bang, factories.ward_of(cao_bang)))

    assert response.status_code == 302
    assert Producer.objects.filter(name="HTX Chè Shan tuyết Lũng Phìn").count() == 2


def test_a_similar_but_different_name_is_no_duplicate(client, staff_user):
    cao_bang = factories.province("Cao Bằng")
    factories.producer("HTX Chè Shan tuyết Lũng Phìn 2", "Cao Bằng")
    client.force_login(staff_user)

    response = client.post(CREATE_PRODUCER, producer_post_data(cao_bang, factories.ward_of(cao_bang)))

    assert response.status_code == 302


def test_a_producer_is_warned_of_its_own_product_with_the_same_name(client, producer_user, producer_a):
    existing = factories.product(producer_a, "Lạp sườn hun khói")
    client.force_login(producer_user)

    response = client.post(CREATE_PRODUCT, product_data("LẠP SƯỜN  hun khoi"))

    page = response.content.decode()
    assert response.status_code == 400
    assert "Cơ sở này đã có sản phẩm tên “Lạp sườn hun khói”." in page
    assert f'<a href="{reverse("products:producer.product.detail", args=[existing.pk])}">Mở sản phẩm đã có</a>' in page
    assert "Hãy chọn lại ảnh" in page
    assert list(Product.objects.all()) == [existing]

    response = client.post(CREATE_PRODUCT, product_data("LẠP SƯỜN  hun khoi", create_anyway="1"))

    assert response.status_code == 302
    assert Product.objects.filter(producer=producer_a).count() == 2


def test_another_producers_product_of_the_same_name_is_neither_counted_nor_linked(client, producer_user, producer_b):
    other = factories.product(producer_b, "Lạp sườn hun khói")
    client.force_login(producer_user)

    response = client.post(CREATE_PRODUCT, product_data("Lạp sườn hun khói"))

    assert response.status_code == 302
    assert Product.objects.filter(name="Lạp sườn hun khói").exclude(pk=other.pk).get().producer.name == "HTX Tâm Hòa"


def test_staff_creating_a_product_are_warned_with_the_staff_link(client, staff_user, producer_a):
    existing = factories.product(producer_a, "Miến dong")
    client.force_login(staff_user)

    response = client.post(reverse("products:staff.product.create", args=[producer_a.pk]), product_data("miến dong"))

    assert response.status_code == 400
    assert f'href="{reverse("products:staff.product.detail", args=[existing.pk])}"' in response.content.decode()
    assert Product.objects.count() == 1
