"""Once the round's recognition decision is published, its council is on record: the council page offers no edits,
its edit pages go back with a message and the services refuse every change (members, assignments, conflicts)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from awards import services
from awards.enums import CouncilRole
from awards.models import CouncilMember
from portal.accounts.enums import Role
from tests import factories

ON_RECORD = "Quyết định công nhận của đợt đã được cập nhật: hội đồng đã được lưu hồ sơ và không thể thay đổi."


@pytest.fixture
def decided(published_decision):
    decision = published_decision()
    council = decision.round.council
    return decision.round, council, council.members.get()


def test_the_council_page_offers_no_edits_once_the_decision_is_published(client, staff_user, decided):
    round_, _council, _member = decided
    client.force_login(staff_user)

    page = client.get(reverse("awards:staff.council.detail", args=[round_.pk])).content.decode()

    assert ON_RECORD in page
    assert reverse("awards:staff.council.member.add", args=[round_.pk]) not in page
    assert reverse("awards:staff.council.update", args=[round_.pk]) not in page


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("staff.council.update", "get"),
        ("staff.council.member.add", "get"),
        ("staff.council.member.add", "post"),
        ("staff.council.conflict.add", "get"),
    ],
)
def test_edit_pages_go_back_with_the_reason(client, staff_user, decided, name, method):
    round_, _council, _member = decided
    client.force_login(staff_user)
    before = CouncilMember.objects.count()

    response = getattr(client, method)(
        reverse(f"awards:{name}", args=[round_.pk]), {"email": "moi@example.vn", "full_name": "Người mới"}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("awards:staff.council.detail", args=[round_.pk])
    assert ON_RECORD in response.content.decode()
    assert CouncilMember.objects.count() == before


def test_member_removal_is_refused(client, staff_user, decided):
    round_, _council, member = decided
    client.force_login(staff_user)
    response = client.post(reverse("awards:staff.council.member.remove", args=[round_.pk, member.pk]), follow=True)
    assert ON_RECORD in response.content.decode()
    assert CouncilMember.objects.filter(pk=member.pk).exists()


def test_services_refuse_changes_to_a_council_on_record(staff_user, decided):
    _round, council, member = decided
    newcomer = factories.UserFactory(role=Role.MEMBER)
    with pytest.raises(ValidationError, match="lưu hồ sơ"):
        services.council_member_add(council=council, user=newcomer, actor=staff_user, role=CouncilRole.MEMBER)
    with pytest.raises(ValidationError, match="lưu hồ sơ"):
        services.council_member_update(member=member, actor=staff_user, role=CouncilRole.MEMBER)
    with pytest.raises(ValidationError, match="lưu hồ sơ"):
        services.council_update(council=council, actor=staff_user, name="Tên khác")
    assert not CouncilMember.objects.filter(user=newcomer).exists()
