"""Look-ups of the default programme configuration (migration 0002) shared by the awards tests."""

import datetime

from django.utils import timezone

from awards.models import Level, Programme, Region
from portal.core.workflow import SYSTEM
from products.enums import OrganizationKind
from products.models import AdministrativeUnit, Organization

MINISTRY_AGENCY = "Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công"


def programme() -> Programme:
    return Programme.objects.get(code="spcnnttb")


def level(code: str) -> Level:
    return Level.objects.get(programme__code="spcnnttb", code=code)


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def ministry_agency() -> Organization:
    org, _ = Organization.objects.get_or_create(
        name=MINISTRY_AGENCY, defaults={"kind": OrganizationKind.MINISTRY_AGENCY, "province": None}
    )
    return org


def old_district_of(province: AdministrativeUnit) -> AdministrativeUnit:
    """A district as it was before 1 July 2025, inside today's `province`."""
    return (
        AdministrativeUnit.objects.filter(level="district", is_current=False, parent__successor=province)
        .order_by("code")
        .first()
    )


def registration_window(starts_in_days=-5, ends_in_days=30):
    today = timezone.localdate()
    return (today + datetime.timedelta(days=starts_in_days), today + datetime.timedelta(days=ends_in_days))


def open_province_round(province_name="Cao Bằng"):
    """A published province round of this year whose registration opens today, made through the services as
    the staff pages make it: the starting point of the browser walk-throughs."""
    from awards import services
    from awards.enums import PhaseKind, RoundStatus
    from tests import factories

    registration = registration_window(starts_in_days=0, ends_in_days=30)
    round_ = services.round_create(
        programme=programme(),
        phases={PhaseKind.REGISTRATION: registration},
        level=level("province"),
        year=registration[0].year,
        title=f"Bình chọn sản phẩm CNNT tiêu biểu cấp tỉnh {province_name} {registration[0].year}",
        province=factories.province(province_name),
        organiser=factories.organization(province_name),
    )
    services.round_set_status(round_=round_, to=RoundStatus.PUBLISHED, actor=SYSTEM)
    return round_
