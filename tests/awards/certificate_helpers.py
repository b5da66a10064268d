"""A round with a published decision, built through the services: the starting point of every certificate test."""

import datetime

import pytest

from awards import services
from awards.enums import CouncilRole
from awards.models import CriteriaSheet, Criterion, Recognition
from portal.accounts.enums import Role
from products.enums import OrganizationKind
from products.models import Organization
from tests import factories

from .nomination_helpers import ready_product

DECISION_DATE = datetime.date(2026, 12, 15)
ISSUE_DATE = datetime.date(2027, 1, 5)


def peoples_committee(province_name="Cao Bằng") -> Organization:
    org, _ = Organization.objects.get_or_create(
        name=f"Ủy ban nhân dân tỉnh {province_name}",
        defaults={"kind": OrganizationKind.PEOPLES_COMMITTEE, "province": factories.province(province_name)},
    )
    return org


def _accepted(round_, producer, name, staff, group_code="2"):
    nomination = services.nomination_create(
        round_=round_, product=ready_product(producer, name, group_code=group_code), actor=staff
    )
    services.nomination_update_form(
        nomination=nomination,
        actor=staff,
        annual_output="5 tấn",
        workers=5,
        markets="Trong tỉnh",
        highlights="Đặc sản",
        declaration_accepted=True,
    )
    services.nomination_submit(nomination=nomination, actor=staff)
    services.nomination_accept(nomination=nomination, actor=staff)
    nomination.refresh_from_db()
    return nomination


def _score_all(council, member, nomination, share):
    leaves = Criterion.objects.filter(sheet=council.criteria_sheet, children__isnull=True)
    points = {c.pk: (c.max_points * share).quantize(c.max_points.__class__("0.01")) for c in leaves}
    services.sheet_save(member=member, nomination=nomination, points=points, submit=True)


@pytest.fixture
def published_decision(make_round, staff_user):
    """published_decision(products=[(producer name, product name), …], recognised=k) → the Decision; the
    first k products are recognised (with a Recognition each), the rest not."""

    def build(products=None, recognised=None):
        products = products or [
            ("Hợp tác xã Tâm Hòa", "Lạp sườn hun khói Tâm Hòa"),
            ("Công ty TNHH Một thành viên 688", "Chiếu trúc Nguyên Bình"),
            ("Hộ kinh doanh Đàm Thị Hường", "Miến dong Phja Đén"),
        ]
        recognised = len(products) - 1 if recognised is None else recognised
        round_ = make_round("province", publish=True)
        council = services.council_create(
            round_=round_,
            actor=staff_user,
            name="Hội đồng bình chọn tỉnh Cao Bằng",
            decision_number="15/QĐ-SCT",
            signer="Giám đốc Sở",
            decision_date=datetime.date(2026, 11, 1),
            criteria_sheet=CriteriaSheet.objects.get(code="phu-luc-4"),
        )
        member = services.council_member_add(
            council=council, actor=staff_user, role=CouncilRole.CHAIR, user=factories.UserFactory(role=Role.MEMBER)
        )
        nominations = []
        for i, (producer_name, product_name) in enumerate(products):
            nomination = _accepted(round_, factories.producer(producer_name, "Cao Bằng"), product_name, staff_user)
            _score_all(council, member, nomination, factories_share(i))
            nominations.append(nomination)
        return services.decision_publish(
            round_=round_,
            actor=staff_user,
            nominations=nominations[:recognised],
            number="1450/QĐ-UBND",
            date=DECISION_DATE,
            issuing_body=peoples_committee(),
            signer_title="KT. CHỦ TỊCH – PHÓ CHỦ TỊCH",
            signer_name="Nguyễn Trung Thảo",
        )

    return build


def factories_share(i):
    from decimal import Decimal

    return Decimal("0.9") - Decimal(i) / 20


def recognitions_of(decision):
    return list(Recognition.objects.filter(decision=decision).order_by("product__name"))
