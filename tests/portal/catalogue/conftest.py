"""Recognised products for the public catalogue tests, built through the services as staff would record them."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from awards import services as awards_services
from products import services as product_services
from tests import factories
from tests.awards.certificate_helpers import peoples_committee
from tests.awards.helpers import level

TODAY = timezone.localdate()
LAST_YEAR = TODAY.year - 1


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Test databases roll back, so a recognition count and id can repeat from one test to the next.
    cache.clear()
    yield
    cache.clear()


def recognise(product, actor, level_code="province", year=LAST_YEAR, *, decision_number=None, certificate=False):
    recognition = awards_services.recognition_record(
        actor=actor,
        product=product,
        level=level(level_code),
        year=year,
        decision_number=decision_number or f"{100 + product.pk}/QĐ-UBND",
        decision_date=datetime.date(year, 11, 20),
    )
    if certificate:
        province_name = product.producer.current_province.name
        return recognition, awards_services.certificate_issue(
            recognition=recognition,
            actor=actor,
            issued_on=datetime.date(year, 12, 1),
            issuing_body=peoples_committee(province_name),
            signer_title="CHỦ TỊCH",
            signer_name="Hoàng Xuân Ánh",
        )
    return recognition


SCORES = {3: "62", 4: "74.5", 5: "92"}  # inside each band of the star bands (migration data)


def rate(product, actor, stars, decision_date, *, valid_until=None):
    return awards_services.ocop_rating_record(
        product=product,
        actor=actor,
        stars=stars,
        score=Decimal(SCORES[stars]),
        decision_number=f"{stars}{product.pk}{decision_date:%m%d}/QĐ-UBND",
        decision_date=decision_date,
        valid_until=valid_until,
    )


def add_photo(product, caption=""):
    return product_services.photo_add(product=product, image=factories.jpeg_file(size=(1200, 900)), caption=caption)


@pytest.fixture
def count_queries():
    """Queries one anonymous GET costs, after a first GET that fills the caches."""

    def count(client, url, params=None):
        assert client.get(url, params).status_code == 200
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, params)
        assert response.status_code == 200
        return len(ctx.captured_queries), response

    return count


@pytest.fixture
def catalogue(db, superuser):
    """Lạp sườn (Cao Bằng, province 2024 + region, certificate, 4★ now), Chiếu trúc (Cao Bằng, district level,
    expired 3★), Khô cá (Cà Mau, national), and Mật ong (Cao Bằng) which is not recognised."""
    tam_hoa = factories.producer(
        "HTX Tâm Hòa",
        "Cao Bằng",
        phone="0206 3852 123",
        email="htx.tamhoa@example.vn",
        website="https://tamhoa.example.vn",
        address="Tổ 5, phường Thục Phán",
    )
    lap_suon = factories.product(tam_hoa, "Lạp sườn Tâm Hòa", group_code="2", description="Lạp sườn hun khói bếp.")
    chieu = factories.product(factories.producer("Công ty TNHH MTV 688", "Cao Bằng"), "Chiếu trúc", group_code="1")
    kho_ca = factories.product(factories.producer("HTX Tân Phát Lợi", "Cà Mau"), "Khô cá lóc", group_code="2")
    mat_ong = factories.product(tam_hoa, "Mật ong bạc hà", group_code="2")
    _recognition, certificate = recognise(lap_suon, superuser, "province", LAST_YEAR - 1, certificate=True)
    recognise(lap_suon, superuser, "region", LAST_YEAR)
    recognise(chieu, superuser, "district", 2019)
    recognise(kho_ca, superuser, "national", LAST_YEAR)
    rate(lap_suon, superuser, 3, datetime.date(2021, 12, 10))
    rate(lap_suon, superuser, 4, TODAY - datetime.timedelta(days=60))
    rate(chieu, superuser, 3, datetime.date(2021, 6, 1), valid_until=datetime.date(2024, 6, 1))
    return {
        "lap_suon": lap_suon,
        "chieu": chieu,
        "kho_ca": kho_ca,
        "mat_ong": mat_ong,
        "certificate": certificate,
        "tam_hoa": tam_hoa,
    }
