"""The notification list (`/notifications/`): every signed-in role has one and sees only its own lines; marking
read (one or all) is a POST with its CSRF token; the menu shows the unread count without a query."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.core.messaging.models import Notification, NotificationKind
from portal.core.messaging.notify import notify
from portal.notifications.urls import urlpatterns

LIST = reverse("notifications:list")
ROLES = ("producer_user", "member_user", "staff_user", "other_staff_user", "ministry_user", "superuser")


def _tell(user, n=1, text="Hồ sơ CB-2026-T-0001 đã được nộp lại.", link="/staff/nominations/1/"):
    for _ in range(n):
        notify([user], kind=NotificationKind.SUBMISSION, text=text, link=link)
    return Notification.objects.filter(user=user).order_by("-pk").first()


def _unread(user):
    user.refresh_from_db()
    return user.unread_notifications


# -- the permission matrix: role × own / another's notification ----------------------------------------------------
def test_every_url_of_the_notifications_is_in_the_matrix():
    assert {f"notifications:{p.name}" for p in urlpatterns} == {
        "notifications:list",
        "notifications:read",
        "notifications:read_all",
    }


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_and_marks_only_its_own_notifications(client, role, request, producer_b_user):
    user = request.getfixturevalue(role)
    own = _tell(user, text="Của tôi")
    other = _tell(producer_b_user, text="Của người khác")
    client.force_login(user)

    page = client.get(LIST)
    assert page.status_code == 200
    assert "Của tôi" in page.content.decode()
    assert "Của người khác" not in page.content.decode()  # a superuser too: the list is one's own

    assert client.post(reverse("notifications:read", args=[other.pk])).status_code == 404
    assert client.post(reverse("notifications:read_all")).status_code == 302
    other.refresh_from_db()
    assert other.read_at is None
    assert _unread(producer_b_user) == 1
    own.refresh_from_db()
    assert own.read_at is not None
    assert _unread(user) == 0


def test_anonymous_visitors_are_sent_to_sign_in_and_change_nothing(client, producer_user):
    notification = _tell(producer_user)
    for url, method in (
        (LIST, client.get),
        (reverse("notifications:read", args=[notification.pk]), client.post),
        (reverse("notifications:read_all"), client.post),
    ):
        response = method(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    assert _unread(producer_user) == 1


def test_marking_read_is_a_post_with_its_csrf_token(producer_user):
    notification = _tell(producer_user)
    client = Client(enforce_csrf_checks=True)
    client.force_login(producer_user)
    read = reverse("notifications:read", args=[notification.pk])
    assert client.get(read).status_code == 405
    assert client.post(read).status_code == 403  # no token
    assert client.post(reverse("notifications:read_all")).status_code == 403
    assert _unread(producer_user) == 1


# -- reading -------------------------------------------------------------------------------------------------------
def test_the_list_shows_unread_lines_and_marks_one_or_all_read(client, staff_user):
    first = _tell(staff_user, text="Hồ sơ CB-2026-T-0001 đã được nộp: Lạp sườn, HTX Tâm Hòa.")
    _tell(staff_user, 2, text="Hồ sơ CB-2026-T-0002 đã được nộp: Miến dong, HTX Phja Đén.")
    client.force_login(staff_user)

    page = client.get(LIST).content.decode()
    assert "3 thông báo chưa đọc." in page
    assert "Đánh dấu tất cả là đã đọc" in page
    assert "Hồ sơ được nộp" in page  # the kind
    assert 'title="3 thông báo chưa đọc">3</span>' in page  # the menu's count

    response = client.post(reverse("notifications:read", args=[first.pk]), {"open": "1"})
    assert (response.status_code, response.url) == (302, "/staff/nominations/1/")  # on to the page it tells of
    assert _unread(staff_user) == 2
    assert client.post(reverse("notifications:read", args=[first.pk])).status_code == 302  # again: nothing changes
    assert _unread(staff_user) == 2

    response = client.post(reverse("notifications:read_all"), follow=True)
    page = response.content.decode()
    assert "Tất cả thông báo đã được đánh dấu là đã đọc." in page
    assert "Anh/chị đã đọc hết các thông báo." in page
    assert "nav-count" not in page.split("nav-notifications")[1].split("</li>")[0]
    assert _unread(staff_user) == 0
    assert not Notification.objects.filter(user=staff_user, read_at__isnull=True).exists()


def test_a_counter_that_drifted_is_set_right_by_the_list(client, producer_user):
    _tell(producer_user, 2)
    type(producer_user).objects.filter(pk=producer_user.pk).update(unread_notifications=9)
    client.force_login(producer_user)
    assert "2 thông báo chưa đọc." in client.get(LIST).content.decode()
    assert _unread(producer_user) == 2


def test_an_empty_list_says_so(client, member_user):
    client.force_login(member_user)
    assert "Chưa có thông báo nào." in client.get(LIST).content.decode()


# -- query budgets -------------------------------------------------------------------------------------------------
def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_costs_the_same_queries_with_one_line_or_thirty(client, producer_user):
    client.force_login(producer_user)
    _tell(producer_user)
    one = _queries(client, LIST)
    _tell(producer_user, 29)
    assert _queries(client, LIST) == one


@pytest.mark.parametrize("url", ["/accounts/profile/", "/me/products/", "/me/producer/"])
def test_the_menu_s_count_costs_no_query(client, producer_user, url):
    client.force_login(producer_user)
    before = _queries(client, url)
    _tell(producer_user, 5)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    assert len(queries) == before
    assert 'title="5 thông báo chưa đọc">5</span>' in page
