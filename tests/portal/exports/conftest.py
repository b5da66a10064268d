"""Records of two provinces (Cao Bằng for `staff_user`, Cà Mau for `other_staff_user`) in every staff list, built
through the services as the staff pages build them."""

import datetime
from decimal import Decimal

import pytest

from awards import services as award_services
from extension_projects import services as fair_services
from extension_projects.enums import FairLevel
from tests import factories
from tests.awards.certificate_helpers import _accepted, peoples_committee, published_decision  # noqa: F401
from tests.awards.conftest import make_round  # noqa: F401  (a fixture the round lists need)
from tests.awards.helpers import level
from tests.extension_projects.helpers import project

CB, CM = "Cao Bằng", "Cà Mau"


def producer_and_product(province, i):
    """Item 0 of a province is the smoked sausage (found by the search "lap suon"), the others glass noodles."""
    if i == 0:
        producer = factories.producer(f"HTX Lạp sườn {province}", province)
        return producer, factories.product(producer, f"Lạp sườn hun khói {province}")
    producer = factories.producer(f"Cơ sở Miến dong {i} {province}", province)
    return producer, factories.product(producer, f"Miến dong số {i} {province}", group_code="2")


def add_records(actor, province, start, count):
    """`count` producers of `province` (numbered from `start`), each with a product, an archive recognition and its
    certificate, an OCOP rating, a khuyến công project and a fair in which it took part."""
    for i in range(start, start + count):
        producer, product = producer_and_product(province, i)
        recognition = award_services.recognition_record(
            actor=actor,
            product=product,
            level=level("province"),
            year=2024,
            decision_number=f"{100 + i}/QĐ-UBND",
            decision_date=datetime.date(2024, 10, 1),
        )
        award_services.certificate_issue(
            recognition=recognition,
            actor=actor,
            issued_on=datetime.date(2024, 11, 5),
            issuing_body=peoples_committee(province),
            signer_title="KT. CHỦ TỊCH – PHÓ CHỦ TỊCH",
            signer_name="Nguyễn Văn An",
        )
        award_services.ocop_rating_record(
            product=product,
            actor=actor,
            stars=4,
            score=Decimal("75.5"),
            decision_number=f"{200 + i}/QĐ-UBND",
            decision_date=datetime.date(2025, 3, 1),
        )
        project(
            actor,
            code=f"{province[:2].upper()}-2024-{i:02d}",
            province=province,
            title=f"Hỗ trợ máy sấy lạp sườn {province}" if i == 0 else f"Đào tạo nghề đan lát {i}",
        )
        start_day = datetime.date(2023 if i == 0 else 2024, 10, 2)
        the_fair = fair_services.fair_create(
            actor=actor,
            name=f"Hội chợ {province} số {i}",
            starts_on=start_day,
            ends_on=start_day + datetime.timedelta(days=4),
            place="Thành phố Cao Bằng",
            organiser="Bộ Công Thương",
            level=FairLevel.REGIONAL,
            booths=200,
            province=factories.province(province),
        )
        fair_services.participation_record(
            fair=the_fair,
            producer=producer,
            actor=actor,
            products=[product],
            booths=2,
            support_amount=12_000_000,
            sales=85_500_000,
        )


@pytest.fixture
def registry(staff_user, other_staff_user):
    """registry(count) adds `count` more records in each province; call it again to grow the lists."""
    made = {CB: 0, CM: 0}

    def build(count):
        for province, actor in ((CB, staff_user), (CM, other_staff_user)):
            add_records(actor, province, made[province], count)
            made[province] += count

    return build
