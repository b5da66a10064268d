"""The back office (Django admin) for rounds: scoped to the rounds a staff member sees, status changes through
awards.services, no adding (rounds are created on the staff pages, which check level, area and dates)."""

import pytest
from django.urls import reverse

from awards.enums import RoundStatus
from awards.models import Round, RoundStatusLog

CHANGELIST = "admin:awards_round_changelist"


@pytest.fixture
def rounds(make_round):
    return {
        "cao_bang": make_round("province", title="Cấp tỉnh Cao Bằng 2026"),
        "ca_mau": make_round("province", province_name="Cà Mau", title="Cấp tỉnh Cà Mau 2026"),
        "north": make_round("region", region_code="bac", title="Khu vực phía Bắc 2026"),
        "south": make_round("region", region_code="nam", title="Khu vực phía Nam 2026"),
        "national": make_round("national", title="Cấp quốc gia 2026"),
    }


def changelist_titles(response):
    return sorted(r.title for r in response.context["cl"].result_list)


def run_action(client, action, *rounds_):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [r.pk for r in rounds_], "index": "0"},
    )


def change_post(client, round_, **changes):
    """POST the admin change form of `round_` with its own values and `changes`, inlines left as they are."""
    url = reverse("admin:awards_round_change", args=[round_.pk])
    data = {
        "title": round_.title,
        "min_score": str(round_.min_score),
        "quota_per_province": "",
        "quorum_numerator": str(round_.quorum_numerator),
        "quorum_denominator": str(round_.quorum_denominator),
        "notes": round_.notes,
    }
    for prefix in ("phases", "checklist", "group_rules"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "0"}
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
    data.update(changes)
    return client.post(url, data)


def test_admin_round_list_shows_cao_bang_staff_only_their_rounds(client, admin_staff_user, rounds):
    client.force_login(admin_staff_user)

    response = client.get(reverse(CHANGELIST))

    assert response.status_code == 200
    assert changelist_titles(response) == ["Cấp quốc gia 2026", "Cấp tỉnh Cao Bằng 2026", "Khu vực phía Bắc 2026"]


def test_admin_round_list_shows_superuser_every_round(client, superuser, rounds):
    client.force_login(superuser)
    assert changelist_titles(client.get(reverse(CHANGELIST))) == sorted(r.title for r in rounds.values())


def test_admin_round_list_is_refused_to_staff_without_the_staff_group(client, staff_user, rounds):
    client.force_login(staff_user)
    assert client.get(reverse(CHANGELIST)).status_code == 403


def test_admin_change_page_of_another_province_round_is_not_shown(client, admin_staff_user, rounds):
    client.force_login(admin_staff_user)

    response = client.get(reverse("admin:awards_round_change", args=[rounds["ca_mau"].pk]))

    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_admin_publish_action_publishes_a_draft_round_through_the_service(client, admin_staff_user, rounds):
    client.force_login(admin_staff_user)

    response = run_action(client, "publish_rounds", rounds["cao_bang"])

    assert response.status_code == 302
    assert Round.objects.get(pk=rounds["cao_bang"].pk).status == RoundStatus.PUBLISHED
    log = RoundStatusLog.objects.get(round=rounds["cao_bang"])
    assert (log.actor, log.from_status, log.to_status) == (admin_staff_user, RoundStatus.DRAFT, RoundStatus.PUBLISHED)


def test_admin_close_action_refuses_a_draft_round(client, admin_staff_user, rounds):
    client.force_login(admin_staff_user)

    run_action(client, "close_rounds", rounds["cao_bang"])

    assert Round.objects.get(pk=rounds["cao_bang"].pk).status == RoundStatus.DRAFT
    assert not RoundStatusLog.objects.exists()


def test_admin_action_cannot_reach_another_province_round(client, admin_staff_user, rounds):
    client.force_login(admin_staff_user)

    run_action(client, "publish_rounds", rounds["ca_mau"])

    assert Round.objects.get(pk=rounds["ca_mau"].pk).status == RoundStatus.DRAFT


def test_admin_publish_action_leaves_region_round_to_the_ministry_agency(client, admin_staff_user, rounds):
    # The staff pages refuse this (awards/access.py can_manage_round: region and national rounds are managed by
    # the ministry agency; RoundStatusView answers 403). The admin action must not be a way around it.
    client.force_login(admin_staff_user)

    run_action(client, "publish_rounds", rounds["north"])

    assert Round.objects.get(pk=rounds["north"].pk).status == RoundStatus.DRAFT, (
        "province staff published a region round through the admin action"
    )


def test_admin_change_form_does_not_let_province_staff_edit_a_region_round(client, admin_staff_user, rounds):
    # Same rule as above, for the change form: the staff edit page answers 403 for this round.
    client.force_login(admin_staff_user)

    change_post(client, rounds["north"], title="Khu vực phía Bắc 2026 (sửa bởi Sở Cao Bằng)")

    assert Round.objects.get(pk=rounds["north"].pk).title == "Khu vực phía Bắc 2026", (
        "province staff changed a region round through the admin change form"
    )


def test_admin_change_form_saves_own_province_round(client, admin_staff_user, rounds):
    client.force_login(admin_staff_user)

    response = change_post(client, rounds["cao_bang"], title="Cấp tỉnh Cao Bằng 2026 (sửa)", min_score="75")

    assert response.status_code == 302
    saved = Round.objects.get(pk=rounds["cao_bang"].pk)
    assert (saved.title, str(saved.min_score)) == ("Cấp tỉnh Cao Bằng 2026 (sửa)", "75.00")


@pytest.mark.parametrize("user_fixture", ["admin_staff_user", "superuser"])
def test_adding_a_round_in_the_admin_is_refused(client, request, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))

    assert client.get(reverse("admin:awards_round_add")).status_code == 403
    assert client.post(reverse("admin:awards_round_add"), {"title": "Đợt thêm trong admin"}).status_code == 403
    assert not Round.objects.exists()


def test_admin_refuses_a_producer_account_as_council_member(db):
    from awards.admin import CouncilMemberForm
    from portal.accounts.enums import Role
    from tests import factories

    producer_account = factories.UserFactory(role=Role.PRODUCER)
    form = CouncilMemberForm(data={"user": producer_account.pk, "role": "member"})
    form.is_valid()
    assert "user" in form.errors


def test_a_council_on_record_is_read_only_in_the_admin(client, superuser, published_decision):
    """Once the round's decision is published its council and seats are kept as decided: the change page is a
    read-only view and a crafted POST changes nothing."""
    from awards.models import Council, CouncilMember

    decision = published_decision(recognised=1)
    council = Council.objects.get(round=decision.round)
    seats = list(CouncilMember.objects.filter(council=council).values_list("pk", "user_id", "role"))
    client.force_login(superuser)
    url = reverse("admin:awards_council_change", args=[council.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert not any(formset.formset.can_delete for formset in page.context["inline_admin_formsets"])

    response = client.post(url, {"name": "Đổi tên sau quyết định", "members-TOTAL_FORMS": "0"})
    assert response.status_code == 403
    council.refresh_from_db()
    assert council.name == "Hội đồng bình chọn tỉnh Cao Bằng"
    assert list(CouncilMember.objects.filter(council=council).values_list("pk", "user_id", "role")) == seats
