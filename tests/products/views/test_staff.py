import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from products import services
from products.enums import ProducerKind, UnitLevel
from products.models import Document, DocumentType, Producer, Product, ProductGroup, ProductPhoto
from products.views.staff import PAGE_SIZE
from tests import factories

PRODUCER_LIST = reverse("products:staff.producer.list")
PRODUCT_LIST = reverse("products:staff.product.list")


def names(response, key):
    return [obj.name for obj in response.context[key]]


def producer_post_data(province, unit, **changes):
    data = {
        "name": "HTX Chè Shan tuyết Lũng Phìn",
        "kind": ProducerKind.COOPERATIVE,
        "tax_code": "5100234567",
        "legal_representative": "Vàng Mí Chứ",
        "representative_title": "Giám đốc",
        "province": province.pk,
        "unit": unit.pk if unit else "",
        "address": "Thôn Lũng Phìn",
        "phone": "0219 3856 123",
        "email": "",
        "website": "",
        "founding_year": "2016",
        "workers": "25",
    }
    data.update(changes)
    return data


def edit_data(producer, **changes):
    data = {
        "name": producer.name,
        "kind": producer.kind,
        "tax_code": producer.tax_code,
        "legal_representative": producer.legal_representative,
        "representative_title": producer.representative_title,
        "province": producer.province_id,
        "unit": producer.unit_id or "",
        "address": producer.address,
        "phone": producer.phone,
        "email": producer.email,
        "website": producer.website,
        "founding_year": producer.founding_year or "",
        "workers": "" if producer.workers is None else producer.workers,
    }
    data.update(changes)
    return data


@pytest.fixture
def tuyen_quang_staff(db):
    return factories.UserFactory(
        role="staff", organization=factories.organization("Tuyên Quang"), full_name="Cán bộ Sở Tuyên Quang"
    )


@pytest.fixture
def regions(db):
    """Producers across provinces, one recorded under Hà Giang as it was before the 1 July 2025 reform."""
    ha_giang = factories.producer("HTX Chè Shan tuyết Hà Giang cũ", "Hà Giang", current=False)
    tuyen_quang = factories.producer("Cơ sở Bánh gai Chiêm Hóa", "Tuyên Quang", kind=ProducerKind.HOUSEHOLD)
    cao_bang = factories.producer("HTX Tâm Hòa", "Cao Bằng")
    factories.product(ha_giang, "Chè Shan tuyết", group_code="2")
    factories.product(tuyen_quang, "Bánh gai", group_code="2")
    factories.product(cao_bang, "Hương nhang", group_code="1")
    return {"ha_giang": ha_giang, "tuyen_quang": tuyen_quang, "cao_bang": cao_bang}


# Lists: scope, filters, sorting, pagination ----------------------------------------------------------


def test_producer_list_shows_only_staff_province(client, staff_user, producer_a, producer_b, producer_other_province):
    client.force_login(staff_user)
    response = client.get(PRODUCER_LIST)
    assert response.status_code == 200
    assert sorted(names(response, "producers")) == ["Công ty TNHH MTV 688", "HTX Tâm Hòa"]


def test_producer_list_of_province_includes_records_under_absorbed_old_province(client, tuyen_quang_staff, regions):
    client.force_login(tuyen_quang_staff)
    response = client.get(PRODUCER_LIST)
    assert sorted(names(response, "producers")) == ["Cơ sở Bánh gai Chiêm Hóa", "HTX Chè Shan tuyết Hà Giang cũ"]


def test_producer_list_filter_by_todays_province_finds_old_province_record(client, superuser, regions):
    client.force_login(superuser)
    response = client.get(PRODUCER_LIST, {"province": factories.province("Tuyên Quang").pk})
    assert sorted(names(response, "producers")) == ["Cơ sở Bánh gai Chiêm Hóa", "HTX Chè Shan tuyết Hà Giang cũ"]


def test_producer_list_filter_by_old_province_finds_record(client, superuser, regions):
    client.force_login(superuser)
    response = client.get(PRODUCER_LIST, {"old_province": factories.province("Hà Giang", current=False).pk})
    assert names(response, "producers") == ["HTX Chè Shan tuyết Hà Giang cũ"]


def test_producer_list_filter_by_kind(client, superuser, regions):
    client.force_login(superuser)
    response = client.get(PRODUCER_LIST, {"kind": ProducerKind.HOUSEHOLD})
    assert names(response, "producers") == ["Cơ sở Bánh gai Chiêm Hóa"]


def test_producer_list_filter_by_product_group_counts_each_producer_once(client, superuser, regions):
    factories.product(regions["cao_bang"], "Hương trầm", group_code="1")
    factories.product(regions["cao_bang"], "Miến dong", group_code="2")
    client.force_login(superuser)
    response = client.get(PRODUCER_LIST, {"group": ProductGroup.objects.get(code="1").pk})
    producers = list(response.context["producers"])
    assert [p.name for p in producers] == ["HTX Tâm Hòa"]
    assert producers[0].product_count == 3


def test_producer_list_combines_filters_and_search(client, superuser, regions):
    client.force_login(superuser)
    tuyen_quang = factories.province("Tuyên Quang").pk
    response = client.get(PRODUCER_LIST, {"province": tuyen_quang, "q": "shan tuyet"})
    assert names(response, "producers") == ["HTX Chè Shan tuyết Hà Giang cũ"]
    response = client.get(PRODUCER_LIST, {"province": tuyen_quang, "kind": ProducerKind.ENTERPRISE})
    assert names(response, "producers") == []


def test_producer_list_invalid_filter_value_does_not_fail(client, superuser, regions):
    client.force_login(superuser)
    response = client.get(PRODUCER_LIST, {"province": "999999", "kind": "nonsense"})
    assert response.status_code == 200


def test_product_list_filter_by_todays_and_old_province(client, superuser, regions):
    client.force_login(superuser)
    response = client.get(PRODUCT_LIST, {"province": factories.province("Tuyên Quang").pk})
    assert sorted(names(response, "products")) == ["Bánh gai", "Chè Shan tuyết"]
    response = client.get(PRODUCT_LIST, {"old_province": factories.province("Hà Giang", current=False).pk})
    assert names(response, "products") == ["Chè Shan tuyết"]


def test_product_list_filter_by_group_and_producer_kind(client, superuser, regions):
    client.force_login(superuser)
    response = client.get(PRODUCT_LIST, {"group": ProductGroup.objects.get(code="1").pk})
    assert names(response, "products") == ["Hương nhang"]
    response = client.get(PRODUCT_LIST, {"kind": ProducerKind.HOUSEHOLD})
    assert names(response, "products") == ["Bánh gai"]


def test_product_list_shows_only_staff_province(client, other_staff_user, product_a, producer_other_province):
    factories.product(producer_other_province, "Mắm ba khía")
    client.force_login(other_staff_user)
    assert names(client.get(PRODUCT_LIST), "products") == ["Mắm ba khía"]


@pytest.mark.filterwarnings("error::django.core.paginator.UnorderedObjectListWarning")
def test_producer_list_is_sorted_by_name_by_default_and_on_request(client, superuser):
    # First letters differ, so the expected order is the same under any database collation.
    for name, province in [("Bình Minh", "Cao Bằng"), ("An Phú", "Tuyên Quang"), ("Cẩm Thạch", "Lạng Sơn")]:
        factories.producer(name, province)
    client.force_login(superuser)
    assert names(client.get(PRODUCER_LIST), "producers") == ["An Phú", "Bình Minh", "Cẩm Thạch"]
    assert names(client.get(PRODUCER_LIST, {"o": "-name"}), "producers") == ["Cẩm Thạch", "Bình Minh", "An Phú"]
    by_province = names(client.get(PRODUCER_LIST, {"o": "province"}), "producers")
    assert by_province == ["Bình Minh", "Cẩm Thạch", "An Phú"]  # Cao Bằng, Lạng Sơn, Tuyên Quang


@pytest.mark.filterwarnings("error::django.core.paginator.UnorderedObjectListWarning")
def test_product_list_is_sorted_by_name_by_default_and_on_request(client, superuser):
    first = factories.producer("Bình Minh", "Tuyên Quang")
    second = factories.producer("An Phú", "Cao Bằng")
    factories.product(first, "Chè xanh")
    factories.product(second, "Bánh khảo")
    factories.product(first, "An thần trà")
    client.force_login(superuser)
    assert names(client.get(PRODUCT_LIST), "products") == ["An thần trà", "Bánh khảo", "Chè xanh"]
    assert names(client.get(PRODUCT_LIST, {"o": "-name"}), "products") == ["Chè xanh", "Bánh khảo", "An thần trà"]
    assert names(client.get(PRODUCT_LIST, {"o": "producer"}), "products")[0] == "Bánh khảo"


@pytest.mark.filterwarnings("error::django.core.paginator.UnorderedObjectListWarning")
def test_producer_list_paginates_and_shows_the_count(client, staff_user):
    for i in range(PAGE_SIZE + 1):
        factories.producer(f"HTX Số {i:02d}", "Cao Bằng")
    client.force_login(staff_user)

    first = client.get(PRODUCER_LIST)
    second = client.get(PRODUCER_LIST, {"page": 2})

    assert first.context["page_obj"].paginator.count == PAGE_SIZE + 1
    assert len(first.context["producers"]) == PAGE_SIZE
    assert names(second, "producers") == [f"HTX Số {PAGE_SIZE:02d}"]
    seen = names(first, "producers") + names(second, "producers")
    assert len(set(seen)) == PAGE_SIZE + 1
    count_text = re.search(r'class="result-count">(.*?)</p>', first.content.decode(), re.S).group(1)
    assert re.search(rf"\b{PAGE_SIZE + 1}\b", count_text)


def test_product_list_paginates_and_shows_the_count(client, staff_user, producer_a):
    for i in range(PAGE_SIZE + 2):
        factories.product(producer_a, f"Sản phẩm {i:02d}")
    client.force_login(staff_user)
    response = client.get(PRODUCT_LIST, {"page": 2})
    assert response.context["page_obj"].paginator.count == PAGE_SIZE + 2
    assert names(response, "products") == [f"Sản phẩm {PAGE_SIZE:02d}", f"Sản phẩm {PAGE_SIZE + 1:02d}"]
    count_text = re.search(r'class="result-count">(.*?)</p>', response.content.decode(), re.S).group(1)
    assert re.search(rf"\b{PAGE_SIZE + 2}\b", count_text)


# N+1 guards -------------------------------------------------------------------------------------------


def add_producers_with_products(n, start=0):
    for i in range(start, start + n):
        producer = factories.producer(
            f"HTX Làng nghề {i:02d}", "Cao Bằng", kind=ProducerKind.HOUSEHOLD if i % 2 else ProducerKind.COOPERATIVE
        )
        factories.product(producer, f"Sản phẩm {i:02d}", group_code=str(i % 4 + 1))


def add_products_with_records(producer, n, start=0):
    for i in range(start, start + n):
        product = factories.product(producer, f"Sản phẩm {i:02d}")
        services.photo_add(product=product, image=factories.jpeg_file(f"anh-{i}.jpg"), caption=f"Ảnh {i}")
        services.document_add(
            producer=producer,
            product=product,
            file=factories.pdf_file(),
            doc_type=DocumentType.objects.get(code="self_declaration"),
            number=f"{i}/TCB",
            issue_date=datetime.date(2024, 1, 1),
            expiry_date=datetime.date(2030, 1, 1),
        )


def test_producer_list_query_count_does_not_grow_with_rows(client, staff_user, count_queries):
    client.force_login(staff_user)
    add_producers_with_products(1)
    one, _ = count_queries(client, PRODUCER_LIST)
    add_producers_with_products(19, start=1)
    twenty, response = count_queries(client, PRODUCER_LIST)
    assert len(response.context["producers"]) == 20
    assert twenty == one


def test_product_list_query_count_does_not_grow_with_rows(client, staff_user, count_queries):
    client.force_login(staff_user)
    add_producers_with_products(1)
    old_ha_giang = factories.producer("HTX Hà Giang cũ", "Hà Giang", current=False)
    staff_user.organization = factories.organization("Tuyên Quang")
    staff_user.save()
    factories.product(old_ha_giang, "Chè cũ")
    one, _ = count_queries(client, PRODUCT_LIST)
    for i in range(19):
        factories.product(old_ha_giang, f"Chè {i:02d}", group_code=str(i % 4 + 1))
    twenty, response = count_queries(client, PRODUCT_LIST)
    assert len(response.context["products"]) == 20
    assert twenty == one


def test_producer_detail_query_count_does_not_grow_with_rows(
    client, staff_user, producer_a, producer_user, count_queries
):
    url = reverse("products:staff.producer.detail", args=[producer_a.pk])
    client.force_login(staff_user)
    add_products_with_records(producer_a, 1)
    one, _ = count_queries(client, url)
    add_products_with_records(producer_a, 19, start=1)
    factories.UserFactory(role="producer", producer=producer_a, full_name="Người thứ hai")
    services.producer_update(producer=producer_a, phone="0206 3852 000")
    twenty, response = count_queries(client, url)
    assert len(response.context["products"]) == 20
    assert len(response.context["documents"]) == 20
    assert twenty == one


def test_product_detail_query_count_does_not_grow_with_rows(client, staff_user, product_a, count_queries):
    url = reverse("products:staff.product.detail", args=[product_a.pk])
    document_type = DocumentType.objects.get(code="quality_certificate")

    def add(n):
        for i in range(n):
            services.photo_add(product=product_a, image=factories.jpeg_file(f"anh-{i}.jpg"))
            services.document_add(
                producer=product_a.producer,
                product=product_a,
                file=factories.pdf_file(),
                doc_type=document_type,
                number=f"TC-{i}",
            )

    client.force_login(staff_user)
    add(1)
    one, _ = count_queries(client, url)
    add(19)
    services.product_update(product=product_a, description="Mô tả mới")
    twenty, response = count_queries(client, url)
    assert len(response.context["photos"]) == 20
    assert twenty == one


# Producer create and edit -------------------------------------------------------------------------------


def test_staff_creates_producer_in_own_province(client, staff_user):
    cao_bang = factories.province("Cao Bằng")
    ward = factories.ward_of(cao_bang)
    client.force_login(staff_user)

    response = client.post(reverse("products:staff.producer.create"), producer_post_data(cao_bang, ward))

    producer = Producer.objects.get()
    assert response.status_code == 302
    assert response.url == producer.get_absolute_url()
    assert producer.name == "HTX Chè Shan tuyết Lũng Phìn"
    assert producer.current_province == producer.province == cao_bang
    assert producer.unit == ward
    assert producer.created_by == staff_user
    assert producer.workers == 25
    assert Producer.history.get(id=producer.pk).history_user == staff_user


def test_staff_creates_historical_producer_with_old_province_and_district(client, tuyen_quang_staff):
    old_ha_giang = factories.province("Hà Giang", current=False)
    district = old_ha_giang.children.get(name="Đồng Văn")
    client.force_login(tuyen_quang_staff)

    form = client.get(reverse("products:staff.producer.create")).context["form"]
    assert old_ha_giang in form.fields["province"].queryset
    response = client.post(reverse("products:staff.producer.create"), producer_post_data(old_ha_giang, district))

    assert response.status_code == 302
    producer = Producer.objects.get()
    assert producer.province == old_ha_giang
    assert producer.unit == district
    assert producer.unit.level == UnitLevel.DISTRICT
    assert producer.current_province == factories.province("Tuyên Quang")
    # ... and it is found both ways in the list
    list_by_today = client.get(PRODUCER_LIST, {"province": factories.province("Tuyên Quang").pk})
    list_by_old = client.get(PRODUCER_LIST, {"old_province": old_ha_giang.pk})
    assert names(list_by_today, "producers") == names(list_by_old, "producers") == [producer.name]


def test_producer_form_after_province_is_chosen_offers_its_units(client, tuyen_quang_staff):
    old_ha_giang = factories.province("Hà Giang", current=False)
    client.force_login(tuyen_quang_staff)
    response = client.post(reverse("products:staff.producer.create"), producer_post_data(old_ha_giang, None, name=""))
    assert response.status_code == 400
    units = response.context["form"].fields["unit"].queryset
    assert units.count() == old_ha_giang.children.count() > 0
    assert response.context["form"]["province"].value() == str(old_ha_giang.pk)


def test_staff_of_cao_bang_cannot_create_producer_in_ca_mau(client, staff_user):
    ca_mau = factories.province("Cà Mau")
    client.force_login(staff_user)

    form = client.get(reverse("products:staff.producer.create")).context["form"]
    offered = set(form.fields["province"].queryset)
    assert offered == {factories.province("Cao Bằng"), factories.province("Cao Bằng", current=False)}

    response = client.post(
        reverse("products:staff.producer.create"), producer_post_data(ca_mau, factories.ward_of(ca_mau))
    )
    assert response.status_code == 400
    assert "province" in response.context["form"].errors
    assert not Producer.objects.exists()


def test_staff_of_cao_bang_cannot_create_producer_in_old_province_of_another(client, staff_user):
    old_ha_giang = factories.province("Hà Giang", current=False)
    client.force_login(staff_user)
    response = client.post(
        reverse("products:staff.producer.create"), producer_post_data(old_ha_giang, factories.ward_of(old_ha_giang))
    )
    assert response.status_code == 400
    assert "province" in response.context["form"].errors
    assert not Producer.objects.exists()


def test_staff_create_producer_refuses_duplicate_tax_code_and_keeps_input(client, staff_user, producer_a):
    cao_bang = factories.province("Cao Bằng")
    client.force_login(staff_user)
    response = client.post(
        reverse("products:staff.producer.create"), producer_post_data(cao_bang, None, tax_code=producer_a.tax_code)
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "tax_code" in form.errors
    assert form["name"].value() == "HTX Chè Shan tuyết Lũng Phìn"
    assert Producer.objects.count() == 1


@pytest.mark.parametrize("tax_code", ["480012345", "48001234AB", "4800123456-01"])
def test_staff_create_producer_refuses_invalid_tax_code(client, staff_user, tax_code):
    client.force_login(staff_user)
    response = client.post(
        reverse("products:staff.producer.create"),
        producer_post_data(factories.province("Cao Bằng"), None, tax_code=tax_code),
    )
    assert response.status_code == 400
    assert "tax_code" in response.context["form"].errors
    assert not Producer.objects.exists()


def test_staff_edits_producer_and_products_are_found_by_new_name(client, staff_user, producer_a, product_a):
    old_tax_code = producer_a.tax_code
    client.force_login(staff_user)
    response = client.post(
        reverse("products:staff.producer.update", args=[producer_a.pk]),
        edit_data(producer_a, name="HTX Lạp sườn Đồng Tháp Xanh", tax_code="4812340001"),
    )
    assert response.status_code == 302
    producer_a.refresh_from_db()
    assert producer_a.name == "HTX Lạp sườn Đồng Tháp Xanh"
    assert producer_a.tax_code == "4812340001"
    assert names(client.get(PRODUCT_LIST, {"q": "dong thap xanh"}), "products") == ["Lạp sườn Tâm Hòa"]
    assert names(client.get(PRODUCT_LIST, {"q": "4812340001"}), "products") == ["Lạp sườn Tâm Hòa"]
    assert names(client.get(PRODUCT_LIST, {"q": old_tax_code}), "products") == []


def test_staff_edit_producer_records_history_with_user(client, staff_user, producer_a):
    client.force_login(staff_user)
    client.post(
        reverse("products:staff.producer.update", args=[producer_a.pk]),
        edit_data(producer_a, legal_representative="Nông Thị Hoa"),
    )
    latest = Producer.history.filter(id=producer_a.pk).latest("history_date")
    assert latest.history_type == "~"
    assert latest.history_user == staff_user
    assert latest.legal_representative == "Nông Thị Hoa"


def test_staff_edit_producer_refuses_unit_of_another_province(client, staff_user, producer_a):
    client.force_login(staff_user)
    ca_mau_ward = factories.ward_of(factories.province("Cà Mau"))
    response = client.post(
        reverse("products:staff.producer.update", args=[producer_a.pk]), edit_data(producer_a, unit=ca_mau_ward.pk)
    )
    assert response.status_code == 400
    assert "unit" in response.context["form"].errors
    producer_a.refresh_from_db()
    assert producer_a.unit != ca_mau_ward


# Products, photos, documents -----------------------------------------------------------------------


def test_staff_creates_product_with_three_photos(client, staff_user, producer_a):
    client.force_login(staff_user)
    photos = [factories.jpeg_file("truoc.jpg"), factories.jpeg_file("sau.jpg"), factories.png_file("ben.png")]

    response = client.post(
        reverse("products:staff.product.create", args=[producer_a.pk]),
        {
            "name": "Miến dong Nguyên Bình",
            "group": ProductGroup.objects.get(code="2").pk,
            "description": "Làm từ củ dong riềng",
            "photos": photos,
        },
    )

    product = Product.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("products:staff.product.detail", args=[product.pk])
    assert product.producer == producer_a
    assert product.created_by == staff_user
    stored = list(ProductPhoto.objects.filter(product=product).order_by("original_name"))
    assert [p.original_name for p in stored] == ["ben.png", "sau.jpg", "truoc.jpg"]
    assert all(p.image.storage.exists(p.image.name) for p in stored)


def test_staff_product_create_with_bad_upload_writes_nothing(client, staff_user, producer_a, settings):
    client.force_login(staff_user)
    fake = SimpleUploadedFile("anh.jpg", b"khong phai anh", content_type="image/jpeg")

    response = client.post(
        reverse("products:staff.product.create", args=[producer_a.pk]),
        {
            "name": "Miến dong Nguyên Bình",
            "group": ProductGroup.objects.get(code="2").pk,
            "photos": [factories.jpeg_file(), fake],
        },
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert "photos" in form.errors
    assert form["name"].value() == "Miến dong Nguyên Bình"
    assert "Miến dong Nguyên Bình" in response.content.decode()
    assert not Product.objects.exists()
    assert not ProductPhoto.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_staff_adds_and_removes_photo(client, staff_user, product_a):
    client.force_login(staff_user)
    response = client.post(
        reverse("products:staff.photo.create", args=[product_a.pk]),
        {"photos": [factories.jpeg_file(), factories.png_file()], "caption": "Đóng gói"},
    )
    assert response.status_code == 302
    photos = list(product_a.photos.all())
    assert [p.caption for p in photos] == ["Đóng gói", "Đóng gói"]

    response = client.post(reverse("products:staff.photo.delete", args=[product_a.pk, photos[0].pk]))
    assert response.status_code == 302
    assert list(product_a.photos.all()) == photos[1:]


def test_staff_photo_add_refuses_text_named_jpg(client, staff_user, product_a):
    client.force_login(staff_user)
    fake = SimpleUploadedFile("anh.jpg", b"khong phai anh", content_type="image/jpeg")
    response = client.post(reverse("products:staff.photo.create", args=[product_a.pk]), {"photos": [fake]})
    assert response.status_code == 400
    assert "photos" in response.context["form"].errors
    assert not ProductPhoto.objects.exists()


def test_staff_uploads_pdf_document_and_file_view_serves_it(client, staff_user, producer_a):
    client.force_login(staff_user)
    pdf = factories.pdf_file("giấy chứng nhận.pdf")
    body = pdf.read()
    pdf.seek(0)

    response = client.post(
        reverse("products:staff.document.create", args=[producer_a.pk]),
        {
            "doc_type": DocumentType.objects.get(code="registration").pk,
            "product": "",
            "number": "4800000001",
            "issuer": "Sở Kế hoạch và Đầu tư Cao Bằng",
            "issue_date": "15/01/2024",
            "expiry_date": "",
            "file": pdf,
        },
    )

    assert response.status_code == 302
    assert response.url == producer_a.get_absolute_url()
    document = Document.objects.get()
    assert document.producer == producer_a
    assert document.issue_date == datetime.date(2024, 1, 15)
    assert document.original_name == "giấy chứng nhận.pdf"
    served = client.get(document.get_file_url())
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    assert b"".join(served.streaming_content) == body


def test_staff_document_for_product_redirects_to_product(client, staff_user, product_a):
    client.force_login(staff_user)
    response = client.post(
        reverse("products:staff.document.create", args=[product_a.producer_id]) + f"?product={product_a.pk}",
        {
            "doc_type": DocumentType.objects.get(code="self_declaration").pk,
            "product": product_a.pk,
            "file": factories.pdf_file(),
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("products:staff.product.detail", args=[product_a.pk])
    assert Document.objects.get().product == product_a


def test_staff_document_with_expiry_before_issue_is_refused(client, staff_user, producer_a):
    client.force_login(staff_user)
    response = client.post(
        reverse("products:staff.document.create", args=[producer_a.pk]),
        {
            "doc_type": DocumentType.objects.get(code="food_safety").pk,
            "product": "",
            "issue_date": "01/06/2024",
            "expiry_date": "31/05/2024",
            "file": factories.pdf_file(),
        },
    )
    assert response.status_code == 400
    assert "expiry_date" in response.context["form"].errors
    assert not Document.objects.exists()


def test_staff_document_refuses_text_file_named_pdf(client, staff_user, producer_a):
    client.force_login(staff_user)
    response = client.post(
        reverse("products:staff.document.create", args=[producer_a.pk]),
        {
            "doc_type": DocumentType.objects.get(code="registration").pk,
            "product": "",
            "file": SimpleUploadedFile("gcn.pdf", b"van ban thuong", content_type="application/pdf"),
        },
    )
    assert response.status_code == 400
    assert "file" in response.context["form"].errors
    assert not Document.objects.exists()


def test_staff_edits_product(client, staff_user, product_a):
    client.force_login(staff_user)
    response = client.post(
        reverse("products:staff.product.update", args=[product_a.pk]),
        {"name": "Lạp sườn gác bếp", "group": product_a.group_id, "description": "Hun khói"},
    )
    assert response.status_code == 302
    product_a.refresh_from_db()
    assert product_a.name == "Lạp sườn gác bếp"
    assert names(client.get(PRODUCT_LIST, {"q": "gac bep"}), "products") == ["Lạp sườn gác bếp"]


def test_lists_filter_by_the_highest_level_reached(client, staff_user, producer_a, producer_b):
    from awards.models import Level, Recognition

    lap_suon = factories.product(producer_a, "Lạp sườn")
    chieu = factories.product(producer_b, "Chiếu trúc", group_code="1")
    factories.product(producer_b, "Mành trúc", group_code="1")
    province, region = Level.objects.get(code="province"), Level.objects.get(code="region")
    Recognition.objects.create(product=lap_suon, level=province, year=2022, decision_date=datetime.date(2022, 5, 1))
    Recognition.objects.create(product=chieu, level=province, year=2019)
    Recognition.objects.create(product=chieu, level=region, year=2020)
    client.force_login(staff_user)
    products = client.get(reverse("products:staff.product.list"), {"level": province.rank}).context["products"]
    assert [p.name for p in products] == ["Lạp sườn"]
    products = client.get(reverse("products:staff.product.list"), {"level": region.rank}).context["products"]
    assert [p.name for p in products] == ["Chiếu trúc"]
    producers = client.get(reverse("products:staff.producer.list"), {"level": region.rank}).context["producers"]
    assert [p.name for p in producers] == [producer_b.name]
