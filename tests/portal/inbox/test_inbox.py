"""“Việc cần làm”: the home of department staff and council members. What each line says (in Vietnamese, with
deadlines as "chậm nhất ngày dd/mm/yyyy"), that it stays within the officer's province, that every line leads to
the list it counts with the same count, the count in the menu, who may open the page, where each role lands after
signing in, and that the page costs the same queries whatever the data."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards import services as award_services
from portal.core.formatting import vn_date
from portal.inbox.urls import urlpatterns
from tests import factories
from tests.awards.nomination_helpers import ready_product, submitted

from .helpers import build_desk, days, province_round, waited

pytestmark = pytest.mark.django_db

URL = reverse("inbox:home")


@pytest.fixture
def desk(staff_user, producer_a, producer_user):
    return build_desk(staff_user, producer_a, producer_user)


def section(html: str, key: str) -> str:
    """The text of one section of the inbox (tags dropped, spaces squeezed); '' when the section is absent."""
    match = re.search(rf'<section[^>]*id="inbox-{key}".*?</section>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(0)).split()) if match else ""


def links(html: str, key: str) -> list[str]:
    match = re.search(rf'<section[^>]*id="inbox-{key}".*?</section>', html, re.S)
    return [url.replace("&amp;", "&") for url in re.findall(r'<a href="([^"]+)"><strong>', match.group(0))]


def inbox_of(client, user) -> str:
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


# --- what the lines say ------------------------------------------------------------------------------------------


def test_staff_see_what_waits_in_their_province(client, staff_user, desk):
    html = inbox_of(client, staff_user)
    round_ = desk.round

    assert "Việc cần làm" in html
    screening = section(html, "screening")
    assert f"2 hồ sơ chờ thẩm định {round_.title}" in screening
    assert f"chờ lâu nhất 12 ngày · thẩm định chậm nhất ngày {vn_date(days(20))}" in screening
    corrections = section(html, "corrections")
    assert f"1 hồ sơ quá hạn bổ sung, sửa đổi {round_.title}" in corrections
    assert f"hạn sớm nhất đã qua: {vn_date(days(-2))}" in corrections
    councils = section(html, "councils")
    assert "3 thành viên Hội đồng còn phiếu chưa nộp" in councils
    assert f"chấm điểm chậm nhất ngày {vn_date(days(35))}" in councils
    assert "Thành viên a0: đã nộp 1/2 phiếu" in councils
    assert "Thành viên a1: đã nộp 0/2 phiếu" in councils
    phases = section(html, "phases")
    assert f"Đăng ký: chậm nhất ngày {vn_date(days(3))}" in phases
    assert "còn 3 ngày" in phases
    projects = section(html, "projects")
    assert "1 đề án chờ phê duyệt" in projects
    assert "1 đề án còn kinh phí chưa giải ngân" in projects
    assert "1 đề án đang thực hiện, chờ nghiệm thu" in projects
    assert "chờ ký hợp đồng" not in projects
    assert f"1 sản phẩm OCOP hết hiệu lực trong 90 ngày tới sớm nhất ngày {vn_date(days(30))}" in section(html, "ocop")
    assert "1 bản xuất giấy chứng nhận sẵn sàng tải về" in section(html, "exports")


def test_another_provinces_staff_see_none_of_it(client, other_staff_user, desk):
    html = inbox_of(client, other_staff_user)
    assert desk.round.title not in html
    for key in ("screening", "corrections", "councils", "phases", "projects", "ocop", "exports"):
        assert section(html, key) == "", key
    assert "Hôm nay không có việc nào đang chờ bạn." in html


def test_another_provinces_round_stays_out_of_the_officers_inbox(
    client, staff_user, other_staff_user, desk, producer_other_province
):
    ca_mau = province_round("Cà Mau", "Bình chọn cấp tỉnh Cà Mau")
    account = factories.UserFactory(role="producer", producer=producer_other_province)
    submitted(ca_mau, ready_product(producer_other_province, "Khô mực"), account)

    assert "Cà Mau" not in inbox_of(client, staff_user)
    assert "1 hồ sơ chờ thẩm định Bình chọn cấp tỉnh Cà Mau" in section(inbox_of(client, other_staff_user), "screening")


def test_a_member_sees_its_dossiers_to_score_with_the_deadline_and_progress(client, desk):
    first, second = desk.members[:2]

    html = inbox_of(client, first.user)
    scoring = section(html, "scoring")
    assert f"1 hồ sơ cần chấm điểm {desk.round.title}" in scoring
    assert f"đã chấm 1/2 · chấm điểm chậm nhất ngày {vn_date(days(35))}" in scoring
    assert links(html, "scoring") == [f"{reverse('awards:member.dashboard')}?round={desk.round.pk}"]
    assert section(html, "screening") == ""  # the department's lines are the department's

    assert "2 hồ sơ cần chấm điểm" in section(inbox_of(client, second.user), "scoring")


def test_a_member_without_anything_left_is_told_so(client, member_user):
    html = inbox_of(client, member_user)
    assert "Hôm nay không có việc nào đang chờ bạn." in html
    assert reverse("awards:member.dashboard") in html


def test_a_council_whose_decision_is_published_asks_nothing_more(client, staff_user, desk):
    from awards.models import Decision

    Decision.objects.create(
        round=desk.round,
        number="1/QĐ-UBND",
        date=days(0),
        issuing_body=factories.organization("Cao Bằng"),
        signer_title="Chủ tịch",
        signer_name="Nguyễn Văn A",
        published_at=desk.round.created_at,
    )
    assert section(inbox_of(client, staff_user), "councils") == ""
    assert section(inbox_of(client, desk.members[1].user), "scoring") == ""


# --- every line leads to the list it counts ------------------------------------------------------------------------


def test_each_staff_line_leads_to_its_list_with_the_same_count(client, staff_user, desk):
    html = inbox_of(client, staff_user)

    (queue,) = links(html, "screening")
    assert queue == reverse("awards:staff.nomination.list", args=[desk.round.pk]) + "?todo=screening&sort=waiting"
    listed = client.get(queue).context["nominations"]
    assert [n.pk for n in listed] == [n.pk for n in desk.waiting]  # the longest waiting first

    (overdue,) = links(html, "corrections")
    assert {n.pk for n in client.get(overdue).context["nominations"]} == {n.pk for n in desk.overdue}

    (council,) = links(html, "councils")
    assert council.startswith(reverse("awards:staff.council.detail", args=[desk.round.pk]))
    assert client.get(council).status_code == 200

    project_links = links(html, "projects")
    assert len(project_links) == 3
    for url in project_links:
        count = int(re.search(rf'href="{re.escape(url.replace("&", "&amp;"))}"><strong>(\d+)', html).group(1))
        assert client.get(url).context["paginator"].count == count, url

    (ocop,) = links(html, "ocop")
    assert len(client.get(ocop).context["ratings"]) == 1
    (exports,) = links(html, "exports")
    assert client.get(exports).status_code == 200


# --- the menu's count ------------------------------------------------------------------------------------------------


def nav_count(html: str) -> str | None:
    match = re.search(r'class="nav-inbox">Việc cần làm(?: <span class="badge nav-count"[^>]*>(\d+)</span>)?</a>', html)
    return None if match is None else (match.group(1) or "0")


def test_the_menu_counts_the_dossiers_waiting_on_every_page(client, staff_user, desk):
    client.force_login(staff_user)
    page = client.get(reverse("products:staff.producer.list")).content.decode()
    assert nav_count(page) == "3"  # 2 waiting for screening, 1 past its correction deadline
    member = desk.members[1].user
    client.force_login(member)
    assert nav_count(client.get(reverse("awards:member.dashboard")).content.decode()) == "2"


def test_each_officer_counts_their_own_province_in_turn(
    client, staff_user, other_staff_user, superuser, desk, producer_other_province
):
    """The count's query is compiled once for every officer of a province (portal.core.prepared): the province,
    the reader and the day are bound at each request, so officers of two provinces served one after another by
    the same process each see their own count."""
    ca_mau = province_round("Cà Mau", "Bình chọn cấp tỉnh Cà Mau")
    account = factories.UserFactory(role="producer", producer=producer_other_province)
    submitted(ca_mau, ready_product(producer_other_province, "Khô mực"), account)
    url = reverse("products:staff.producer.list")
    for user, expected in [(staff_user, "3"), (other_staff_user, "1"), (staff_user, "3"), (superuser, "4")]:
        client.force_login(user)
        assert nav_count(client.get(url).content.decode()) == expected, user


@pytest.mark.parametrize("who", ["producer_user", "ministry_user"])
def test_the_menu_has_no_inbox_for_producers_and_the_ministry(client, request, who, desk):
    client.force_login(request.getfixturevalue(who))
    assert nav_count(client.get("/", follow=True).content.decode()) is None


def test_the_menu_count_costs_a_few_queries_once(client, staff_user, desk):
    client.force_login(staff_user)
    url = reverse("products:staff.producer.list")
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    badge = [q["sql"] for q in queries.captured_queries if '"awards_nomination"' in q["sql"] and "COUNT" in q["sql"]]
    assert len(badge) == 1


# --- who may open it, and where each role lands -------------------------------------------------------------------

LOGIN = "login"
OUTCOMES = {
    "anonymous": LOGIN,
    "producer_user": 403,
    "ministry_user": 403,
    "member_user": 200,
    "staff_user": 200,
    "other_staff_user": 200,
    "superuser": 200,
}


@pytest.mark.parametrize(("role", "expected"), OUTCOMES.items())
def test_inbox_answers_by_role(client, request, role, expected):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.get(URL)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected


def test_matrix_covers_every_inbox_url():
    assert {f"inbox:{p.name}" for p in urlpatterns} == {"inbox:home"}


HOMES = {
    "staff_user": URL,
    "other_staff_user": URL,
    "superuser": URL,
    "member_user": URL,
    "producer_user": reverse("products:producer.profile"),
    "ministry_user": reverse("dashboards:staff.dashboard"),
}


@pytest.mark.parametrize(("role", "home"), HOMES.items())
def test_after_sign_in_each_role_lands_on_its_home(client, request, role, home):
    user = request.getfixturevalue(role)
    user.set_password(factories.PASSWORD)
    user.save()
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302
    final = client.get(response.url)
    assert (final.status_code, final.url) == (302, home)


def test_the_public_keeps_the_portals_home(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Việc cần làm" not in response.content.decode()


# --- the same queries whatever the data --------------------------------------------------------------------------


def count(client) -> int:
    client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize("who", ["staff", "member"])
def test_the_inbox_costs_the_same_queries_whatever_the_data(client, who, staff_user, producer_a, producer_user):
    small = build_desk(staff_user, producer_a, producer_user, size=1, tag="a")
    user = staff_user if who == "staff" else small.members[1].user
    client.force_login(user)
    few = count(client)

    larger = build_desk(staff_user, producer_a, producer_user, size=4, tag="b")
    if who == "member":  # the same member sits on the second council too
        award_services.council_member_add(
            council=larger.round.council, actor=staff_user, user=user, role="member", groups=[]
        )
    for nomination in larger.waiting:
        waited(nomination, 3)
    many = count(client)

    assert many == few <= 25
    html = client.get(URL).content.decode()
    if who == "staff":
        assert "8 hồ sơ chờ thẩm định" in section(html, "screening")
    else:
        assert len(links(html, "scoring")) == 2
