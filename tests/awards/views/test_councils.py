"""The staff pages that set up a round's council — its facts, members, invitations and conflicts of interest — and
the member's own declaration of a conflict of interest.

Who may open what: anonymous users go to sign in; producers and council members answer 403 on the staff pages;
staff of another province answer 404 (they do not see the round); the staff managing the round open and write.
On the member's declaration page the member who scores the dossier opens it, staff and producers answer 403 and a
member of another council 404."""

import datetime
import re
from types import SimpleNamespace
from urllib.parse import urlparse

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.forms import inlineformset_factory
from django.urls import reverse
from django.utils import timezone

from awards import services
from awards.admin import CouncilMemberForm, CouncilMemberFormSet
from awards.enums import AggregateMethod, AssignmentMode, ConflictReason, CouncilRole, PhaseKind
from awards.models import Conflict, Council, CouncilMember, CriteriaSheet
from awards.urls import urlpatterns
from portal.accounts.enums import Role
from portal.accounts.models import User
from tests import factories

from ..helpers import registration_window
from ..scoring_helpers import accepted, council_for, default_sheet, seat, sheet_post, spread

LOGIN = "login"
OK = "ok"
ROLES = ("anonymous", "producer", "member", "other_member", "other_staff", "staff")
NEW_PASSWORD = "Chieu-truc-xanh-91"
FULL = {"1": 40, "2": 40, "3": 10, "4": 10}


def outcomes(*values):
    return dict(zip(ROLES, values, strict=True))


STAFF_PAGE = outcomes(LOGIN, 403, 403, 403, 404, OK)
MEMBER_PAGE = outcomes(LOGIN, 403, OK, 404, 403, 403)


def url(name, *args):
    return reverse(f"awards:{name}", args=args)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def scoring_phase():
    """Scoring runs from today (the tests score now) until after registration."""
    start, end = registration_window()
    return {PhaseKind.SCORING: (start + datetime.timedelta(days=5), end + datetime.timedelta(days=20))}


@pytest.fixture
def records(make_round, producer_a, producer_user, staff_user, other_staff_user):
    """A Cao Bằng round with an accepted dossier and a council: a chair (jury), a member who scores, a member
    with a conflict of interest, a secretary; a Cao Bằng round without council yet; a Cà Mau round with its own
    council and member."""
    round_ = make_round("province", publish=True, phases=scoring_phase())
    nomination = accepted(round_, producer_a, producer_user, staff_user)
    council = council_for(round_, staff_user)
    chair = seat(council, staff_user, full_name="Chủ tịch Hội đồng", role=CouncilRole.CHAIR)
    scorer = seat(council, staff_user, full_name="Ủy viên chấm điểm", organization="Trường Cao đẳng Cao Bằng")
    conflicted = seat(council, staff_user, full_name="Ủy viên có xung đột")
    conflict = services.conflict_declare(
        member=conflicted, nomination=nomination, reason=ConflictReason.RELATIVE, actor=staff_user
    )
    secretary = seat(council, staff_user, full_name="Thư ký Hội đồng", role=CouncilRole.SECRETARY, is_jury=False)
    empty_round = make_round("province", title="Bình chọn cấp tỉnh Cao Bằng lần 2", publish=True)
    other_round = make_round("province", province_name="Cà Mau", publish=True)
    outsider = seat(council_for(other_round, other_staff_user), other_staff_user, full_name="Thành viên Cà Mau")
    return SimpleNamespace(
        round=round_,
        empty_round=empty_round,
        nomination=nomination,
        council=council,
        chair=chair,
        scorer=scorer,
        conflicted=conflicted,
        conflict=conflict,
        secretary=secretary,
        users={
            "anonymous": None,
            "producer": producer_user,
            "member": scorer.user,
            "other_member": outsider.user,
            "other_staff": other_staff_user,
            "staff": staff_user,
        },
    )


def sign_in(client, records, role):
    user = records.users[role]
    if user is not None:
        client.force_login(user)


def council_post(**changes):
    data = {
        "name": "Hội đồng bình chọn SPCNNTTB tỉnh Cao Bằng năm 2026",
        "decision_number": "125/QĐ-SCT",
        "decision_date": "05/11/2026",
        "signer": "Giám đốc Sở Công Thương",
        "criteria_sheet": str(default_sheet().pk),
        "assignment_mode": AssignmentMode.ALL,
        "aggregate_method": AggregateMethod.MEAN,
        "trim_from": "5",
        "outlier_points": "15",
        "passes": "1",
        "pass_two_cut": "70",
    }
    data.update(changes)
    return data


def member_post(**changes):
    data = {"email": "", "full_name": "", "phone": "", "role": CouncilRole.MEMBER, "organization": "", "is_jury": "on"}
    data.update(changes)
    return data


# -- permission matrix ---------------------------------------------------------------------------------------------
# name → (method, url, data, what a managing staff member gets)
URLS = {
    "staff.council.detail": lambda r: ("get", url("staff.council.detail", r.round.pk), None, 200),
    "staff.council.create": lambda r: ("get", url("staff.council.create", r.empty_round.pk), None, 200),
    "staff.council.update": lambda r: ("get", url("staff.council.update", r.round.pk), None, 200),
    "staff.council.member.add": lambda r: ("get", url("staff.council.member.add", r.round.pk), None, 200),
    "staff.council.member.update": lambda r: (
        "get",
        url("staff.council.member.update", r.round.pk, r.scorer.pk),
        None,
        200,
    ),
    "staff.council.member.remove": lambda r: (
        "post",
        url("staff.council.member.remove", r.round.pk, r.secretary.pk),
        {},
        302,
    ),
    "staff.council.member.invite": lambda r: (
        "post",
        url("staff.council.member.invite", r.round.pk, r.scorer.pk),
        {},
        302,
    ),
    "staff.council.conflict.add": lambda r: ("get", url("staff.council.conflict.add", r.round.pk), None, 200),
    "staff.council.conflict.remove": lambda r: (
        "post",
        url("staff.council.conflict.remove", r.round.pk, r.conflict.pk),
        {},
        302,
    ),
    "member.conflict.declare": lambda r: ("get", url("member.conflict.declare", r.nomination.pk), None, 200),
}
# The same pages written to: what each writes when allowed, and must not when refused.
POSTS = {
    "staff.council.create": lambda r: (url("staff.council.create", r.empty_round.pk), council_post()),
    "staff.council.update": lambda r: (url("staff.council.update", r.round.pk), council_post(name="Tên mới")),
    "staff.council.member.add": lambda r: (
        url("staff.council.member.add", r.round.pk),
        member_post(email="moi@example.vn", full_name="Người Mới"),
    ),
    "staff.council.member.update": lambda r: (
        url("staff.council.member.update", r.round.pk, r.scorer.pk),
        member_post(organization="Cơ quan mới"),
    ),
    "staff.council.conflict.add": lambda r: (
        url("staff.council.conflict.add", r.round.pk),
        {"member": r.scorer.pk, "nomination": r.nomination.pk, "reason": ConflictReason.OTHER, "note": ""},
    ),
    "member.conflict.declare": lambda r: (
        url("member.conflict.declare", r.nomination.pk),
        {"reason": ConflictReason.OWN_PRODUCER, "note": ""},
    ),
}


def expected_for(name, role):
    return (MEMBER_PAGE if name.startswith("member.") else STAFF_PAGE)[role]


def assert_refused(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected


def state(records):
    """What the council pages could change."""
    return (
        sorted(Council.objects.values_list("round_id", "name")),
        sorted(CouncilMember.objects.values_list("pk", "organization", "invited_at")),
        sorted(Conflict.objects.values_list("member_id", "nomination_id")),
        User.objects.count(),
        len(mail.outbox),
    )


def test_matrix_covers_every_council_url():
    """Every page of the council set-up (awards.views.councils) and every conflict-of-interest page has a row;
    the assignment page has its own matrix."""
    names = {
        p.name
        for p in urlpatterns
        if p.callback.view_class.__module__ == "awards.views.councils" or ".conflict." in p.name
    }
    assert names == set(URLS)
    assert set(POSTS) <= names


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", URLS)
def test_council_urls_answer_by_role(client, records, name, role):
    sign_in(client, records, role)
    method, target, data, allowed = URLS[name](records)
    before = state(records)

    response = getattr(client, method)(target, data) if method == "post" else client.get(target)

    expected = expected_for(name, role)
    if expected == OK:
        assert response.status_code == allowed
    else:
        assert_refused(response, expected)
        assert state(records) == before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", POSTS)
def test_council_forms_write_only_for_those_allowed(client, records, name, role, django_capture_on_commit_callbacks):
    sign_in(client, records, role)
    target, data = POSTS[name](records)
    before = state(records)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(target, data)

    expected = expected_for(name, role)
    if expected == OK:
        assert response.status_code == 302, response.content.decode()[:3000]
        assert state(records) != before
    else:
        assert_refused(response, expected)
        assert state(records) == before


def test_staff_who_see_a_round_they_do_not_manage_read_its_council_but_cannot_change_it(
    client, make_round, ministry_staff_user, staff_user
):
    """A Cao Bằng officer sees the northern region's round (its producers may go there) but the ministry agency
    manages it."""
    region_round = make_round("region", region_code="bac", publish=True)
    council = council_for(region_round, ministry_staff_user)
    member = seat(council, ministry_staff_user, full_name="Chuyên gia Bộ")
    client.force_login(staff_user)

    response = client.get(url("staff.council.detail", region_round.pk))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Chuyên gia Bộ" in html
    assert url("staff.council.update", region_round.pk) not in html
    assert url("staff.council.member.add", region_round.pk) not in html
    assert client.get(url("staff.council.update", region_round.pk)).status_code == 403
    assert client.post(url("staff.council.member.remove", region_round.pk, member.pk)).status_code == 403
    assert CouncilMember.objects.filter(pk=member.pk).exists()


# -- the council page and its links ----------------------------------------------------------------------------------
def test_round_detail_and_results_link_to_the_council_page(client, records, staff_user):
    client.force_login(staff_user)
    council_url = url("staff.council.detail", records.round.pk)

    assert council_url in client.get(url("staff.round.detail", records.round.pk)).content.decode()
    assert council_url in client.get(url("staff.round.results", records.round.pk)).content.decode()


def test_round_without_council_offers_to_set_it_up(client, records, staff_user):
    client.force_login(staff_user)

    response = client.get(url("staff.council.detail", records.empty_round.pk))

    assert response.status_code == 200
    html = response.content.decode()
    assert "chưa có hội đồng bình chọn" in html
    assert url("staff.council.create", records.empty_round.pk) in html


def test_council_page_shows_the_facts_the_members_by_body_their_invitation_progress_and_conflicts(
    client, records, staff_user
):
    council, scorer = records.council, records.scorer
    services.sheet_save(member=scorer, nomination=records.nomination, points=spread(council, FULL), submit=True)
    CouncilMember.objects.filter(pk=scorer.pk).update(invited_at=timezone.now())
    User.objects.filter(pk=scorer.user_id).update(last_login=timezone.now())
    CouncilMember.objects.filter(pk=records.chair.pk).update(invited_at=timezone.now())
    client.force_login(staff_user)

    response = client.get(url("staff.council.detail", records.round.pk))

    assert response.status_code == 200
    html = response.content.decode()
    for text in (council.name, "15/QĐ-SCT", "01/11/2026", "Giám đốc Sở", default_sheet().name, "phiên bản 1"):
        assert text in html
    assert "{# assignment-link #}" not in html
    jury = [m.user.full_name for m in response.context["jury"]]
    assert set(jury) == {"Chủ tịch Hội đồng", "Ủy viên chấm điểm", "Ủy viên có xung đột"}
    assert [m.user.full_name for m in response.context["secretariat"]] == ["Thư ký Hội đồng"]
    assert html.index("Ban giám khảo") < html.index("Ủy viên chấm điểm") < html.index("Tổ thư ký")
    assert html.index("Tổ thư ký") < html.index("Thư ký Hội đồng")
    assert scorer.user.email in html
    assert "Trường Cao đẳng Cao Bằng" in html
    progress = {m.user.full_name: m.record for m in response.context["jury"]}
    assert progress == {
        "Ủy viên chấm điểm": [{"pass_no": 1, "done": 1, "total": 1}],
        "Chủ tịch Hội đồng": [{"pass_no": 1, "done": 0, "total": 1}],
        "Ủy viên có xung đột": [{"pass_no": 1, "done": 0, "total": 0}],
    }
    assert "1/1" in html
    assert "Đã nhận lời mời" in html  # the scorer
    assert "đã mời, chưa đăng nhập" in html  # the chair
    assert "chưa mời" in html  # the others
    assert html.count(records.nomination.receipt_code) >= 2  # in the member's row and in the conflicts table
    assert "Có quan hệ thân nhân với chủ cơ sở hoặc người đại diện" in html


def test_council_page_query_count_does_not_grow_with_the_members(client, count_queries, records, staff_user):
    client.force_login(staff_user)
    council = records.council
    target = url("staff.council.detail", records.round.pk)

    def grow_to(n):
        while council.members.count() < n:
            i = council.members.count()
            member = seat(council, staff_user, full_name=f"Ủy viên số {i}", groups=["1", "2"])
            services.conflict_declare(
                member=member, nomination=records.nomination, reason=ConflictReason.OTHER, actor=staff_user
            )

    CouncilMember.objects.filter(council=council).exclude(pk__in=[records.chair.pk, records.scorer.pk]).delete()
    grow_to(3)
    with_three, _response = count_queries(client, target)
    grow_to(12)
    with_twelve, response = count_queries(client, target)

    assert len(response.context["jury"]) + len(response.context["secretariat"]) == 12
    assert with_twelve == with_three


# -- creating and editing the council ---------------------------------------------------------------------------------
def test_staff_set_up_the_council_through_the_page(client, records, staff_user):
    client.force_login(staff_user)
    target = url("staff.council.create", records.empty_round.pk)
    assert "Hội đồng bình chọn — Bình chọn cấp tỉnh Cao Bằng lần 2" in client.get(target).content.decode()

    response = client.post(target, council_post(assignment_mode=AssignmentMode.GROUPS), follow=True)

    council = Council.objects.get(round=records.empty_round)
    assert response.redirect_chain[-1][0] == url("staff.council.detail", records.empty_round.pk)
    assert (council.decision_number, council.decision_date, council.signer) == (
        "125/QĐ-SCT",
        datetime.date(2026, 11, 5),
        "Giám đốc Sở Công Thương",
    )
    assert (council.criteria_sheet, council.assignment_mode) == (default_sheet(), AssignmentMode.GROUPS)
    assert "Đã thành lập hội đồng. Bây giờ hãy thêm thành viên." in response.content.decode()
    # Once there, "new" leads to the edit page.
    assert client.get(target).url == url("staff.council.update", records.empty_round.pk)


def test_invalid_council_form_is_shown_again_with_what_was_typed(client, records, staff_user):
    client.force_login(staff_user)

    response = client.post(
        url("staff.council.create", records.empty_round.pk),
        council_post(decision_date="31/02/2026", signer="", decision_number="99/QĐ-SCT"),
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Nhập ngày theo định dạng ngày/tháng/năm (dd/mm/yyyy)" in html
    assert 'value="99/QĐ-SCT"' in html
    assert 'value="31/02/2026"' in html
    assert not Council.objects.filter(round=records.empty_round).exists()


def test_council_update_is_saved_through_the_page(client, records, staff_user):
    client.force_login(staff_user)
    v2 = CriteriaSheet.objects.create(programme=records.round.programme, code="phu-luc-4", version=2, name="Phiếu 2")

    response = client.post(
        url("staff.council.update", records.round.pk),
        council_post(criteria_sheet=str(v2.pk), outlier_points="12,5"),
        follow=True,
    )

    council = Council.objects.get(pk=records.council.pk)
    assert (council.criteria_sheet, str(council.outlier_points)) == (v2, "12.50")
    assert "Đã lưu thông tin hội đồng." in response.content.decode()


def test_council_edit_page_shows_saved_decimals_with_a_comma_and_saves_them_unchanged(client, records, staff_user):
    records.council.outlier_points = "12.5"
    records.council.save(update_fields=["outlier_points"])
    client.force_login(staff_user)

    html = client.get(url("staff.council.update", records.round.pk)).content.decode()

    assert re.search(r'name="outlier_points" value="12,5"', html)
    assert "Chọn phiếu tiêu chí" in html
    assert "---------" not in html
    data = council_post(outlier_points=re.search(r'name="outlier_points" value="([^"]*)"', html).group(1))
    client.post(url("staff.council.update", records.round.pk), data)
    assert str(Council.objects.get(pk=records.council.pk).outlier_points) == "12.50"


def test_council_update_refuses_a_new_sheet_once_sheets_are_submitted_and_says_why(client, records, staff_user):
    services.sheet_save(
        member=records.scorer, nomination=records.nomination, points=spread(records.council, FULL), submit=True
    )
    v2 = CriteriaSheet.objects.create(programme=records.round.programme, code="phu-luc-4", version=2, name="Phiếu 2")
    client.force_login(staff_user)

    response = client.post(
        url("staff.council.update", records.round.pk),
        council_post(criteria_sheet=str(v2.pk), aggregate_method=AggregateMethod.TRIMMED_MEAN),
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Thành viên Hội đồng đã nộp phiếu chấm điểm" in html
    council = Council.objects.get(pk=records.council.pk)
    assert (council.criteria_sheet, council.aggregate_method, council.name) == (
        default_sheet(),
        AggregateMethod.MEAN,
        records.council.name,
    )


# -- members and invitations ------------------------------------------------------------------------------------------
def test_a_new_person_is_invited_sets_a_password_signs_in_and_sees_its_dashboard(
    client, records, staff_user, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("staff.council.member.add", records.round.pk),
            member_post(
                email="Chuyen.Gia@Example.vn",
                full_name="Chuyên gia Hoàng Văn Dũng",
                phone="0912 000 111",
                organization="Viện Nghiên cứu",
                groups=["1", "2"],
            ),
            follow=True,
        )

    assert response.redirect_chain[-1][0] == url("staff.council.detail", records.round.pk)
    assert "Đã thêm Chuyên gia Hoàng Văn Dũng vào hội đồng; thư mời đã được gửi tới chuyen.gia@example.vn." in (
        response.content.decode()
    )
    member = CouncilMember.objects.get(council=records.council, user__email="chuyen.gia@example.vn")
    assert (member.user.role, member.user.email_verified, member.organization) == (
        Role.MEMBER,
        False,
        "Viện Nghiên cứu",
    )
    assert member.invited_at is not None
    [message] = mail.outbox
    assert message.to == ["chuyen.gia@example.vn"]
    assert message.subject == f"Thư mời tham gia {records.council.name}"
    body = message.body
    assert records.round.title in body
    assert "với vai trò Ủy viên" in body
    scoring = records.round.phases.get(kind=PhaseKind.SCORING)
    assert f"đến ngày {scoring.ends_on:%d/%m/%Y}" in body
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/\S+/", body).group(0)

    client.logout()
    response = client.get(urlparse(link).path)
    assert response.status_code == 302  # Django moves the token into the session
    form_url = response.url
    assert client.get(form_url).status_code == 200
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.url == reverse("accounts:password_reset_complete")

    response = client.post(
        reverse("accounts:login"), {"username": "chuyen.gia@example.vn", "password": NEW_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert client.session.get("_auth_user_id") == str(member.user_id)
    response = client.get(url("member.dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert records.round.title in html
    assert records.nomination.product.name in html


def test_an_existing_member_account_is_seated_and_told_by_email(
    client, records, staff_user, member_user, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("staff.council.member.add", records.round.pk),
            member_post(email=member_user.email, role=CouncilRole.VICE_CHAIR),
        )

    assert response.status_code == 302
    assert CouncilMember.objects.get(council=records.council, user=member_user).role == CouncilRole.VICE_CHAIR
    [message] = mail.outbox
    assert message.to == [member_user.email]
    assert reverse("accounts:login") in message.body


def test_a_producer_account_cannot_be_seated(client, records, staff_user, producer_b_user, mailoutbox):
    client.force_login(staff_user)

    response = client.post(url("staff.council.member.add", records.round.pk), member_post(email=producer_b_user.email))

    assert response.status_code == 400
    html = response.content.decode()
    assert "thuộc tài khoản của một cơ sở sản xuất" in html
    assert f'value="{producer_b_user.email}"' in html
    assert not CouncilMember.objects.filter(user=producer_b_user).exists()
    assert mailoutbox == []


def test_a_new_address_without_a_name_asks_for_it(client, records, staff_user):
    client.force_login(staff_user)

    response = client.post(
        url("staff.council.member.add", records.round.pk), member_post(email="moi@example.vn", phone="0988")
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "hãy nhập họ và tên" in html
    assert 'value="moi@example.vn"' in html
    assert 'value="0988"' in html
    assert not User.objects.filter(email="moi@example.vn").exists()


def test_a_second_chair_is_refused_with_the_reason(client, records, staff_user):
    client.force_login(staff_user)

    added = client.post(
        url("staff.council.member.add", records.round.pk),
        member_post(email="chu-tich-2@example.vn", full_name="Chủ tịch thứ hai", role=CouncilRole.CHAIR),
    )
    edited = client.post(
        url("staff.council.member.update", records.round.pk, records.scorer.pk),
        member_post(role=CouncilRole.CHAIR),
    )

    for response in (added, edited):
        assert response.status_code == 400
        assert "Hội đồng đã có Chủ tịch: Chủ tịch Hội đồng." in response.content.decode()
    assert list(records.council.members.filter(role=CouncilRole.CHAIR)) == [records.chair]
    assert not User.objects.filter(email="chu-tich-2@example.vn").exists()


def test_staff_edit_a_member(client, records, staff_user):
    client.force_login(staff_user)

    response = client.post(
        url("staff.council.member.update", records.round.pk, records.scorer.pk),
        {"role": CouncilRole.VICE_CHAIR, "organization": "Hội Nông dân tỉnh", "groups": ["2"]},
        follow=True,
    )

    member = CouncilMember.objects.get(pk=records.scorer.pk)
    assert (member.role, member.organization, member.is_jury) == (CouncilRole.VICE_CHAIR, "Hội Nông dân tỉnh", False)
    assert [g.code for g in member.groups.all()] == ["2"]
    assert "Đã lưu thông tin của Ủy viên chấm điểm." in response.content.decode()


def test_a_member_with_sheets_cannot_be_removed_one_without_can(client, records, staff_user):
    services.sheet_save(member=records.scorer, nomination=records.nomination, points={})
    client.force_login(staff_user)

    refused = client.post(url("staff.council.member.remove", records.round.pk, records.scorer.pk), follow=True)
    removed = client.post(url("staff.council.member.remove", records.round.pk, records.secretary.pk), follow=True)

    assert "Không thể xóa Ủy viên chấm điểm: thành viên này đã có phiếu chấm điểm" in refused.content.decode()
    assert CouncilMember.objects.filter(pk=records.scorer.pk).exists()
    assert "Thư ký Hội đồng không còn là thành viên Hội đồng." in removed.content.decode()
    assert not CouncilMember.objects.filter(pk=records.secretary.pk).exists()


def test_resending_an_invitation_sends_a_fresh_email(client, records, staff_user, django_capture_on_commit_callbacks):
    client.force_login(staff_user)
    target = url("staff.council.member.invite", records.round.pk, records.chair.pk)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(target, follow=True)

    assert [m.to for m in mail.outbox] == [[records.chair.user.email]]
    assert CouncilMember.objects.get(pk=records.chair.pk).invited_at is not None
    assert f"Đã gửi lại thư mời tới {records.chair.user.email}." in response.content.decode()
    assert client.get(target).status_code == 405


# -- conflicts of interest --------------------------------------------------------------------------------------------
def test_member_declares_a_conflict_and_the_dossier_leaves_its_list(client, records):
    client.force_login(records.scorer.user)
    nomination = records.nomination
    dashboard = client.get(url("member.dashboard")).content.decode()
    declare = url("member.conflict.declare", nomination.pk)
    assert declare in dashboard

    page = client.get(declare)
    assert page.status_code == 200
    assert nomination.product.name in page.content.decode()
    response = client.post(declare, {"reason": ConflictReason.SAME_COMMUNE, "note": "Cùng xã"}, follow=True)

    assert response.redirect_chain[-1][0] == url("member.dashboard")
    html = response.content.decode()
    assert "Đã ghi nhận xung đột lợi ích" in html
    assert url("member.sheet", nomination.pk) not in html
    conflict = Conflict.objects.get(member=records.scorer, nomination=nomination)
    assert (conflict.reason, conflict.note, conflict.declared_by) == (
        ConflictReason.SAME_COMMUNE,
        "Cùng xã",
        records.scorer.user,
    )
    assert client.get(url("member.sheet", nomination.pk)).status_code == 404
    assert client.post(url("member.sheet", nomination.pk), sheet_post({})).status_code == 404
    assert client.get(declare).status_code == 404


def test_member_declaration_page_preselects_no_reason(client, records):
    client.force_login(records.scorer.user)

    html = client.get(url("member.conflict.declare", records.nomination.pk)).content.decode()

    assert re.search(r'<option value="" selected>Chọn lý do</option>', html)
    response = client.post(url("member.conflict.declare", records.nomination.pk), {"reason": "", "note": ""})
    assert response.status_code == 400
    assert "Hãy chọn lý do xung đột lợi ích." in response.content.decode()
    assert not Conflict.objects.filter(member=records.scorer).exists()


def test_member_declaration_without_a_reason_is_shown_again(client, records):
    client.force_login(records.scorer.user)

    response = client.post(url("member.conflict.declare", records.nomination.pk), {"reason": "", "note": "Họ hàng"})

    assert response.status_code == 400
    assert "Họ hàng" in response.content.decode()
    assert not Conflict.objects.filter(member=records.scorer).exists()


def test_staff_add_and_remove_a_conflict(client, records, staff_user):
    client.force_login(staff_user)
    add = url("staff.council.conflict.add", records.round.pk)
    form = client.get(add, {"member": records.scorer.pk}).content.decode()
    assert records.nomination.receipt_code in form
    assert "Chọn hồ sơ" in form
    assert "Chọn lý do" in form
    assert "---------" not in form

    response = client.post(
        add,
        {
            "member": records.scorer.pk,
            "nomination": records.nomination.pk,
            "reason": ConflictReason.EMPLOYER,
            "note": "Đối tác",
        },
        follow=True,
    )

    conflict = Conflict.objects.get(member=records.scorer)
    assert (conflict.nomination, conflict.reason, conflict.declared_by) == (
        records.nomination,
        ConflictReason.EMPLOYER,
        staff_user,
    )
    assert "Đã ghi nhận xung đột lợi ích: Ủy viên chấm điểm sẽ không xem và không chấm hồ sơ" in (
        response.content.decode()
    )
    client.force_login(records.scorer.user)
    assert client.get(url("member.sheet", records.nomination.pk)).status_code == 404

    client.force_login(staff_user)
    response = client.post(url("staff.council.conflict.remove", records.round.pk, conflict.pk), follow=True)

    assert not Conflict.objects.filter(pk=conflict.pk).exists()
    assert "Đã xóa xung đột lợi ích của Ủy viên chấm điểm" in response.content.decode()
    client.force_login(records.scorer.user)
    assert client.get(url("member.sheet", records.nomination.pk)).status_code == 200


def test_staff_conflict_form_with_a_dossier_of_another_round_is_refused(
    client, records, staff_user, producer_b, producer_b_user
):
    elsewhere = accepted(records.empty_round, producer_b, producer_b_user, staff_user, name="Chiếu trúc")
    client.force_login(staff_user)

    response = client.post(
        url("staff.council.conflict.add", records.round.pk),
        {"member": records.scorer.pk, "nomination": elsewhere.pk, "reason": ConflictReason.OTHER, "note": ""},
    )

    assert response.status_code == 400
    assert not Conflict.objects.filter(member=records.scorer).exists()


# -- back office -------------------------------------------------------------------------------------------------------
def test_admin_action_invites_the_members_not_invited_yet(
    client, records, admin_staff_user, django_capture_on_commit_callbacks
):
    CouncilMember.objects.filter(pk=records.chair.pk).update(invited_at=timezone.now())
    client.force_login(admin_staff_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:awards_council_changelist"),
            {"action": "invite_members", "_selected_action": [records.council.pk], "index": "0"},
            follow=True,
        )

    assert response.status_code == 200
    invited = {records.scorer.user.email, records.conflicted.user.email, records.secretary.user.email}
    assert {m.to[0] for m in mail.outbox} == invited
    assert not records.council.members.filter(invited_at__isnull=True).exists()
    assert "đã gửi 3 thư mời" in response.content.decode()


def test_admin_member_inline_refuses_a_producer_and_a_second_chair(records, producer_user):
    form = CouncilMemberForm(
        data={"council": records.council.pk, "user": producer_user.pk, "role": CouncilRole.MEMBER, "is_jury": "on"}
    )
    assert not form.is_valid()
    assert form.errors["user"] == ["Tài khoản của cơ sở sản xuất không thể là thành viên Hội đồng."]

    council = council_for(records.empty_round, records.users["staff"])
    formset_class = inlineformset_factory(
        Council,
        CouncilMember,
        form=CouncilMemberForm,
        formset=CouncilMemberFormSet,
        fields=["user", "role", "organization", "is_jury", "groups"],
        extra=0,
    )
    first, second = (factories.UserFactory(role=Role.MEMBER) for _i in range(2))
    data = {"members-TOTAL_FORMS": "2", "members-INITIAL_FORMS": "0"}
    for i, user in enumerate((first, second)):
        data |= {f"members-{i}-user": user.pk, f"members-{i}-role": CouncilRole.CHAIR, f"members-{i}-is_jury": "on"}
    formset = formset_class(data, instance=council, prefix="members")

    assert not formset.is_valid()
    assert formset.non_form_errors() == ["Mỗi hội đồng chỉ có một Chủ tịch."]
