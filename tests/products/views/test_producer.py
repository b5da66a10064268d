import datetime
import io
import os
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from products import services
from products.models import Document, DocumentType, Producer, Product, ProductGroup, ProductPhoto
from tests import factories

PROFILE = reverse("products:producer.profile")
PROFILE_EDIT = reverse("products:producer.profile.update")
PRODUCT_LIST = reverse("products:producer.product.list")
PRODUCT_CREATE = reverse("products:producer.product.create")
DOCUMENT_CREATE = reverse("products:producer.document.create")


def profile_data(producer, **changes):
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


def test_profile_shows_own_producer_with_products_and_documents(client, producer_user, product_a, product_b):
    services.document_add(
        producer=product_a.producer, file=factories.pdf_file(), doc_type=DocumentType.objects.get(code="registration")
    )
    client.force_login(producer_user)
    response = client.get(PROFILE)
    assert response.status_code == 200
    assert response.context["producer"] == product_a.producer
    assert [p.name for p in response.context["products"]] == ["Lạp sườn Tâm Hòa"]
    assert len(response.context["documents"]) == 1
    assert "HTX Tâm Hòa" in response.content.decode()


def test_product_list_shows_only_own_products(client, producer_user, product_a, product_b):
    client.force_login(producer_user)
    response = client.get(PRODUCT_LIST)
    assert [p.name for p in response.context["products"]] == ["Lạp sườn Tâm Hòa"]
    assert "Chiếu trúc" not in response.content.decode()


def test_own_product_list_query_count_does_not_grow_with_rows(client, producer_user, producer_a, count_queries):
    def add(start, n):
        for i in range(start, start + n):
            product = factories.product(producer_a, f"Sản phẩm {i:02d}", group_code=str(i % 4 + 1))
            services.photo_add(product=product, image=factories.jpeg_file())

    client.force_login(producer_user)
    add(0, 1)
    one, _ = count_queries(client, PRODUCT_LIST)
    add(1, 19)
    twenty, response = count_queries(client, PRODUCT_LIST)
    assert len(response.context["products"]) == 20
    assert all(p.photo_count == 1 for p in response.context["products"])
    assert twenty == one


def test_own_product_detail_query_count_does_not_grow_with_rows(client, producer_user, product_a, count_queries):
    url = reverse("products:producer.product.detail", args=[product_a.pk])

    def add(n):
        for i in range(n):
            services.photo_add(product=product_a, image=factories.png_file(f"anh-{i}.png"))
            services.document_add(
                producer=product_a.producer,
                product=product_a,
                file=factories.pdf_file(),
                doc_type=DocumentType.objects.get(code="trademark"),
                expiry_date=datetime.date(2030, 1, 1),
            )

    client.force_login(producer_user)
    add(1)
    one, _ = count_queries(client, url)
    add(19)
    twenty, response = count_queries(client, url)
    assert len(response.context["photos"]) == 20
    assert twenty == one


def test_own_profile_query_count_does_not_grow_with_rows(client, producer_user, producer_a, count_queries):
    def add(start, n):
        for i in range(start, start + n):
            product = factories.product(producer_a, f"Sản phẩm {i:02d}")
            services.document_add(
                producer=producer_a,
                product=product,
                file=factories.pdf_file(),
                doc_type=DocumentType.objects.get(code="self_declaration"),
            )

    client.force_login(producer_user)
    add(0, 1)
    one, _ = count_queries(client, PROFILE)
    add(1, 19)
    twenty, _ = count_queries(client, PROFILE)
    assert twenty == one


def test_producer_edits_own_profile_but_not_tax_code(client, producer_user, producer_a):
    tax_code = producer_a.tax_code
    client.force_login(producer_user)

    response = client.post(
        PROFILE_EDIT,
        profile_data(
            producer_a,
            tax_code="4899999999",
            phone="0206 3852 777",
            legal_representative="Nông Thị Hoa",
        ),
    )

    assert response.status_code == 302
    assert response.url == PROFILE
    producer_a.refresh_from_db()
    assert producer_a.tax_code == tax_code
    assert producer_a.phone == "0206 3852 777"
    assert producer_a.legal_representative == "Nông Thị Hoa"
    assert not Producer.objects.filter(tax_code="4899999999").exists()


def test_producer_rename_makes_own_products_searchable_by_new_name(client, producer_user, product_a, staff_user):
    client.force_login(producer_user)
    client.post(PROFILE_EDIT, profile_data(product_a.producer, name="HTX Đồng Tháp Xanh"))

    client.force_login(staff_user)
    response = client.get(reverse("products:staff.product.list"), {"q": "dong thap xanh"})
    assert [p.name for p in response.context["products"]] == ["Lạp sườn Tâm Hòa"]


def test_producer_profile_edit_refuses_invalid_data_and_keeps_input(client, producer_user, producer_a):
    client.force_login(producer_user)
    response = client.post(PROFILE_EDIT, profile_data(producer_a, name="", phone="0206 3852 777"))
    assert response.status_code == 400
    form = response.context["form"]
    assert "name" in form.errors
    assert form["phone"].value() == "0206 3852 777"
    producer_a.refresh_from_db()
    assert producer_a.name == "HTX Tâm Hòa"


def test_a_founding_year_after_this_year_and_a_word_for_workers_are_refused_in_vietnamese(
    client, producer_user, producer_a
):
    client.force_login(producer_user)
    this_year = timezone.localdate().year

    response = client.post(PROFILE_EDIT, profile_data(producer_a, founding_year=this_year + 9, workers="mười"))

    assert response.status_code == 400
    html = response.content.decode()
    assert f"Năm thành lập không được sau năm nay ({this_year})." in html
    assert "Nhập một số nguyên." in html  # not Django's own "Nhập một số tổng thể"
    assert 'value="mười"' in html
    producer_a.refresh_from_db()
    assert producer_a.founding_year != this_year + 9
    accepted = client.post(PROFILE_EDIT, profile_data(producer_a, founding_year=this_year, workers=12))
    assert accepted.status_code == 302
    producer_a.refresh_from_db()
    assert (producer_a.founding_year, producer_a.workers) == (this_year, 12)


def test_producer_profile_edit_offers_only_todays_provinces(client, producer_user, producer_a):
    client.force_login(producer_user)
    old_cao_bang = factories.province("Cao Bằng", current=False)
    response = client.post(
        PROFILE_EDIT, profile_data(producer_a, province=old_cao_bang.pk, unit=factories.ward_of(old_cao_bang).pk)
    )
    assert response.status_code == 400
    assert "province" in response.context["form"].errors


def test_the_product_forms_group_list_says_what_to_choose(client, producer_user, producer_a):
    client.force_login(producer_user)
    html = client.get(PRODUCT_CREATE).content.decode()
    assert '<option value="" selected>Chọn nhóm sản phẩm</option>' in html
    assert "---------" not in html


def test_producer_creates_product_with_three_photos(client, producer_user, producer_a):
    client.force_login(producer_user)
    response = client.post(
        PRODUCT_CREATE,
        {
            "name": "Lạp sườn hun khói",
            "group": ProductGroup.objects.get(code="2").pk,
            "description": "",
            "photos": [
                factories.jpeg_file("1.jpg"),
                factories.jpeg_file("2.jpg", color=(0, 0, 200)),
                factories.png_file("3.png"),
            ],
        },
    )

    product = Product.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("products:producer.product.detail", args=[product.pk])
    assert product.producer == producer_a
    assert product.created_by == producer_user
    assert ProductPhoto.objects.filter(product=product).count() == 3


def test_producer_product_create_with_text_named_jpg_writes_nothing(client, producer_user, producer_a, settings):
    client.force_login(producer_user)
    response = client.post(
        PRODUCT_CREATE,
        {
            "name": "Lạp sườn hun khói",
            "group": ProductGroup.objects.get(code="2").pk,
            "description": "Hun bằng củi nhãn",
            "photos": [factories.jpeg_file(), SimpleUploadedFile("2.jpg", b"plain text", content_type="image/jpeg")],
        },
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert "photos" in form.errors
    assert form["name"].value() == "Lạp sườn hun khói"
    assert form["description"].value() == "Hun bằng củi nhãn"
    assert "Lạp sườn hun khói" in response.content.decode()
    assert not Product.objects.exists()
    assert not ProductPhoto.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_producer_product_create_with_truncated_jpeg_writes_nothing(client, producer_user, producer_a):
    buf = io.BytesIO()
    Image.frombytes("RGB", (200, 120), os.urandom(200 * 120 * 3)).save(buf, "JPEG")
    truncated = SimpleUploadedFile("hong.jpg", buf.getvalue()[: buf.tell() // 2], content_type="image/jpeg")
    client.force_login(producer_user)

    response = client.post(
        PRODUCT_CREATE, {"name": "Lạp sườn", "group": ProductGroup.objects.get(code="2").pk, "photos": [truncated]}
    )

    assert response.status_code == 400
    assert "photos" in response.context["form"].errors
    assert not Product.objects.exists()


def test_producer_uploads_pdf_document_and_gets_it_back(client, producer_user, producer_b_user, product_a):
    pdf = factories.pdf_file("bản tự công bố.pdf")
    body = pdf.read()
    pdf.seek(0)
    client.force_login(producer_user)

    response = client.post(
        DOCUMENT_CREATE + f"?product={product_a.pk}",
        {
            "doc_type": DocumentType.objects.get(code="self_declaration").pk,
            "product": product_a.pk,
            "number": "01/2025/TCB",
            "issuer": "",
            "issue_date": "02/01/2025",
            "expiry_date": "",
            "file": pdf,
        },
    )

    assert response.status_code == 302
    assert response.url == reverse("products:producer.product.detail", args=[product_a.pk])
    document = Document.objects.get()
    assert (document.producer, document.product) == (product_a.producer, product_a)
    assert document.issue_date == datetime.date(2025, 1, 2)

    served = client.get(document.get_file_url())
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == body
    download = client.get(document.get_file_url(), {"download": "1"})
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == body

    client.force_login(producer_b_user)
    assert client.get(document.get_file_url()).status_code == 404


def test_producer_document_with_expiry_before_issue_is_refused(client, producer_user):
    client.force_login(producer_user)
    response = client.post(
        DOCUMENT_CREATE,
        {
            "doc_type": DocumentType.objects.get(code="food_safety").pk,
            "product": "",
            "issue_date": "10/03/2025",
            "expiry_date": "09/03/2025",
            "file": factories.pdf_file(),
        },
    )
    assert response.status_code == 400
    assert "expiry_date" in response.context["form"].errors
    assert not Document.objects.exists()


def test_producer_document_cannot_name_another_producers_product(client, producer_user, product_b):
    client.force_login(producer_user)
    response = client.post(
        DOCUMENT_CREATE,
        {
            "doc_type": DocumentType.objects.get(code="self_declaration").pk,
            "product": product_b.pk,
            "file": factories.pdf_file(),
        },
    )
    assert response.status_code == 400
    assert "product" in response.context["form"].errors
    assert not Document.objects.exists()


def test_producer_adds_and_removes_own_photos(client, producer_user, product_a):
    client.force_login(producer_user)
    response = client.post(
        reverse("products:producer.photo.create", args=[product_a.pk]),
        {"photos": [factories.jpeg_file(), factories.jpeg_file()], "caption": ""},
    )
    assert response.status_code == 302
    assert product_a.photos.count() == 2

    photo = product_a.photos.first()
    response = client.post(reverse("products:producer.photo.delete", args=[product_a.pk, photo.pk]))
    assert response.status_code == 302
    assert not product_a.photos.filter(pk=photo.pk).exists()
    assert product_a.photos.count() == 1
    assert ProductPhoto.history.filter(id=photo.pk, history_type="-").exists()


def test_producer_photo_delete_by_get_deletes_nothing(client, producer_user, product_a):
    photo = services.photo_add(product=product_a, image=factories.jpeg_file())
    client.force_login(producer_user)
    response = client.get(reverse("products:producer.photo.delete", args=[product_a.pk, photo.pk]))
    assert response.status_code == 405
    assert ProductPhoto.objects.filter(pk=photo.pk).exists()


def test_producer_edits_own_product(client, producer_user, product_a):
    client.force_login(producer_user)
    response = client.post(
        reverse("products:producer.product.update", args=[product_a.pk]),
        {"name": "Lạp sườn gác bếp", "group": ProductGroup.objects.get(code="2").pk, "description": "Mô tả"},
    )
    assert response.status_code == 302
    assert response.url == reverse("products:producer.product.detail", args=[product_a.pk])
    product_a.refresh_from_db()
    assert (product_a.name, product_a.description) == ("Lạp sườn gác bếp", "Mô tả")
    assert Product.history.filter(id=product_a.pk).latest("history_date").history_user == producer_user


def test_photo_upload_of_decompression_bomb_answers_400(client, producer_user, product_a):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 20000, 10000, 8, 0, 0, 0, 0)
    bomb = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")
    client.force_login(producer_user)
    response = client.post(
        reverse("products:producer.photo.create", args=[product_a.pk]),
        {"photos": [SimpleUploadedFile("bom.png", bomb, content_type="image/png")]},
    )
    assert response.status_code == 400
    assert "photos" in response.context["form"].errors
    assert not ProductPhoto.objects.exists()


def test_producer_cannot_move_itself_to_another_province(client, producer_user, producer_a):
    """A producer's province today decides which department sees its records: it is the department's to change."""
    client.force_login(producer_user)
    ca_mau = factories.province("Cà Mau")
    response = client.post(
        PROFILE_EDIT, profile_data(producer_a, province=ca_mau.pk, unit=factories.ward_of(ca_mau).pk, phone="0290 1")
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "province" in form.errors
    assert form["phone"].value() == "0290 1"  # what was typed is kept
    assert [str(p) for p in form.fields["province"].queryset] == [str(factories.province("Cao Bằng"))]
    producer_a.refresh_from_db()
    assert producer_a.current_province.name == "Cao Bằng"
