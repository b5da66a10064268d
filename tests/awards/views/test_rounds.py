"""Award round pages. Who may open what: role × round → outcome, for every awards URL. A round outside the
staff member's rounds answers 404 (its existence is not revealed); a round they see but may not manage (a region
round, run by the ministry agency) answers 403; another role answers 403; anonymous users go to sign in."""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from awards.enums import PhaseKind, RoundStatus
from awards.models import LevelChecklistItem, Round, RoundStatusLog
from awards.urls import urlpatterns
from tests import factories

from ..helpers import level
from ..test_council_documents import COUNCIL_DOCUMENT_URLS
from .test_checklist_templates import template_url
from .test_round_checklist import formset_post

LOGIN = "login"
ROLES = {
    "anonymous": None,
    "producer": "producer_user",
    "member": "member_user",
    "staff_ca_mau": "other_staff_user",
    "staff_cao_bang": "staff_user",
    "superuser": "superuser",
}


def outcomes(anonymous, producer, member, staff_ca_mau, staff_cao_bang, superuser):
    return dict(zip(ROLES, (anonymous, producer, member, staff_ca_mau, staff_cao_bang, superuser), strict=True))


STAFF_PAGE = outcomes(LOGIN, 403, 403, 200, 200, 200)
# Cà Mau staff do not see Cao Bằng's rounds, nor the northern region's.
OWN_PROVINCE_ROUND = outcomes(LOGIN, 403, 403, 404, 200, 200)
NORTH_ROUND_VIEW = outcomes(LOGIN, 403, 403, 404, 200, 200)
NORTH_ROUND_MANAGE = outcomes(LOGIN, 403, 403, 404, 403, 200)
EVERYONE = outcomes(200, 200, 200, 200, 200, 200)
NOBODY = outcomes(404, 404, 404, 404, 404, 404)


# url name, the `records` attribute whose pk the URL takes (or None), expected outcome per role
def published_template(records) -> str:
    return template_url(records.cao_bang_open)


def draft_template(records) -> str:
    return template_url(records.cao_bang)


GET_PAGES = [
    ("awards:staff.round.list", None, STAFF_PAGE),
    ("awards:staff.round.create", None, STAFF_PAGE),
    ("awards:staff.round.detail", "cao_bang", OWN_PROVINCE_ROUND),
    ("awards:staff.round.update", "cao_bang", OWN_PROVINCE_ROUND),
    ("awards:staff.round.detail", "north", NORTH_ROUND_VIEW),
    ("awards:staff.round.update", "north", NORTH_ROUND_MANAGE),
    ("awards:staff.round.checklist", "cao_bang", OWN_PROVINCE_ROUND),
    ("awards:staff.round.checklist", "north", NORTH_ROUND_MANAGE),
    ("awards:public.round.list", None, EVERYONE),
    ("awards:public.round.detail", "cao_bang_open", EVERYONE),
    ("awards:public.round.detail", "cao_bang", NOBODY),
    # A document's template: a published round's to everyone, a draft round's to nobody (tests/awards/views/
    # test_checklist_templates.py attaches it).
    ("awards:public.round.template", published_template, EVERYONE),
    ("awards:public.round.template", draft_template, NOBODY),
]


def round_data(round_=None, **changes):
    """The staff form's POST for `round_` (or for a new Cao Bằng province round), dates as dd/mm/yyyy."""
    cao_bang = factories.province("Cao Bằng")
    data = {
        "level": level("province").pk,
        "year": "2026",
        "title": "Bình chọn sản phẩm CNNT tiêu biểu cấp tỉnh Cao Bằng năm 2026",
        "organiser": factories.organization("Cao Bằng").pk,
        "province": cao_bang.pk,
        "local_unit": "",
        "region": "",
        "min_score": "70",
        "quota_per_province": "",
        "notes": "Nộp hồ sơ tại Trung tâm Khuyến công.",
        "registration_starts": "01/03/2026",
        "registration_ends": "30/04/2026",
    }
    for kind in PhaseKind:
        if kind != PhaseKind.REGISTRATION:
            data[f"{kind}_starts"] = data[f"{kind}_ends"] = ""
    if round_ is not None:
        registration = round_.phases.get(kind=PhaseKind.REGISTRATION)
        data.update(
            level=round_.level_id,
            year=str(round_.year),
            title=round_.title,
            organiser=round_.organiser_id,
            province=round_.province_id or "",
            region=round_.region_id or "",
            registration_starts=f"{registration.starts_on:%d/%m/%Y}",
            registration_ends=f"{registration.ends_on:%d/%m/%Y}",
        )
    data.update(changes)
    return data


def _status(records):
    return (Round.objects.get(pk=records.cao_bang.pk).status, RoundStatusLog.objects.count())


def _north_status(records):
    return (Round.objects.get(pk=records.north.pk).status, RoundStatusLog.objects.count())


def _title(records):
    return Round.objects.get(pk=records.cao_bang.pk).title


def _checklist(records):
    return sorted(records.cao_bang.checklist.values_list("pk", "order"))


def _checklist_post(records):
    """The checklist page's POST: every item moved to order 3, the photo rules as they are."""
    round_ = records.cao_bang
    return formset_post(round_, changes={item.pk: {"order": 3} for item in round_.checklist.all()})


def _round_count(records):
    return Round.objects.count()


# url name, url pk attribute, POST data (a function of records), state that changes only when allowed, outcomes
POSTS = [
    (
        "awards:staff.round.status",
        "cao_bang",
        lambda r: {"to": "published"},
        _status,
        outcomes(LOGIN, 403, 403, 404, 302, 302),
    ),
    (
        "awards:staff.round.status",
        "north",
        lambda r: {"to": "published"},
        _north_status,
        # A region round is run by the ministry agency: Cao Bằng staff see it but may not publish it.
        outcomes(LOGIN, 403, 403, 404, 403, 302),
    ),
    (
        "awards:staff.round.update",
        "cao_bang",
        lambda r: round_data(r.cao_bang, title="Bình chọn cấp tỉnh Cao Bằng 2026 (sửa)"),
        _title,
        outcomes(LOGIN, 403, 403, 404, 302, 302),
    ),
    (
        "awards:staff.round.checklist",
        "cao_bang",
        _checklist_post,
        _checklist,
        outcomes(LOGIN, 403, 403, 404, 302, 302),
    ),
    # Cà Mau staff are not offered Cao Bằng: the form refuses the province and the organiser.
    (
        "awards:staff.round.create",
        None,
        lambda r: round_data(),
        _round_count,
        outcomes(LOGIN, 403, 403, 400, 302, 302),
    ),
]


@pytest.fixture
def records(make_round):
    return SimpleNamespace(
        cao_bang=make_round("province", title="Cấp tỉnh Cao Bằng (nháp)"),
        cao_bang_open=make_round("province", title="Cấp tỉnh Cao Bằng (đang mở)", publish=True),
        north=make_round("region", region_code="bac", title="Khu vực phía Bắc"),
    )


def url_for(name, attr, records):
    if callable(attr):
        return attr(records)
    return reverse(name, args=[getattr(records, attr).pk]) if attr else reverse(name)


def sign_in(client, request, role):
    if ROLES[role] is not None:
        client.force_login(request.getfixturevalue(ROLES[role]))


def assert_outcome(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected


def _cases(table):
    return [
        pytest.param(
            name, attr, *rest, role, expected[role], id=f"{name.split(':')[1]}-{getattr(attr, '__name__', attr)}-{role}"
        )
        for name, attr, *rest, expected in table
        for role in ROLES
    ]


@pytest.mark.parametrize(("name", "attr", "role", "expected"), _cases(GET_PAGES))
def test_get_answers_by_role(client, request, records, name, attr, role, expected):
    sign_in(client, request, role)
    assert_outcome(client.get(url_for(name, attr, records)), expected)


@pytest.mark.parametrize(("name", "attr", "data", "state", "role", "expected"), _cases(POSTS))
def test_post_answers_by_role_and_changes_nothing_when_refused(
    client, request, records, name, attr, data, state, role, expected
):
    sign_in(client, request, role)
    before = state(records)

    response = client.post(url_for(name, attr, records), data(records))

    assert_outcome(response, expected)
    if expected == 302:
        assert state(records) != before
    else:
        assert state(records) == before


def test_matrix_covers_every_round_url():
    # Nomination URLs have their own matrix in test_nominations.py / test_screening.py, results in test_results.py,
    # the council's minutes and score summary in test_council_documents.py, closing a pass or the scoring (their
    # confirmation pages) in test_passes_views.py.
    names = {
        f"awards:{p.name}"
        for p in urlpatterns
        if ".round." in p.name and not p.name.startswith(("staff.round.results", "staff.round.close_"))
    } - COUNCIL_DOCUMENT_URLS
    assert names == {row[0] for row in GET_PAGES} | {row[0] for row in POSTS}


def test_status_page_answers_only_post(client, staff_user, records):
    client.force_login(staff_user)
    assert client.get(reverse("awards:staff.round.status", args=[records.cao_bang.pk])).status_code == 405


# --- staff pages: what they show ---


def test_staff_round_list_shows_the_rounds_the_staff_member_may_see(client, staff_user, other_staff_user, records):
    client.force_login(other_staff_user)
    assert list(client.get(reverse("awards:staff.round.list")).context["rounds"]) == []

    client.force_login(staff_user)
    response = client.get(reverse("awards:staff.round.list"))
    assert {r.title for r in response.context["rounds"]} == {
        "Cấp tỉnh Cao Bằng (nháp)",
        "Cấp tỉnh Cao Bằng (đang mở)",
        "Khu vực phía Bắc",
    }


def test_staff_round_list_filters_by_year(client, staff_user, make_round):
    make_round(title="Cấp tỉnh 2024", registration=(datetime.date(2024, 3, 1), datetime.date(2024, 4, 30)))
    make_round(title="Cấp tỉnh 2026")
    client.force_login(staff_user)

    response = client.get(reverse("awards:staff.round.list"), {"year": "2024"})

    assert [r.title for r in response.context["rounds"]] == ["Cấp tỉnh 2024"]


def test_round_detail_offers_publish_on_a_draft_round_of_own_province(client, staff_user, records):
    client.force_login(staff_user)
    response = client.get(records.cao_bang.get_absolute_url())
    assert response.context["can_manage"] is True
    assert [to for to, _label in response.context["actions"]] == [RoundStatus.PUBLISHED]


def test_round_detail_offers_no_action_on_a_region_round_to_province_staff(client, staff_user, records):
    client.force_login(staff_user)
    response = client.get(records.north.get_absolute_url())
    assert response.context["can_manage"] is False
    assert response.context["actions"] == []


def test_round_form_offers_only_own_province_to_province_staff(client, staff_user, db):
    client.force_login(staff_user)
    response = client.get(reverse("awards:staff.round.create"))
    provinces = response.context["form"].fields["province"].queryset
    assert [p.name for p in provinces] == ["Cao Bằng"]


# --- creating and editing through the form ---


def test_staff_creates_a_province_round_as_a_draft_with_the_default_checklist(client, staff_user, db):
    client.force_login(staff_user)

    response = client.post(reverse("awards:staff.round.create"), round_data())

    round_ = Round.objects.get()
    assert response.status_code == 302
    assert response.url == round_.get_absolute_url()
    assert (round_.status, round_.level, round_.province.name, round_.year) == (
        RoundStatus.DRAFT,
        level("province"),
        "Cao Bằng",
        2026,
    )
    assert round_.title == "Bình chọn sản phẩm CNNT tiêu biểu cấp tỉnh Cao Bằng năm 2026"
    assert list(round_.phases.values_list("kind", "starts_on", "ends_on")) == [
        (PhaseKind.REGISTRATION, datetime.date(2026, 3, 1), datetime.date(2026, 4, 30))
    ]
    assert round_.checklist.count() == LevelChecklistItem.objects.filter(level=level("province")).count()
    assert round_.checklist.filter(document_type__code="registration", required=True).exists()
    assert round_.group_rules.count() == 4


def test_new_round_detail_shows_its_dates_and_checklist(client, staff_user, db):
    client.force_login(staff_user)
    response = client.post(reverse("awards:staff.round.create"), round_data(), follow=True)

    assert response.status_code == 200
    html = response.content.decode()
    assert "01/03/2026" in html
    assert "30/04/2026" in html
    assert [item.document_type.code for item in response.context["checklist"]][:2] == [
        "registration",
        "product_description",
    ]


def test_create_without_registration_dates_answers_400_and_keeps_the_typed_title(client, staff_user, db):
    client.force_login(staff_user)

    response = client.post(
        reverse("awards:staff.round.create"),
        round_data(title="Bình chọn cấp tỉnh – bản thử", registration_starts="", registration_ends=""),
    )

    assert response.status_code == 400
    assert response.context["form"]["title"].value() == "Bình chọn cấp tỉnh – bản thử"
    assert 'value="Bình chọn cấp tỉnh – bản thử"' in response.content.decode()
    assert set(response.context["phases"].errors) == {"registration_starts", "registration_ends"}
    assert not Round.objects.exists()


def test_create_with_registration_ending_before_it_starts_answers_400(client, staff_user, db):
    client.force_login(staff_user)

    response = client.post(
        reverse("awards:staff.round.create"),
        round_data(title="Bình chọn cấp tỉnh 2026", registration_starts="30/04/2026", registration_ends="01/03/2026"),
    )

    assert response.status_code == 400
    assert response.context["form"]["title"].value() == "Bình chọn cấp tỉnh 2026"
    assert list(response.context["phases"].errors) == ["registration_ends"]
    assert not Round.objects.exists()


def test_create_shows_the_service_refusal_on_the_level_field(client, staff_user, db):
    cao_bang = factories.province("Cao Bằng")
    client.force_login(staff_user)

    response = client.post(
        reverse("awards:staff.round.create"),
        round_data(
            level=level("commune").pk,
            local_unit=factories.ward_of(cao_bang).pk,
            registration_starts="30/06/2025",
            registration_ends="31/07/2025",
            year="2025",
        ),
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["level"]
    assert not Round.objects.exists()


def test_cao_bang_staff_cannot_create_a_round_for_ca_mau(client, staff_user, db):
    client.force_login(staff_user)

    response = client.post(reverse("awards:staff.round.create"), round_data(province=factories.province("Cà Mau").pk))

    assert response.status_code == 400
    assert "province" in response.context["form"].errors
    assert not Round.objects.exists()


def test_cao_bang_staff_cannot_create_a_national_round(client, staff_user, db):
    # Region and national rounds are managed by the ministry agency (awards/access.py can_manage_round), so a
    # province department must not be able to create one either.
    client.force_login(staff_user)

    response = client.post(reverse("awards:staff.round.create"), round_data(level=level("national").pk, province=""))

    assert not Round.objects.exists(), "province staff created a national round they are not allowed to manage"
    assert response.status_code in (400, 403)


def test_staff_edits_a_round_and_its_dates(client, staff_user, records):
    client.force_login(staff_user)

    response = client.post(
        reverse("awards:staff.round.update", args=[records.cao_bang.pk]),
        round_data(records.cao_bang, title="Cấp tỉnh Cao Bằng (gia hạn)", registration_ends="31/12/2026"),
    )

    assert response.status_code == 302
    records.cao_bang.refresh_from_db()
    assert records.cao_bang.title == "Cấp tỉnh Cao Bằng (gia hạn)"
    assert records.cao_bang.registration.ends_on == datetime.date(2026, 12, 31)


def test_staff_set_the_round_quorum_and_its_page_states_it(client, staff_user, records):
    client.force_login(staff_user)
    url = reverse("awards:staff.round.update", args=[records.cao_bang.pk])
    assert (records.cao_bang.quorum_numerator, records.cao_bang.quorum_denominator) == (2, 3)

    refused = client.post(url, round_data(records.cao_bang, quorum_numerator="5", quorum_denominator="4"))
    assert refused.status_code == 400
    assert "Số phiếu tối thiểu không thể vượt quá tổng số thành viên chấm điểm" in refused.content.decode()
    records.cao_bang.refresh_from_db()
    assert (records.cao_bang.quorum_numerator, records.cao_bang.quorum_denominator) == (2, 3)

    response = client.post(url, round_data(records.cao_bang, quorum_numerator="3", quorum_denominator="4"))

    assert response.status_code == 302
    records.cao_bang.refresh_from_db()
    assert (records.cao_bang.quorum_numerator, records.cao_bang.quorum_denominator) == (3, 4)
    html = client.get(records.cao_bang.get_absolute_url()).content.decode()
    assert "ít nhất 3 trên 4 thành viên chấm điểm không có xung đột lợi ích" in html


# --- status changes through the staff page ---


def test_staff_publishes_a_round_and_the_log_records_it(client, staff_user, records):
    client.force_login(staff_user)

    response = client.post(
        reverse("awards:staff.round.status", args=[records.cao_bang.pk]), {"to": "published", "note": "Đã duyệt"}
    )

    assert response.status_code == 302
    assert response.url == records.cao_bang.get_absolute_url()
    assert Round.objects.get(pk=records.cao_bang.pk).status == RoundStatus.PUBLISHED
    log = RoundStatusLog.objects.get(round=records.cao_bang)
    assert (log.actor, log.from_status, log.to_status, log.note) == (
        staff_user,
        RoundStatus.DRAFT,
        RoundStatus.PUBLISHED,
        "Đã duyệt",
    )
    assert [m.level for m in get_messages(response.wsgi_request)] == [messages.SUCCESS]


def test_published_round_appears_on_the_public_list(client, staff_user, records):
    client.force_login(staff_user)
    client.post(reverse("awards:staff.round.status", args=[records.cao_bang.pk]), {"to": "published"})
    client.logout()

    response = client.get(reverse("awards:public.round.list"))

    assert "Cấp tỉnh Cao Bằng (nháp)" in [r.title for r in response.context["rounds"]]


def test_illegal_status_change_shows_an_error_and_changes_nothing(client, staff_user, records):
    client.force_login(staff_user)

    response = client.post(reverse("awards:staff.round.status", args=[records.cao_bang.pk]), {"to": "closed"})

    assert response.status_code == 302
    assert [m.level for m in get_messages(response.wsgi_request)] == [messages.ERROR]
    assert Round.objects.get(pk=records.cao_bang.pk).status == RoundStatus.DRAFT
    assert not RoundStatusLog.objects.filter(round=records.cao_bang).exists()


def test_unknown_status_answers_404(client, staff_user, records):
    client.force_login(staff_user)

    response = client.post(reverse("awards:staff.round.status", args=[records.cao_bang.pk]), {"to": "archived"})

    assert response.status_code == 404
    assert Round.objects.get(pk=records.cao_bang.pk).status == RoundStatus.DRAFT


# --- public pages ---


def test_public_detail_shows_the_round_checklist_and_dates(client, records):
    response = client.get(records.cao_bang_open.get_public_url())

    assert response.context["round"] == records.cao_bang_open
    assert response.context["checklist"].count() == records.cao_bang_open.checklist.count()
    registration = records.cao_bang_open.registration
    assert f"{registration.ends_on:%d/%m/%Y}" in response.content.decode()


def test_public_detail_of_a_closed_round_stays_visible(client, records, staff_user):
    from awards import services

    services.round_set_status(round_=records.cao_bang_open, to=RoundStatus.CLOSED, actor=staff_user)
    assert client.get(records.cao_bang_open.get_public_url()).status_code == 200


def test_public_list_shows_only_open_published_rounds(client, records):
    response = client.get(reverse("awards:public.round.list"))
    assert [r.title for r in response.context["rounds"]] == ["Cấp tỉnh Cao Bằng (đang mở)"]


# --- N+1 guards ---


def add_rounds(make_round, n, *, publish):
    kinds = ["province", "commune", "region", "national"]
    for i in range(n):
        make_round(
            kinds[i % len(kinds)],
            title=f"Đợt {i:02d}",
            registration=(timezone.localdate(), timezone.localdate() + datetime.timedelta(days=10 + i)),
            publish=publish,
        )


@pytest.mark.parametrize("user_fixture", ["staff_user", "superuser"])
def test_staff_round_list_query_count_does_not_grow_with_rows(client, request, make_round, count_queries, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    url = reverse("awards:staff.round.list")
    add_rounds(make_round, 1, publish=False)
    one, _ = count_queries(client, url)

    add_rounds(make_round, 14, publish=False)
    fifteen, response = count_queries(client, url)

    assert len(response.context["rounds"]) == 15
    assert fifteen == one


def test_public_round_list_query_count_does_not_grow_with_rows(client, make_round, count_queries):
    url = reverse("awards:public.round.list")
    add_rounds(make_round, 1, publish=True)
    one, _ = count_queries(client, url)

    add_rounds(make_round, 14, publish=True)
    fifteen, response = count_queries(client, url)

    assert len(response.context["rounds"]) == 15
    assert fifteen == one
