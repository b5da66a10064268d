"""Staff pages for who scores what, closing the first scoring pass and the field visits; what council members see
in the second pass. Who may open what: anonymous users go to sign in, producers and council members answer 403,
staff of another province 404 (the round does not exist for them), the round's managers get the page."""

import datetime
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse

from awards import services
from awards.enums import AssignmentMode, ConflictReason
from awards.models import CouncilMember, FieldVisit, Nomination, ScoreSheet
from awards.urls import urlpatterns
from products.models import ProductGroup
from tests import factories

from ..scoring_helpers import accepted, council_for, seat, sheet_post, spread

LOGIN = "login"
ROLES = ("anonymous", "producer_user", "member_user", "other_staff_user", "staff_user")


def outcomes(ok):
    return {"anonymous": LOGIN, "producer_user": 403, "member_user": 403, "other_staff_user": 404, "staff_user": ok}


def assert_outcome(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected


def per_group(total) -> dict:
    left, groups = Decimal(total), {}
    for code, top in (("1", 40), ("2", 40), ("3", 10), ("4", 10)):
        groups[code] = min(left, Decimal(top))
        left -= groups[code]
    return groups


def submit(member, nomination, total):
    services.sheet_save(
        member=member, nomination=nomination, points=spread(member.council, per_group(total)), submit=True
    )


@pytest.fixture
def build(make_round, staff_user, member_user):
    """build(mode=..., passes=..., close=...) → a Cao Bằng round with two accepted dossiers (x: food, y:
    handicraft) and three jury members, the first being `member_user`. With two passes, every member scores x 80
    and y 60 in the first pass (in "individual" mode every member is given both first); close=True then closes
    it (x is short-listed, y is not)."""

    def make(mode=AssignmentMode.ALL, passes=1, close=False):
        round_ = make_round("province", publish=True)
        x = accepted(round_, factories.producer("HTX Tâm Hòa", "Cao Bằng"), staff_user, staff_user, name="Lạp sườn")
        y = accepted(
            round_,
            factories.producer("Cơ sở Mây tre", "Cao Bằng"),
            staff_user,
            staff_user,
            name="Chiếu trúc",
            group_code="1",
        )
        council = council_for(round_, staff_user, assignment_mode=mode, passes=passes)
        members = [
            seat(council, staff_user, user=member_user),
            seat(council, staff_user, full_name="Trần Văn Hai"),
            seat(council, staff_user, full_name="Lê Thị Ba"),
        ]
        if mode == AssignmentMode.INDIVIDUAL and passes == 2:
            for member in members:
                services.council_assign(council=council, actor=staff_user, member=member, nominations=[x, y])
        if passes == 2:
            for member in members:
                submit(member, x, 80)
                submit(member, y, 60)
        if close:
            services.scoring_pass_close(round_=round_, actor=staff_user)
        return SimpleNamespace(round=round_, council=council, members=members, x=x, y=y)

    return make


def sign_in(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))


def assign_url(world):
    return reverse("awards:staff.council.assign", args=[world.round.pk])


def results_url(world):
    return reverse("awards:staff.round.results", args=[world.round.pk])


def visits_url(world):
    return reverse("awards:staff.visit.list", args=[world.round.pk])


def close_pass_url(world):
    return reverse("awards:staff.round.close_pass", args=[world.round.pk])


def close_scoring_url(world):
    return reverse("awards:staff.round.close_scoring", args=[world.round.pk])


def visit_url(world):
    return reverse("awards:staff.visit.update", args=[FieldVisit.objects.get(nomination=world.x).pk])


# -- permission matrix ------------------------------------------------------------------------------------------
GET_PAGES = [
    ("awards:staff.council.assign", assign_url),
    ("awards:staff.visit.list", visits_url),
    ("awards:staff.visit.update", visit_url),
]
# The confirmation pages of closing a pass and the scoring (GET shows what will happen, POST does it).
CONFIRM_PAGES = [
    ("awards:staff.round.close_pass", close_pass_url, {"passes": 2}),
    ("awards:staff.round.close_scoring", close_scoring_url, {"passes": 2, "close": True}),
]


def _assigned(world):
    return set(CouncilMember.nominations.through.objects.values_list("councilmember_id", "nomination_id"))


def _visit(world):
    visit = FieldVisit.objects.get(nomination=world.x)
    return (visit.visited_on, visit.findings, set(visit.members.values_list("pk", flat=True)))


def _statuses(world):
    return list(Nomination.objects.filter(pk__in=[world.x.pk, world.y.pk]).order_by("pk").values_list("status"))


def _pass(world):
    world.council.refresh_from_db()
    return (world.council.current_pass, FieldVisit.objects.count())


POSTS = [
    # name, url, world, data, state
    (
        "awards:staff.council.assign",
        assign_url,
        {"mode": AssignmentMode.INDIVIDUAL, "passes": 2, "close": True},
        lambda w: {f"m{w.members[1].pk}": [w.x.pk, w.y.pk]},
        _assigned,
    ),
    (
        "awards:staff.visit.update",
        visit_url,
        {"passes": 2, "close": True},
        lambda w: {"visited_on": "05/12/2026", "members": [w.members[1].pk], "findings": "Cơ sở sản xuất ổn định."},
        _visit,
    ),
    (
        "awards:staff.round.close_pass",
        close_pass_url,
        {"passes": 2},
        lambda w: {},
        _pass,
    ),
    (
        "awards:staff.round.close_scoring",
        close_scoring_url,
        {"passes": 2, "close": True},
        lambda w: {"allow_incomplete": "on"},
        _statuses,
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url"), GET_PAGES, ids=[row[0] for row in GET_PAGES])
def test_get_answers_by_role(client, request, build, name, url, role):
    world = build(mode=AssignmentMode.INDIVIDUAL, passes=2, close=True)
    sign_in(client, request, role)
    assert_outcome(client.get(url(world)), outcomes(200)[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "setup", "data", "state"), POSTS, ids=[row[0] for row in POSTS])
def test_post_answers_by_role_and_changes_nothing_when_refused(
    client, request, build, name, url, setup, data, state, role
):
    world = build(**setup)
    sign_in(client, request, role)
    before = state(world)

    response = client.post(url(world), data(world))

    expected = outcomes(302)[role]
    assert_outcome(response, expected)
    if expected == 302:
        assert state(world) != before
    else:
        assert state(world) == before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "setup"), CONFIRM_PAGES, ids=[row[0] for row in CONFIRM_PAGES])
def test_confirmation_pages_answer_by_role_and_change_nothing(client, request, build, name, url, setup, role):
    world = build(**setup)
    sign_in(client, request, role)
    before = (_pass(world), _statuses(world))

    assert_outcome(client.get(url(world)), outcomes(200)[role])

    assert (_pass(world), _statuses(world)) == before


def test_matrix_covers_every_new_url():
    names = {f"awards:{p.name}" for p in urlpatterns if ".visit." in p.name or p.name == "staff.council.assign"}
    assert names == {row[0] for row in GET_PAGES}
    assert names <= {row[0] for row in POSTS} | {"awards:staff.visit.list"}
    closing = {f"awards:{p.name}" for p in urlpatterns if p.name.startswith("staff.round.close_")}
    assert closing == {row[0] for row in CONFIRM_PAGES} == {row[0] for row in POSTS if "close_" in row[0]}


def test_a_round_without_council_has_no_assignment_page(client, staff_user, make_round):
    round_ = make_round("province", publish=True)
    client.force_login(staff_user)
    assert client.get(reverse("awards:staff.council.assign", args=[round_.pk])).status_code == 404


# -- who scores what --------------------------------------------------------------------------------------------
def cell(html, member, nomination) -> str:
    match = re.search(rf'<input[^>]*id="cell-{member.pk}-{nomination.pk}"[^>]*>', html)
    assert match, f"no cell for {member} × {nomination}"
    return match.group(0)


def test_assignment_matrix_saves_the_ticks_and_warns_about_thin_dossiers(client, staff_user, build):
    world = build(mode=AssignmentMode.INDIVIDUAL)
    m1, m2, m3 = world.members
    client.force_login(staff_user)

    response = client.post(
        assign_url(world), {f"m{m1.pk}": [world.x.pk, world.y.pk], f"m{m2.pk}": [world.x.pk]}, follow=True
    )

    assert response.status_code == 200
    assert set(m1.nominations.all()) == {world.x, world.y}
    assert list(m2.nominations.all()) == [world.x]
    assert not m3.nominations.exists()
    html = response.content.decode()
    assert "Đã lưu phân công chấm điểm." in html
    assert "2 hồ sơ có ít hơn 3 thành viên chấm." in html
    assert "checked" in cell(html, m1, world.y)
    assert "checked" not in cell(html, m3, world.x)


def test_assignment_keeps_the_assignments_of_dossiers_no_longer_on_the_page(client, staff_user, build):
    world = build(mode=AssignmentMode.INDIVIDUAL)
    m1 = world.members[0]
    services.council_assign(council=world.council, actor=staff_user, member=m1, nominations=[world.x, world.y])
    submit(m1, world.x, 80)
    # x is scored now; y, without a sheet, ends "not scored": neither is on the page any more
    services.scores_finalise(round_=world.round, actor=staff_user, allow_incomplete=True)
    client.force_login(staff_user)

    assert client.post(assign_url(world), {}).status_code == 302

    assert set(m1.nominations.all()) == {world.x, world.y}


def test_conflicted_pair_is_shown_disabled_with_its_reason(client, staff_user, build):
    world = build(mode=AssignmentMode.INDIVIDUAL)
    m2 = world.members[1]
    services.conflict_declare(member=m2, nomination=world.y, reason=ConflictReason.RELATIVE, actor=staff_user)
    client.force_login(staff_user)

    html = client.get(assign_url(world)).content.decode()

    conflicted = cell(html, m2, world.y)
    assert "disabled" in conflicted
    assert "name=" not in conflicted
    assert "Có quan hệ thân nhân với chủ cơ sở hoặc người đại diện" in html
    assert "disabled" not in cell(html, m2, world.x)


def test_a_refused_assignment_re_renders_with_the_reason_and_keeps_the_ticks(client, staff_user, build):
    world = build(mode=AssignmentMode.INDIVIDUAL)
    m1, m2, _m3 = world.members
    services.conflict_declare(member=m2, nomination=world.y, reason=ConflictReason.RELATIVE, actor=staff_user)
    client.force_login(staff_user)

    # A forged form ticks the conflicted pair (the page never offers it).
    response = client.post(assign_url(world), {f"m{m1.pk}": [world.x.pk], f"m{m2.pk}": [world.y.pk]})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Trần Văn Hai có xung đột lợi ích với: Chiếu trúc." in html
    assert "checked" in cell(html, m1, world.x)
    assert not CouncilMember.nominations.through.objects.exists()  # all or nothing


def test_group_mode_page_saves_each_members_product_groups(client, staff_user, build):
    world = build(mode=AssignmentMode.GROUPS)
    m1, m2, _m3 = world.members
    handicraft, food = ProductGroup.objects.get(code="1"), ProductGroup.objects.get(code="2")
    client.force_login(staff_user)

    response = client.post(assign_url(world), {f"g{m1.pk}": [handicraft.pk, food.pk], f"g{m2.pk}": [food.pk]})

    assert response.status_code == 302
    assert set(m1.groups.all()) == {handicraft, food}
    assert list(m2.groups.all()) == [food]
    html = client.get(assign_url(world)).content.decode()
    assert re.search(rf'id="group-{m2.pk}-{food.pk}"[^>]*checked', html)
    assert "ít hơn 3" in html  # two members on each group with dossiers


def test_all_mode_page_says_everyone_scores_everything(client, staff_user, build):
    world = build()
    client.force_login(staff_user)
    html = client.get(assign_url(world)).content.decode()
    assert "Mọi thành viên Ban giám khảo chấm tất cả hồ sơ đủ điều kiện" in html
    assert "Lưu phân công" not in html


def test_assignment_page_query_count_does_not_grow(client, staff_user, make_round, count_queries):
    counts = []
    for n_members, n_dossiers in ((3, 5), (9, 15)):
        round_ = make_round("province", publish=True, title=f"Đợt {n_members}")
        dossiers = [
            accepted(
                round_,
                factories.producer(f"Cơ sở {n_members}-{i}", "Cao Bằng"),
                staff_user,
                staff_user,
                name=f"Sản phẩm {i}",
                group_code=str(1 + i % 2),
            )
            for i in range(n_dossiers)
        ]
        council = council_for(round_, staff_user, assignment_mode=AssignmentMode.INDIVIDUAL)
        members = [seat(council, staff_user, full_name=f"Thành viên {i}") for i in range(n_members)]
        for member in members:
            services.council_assign(council=council, actor=staff_user, member=member, nominations=dossiers[::2])
        services.conflict_declare(
            member=members[0], nomination=dossiers[1], reason=ConflictReason.OTHER, actor=staff_user
        )
        client.force_login(staff_user)
        count, response = count_queries(client, reverse("awards:staff.council.assign", args=[round_.pk]))
        assert len(re.findall(r'type="checkbox"', response.content.decode())) == n_members * n_dossiers
        counts.append(count)
    assert counts[0] == counts[1]


# -- closing the first pass -------------------------------------------------------------------------------------
def test_results_page_in_the_first_pass_offers_closing_it_and_hides_the_decision(client, staff_user, build):
    world = build(passes=2)
    client.force_login(staff_user)

    html = client.get(results_url(world)).content.decode()

    assert "Đang chấm vòng 1/2" in html
    assert close_pass_url(world) in html
    assert "Hội đồng này chấm hai vòng." in html
    assert "Cập nhật quyết định công nhận" not in html
    assert close_scoring_url(world) not in html
    assert "Vòng chấm thứ nhất chưa kết thúc" in html


def test_closing_the_first_pass_from_the_results_page(client, staff_user, build):
    world = build(passes=2)
    client.force_login(staff_user)

    confirm = client.get(close_pass_url(world)).content.decode()
    assert "1 hồ sơ đạt từ 70 điểm" in confirm
    world.council.refresh_from_db()
    assert world.council.current_pass == 1
    assert not FieldVisit.objects.exists()
    response = client.post(close_pass_url(world), {}, follow=True)

    html = response.content.decode()
    assert "Đã kết thúc vòng chấm thứ nhất: 1 hồ sơ được chọn đi khảo sát thực tế và chấm vòng hai." in html
    assert list(FieldVisit.objects.values_list("nomination", flat=True)) == [world.x.pk]
    assert "Đang chấm vòng 2/2" in html
    assert "được chọn đi khảo sát thực tế" in html
    rows = {row.nomination.pk: row for block in response.context["groups"] for row in block["rows"]}
    assert (rows[world.x.pk].pass_no, rows[world.x.pk].short_listed) == (2, True)
    assert (rows[world.y.pk].pass_no, rows[world.y.pk].short_listed, rows[world.y.pk].passes) == (
        1,
        False,
        False,
    )
    assert str(rows[world.y.pk].reason) in html
    assert close_pass_url(world) not in html
    assert close_scoring_url(world) in html


def test_closing_the_first_pass_with_missing_sheets_says_which(client, staff_user, build):
    world = build(passes=2)
    ScoreSheet.objects.filter(member=world.members[2], nomination=world.y).update(status="draft")
    client.force_login(staff_user)

    html = client.get(close_pass_url(world)).content.decode()
    assert f"{world.y.receipt_code}: đã nộp 2/3 phiếu" in html
    response = client.post(close_pass_url(world), {})
    assert response.status_code == 400
    assert f"{world.y.receipt_code}: đã nộp 2/3 phiếu" in response.content.decode()
    assert not FieldVisit.objects.exists()
    # the old button of the results page goes to the confirmation, changing nothing
    assert client.post(results_url(world), {"action": "close_pass", "allow_incomplete": "1"}).url == close_pass_url(
        world
    )
    assert not FieldVisit.objects.exists()
    response = client.post(close_pass_url(world), {"allow_incomplete": "on"})
    assert response.status_code == 302
    assert FieldVisit.objects.count() == 1


# -- field visits -----------------------------------------------------------------------------------------------
def test_field_visit_list_shows_the_short_list_to_do(client, staff_user, build):
    world = build(passes=2, close=True)
    client.force_login(staff_user)
    html = client.get(visits_url(world)).content.decode()
    assert "Lạp sườn" in html
    assert "Chiếu trúc" not in html
    assert "chưa thực hiện" in html
    assert "Đã ghi nhận 0/1" in html


def test_field_visit_form_with_a_bad_date_keeps_what_was_typed(client, staff_user, build):
    world = build(passes=2, close=True)
    client.force_login(staff_user)

    response = client.post(
        visit_url(world), {"visited_on": "31/02/2026", "members": [world.members[1].pk], "findings": "Xưởng sạch"}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Nhập ngày theo định dạng ngày/tháng/năm (dd/mm/yyyy)" in html
    assert 'value="31/02/2026"' in html
    assert "Xưởng sạch" in html
    assert re.search(rf'value="{world.members[1].pk}"[^>]*checked', html)
    assert FieldVisit.objects.get().visited_on is None


def test_field_visit_form_records_the_visit(client, staff_user, build):
    world = build(passes=2, close=True)
    m1, m2, _m3 = world.members
    client.force_login(staff_user)

    response = client.post(
        visit_url(world),
        {"visited_on": "05/12/2026", "members": [m1.pk, m2.pk], "findings": "Xưởng sạch, sản lượng ổn định."},
        follow=True,
    )

    visit = FieldVisit.objects.get()
    assert (visit.visited_on.isoformat(), visit.findings, visit.recorded_by) == (
        "2026-12-05",
        "Xưởng sạch, sản lượng ổn định.",
        staff_user,
    )
    assert set(visit.members.all()) == {m1, m2}
    html = response.content.decode()
    assert "Đã ghi nhận kết quả khảo sát thực tế sản phẩm “Lạp sườn”." in html
    assert "05/12/2026" in html
    assert "đã ghi nhận" in html


# -- members in the second pass ---------------------------------------------------------------------------------
def test_member_dashboard_in_the_second_pass_lists_only_short_listed_dossiers(client, member_user, build):
    world = build(passes=2, close=True)
    client.force_login(member_user)

    html = client.get(reverse("awards:member.dashboard")).content.decode()

    assert "Vòng chấm 2" in html
    assert "Lạp sườn" in html
    assert "Chiếu trúc" not in html
    assert reverse("awards:member.sheet", args=[world.x.pk]) in html


def test_member_dashboard_in_the_first_pass_says_so(client, member_user, build):
    build(passes=2)
    client.force_login(member_user)
    html = client.get(reverse("awards:member.dashboard")).content.decode()
    assert "Vòng chấm 1" in html
    assert "Chiếu trúc" in html


def test_member_reads_the_field_visit_findings_on_the_second_pass_sheet(client, staff_user, member_user, build):
    world = build(passes=2, close=True)
    services.field_visit_record(
        visit=FieldVisit.objects.get(),
        actor=staff_user,
        visited_on=datetime.date(2026, 12, 5),
        members=world.members[1:],
        findings="Dây chuyền đóng gói đạt yêu cầu.",
    )
    client.force_login(member_user)

    html = client.get(reverse("awards:member.sheet", args=[world.x.pk])).content.decode()

    assert "Vòng chấm 2" in html
    assert "Dây chuyền đóng gói đạt yêu cầu." in html
    assert "05/12/2026" in html
    assert "Trần Văn Hai" in html


def test_member_cannot_change_a_first_pass_sheet_of_a_dossier_left_off_the_short_list(client, member_user, build):
    world = build(passes=2, close=True)
    client.force_login(member_user)
    url = reverse("awards:member.sheet", args=[world.y.pk])
    sheet = ScoreSheet.objects.get(member=world.members[0], nomination=world.y)
    sheet.status = "draft"  # as if it had been left a draft
    sheet.save(update_fields=["status"])

    html = client.get(url).content.decode()
    response = client.post(url, sheet_post(spread(world.council, per_group(90)), submit=True), follow=True)

    assert "không được chọn vào vòng hai: phiếu chấm không thể thay đổi nữa" in html
    assert 'name="submit"' not in html
    assert "Vòng chấm 1 của hồ sơ này không mở." in response.content.decode()
    sheet.refresh_from_db()
    assert (sheet.status, sheet.total) == ("draft", Decimal(60))


# -- back office ------------------------------------------------------------------------------------------------
def test_admin_action_goes_through_the_same_confirmation(client, admin_staff_user, build):
    world = build(passes=2)
    client.force_login(admin_staff_user)

    response = client.post(
        reverse("admin:awards_council_changelist"),
        {"action": "close_first_pass", "_selected_action": [world.council.pk], "index": "0"},
    )

    assert response.status_code == 302
    assert response.url == close_pass_url(world)
    world.council.refresh_from_db()
    assert world.council.current_pass == 1  # nothing happens before the confirmation
    assert not FieldVisit.objects.exists()
    response = client.post(response.url, {}, follow=True)
    world.council.refresh_from_db()
    assert world.council.current_pass == 2
    assert list(FieldVisit.objects.values_list("nomination", flat=True)) == [world.x.pk]


def test_admin_field_visits_are_scoped_to_the_staff_members_rounds(client, admin_staff_user, other_staff_user, build):
    from portal.accounts.roles import ensure_staff_group

    build(passes=2, close=True)
    other_staff_user.groups.add(ensure_staff_group())
    url = reverse("admin:awards_fieldvisit_changelist")

    client.force_login(admin_staff_user)
    assert [v.nomination.product.name for v in client.get(url).context["cl"].result_list] == ["Lạp sườn"]
    client.force_login(other_staff_user)
    assert list(client.get(url).context["cl"].result_list) == []


def test_the_council_page_keeps_each_pass_of_the_record_after_the_decision(client, staff_user, build):
    world = build(passes=2, close=True)
    for member in world.members[:2]:
        submit(member, world.x, 85)
    services.decision_publish(
        round_=type(world.round).objects.get(pk=world.round.pk),  # as a request reads it: the pass closed
        actor=staff_user,
        nominations=[world.x],
        number="125/QĐ-UBND",
        date=datetime.date(2026, 12, 15),
        issuing_body=factories.organization("Cao Bằng"),
        signer_title="Chủ tịch",
        signer_name="Nguyễn Văn A",
    )
    client.force_login(staff_user)

    response = client.get(reverse("awards:staff.council.detail", args=[world.round.pk]))

    record = {m.pk: m.record for m in response.context["jury"]}
    assert record[world.members[0].pk] == [
        {"pass_no": 1, "done": 2, "total": 2},
        {"pass_no": 2, "done": 1, "total": 1},
    ]
    assert record[world.members[2].pk][1] == {"pass_no": 2, "done": 0, "total": 1}
    html = response.content.decode()
    assert "Vòng 1: 2/2" in html
    assert "Vòng 2: 0/1" in html
