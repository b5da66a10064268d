"""Setting up a council through awards.services: its facts (fixed scoring settings once sheets are in), one chair,
members invited by e-mail, removal only without sheets, conflicts of interest and the members' progress."""

import re

import pytest
from django.contrib.admin.models import DELETION, LogEntry
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from awards import services
from awards.enums import AggregateMethod, AssignmentMode, ConflictReason, CouncilRole, NominationStatus, SheetStatus
from awards.models import Conflict, CouncilMember, CriteriaSheet
from awards.selectors import council_progress, member_nominations
from portal.accounts.enums import Role
from portal.accounts.models import User
from portal.core import access
from tests import factories

from .scoring_helpers import accepted, council_for, default_sheet, seat, spread

BASE = "https://cnnt.example.vn/"
FULL = {"1": 40, "2": 40, "3": 10, "4": 10}


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def setup(make_round, producer_a, producer_user, staff_user):
    round_ = make_round("province", publish=True)
    nomination = accepted(round_, producer_a, producer_user, staff_user)
    council = council_for(round_, staff_user)
    return round_, council, nomination


def submit_sheet(council, member, nomination):
    return services.sheet_save(member=member, nomination=nomination, points=spread(council, FULL), submit=True)


def second_version(council) -> CriteriaSheet:
    return CriteriaSheet.objects.create(
        programme=council.round.programme, code="phu-luc-4", version=2, name="Phiếu chấm điểm (sửa đổi)"
    )


# -- council_update --------------------------------------------------------------------------------------------
def test_council_update_changes_the_facts_and_the_sheet_before_any_sheet_is_submitted(setup, staff_user):
    _round, council, _nomination = setup
    v2 = second_version(council)

    services.council_update(
        council=council,
        actor=staff_user,
        decision_number="20/QĐ-SCT",
        criteria_sheet=v2,
        aggregate_method=AggregateMethod.TRIMMED_MEAN,
    )

    council.refresh_from_db()
    assert (council.decision_number, council.criteria_sheet, council.aggregate_method) == (
        "20/QĐ-SCT",
        v2,
        AggregateMethod.TRIMMED_MEAN,
    )


def test_council_update_refuses_scoring_settings_once_a_sheet_is_submitted_but_keeps_other_facts_editable(
    setup, staff_user
):
    _round, council, nomination = setup
    member = seat(council, staff_user)
    submit_sheet(council, member, nomination)
    v2 = second_version(council)

    for change in ({"criteria_sheet": v2}, {"aggregate_method": AggregateMethod.TRIMMED_MEAN}, {"trim_from": 7}):
        with pytest.raises(ValidationError) as refused:
            services.council_update(council=council, actor=staff_user, **change)
        [(field, [message])] = refused.value.message_dict.items()
        assert field == next(iter(change))
        assert "đã nộp phiếu chấm" in message

    # Same values are not a change; the decision facts still are editable.
    services.council_update(
        council=council, actor=staff_user, criteria_sheet=default_sheet(), signer="Phó Giám đốc Sở", trim_from=5
    )
    council.refresh_from_db()
    assert (council.criteria_sheet, council.signer, council.aggregate_method) == (
        default_sheet(),
        "Phó Giám đốc Sở",
        AggregateMethod.MEAN,
    )


def test_council_update_by_staff_of_another_province_is_refused(setup, other_staff_user):
    _round, council, _nomination = setup
    with pytest.raises(PermissionDenied):
        services.council_update(council=council, actor=other_staff_user, name="Hội đồng khác")


# -- one chair ---------------------------------------------------------------------------------------------------
def test_a_second_chair_is_refused_on_adding_and_on_editing(setup, staff_user):
    _round, council, _nomination = setup
    seat(council, staff_user, full_name="Chủ tịch", role=CouncilRole.CHAIR)
    other = seat(council, staff_user, full_name="Ủy viên")

    with pytest.raises(ValidationError) as refused:
        seat(council, staff_user, full_name="Chủ tịch thứ hai", role=CouncilRole.CHAIR)
    assert refused.value.message_dict["role"] == [
        "Hội đồng đã có Chủ tịch: Chủ tịch. Mỗi hội đồng chỉ có một Chủ tịch."
    ]

    with pytest.raises(ValidationError):
        services.council_member_update(member=other, actor=staff_user, role=CouncilRole.CHAIR)
    assert council.members.filter(role=CouncilRole.CHAIR).count() == 1


def test_the_chair_keeps_its_role_when_edited(setup, staff_user):
    _round, council, _nomination = setup
    chair = seat(council, staff_user, full_name="Chủ tịch", role=CouncilRole.CHAIR)

    services.council_member_update(
        member=chair, actor=staff_user, role=CouncilRole.CHAIR, organization="Sở Công Thương", is_jury=True
    )

    chair.refresh_from_db()
    assert (chair.role, chair.organization) == (CouncilRole.CHAIR, "Sở Công Thương")


# -- removal -------------------------------------------------------------------------------------------------------
def test_a_member_with_a_sheet_cannot_be_removed_one_without_can(setup, staff_user):
    _round, council, nomination = setup
    scorer = seat(council, staff_user, full_name="Người đã chấm")
    idle = seat(council, staff_user, full_name="Người chưa chấm")
    services.sheet_save(member=scorer, nomination=nomination, points={})  # even a draft is on record

    with pytest.raises(ValidationError) as refused:
        services.council_member_remove(member=scorer, actor=staff_user)
    assert "Người đã chấm" in refused.value.messages[0]
    assert "phiếu chấm" in refused.value.messages[0]

    services.council_member_remove(member=idle, actor=staff_user)
    assert list(council.members.all()) == [scorer]


# -- invitations ---------------------------------------------------------------------------------------------------
def test_inviting_a_new_person_creates_a_member_account_without_password_and_emails_a_set_password_link(
    setup, staff_user, django_capture_on_commit_callbacks
):
    round_, council, _nomination = setup
    with django_capture_on_commit_callbacks(execute=True):
        member = services.council_member_invite(
            council=council,
            actor=staff_user,
            email="  Chuyen.Gia@Example.VN ",
            full_name="Chuyên gia Lê Văn Bình",
            phone="0912 345 678",
            role=CouncilRole.VICE_CHAIR,
            organization="Trường Đại học Nông Lâm",
            base_url=BASE,
        )

    user = User.objects.get(email="chuyen.gia@example.vn")
    assert member.user == user
    assert (user.role, user.full_name, user.phone, user.email_verified) == (
        Role.MEMBER,
        "Chuyên gia Lê Văn Bình",
        "0912 345 678",
        False,
    )
    assert not user.has_usable_password()
    assert member.invited_at is not None
    assert (member.role, member.organization) == (CouncilRole.VICE_CHAIR, "Trường Đại học Nông Lâm")
    [message] = mail.outbox
    assert message.to == ["chuyen.gia@example.vn"]
    assert message.subject == f"Thư mời tham gia {council.name}"
    assert round_.title in message.body
    assert "với vai trò Phó Chủ tịch" in message.body
    assert re.search(r"https://cnnt\.example\.vn/accounts/password/reset/\S+/\S+/", message.body)


def test_inviting_an_existing_member_account_seats_it_and_tells_it_to_sign_in(
    setup, staff_user, member_user, django_capture_on_commit_callbacks
):
    _round, council, _nomination = setup
    with django_capture_on_commit_callbacks(execute=True):
        member = services.council_member_invite(
            council=council, actor=staff_user, email=member_user.email.upper(), base_url=BASE
        )

    assert member.user == member_user
    member_user.refresh_from_db()
    assert member_user.check_password(factories.PASSWORD)  # its password is untouched
    [message] = mail.outbox
    assert message.to == [member_user.email]
    assert "https://cnnt.example.vn/accounts/login/" in message.body
    assert "password/reset" not in message.body


def test_a_producer_account_is_refused_and_nothing_is_sent(setup, staff_user, producer_user, mailoutbox):
    _round, council, _nomination = setup
    with pytest.raises(ValidationError) as refused:
        services.council_member_invite(council=council, actor=staff_user, email=producer_user.email, base_url=BASE)
    assert "cơ sở sản xuất" in refused.value.message_dict["email"][0]
    assert not council.members.exists()
    assert mailoutbox == []


def test_a_new_address_without_a_name_is_refused_and_no_account_is_made(setup, staff_user):
    _round, council, _nomination = setup
    with pytest.raises(ValidationError) as refused:
        services.council_member_invite(council=council, actor=staff_user, email="moi@example.vn", base_url=BASE)
    assert "full_name" in refused.value.message_dict
    assert not User.objects.filter(email="moi@example.vn").exists()


def test_a_person_already_on_the_council_is_not_seated_twice(setup, staff_user, member_user):
    _round, council, _nomination = setup
    seat(council, staff_user, user=member_user)
    with pytest.raises(ValidationError) as refused:
        services.council_member_invite(council=council, actor=staff_user, email=member_user.email, base_url=BASE)
    assert "đã là thành viên" in refused.value.messages[0]
    assert council.members.count() == 1


def test_resending_an_invitation_gives_a_new_link_and_a_new_date(setup, staff_user, django_capture_on_commit_callbacks):
    _round, council, _nomination = setup
    with django_capture_on_commit_callbacks(execute=True):
        member = services.council_member_invite(
            council=council, actor=staff_user, email="b@example.vn", full_name="Bùi Thị B", base_url=BASE
        )
    first = member.invited_at
    with django_capture_on_commit_callbacks(execute=True):
        services.council_invitation_send(member=member, actor=staff_user, base_url=BASE)

    member.refresh_from_db()
    assert member.invited_at > first
    assert [m.to for m in mail.outbox] == [["b@example.vn"], ["b@example.vn"]]


def test_invitations_by_staff_of_another_province_are_refused(setup, other_staff_user, staff_user):
    _round, council, _nomination = setup
    member = seat(council, staff_user)
    with pytest.raises(PermissionDenied):
        services.council_member_invite(
            council=council, actor=other_staff_user, email="x@example.vn", full_name="X", base_url=BASE
        )
    with pytest.raises(PermissionDenied):
        services.council_invitation_send(member=member, actor=other_staff_user, base_url=BASE)


# -- conflicts -------------------------------------------------------------------------------------------------------
def test_removing_a_conflict_gives_the_dossier_back_and_is_logged(setup, staff_user):
    _round, council, nomination = setup
    member = seat(council, staff_user)
    conflict = services.conflict_declare(
        member=member, nomination=nomination, reason=ConflictReason.SAME_COMMUNE, actor=staff_user
    )
    assert member_nominations(member) == []

    services.conflict_remove(conflict=conflict, actor=staff_user)

    assert not Conflict.objects.exists()
    assert [row["nomination"] for row in member_nominations(member)] == [nomination]
    entry = LogEntry.objects.get()
    assert (entry.user, entry.action_flag) == (staff_user, DELETION)
    assert nomination.receipt_code in entry.change_message


def test_conflicts_no_longer_change_once_the_scoring_of_the_dossier_is_closed(setup, staff_user):
    round_, council, nomination = setup
    scorer, other = seat(council, staff_user, full_name="A"), seat(council, staff_user, full_name="B")
    conflict = services.conflict_declare(
        member=other, nomination=nomination, reason=ConflictReason.OTHER, actor=staff_user
    )
    submit_sheet(council, scorer, nomination)
    services.scores_finalise(round_=round_, actor=staff_user)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.SCORED

    with pytest.raises(ValidationError):
        services.conflict_declare(member=scorer, nomination=nomination, reason=ConflictReason.OTHER, actor=scorer.user)
    with pytest.raises(ValidationError):
        services.conflict_remove(conflict=conflict, actor=staff_user)
    assert list(Conflict.objects.all()) == [conflict]


# -- progress --------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", list(AssignmentMode))
def test_council_progress_counts_what_member_nominations_lists(
    mode, make_round, producer_a, producer_b, producer_user, producer_b_user, staff_user
):
    round_ = make_round("province", publish=True)
    food = accepted(round_, producer_a, producer_user, staff_user, name="Lạp sườn", group_code="2")
    craft = accepted(round_, producer_b, producer_b_user, staff_user, name="Chiếu trúc", group_code="1")
    council = council_for(round_, staff_user, assignment_mode=mode)
    both = seat(council, staff_user, full_name="Cả hai nhóm", groups=["1", "2"])
    food_only = seat(council, staff_user, full_name="Nhóm 2", groups=["2"])
    conflicted = seat(council, staff_user, full_name="Có xung đột", groups=["1", "2"])
    secretary = seat(council, staff_user, full_name="Thư ký", is_jury=False, role=CouncilRole.SECRETARY)
    if mode == AssignmentMode.INDIVIDUAL:
        services.council_assign(council=council, actor=staff_user, member=both, nominations=[food, craft])
        services.council_assign(council=council, actor=staff_user, member=food_only, nominations=[food])
        services.council_assign(council=council, actor=staff_user, member=conflicted, nominations=[food, craft])
    services.conflict_declare(member=conflicted, nomination=craft, reason=ConflictReason.RELATIVE, actor=staff_user)
    for member in (both, food_only, conflicted):
        submit_sheet(council, member, food)
    services.sheet_save(member=both, nomination=craft, points={})  # a draft does not count as done

    members = list(CouncilMember.objects.filter(council=council))
    progress = council_progress(council, members)

    for member in (both, food_only, conflicted):
        rows = member_nominations(member)
        expected_done = sum(1 for r in rows if r["sheet"] and r["sheet"].status == SheetStatus.SUBMITTED)
        assert progress[member.pk] == {"done": expected_done, "total": len(rows)}
    assert secretary.pk not in progress
    expected_total = {AssignmentMode.ALL: 2, AssignmentMode.GROUPS: 1, AssignmentMode.INDIVIDUAL: 1}[mode]
    assert progress[food_only.pk] == {"done": 1, "total": expected_total}
    assert progress[both.pk] == {"done": 1, "total": 2}
    assert progress[conflicted.pk] == {"done": 1, "total": 1}
    assert sum(p["done"] for p in progress.values()) == 3


@pytest.mark.parametrize("account", ["other_staff_user", "ministry_staff_user", "superuser"])
def test_another_bodys_account_cannot_be_seated(setup, staff_user, account, request, mailoutbox):
    """Seating someone must not hand the seating department that person's account: another province's staff,
    a ministry official or an administrator is refused, and nothing is sent."""
    _round, council, _nomination = setup
    other = request.getfixturevalue(account)
    with pytest.raises(ValidationError) as refused:
        services.council_member_invite(council=council, actor=staff_user, email=other.email, base_url=BASE)
    assert "thuộc một cơ quan khác" in refused.value.message_dict["email"][0]
    with pytest.raises(ValidationError):
        services.council_member_add(council=council, user=other, actor=staff_user, role=CouncilRole.MEMBER)
    assert not council.members.exists()
    assert mailoutbox == []
    assert not access.allows(staff_user, other, write=True)


def test_the_organisers_own_staff_and_member_accounts_may_sit(setup, staff_user, member_user):
    _round, council, _nomination = setup
    secretary = factories.UserFactory(role=Role.STAFF, organization=staff_user.organization, full_name="Thư ký")
    services.council_member_add(council=council, user=secretary, actor=staff_user, role=CouncilRole.SECRETARY)
    services.council_member_add(council=council, user=member_user, actor=staff_user, role=CouncilRole.MEMBER)
    assert council.members.count() == 2
    # A seated council-member account is one the organiser's staff may look after.
    assert access.allows(staff_user, member_user, write=True)
