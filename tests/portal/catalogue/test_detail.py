"""The public product page: photos, description, producer (contact details only when published), recognitions,
certificates with their verification links, OCOP history; 404 for a product without recognition; nothing private."""

import datetime

import pytest
from django.urls import reverse

from awards import services as awards_services
from products import services as product_services
from products.models import DocumentType
from tests import factories

from .conftest import LAST_YEAR, TODAY, add_photo, rate, recognise

pytestmark = pytest.mark.django_db


def detail_url(product) -> str:
    return reverse("catalogue:public.product.detail", args=[product.pk])


def page(client, product):
    response = client.get(detail_url(product))
    assert response.status_code == 200
    return response, response.content.decode()


def test_product_page_shows_product_producer_recognitions_and_ocop(client, catalogue):
    response, html = page(client, catalogue["lap_suon"])
    assert "<h1>Lạp sườn Tâm Hòa</h1>" in html
    assert "Lạp sườn hun khói bếp." in html
    assert "HTX Tâm Hòa" in html
    assert "Hợp tác xã" in html
    assert "Cao Bằng" in html
    # Recognitions, highest first, with their decisions.
    assert [(r.level.code, r.year) for r in response.context["recognitions"]] == [
        ("region", LAST_YEAR),
        ("province", LAST_YEAR - 1),
    ]
    assert f"{100 + catalogue['lap_suon'].pk}/QĐ-UBND" in html
    assert f"20/11/{LAST_YEAR}" in html
    # OCOP history: 4★ current, the earlier 3★ kept.
    assert [r.stars for r in response.context["ratings"]] == [4, 3]
    assert response.context["current_rating"].stars == 4
    assert "hiện hành" in html


def test_certificates_link_to_public_verification(client, catalogue):
    certificate = catalogue["certificate"]
    _response, html = page(client, catalogue["lap_suon"])
    verify = reverse("awards:verify.detail", args=[certificate.code])
    assert f'href="{verify}"' in html
    assert certificate.number in html
    assert client.get(verify).status_code == 200


def test_revoked_and_expired_certificates_are_marked(client, catalogue, superuser):
    certificate = catalogue["certificate"]
    awards_services.certificate_revoke(certificate=certificate, actor=superuser, reason="Cấp nhầm")
    _response, html = page(client, catalogue["lap_suon"])
    assert "cert-revoked" in html
    assert "đã thu hồi" in html
    assert reverse("awards:verify.detail", args=[certificate.code]) in html
    assert "Cấp nhầm" not in html  # the reason stays with the department

    old, expired = recognise(catalogue["kho_ca"], superuser, "province", 2015, certificate=True)
    _response, html = page(client, catalogue["kho_ca"])
    assert old.valid_until < TODAY
    assert "cert-expired" in html
    assert f"hết hiệu lực ngày {expired.valid_until:%d/%m/%Y}" in html


def test_contact_details_only_when_the_producer_publishes_them(client, catalogue):
    producer = catalogue["tam_hoa"]
    _response, html = page(client, catalogue["lap_suon"])
    for private in (producer.phone, producer.email, producer.website, "Tổ 5, phường Thục Phán"):
        assert private not in html

    product_services.producer_update(producer=producer, publish_phone=True, publish_website=True)
    _response, html = page(client, catalogue["lap_suon"])
    assert "0206 3852 123" in html
    assert 'href="tel:02063852123"' in html
    assert 'href="https://tamhoa.example.vn"' in html
    assert producer.email not in html
    assert "Tổ 5, phường Thục Phán" not in html

    product_services.producer_update(producer=producer, publish_address=True, publish_email=True)
    _response, html = page(client, catalogue["lap_suon"])
    assert "Tổ 5, phường Thục Phán" in html
    assert 'href="mailto:htx.tamhoa@example.vn"' in html


def test_page_never_shows_tax_code_documents_nominations_or_scores(client, catalogue, superuser):
    product = catalogue["lap_suon"]
    producer = catalogue["tam_hoa"]
    product_services.producer_update(
        producer=producer, publish_address=True, publish_phone=True, publish_email=True, publish_website=True
    )
    document = product_services.document_add(
        producer=producer,
        product=product,
        file=factories.pdf_file(),
        doc_type=DocumentType.objects.get(code="registration"),
        number="GCN-BÍ-MẬT-01",
    )
    _response, html = page(client, product)
    assert producer.tax_code not in html
    assert "GCN-BÍ-MẬT-01" not in html
    assert str(document.uid) not in html
    assert "74.5" not in html
    assert "74,5" not in html
    assert "62,00" not in html
    assert "Nguyễn Thanh Tâm" not in html  # the legal representative
    assert "/files/" not in html
    assert "/staff/" not in html


def test_photos_have_alt_text_and_public_urls(client, catalogue):
    product = catalogue["lap_suon"]
    first = add_photo(product, caption="Lạp sườn treo gác bếp")
    second = add_photo(product)
    _response, html = page(client, product)
    assert 'alt="Lạp sườn treo gác bếp"' in html
    assert 'alt="Ảnh 2 của Lạp sườn Tâm Hòa"' in html
    for photo in (first, second):
        assert reverse("catalogue:public.photo", args=[photo.uid]) in html


def test_open_graph_and_meta_description(client, catalogue, settings):
    settings.PUBLIC_BASE_URL = "https://cnnt.example.vn"
    product = catalogue["lap_suon"]
    photo = add_photo(product)
    _response, html = page(client, product)
    url = f"https://cnnt.example.vn/catalogue/{product.pk}/"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="og:title" content="Lạp sườn Tâm Hòa">' in html
    assert '<meta property="og:type" content="product">' in html
    assert f'<meta property="og:image" content="https://cnnt.example.vn/catalogue/photos/{photo.uid}/?w=960">' in html
    assert '<meta name="description" content="Lạp sườn hun khói bếp.">' in html
    assert '<meta property="og:description" content="Lạp sườn hun khói bếp.">' in html


def test_meta_description_without_product_description(client, catalogue):
    _response, html = page(client, catalogue["kho_ca"])
    assert '<meta name="description" content="Khô cá lóc, do HTX Tân Phát Lợi (Cà Mau) sản xuất' in html
    assert "og:image" not in html


def test_product_without_recognition_is_not_found(client, catalogue):
    assert client.get(detail_url(catalogue["mat_ong"])).status_code == 404
    assert client.get(reverse("catalogue:public.product.detail", args=[999999])).status_code == 404


@pytest.mark.parametrize("role_fixture", ["producer_user", "staff_user", "member_user", "other_staff_user"])
def test_every_role_sees_the_same_public_page(client, catalogue, request, role_fixture):
    client.force_login(request.getfixturevalue(role_fixture))
    response, html = page(client, catalogue["kho_ca"])
    assert response.context["product"] == catalogue["kho_ca"]
    assert catalogue["kho_ca"].producer.tax_code not in html
    assert client.get(detail_url(catalogue["mat_ong"])).status_code == 404


def test_product_page_query_count_does_not_grow(client, catalogue, superuser, count_queries):
    product = catalogue["kho_ca"]
    small, _response = count_queries(client, detail_url(product))
    for year in range(2016, 2022):
        recognise(product, superuser, "province", year, decision_number=f"{year}/QĐ", certificate=True)
    for days in range(5):
        rate(product, superuser, 3 + days % 3, TODAY - datetime.timedelta(days=400 * days + 1))
        add_photo(product)
    large, response = count_queries(client, detail_url(product))
    assert large == small
    assert large <= 6
    assert len(response.context["recognitions"]) == 7
