import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from products import services
from products.enums import ProducerKind, UnitLevel
from products.models import Document, DocumentType, Producer, Product, ProductGroup, ProductPhoto
from products.selectors import producer_history
from tests import factories


def producer_data(province_name="Cao Bằng", *, current=True, **changes):
    prov = factories.province(province_name, current=current)
    data = {
        "name": "HTX Chè Shan tuyết",
        "kind": ProducerKind.COOPERATIVE,
        "tax_code": "5100123456",
        "legal_representative": "Hoàng Văn Pủa",
        "address": "Thôn Lũng Phìn",
        "province": prov,
        "unit": factories.ward_of(prov),
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("old_province", "today_province"),
    [("Hà Giang", "Tuyên Quang"), ("Bạc Liêu", "Cà Mau"), ("Đồng Tháp", "Đồng Tháp"), ("Cao Bằng", "Cao Bằng")],
)
def test_producer_create_from_old_province_sets_todays_province(db, old_province, today_province):
    data = producer_data(old_province, current=False)
    district = data["unit"]

    producer = services.producer_create(**data)

    producer.refresh_from_db()
    assert producer.current_province == factories.province(today_province)
    assert producer.province == factories.province(old_province, current=False)
    assert not producer.province.is_current
    assert producer.unit == district
    assert producer.unit.level == UnitLevel.DISTRICT


def test_producer_create_in_todays_province_keeps_it(db):
    producer = services.producer_create(**producer_data("Tuyên Quang"))
    assert producer.current_province == producer.province == factories.province("Tuyên Quang")
    assert producer.unit.level == UnitLevel.WARD


def test_producer_create_normalises_text_and_search_text(db):
    data = producer_data(name="  HTX Chè Shan tuyết Lũng Phìn ", tax_code=" 5100123456 ")
    producer = services.producer_create(**data)
    assert producer.name == "HTX Chè Shan tuyết Lũng Phìn"
    assert producer.tax_code == "5100123456"
    assert "che shan tuyet lung phin" in producer.search_text
    assert "5100123456" in producer.search_text


def test_producer_create_refuses_unit_outside_province(db):
    data = producer_data("Cao Bằng", unit=factories.ward_of(factories.province("Cà Mau")))
    with pytest.raises(ValidationError) as exc:
        services.producer_create(**data)
    assert "unit" in exc.value.message_dict
    assert not Producer.objects.exists()


def test_producer_create_refuses_old_district_under_todays_province(db):
    old_district = factories.ward_of(factories.province("Hà Giang", current=False))
    data = producer_data("Tuyên Quang", unit=old_district)
    with pytest.raises(ValidationError) as exc:
        services.producer_create(**data)
    assert "unit" in exc.value.message_dict
    assert not Producer.objects.exists()


def test_producer_create_refuses_a_district_as_province(db):
    old_district = factories.ward_of(factories.province("Hà Giang", current=False))
    with pytest.raises(ValidationError) as exc:
        services.producer_create(**producer_data(province=old_district, unit=None))
    assert "province" in exc.value.message_dict


@pytest.mark.parametrize("tax_code", ["4800123456", "4800123456-001", "0100109106-999"])
def test_producer_create_accepts_valid_tax_code(db, tax_code):
    producer = services.producer_create(**producer_data(tax_code=tax_code))
    assert Producer.objects.get(pk=producer.pk).tax_code == tax_code


@pytest.mark.parametrize(
    "tax_code",
    ["480012345", "48001234567", "48001234AB", "MST4800123", "4800123456-01", "4800123456-0001", "4800123456/001", ""],
)
def test_producer_create_refuses_invalid_tax_code(db, tax_code):
    with pytest.raises(ValidationError) as exc:
        services.producer_create(**producer_data(tax_code=tax_code))
    assert "tax_code" in exc.value.message_dict
    assert not Producer.objects.exists()


def test_producer_create_refuses_duplicate_tax_code(producer_a):
    with pytest.raises(ValidationError) as exc:
        services.producer_create(**producer_data(name="HTX Khác", tax_code=producer_a.tax_code))
    assert "tax_code" in exc.value.message_dict
    assert Producer.objects.count() == 1


def test_producer_update_refuses_duplicate_tax_code(producer_a, producer_b):
    with pytest.raises(ValidationError) as exc:
        services.producer_update(producer=producer_b, tax_code=producer_a.tax_code)
    assert "tax_code" in exc.value.message_dict
    assert Producer.objects.get(pk=producer_b.pk).tax_code != producer_a.tax_code


def test_producer_update_refuses_unknown_field(producer_a):
    with pytest.raises(TypeError):
        services.producer_update(producer=producer_a, current_province=factories.province("Cà Mau"))


def test_producer_update_moving_to_old_province_recomputes_todays_province(producer_a):
    old_ha_giang = factories.province("Hà Giang", current=False)
    services.producer_update(producer=producer_a, province=old_ha_giang, unit=factories.ward_of(old_ha_giang))
    producer_a.refresh_from_db()
    assert producer_a.current_province == factories.province("Tuyên Quang")


def test_producer_rename_refreshes_products_search_text(producer_a):
    first = factories.product(producer_a, "Lạp sườn hun khói")
    second = factories.product(producer_a, "Chiếu trúc", group_code="1")
    other = factories.product(factories.producer("HTX Tân Phát Lợi", "Cà Mau"), "Mắm tôm")
    other_text = Product.objects.get(pk=other.pk).search_text

    services.producer_update(producer=producer_a, name="HTX Đồng Tháp Xanh", tax_code="4899999999")

    for product in (first, second):
        text = Product.objects.get(pk=product.pk).search_text
        assert "dong thap xanh" in text
        assert "4899999999" in text
        assert "tam hoa" not in text
    assert Product.objects.get(pk=other.pk).search_text == other_text
    assert "dong thap xanh" in Producer.objects.get(pk=producer_a.pk).search_text


def test_producer_rename_via_a_changed_instance_refreshes_products_search_text(producer_a):
    # A ModelForm bound to the producer writes the new name into the instance before the service runs.
    product = factories.product(producer_a, "Lạp sườn hun khói")
    producer_a.name = "HTX Đồng Tháp Xanh"

    services.producer_update(producer=producer_a, name="HTX Đồng Tháp Xanh")

    assert "dong thap xanh" in Product.objects.get(pk=product.pk).search_text


def test_product_update_refreshes_search_text(product_a):
    services.product_update(product=product_a, name="Măng khô Bảo Lạc")
    assert "mang kho bao lac" in Product.objects.get(pk=product_a.pk).search_text


def test_product_update_refuses_unknown_field(product_a, producer_b):
    with pytest.raises(TypeError):
        services.product_update(product=product_a, producer=producer_b)


def test_history_rows_written_for_producer_changes(producer_a):
    services.producer_update(producer=producer_a, legal_representative="Nông Thị Hoa")
    rows = list(Producer.history.filter(id=producer_a.pk).order_by("history_date", "history_id"))
    assert [r.history_type for r in rows] == ["+", "~"]
    assert rows[0].legal_representative == "Nguyễn Thanh Tâm"
    assert rows[1].legal_representative == "Nông Thị Hoa"


def test_history_rows_written_for_product_changes(producer_a):
    product = factories.product(producer_a, "Lạp sườn")
    services.product_update(product=product, description="Hun khói bằng củi nhãn")
    rows = list(Product.history.filter(id=product.pk).order_by("history_date", "history_id"))
    assert [r.history_type for r in rows] == ["+", "~"]
    assert rows[1].description == "Hun khói bằng củi nhãn"


def test_history_rows_written_for_photo_add_and_delete(product_a):
    photo = services.photo_add(product=product_a, image=factories.jpeg_file("mặt trước.jpg"), caption="Mặt trước")
    photo_id = photo.pk
    services.photo_delete(photo=photo)

    assert not ProductPhoto.objects.filter(pk=photo_id).exists()
    rows = list(ProductPhoto.history.filter(id=photo_id).order_by("history_date", "history_id"))
    assert [r.history_type for r in rows] == ["+", "-"]
    assert rows[0].caption == "Mặt trước"
    assert rows[0].original_name == "mặt trước.jpg"


def test_history_rows_written_for_document_add_and_delete(producer_a):
    document = services.document_add(
        producer=producer_a,
        file=factories.pdf_file(),
        doc_type=DocumentType.objects.get(code="registration"),
        number="4800000001",
    )
    document_id = document.pk
    services.document_delete(document=document)

    assert not Document.objects.filter(pk=document_id).exists()
    rows = list(Document.history.filter(id=document_id).order_by("history_date", "history_id"))
    assert [r.history_type for r in rows] == ["+", "-"]
    assert rows[0].number == "4800000001"


def test_producer_history_gathers_producer_product_photo_and_document(product_a):
    producer = product_a.producer
    services.producer_update(producer=producer, phone="0206 3852 123")
    services.photo_add(product=product_a, image=factories.png_file())
    services.document_add(
        producer=producer,
        product=product_a,
        file=factories.pdf_file(),
        doc_type=DocumentType.objects.get(code="self_declaration"),
    )

    entries = producer_history(producer)

    kinds = sorted(str(e["kind"]) for e in entries)
    assert len(kinds) == 5  # producer created and changed, product, photo, document
    assert len(set(kinds)) == 4
    changed = [e for e in entries if e["action"] == "~"]
    assert len(changed) == 1
    assert [c["new"] for c in changed[0]["changes"]] == ["0206 3852 123"]


def test_document_add_refuses_expiry_before_issue(producer_a):
    with pytest.raises(ValidationError) as exc:
        services.document_add(
            producer=producer_a,
            file=factories.pdf_file(),
            doc_type=DocumentType.objects.get(code="food_safety"),
            issue_date=datetime.date(2024, 5, 1),
            expiry_date=datetime.date(2024, 4, 30),
        )
    assert "expiry_date" in exc.value.message_dict
    assert not Document.objects.exists()


def test_document_add_accepts_expiry_on_issue_day(producer_a):
    document = services.document_add(
        producer=producer_a,
        file=factories.pdf_file(),
        doc_type=DocumentType.objects.get(code="food_safety"),
        issue_date=datetime.date(2024, 5, 1),
        expiry_date=datetime.date(2024, 5, 1),
    )
    assert document.is_expired(on=datetime.date(2024, 5, 2))
    assert not document.is_expired(on=datetime.date(2024, 5, 1))


def test_document_add_refuses_product_of_another_producer(producer_a, product_b):
    with pytest.raises(ValidationError) as exc:
        services.document_add(
            producer=producer_a,
            product=product_b,
            file=factories.pdf_file(),
            doc_type=DocumentType.objects.get(code="self_declaration"),
        )
    assert "product" in exc.value.message_dict
    assert not Document.objects.exists()


def test_document_add_refuses_file_that_is_not_a_document(producer_a):
    text = SimpleUploadedFile("ghi-chu.pdf", b"chi la van ban, khong phai PDF", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.document_add(producer=producer_a, file=text, doc_type=DocumentType.objects.get(code="other"))
    assert not Document.objects.exists()


def test_photo_add_refuses_pdf(product_a):
    with pytest.raises(ValidationError):
        services.photo_add(product=product_a, image=factories.pdf_file("anh.jpg"))
    assert not ProductPhoto.objects.exists()


def test_product_create_requires_name(producer_a):
    with pytest.raises(ValidationError) as exc:
        services.product_create(producer=producer_a, name="  ", group=ProductGroup.objects.get(code="2"))
    assert "name" in exc.value.message_dict
    assert not Product.objects.exists()
