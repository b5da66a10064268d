"""awards.selectors: which rounds staff see, and which rounds the public list shows."""

import datetime

import pytest
from django.utils import timezone

from awards import services
from awards.enums import PhaseKind, RoundStatus
from awards.selectors import rounds_for_staff, rounds_open_to_public
from portal.core.workflow import SYSTEM


def titles(rounds):
    return sorted(r.title for r in rounds)


@pytest.fixture
def rounds(make_round):
    """One round of each area that matters for the two test provinces (all drafts)."""
    return {
        "cao_bang": make_round("province", title="Cấp tỉnh Cao Bằng 2026"),
        "cao_bang_commune": make_round("commune", title="Cấp xã Cao Bằng 2026"),
        "ca_mau": make_round("province", province_name="Cà Mau", title="Cấp tỉnh Cà Mau 2026"),
        "north": make_round("region", region_code="bac", title="Khu vực phía Bắc 2026"),
        "south": make_round("region", region_code="nam", title="Khu vực phía Nam 2026"),
        "national": make_round("national", title="Cấp quốc gia 2026"),
    }


def test_cao_bang_staff_see_their_province_northern_region_and_national_rounds(rounds, staff_user):
    visible = list(rounds_for_staff(staff_user))

    assert titles(visible) == [
        "Cấp quốc gia 2026",
        "Cấp tỉnh Cao Bằng 2026",
        "Cấp xã Cao Bằng 2026",
        "Khu vực phía Bắc 2026",
    ]


def test_cao_bang_staff_do_not_see_ca_mau_or_southern_rounds(rounds, staff_user):
    visible = rounds_for_staff(staff_user)

    assert not visible.filter(pk__in=[rounds["ca_mau"].pk, rounds["south"].pk]).exists()


def test_ca_mau_staff_see_their_province_southern_region_and_national_rounds(rounds, other_staff_user):
    assert titles(rounds_for_staff(other_staff_user)) == [
        "Cấp quốc gia 2026",
        "Cấp tỉnh Cà Mau 2026",
        "Khu vực phía Nam 2026",
    ]


def test_staff_see_each_round_once(rounds, staff_user):
    pks = list(rounds_for_staff(staff_user).values_list("pk", flat=True))
    assert len(pks) == len(set(pks)) == 4


def test_ministry_agency_staff_see_region_and_national_rounds(rounds, ministry_staff_user):
    assert titles(rounds_for_staff(ministry_staff_user)) == [
        "Cấp quốc gia 2026",
        "Khu vực phía Bắc 2026",
        "Khu vực phía Nam 2026",
    ]


def test_superuser_sees_every_round(rounds, superuser):
    assert titles(rounds_for_staff(superuser)) == titles(rounds.values())


@pytest.mark.parametrize("user_fixture", ["member_user", "producer_user"])
def test_non_staff_users_see_no_round(request, rounds, user_fixture):
    assert list(rounds_for_staff(request.getfixturevalue(user_fixture))) == []


def test_staff_without_organisation_see_no_round(rounds, staff_user):
    staff_user.organization = None
    staff_user.save()
    assert list(rounds_for_staff(staff_user)) == []


# --- rounds_open_to_public ---


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def test_public_list_shows_published_rounds_whose_registration_has_not_ended(make_round):
    make_round(title="Còn 10 ngày", registration=(days(-5), days(10)), publish=True)
    make_round(title="Hết hạn hôm nay", registration=(days(-30), days(0)), publish=True)
    make_round(title="Chưa mở", registration=(days(5), days(40)), publish=True)
    make_round(title="Hết hạn hôm qua", registration=(days(-30), days(-1)), publish=True)
    make_round(title="Bản nháp", registration=(days(-5), days(10)))

    assert [r.title for r in rounds_open_to_public()] == ["Hết hạn hôm nay", "Còn 10 ngày", "Chưa mở"]


def test_public_list_leaves_out_closed_rounds(make_round):
    round_ = make_round(title="Đã đóng", publish=True)
    services.round_set_status(round_=round_, to=RoundStatus.CLOSED, actor=SYSTEM)

    assert list(rounds_open_to_public()) == []


def test_public_list_shows_reopened_rounds(make_round):
    round_ = make_round(title="Mở lại", publish=True)
    services.round_set_status(round_=round_, to=RoundStatus.CLOSED, actor=SYSTEM)
    services.round_set_status(round_=round_, to=RoundStatus.PUBLISHED, actor=SYSTEM)

    assert [r.title for r in rounds_open_to_public()] == ["Mở lại"]


def test_public_list_orders_by_registration_deadline_across_levels(make_round):
    make_round("national", title="Quốc gia", registration=(days(-5), days(60)), publish=True)
    make_round("region", title="Khu vực", registration=(days(-5), days(20)), publish=True)
    make_round("province", title="Tỉnh", registration=(days(-5), days(40)), publish=True)
    make_round("commune", title="Xã", registration=(days(-5), days(3)), publish=True)

    assert [r.title for r in rounds_open_to_public()] == ["Xã", "Khu vực", "Tỉnh", "Quốc gia"]


def test_public_list_has_no_duplicates_with_several_phases(make_round):
    make_round(
        "region",
        title="Khu vực phía Bắc",
        registration=(days(-5), days(20)),
        phases={PhaseKind.SCREENING: (days(21), days(30)), PhaseKind.SCORING: (days(31), days(40))},
        publish=True,
    )
    make_round(title="Tỉnh Cao Bằng", registration=(days(-5), days(25)), publish=True)

    assert [r.title for r in rounds_open_to_public()] == ["Khu vực phía Bắc", "Tỉnh Cao Bằng"]


def test_public_list_takes_the_day_it_is_given(make_round):
    make_round(title="Hết hạn 10 ngày nữa", registration=(days(-5), days(10)), publish=True)

    assert [r.title for r in rounds_open_to_public(days(10))] == ["Hết hạn 10 ngày nữa"]
    assert list(rounds_open_to_public(days(11))) == []
