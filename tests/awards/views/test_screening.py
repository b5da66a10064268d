"""Screening: a round's queue of dossiers, the screening page of one dossier and the staff decisions on it.

Who may open what: role × dossier → outcome. A dossier outside the staff member's province answers 404; a dossier
in a round the staff member may see but not manage (a region round, run by the ministry agency) answers 403 to
any decision; producers and council members answer 403; anonymous users go to sign in."""

from types import SimpleNamespace

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from awards import services
from awards.enums import NominationStatus
from awards.models import CorrectionRequest, Nomination, NominationStatusLog
from awards.urls import urlpatterns
from products.models import ProductGroup
from tests import factories

from ..nomination_helpers import (
    draft,
    in_days,
    ready_product,
    recognise,
    resubmitted,
    returned,
    submitted,
)
from . import test_nominations

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


CAO_BANG_DOSSIER = outcomes(LOGIN, 403, 403, 404, 200, 200)

GET_PAGES = [
    ("awards:staff.nomination.list", lambda r: [r.round.pk], CAO_BANG_DOSSIER),
    ("awards:staff.nomination.detail", lambda r: [r.sent.pk], CAO_BANG_DOSSIER),
    ("awards:staff.nomination.pdf", lambda r: [r.sent.pk], CAO_BANG_DOSSIER),
    # A region round is seen by Cao Bằng staff (their producers are in it) but not by Cà Mau's.
    ("awards:staff.nomination.list", lambda r: [r.region_round.pk], CAO_BANG_DOSSIER),
    ("awards:staff.nomination.detail", lambda r: [r.region_sent.pk], CAO_BANG_DOSSIER),
    # A draft is not the department's business yet.
    ("awards:staff.nomination.detail", lambda r: [r.draft.pk], outcomes(LOGIN, 403, 403, 404, 404, 404)),
    # The bulk decision page answers a POST from the queue; opened directly it leads back to the queue.
    ("awards:staff.nomination.bulk", lambda r: [r.round.pk], outcomes(LOGIN, 403, 403, 404, 302, 302)),
]


def _status(attr):
    def state(records):
        nomination = getattr(records, attr)
        return (
            Nomination.objects.get(pk=nomination.pk).status,
            NominationStatusLog.objects.filter(nomination=nomination).count(),
        )

    return state


POSTS = [
    (
        "awards:staff.nomination.decide",
        lambda r: [r.sent.pk],
        lambda r: {"action": "accept", "note": "Đủ hồ sơ"},
        _status("sent"),
        outcomes(LOGIN, 403, 403, 404, 302, 302),
    ),
    (
        "awards:staff.nomination.decide",
        lambda r: [r.region_sent.pk],
        lambda r: {"action": "accept"},
        _status("region_sent"),
        outcomes(LOGIN, 403, 403, 404, 403, 302),
    ),
    (
        "awards:staff.nomination.list",
        lambda r: [r.round.pk],
        lambda r: {"selected": [r.sent.pk]},
        _status("sent"),
        outcomes(LOGIN, 403, 403, 404, 302, 302),
    ),
    (
        "awards:staff.nomination.list",
        lambda r: [r.region_round.pk],
        lambda r: {"selected": [r.region_sent.pk]},
        _status("region_sent"),
        outcomes(LOGIN, 403, 403, 404, 403, 302),
    ),
    (
        "awards:staff.nomination.bulk",
        lambda r: [r.round.pk],
        lambda r: {"action": "accept", "confirm": "1", "selected": [r.sent.pk]},
        _status("sent"),
        outcomes(LOGIN, 403, 403, 404, 302, 302),
    ),
    (
        "awards:staff.nomination.bulk",
        lambda r: [r.region_round.pk],
        lambda r: {"action": "accept", "confirm": "1", "selected": [r.region_sent.pk]},
        _status("region_sent"),
        outcomes(LOGIN, 403, 403, 404, 403, 302),
    ),
]


@pytest.fixture
def round_(make_round):
    return make_round("province", publish=True)


@pytest.fixture
def records(round_, make_round, producer_a, producer_user):
    region_round = make_round("region", publish=True)
    region_product = ready_product(producer_a, "Thịt hun khói Tâm Hòa")
    recognise(region_product)
    return SimpleNamespace(
        round=round_,
        sent=submitted(round_, ready_product(producer_a), producer_user),
        draft=draft(round_, ready_product(producer_a, "Miến dong"), producer_user),
        region_round=region_round,
        region_sent=submitted(region_round, region_product, producer_user),
    )


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
        pytest.param(name, args, *rest, role, expected[role], id=f"{name.split(':')[1]}-{i}-{role}")
        for i, (name, args, *rest, expected) in enumerate(table)
        for role in ROLES
    ]


@pytest.mark.parametrize(("name", "args", "role", "expected"), _cases(GET_PAGES))
def test_get_answers_by_role(client, request, records, name, args, role, expected):
    sign_in(client, request, role)
    assert_outcome(client.get(reverse(name, args=args(records))), expected)


@pytest.mark.parametrize(("name", "args", "data", "state", "role", "expected"), _cases(POSTS))
def test_post_answers_by_role_and_changes_nothing_when_refused(
    client, request, records, name, args, data, state, role, expected
):
    sign_in(client, request, role)
    before = state(records)

    response = client.post(reverse(name, args=args(records)), data(records))

    assert_outcome(response, expected)
    if expected == 302:
        assert state(records) != before
    else:
        assert state(records) == before


def test_matrices_cover_every_nomination_url():
    names = {f"awards:{p.name}" for p in urlpatterns if ".nomination." in p.name}
    covered = {
        row[0] for table in (GET_PAGES, POSTS, test_nominations.GET_PAGES, test_nominations.POSTS) for row in table
    }
    assert names == covered


def test_decide_get_leads_back_to_the_screening_page(client, staff_user, records):
    # A refused decision form is shown under the /decide/ address; reloading it must not break.
    client.force_login(staff_user)
    response = client.get(reverse("awards:staff.nomination.decide", args=[records.sent.pk]))
    assert response.status_code == 302
    assert response.url == records.sent.get_absolute_url()


# --- the queue ---


def queue_url(round_):
    return reverse("awards:staff.nomination.list", args=[round_.pk])


@pytest.fixture
def queue(round_, producer_a, producer_b, producer_user, producer_b_user, staff_user):
    """One dossier of the round in each state the queue may show, plus a draft it must not show."""
    in_screening = submitted(round_, ready_product(producer_b, "Chiếu trúc", group_code="1"), producer_b_user)
    services.nomination_start_screening(nomination=in_screening, actor=staff_user)
    again = submitted(round_, ready_product(producer_a, "Thịt hun khói"), producer_user)
    services.nomination_start_screening(nomination=again, actor=staff_user)
    incomplete = returned(submitted(round_, ready_product(producer_a, "Măng khô"), producer_user), staff_user)
    # The producer empties the field it was asked to correct: the dossier now has a gap.
    services.nomination_update_form(nomination=incomplete, actor=producer_user, annual_output="")
    return SimpleNamespace(
        submitted=submitted(round_, ready_product(producer_a), producer_user),
        in_screening=Nomination.objects.get(pk=in_screening.pk),
        resubmitted=resubmitted(again, staff_user, producer_user),
        returned=Nomination.objects.get(pk=incomplete.pk),
        draft=draft(round_, ready_product(producer_a, "Miến dong"), producer_user),
    )


def listed(response):
    return {n.pk for n in response.context["nominations"]}


def test_queue_shows_sent_dossiers_and_never_drafts(client, staff_user, round_, queue):
    client.force_login(staff_user)

    response = client.get(queue_url(round_))

    assert response.status_code == 200
    assert listed(response) == {
        queue.submitted.pk,
        queue.in_screening.pk,
        queue.resubmitted.pk,
        queue.returned.pk,
    }
    html = response.content.decode()
    for nomination in (queue.submitted, queue.in_screening, queue.resubmitted):
        assert nomination.receipt_code in html
    assert "Miến dong" not in html
    assert response.context["can_decide"] is True


def test_queue_of_another_round_shows_none_of_these(client, staff_user, make_round, queue):
    other = make_round("province", publish=True, title="Đợt khác")
    client.force_login(staff_user)
    assert listed(client.get(queue_url(other))) == set()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "submitted"}, {"submitted"}),
        ({"status": "in_screening"}, {"in_screening"}),
        ({"status": "resubmitted"}, {"resubmitted"}),
        ({"missing": "yes"}, {"returned"}),
        ({"missing": "no"}, {"submitted", "in_screening", "resubmitted"}),
        ({"group": "1"}, {"in_screening"}),
        ({"group": "2", "missing": "no"}, {"submitted", "resubmitted"}),
        ({"group": "2", "status": "returned"}, {"returned"}),
    ],
)
def test_queue_filters(client, staff_user, round_, queue, params, expected):
    if "group" in params:
        params = {**params, "group": ProductGroup.objects.get(code=params["group"]).pk}
    client.force_login(staff_user)

    response = client.get(queue_url(round_), params)

    assert response.status_code == 200
    assert listed(response) == {getattr(queue, name).pk for name in expected}


def test_queue_missing_filter_follows_the_missing_count(client, staff_user, round_, queue):
    assert Nomination.objects.get(pk=queue.returned.pk).missing_count == 1
    assert Nomination.objects.get(pk=queue.submitted.pk).missing_count == 0
    client.force_login(staff_user)

    response = client.get(queue_url(round_), {"missing": "yes"})

    assert [n.missing_count for n in response.context["nominations"]] == [1]


def test_queue_does_not_offer_the_draft_status_filter(client, staff_user, round_, queue):
    client.force_login(staff_user)
    response = client.get(queue_url(round_), {"status": "draft"})
    assert "status" in response.context["filter"].errors


def test_queue_query_count_does_not_grow_with_rows(
    client, staff_user, round_, producer_a, producer_b, producer_user, producer_b_user, count_queries
):
    client.force_login(staff_user)
    url = queue_url(round_)
    submitted(round_, ready_product(producer_a, "Sản phẩm 00"), producer_user)
    one, _ = count_queries(client, url)

    for i in range(1, 15):
        producer, account = (producer_a, producer_user) if i % 2 else (producer_b, producer_b_user)
        nomination = submitted(round_, ready_product(producer, f"Sản phẩm {i:02d}", group_code=str(i % 4 + 1)), account)
        if i % 3 == 0:
            services.nomination_start_screening(nomination=nomination, actor=staff_user)
    fifteen, response = count_queries(client, url)

    assert len(response.context["nominations"]) == 15
    assert fifteen == one


def test_bulk_start_screening_moves_only_the_waiting_selected_dossiers(client, staff_user, round_, queue):
    services.nomination_accept(nomination=queue.in_screening, actor=staff_user)
    client.force_login(staff_user)

    response = client.post(
        queue_url(round_) + "?missing=no",
        {"selected": [queue.submitted.pk, queue.resubmitted.pk, queue.in_screening.pk, "abc"]},
    )

    assert response.status_code == 302
    assert response.url == queue_url(round_) + "?missing=no"
    statuses = dict(Nomination.objects.values_list("pk", "status"))
    assert statuses[queue.submitted.pk] == NominationStatus.IN_SCREENING
    assert statuses[queue.resubmitted.pk] == NominationStatus.IN_SCREENING
    assert statuses[queue.in_screening.pk] == NominationStatus.ACCEPTED  # left as it was
    assert statuses[queue.returned.pk] == NominationStatus.RETURNED  # not selected
    assert statuses[queue.draft.pk] == NominationStatus.DRAFT
    levels = [m.level for m in get_messages(response.wsgi_request)]
    assert levels == [messages.SUCCESS, messages.WARNING]
    log = NominationStatusLog.objects.filter(nomination=queue.submitted, to_status=NominationStatus.IN_SCREENING)
    assert log.get().actor == staff_user


def test_bulk_start_ignores_dossiers_of_another_round(client, staff_user, make_round, queue):
    other = make_round("province", publish=True, title="Đợt khác")
    client.force_login(staff_user)

    client.post(queue_url(other), {"selected": [queue.submitted.pk]})

    assert Nomination.objects.get(pk=queue.submitted.pk).status == NominationStatus.SUBMITTED


# --- the screening page ---


def screening_url(nomination):
    return reverse("awards:staff.nomination.detail", args=[nomination.pk])


def decide_url(nomination):
    return reverse("awards:staff.nomination.decide", args=[nomination.pk])


def test_screening_page_shows_the_checklist_and_the_system_checks(client, staff_user, records):
    client.force_login(staff_user)

    response = client.get(screening_url(records.sent))

    assert response.status_code == 200
    context = response.context
    assert [row["item"].document_type.code for row in context["checklist"]][:2] == [
        "registration",
        "product_description",
    ]
    assert {row["state"] for row in context["checklist"][:2]} == {"ok"}
    assert context["gaps"] == []
    assert len(context["photos"]) == 3
    assert context["can_decide"] is True
    html = response.content.decode()
    assert records.sent.receipt_code in html
    # Every part of the dossier can be asked for, including each checklist item.
    codes = [code for code, _label in context["correction_form"].fields["items"].choices]
    assert codes[:6] == [f"field:{name}" for name in Nomination.FORM_FIELDS]
    assert {"photos", "declaration"} <= set(codes)


def test_screening_page_lists_the_gaps_of_an_incomplete_dossier(client, staff_user, round_, queue):
    client.force_login(staff_user)

    response = client.get(screening_url(queue.returned))

    assert [code for code, _message in response.context["gaps"]] == ["field:annual_output"]
    assert response.context["can_decide"] is False  # returned: the producer has it
    assert response.context["corrections"][0].items == ["field:annual_output"]


def test_screening_page_offers_no_decision_on_a_region_round_to_province_staff(client, staff_user, records):
    client.force_login(staff_user)
    assert client.get(screening_url(records.region_sent)).context["can_decide"] is False


# --- decisions ---


@pytest.fixture
def screened(records, staff_user):
    services.nomination_start_screening(nomination=records.sent, actor=staff_user)
    mail.outbox.clear()
    return Nomination.objects.get(pk=records.sent.pk)


def test_start_screening_from_the_page(client, staff_user, records, producer_user, django_capture_on_commit_callbacks):
    client.force_login(staff_user)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(decide_url(records.sent), {"action": "start"})

    assert response.url == screening_url(records.sent)
    assert Nomination.objects.get(pk=records.sent.pk).status == NominationStatus.IN_SCREENING
    assert [m.to for m in mail.outbox] == [[producer_user.email]]


def test_accept_records_the_decision_and_emails_the_producer(
    client, staff_user, producer_user, screened, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(decide_url(screened), {"action": "accept", "note": "Hồ sơ đầy đủ, hợp lệ."})

    assert response.status_code == 302
    assert response.url == screening_url(screened)
    assert Nomination.objects.get(pk=screened.pk).status == NominationStatus.ACCEPTED
    log = NominationStatusLog.objects.filter(nomination=screened).last()
    assert (log.from_status, log.to_status, log.actor, log.note) == (
        NominationStatus.IN_SCREENING,
        NominationStatus.ACCEPTED,
        staff_user,
        "Hồ sơ đầy đủ, hợp lệ.",
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [producer_user.email]
    assert screened.receipt_code in mail.outbox[0].subject


def test_accept_a_submitted_dossier_without_starting_screening(client, staff_user, records):
    client.force_login(staff_user)
    client.post(decide_url(records.sent), {"action": "accept"})
    log = NominationStatusLog.objects.filter(nomination=records.sent).last()
    assert (log.from_status, log.to_status) == (NominationStatus.SUBMITTED, NominationStatus.ACCEPTED)


def test_reject_without_a_reason_answers_400_and_changes_nothing(
    client, staff_user, screened, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    logged = NominationStatusLog.objects.filter(nomination=screened).count()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(decide_url(screened), {"action": "reject", "reason": ""})

    assert response.status_code == 400
    assert list(response.context["reject_form"].errors) == ["reason"]
    nomination = Nomination.objects.get(pk=screened.pk)
    assert (nomination.status, nomination.rejection_reason) == (NominationStatus.IN_SCREENING, "")
    assert NominationStatusLog.objects.filter(nomination=screened).count() == logged
    assert mail.outbox == []


def test_reject_with_a_reason_stores_it_and_emails_the_producer(
    client, staff_user, producer_user, screened, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    reason = "Sản phẩm không do cơ sở trực tiếp sản xuất."

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(decide_url(screened), {"action": "reject", "reason": reason})

    assert response.status_code == 302
    nomination = Nomination.objects.get(pk=screened.pk)
    assert (nomination.status, nomination.rejection_reason) == (NominationStatus.REJECTED, reason)
    log = NominationStatusLog.objects.filter(nomination=screened).last()
    assert (log.to_status, log.note, log.actor) == (NominationStatus.REJECTED, reason, staff_user)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [producer_user.email]
    assert reason in mail.outbox[0].body


def test_return_for_correction_asks_exactly_for_the_chosen_parts(
    client, staff_user, producer_user, screened, django_capture_on_commit_callbacks
):
    item = screened.round.checklist.get(document_type__code="product_description")
    deadline = in_days(14)
    client.force_login(staff_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            decide_url(screened),
            {
                "action": "return",
                "items": ["field:annual_output", f"doc:{item.pk}"],
                "message": "Ghi rõ sản lượng năm 2025; bổ sung bản thuyết minh có chữ ký.",
                "deadline": deadline.strftime("%d/%m/%Y"),
            },
        )

    assert response.status_code == 302
    nomination = Nomination.objects.get(pk=screened.pk)
    assert (nomination.status, nomination.correction_deadline) == (NominationStatus.RETURNED, deadline)
    correction = CorrectionRequest.objects.get(nomination=screened)
    assert correction.items == ["field:annual_output", f"doc:{item.pk}"]
    assert (correction.message, correction.deadline, correction.created_by, correction.resolved_at) == (
        "Ghi rõ sản lượng năm 2025; bổ sung bản thuyết minh có chữ ký.",
        deadline,
        staff_user,
        None,
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [producer_user.email]
    assert deadline.strftime("%d/%m/%Y") in mail.outbox[0].body


def test_return_with_a_past_deadline_shows_an_error_and_changes_nothing(
    client, staff_user, screened, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            decide_url(screened),
            {
                "action": "return",
                "items": ["field:annual_output"],
                "message": "Ghi rõ sản lượng năm 2025.",
                "deadline": in_days(-1).strftime("%d/%m/%Y"),
            },
        )

    # The form comes back with the error on the deadline and everything typed kept.
    assert response.status_code == 400
    form = response.context["correction_form"]
    assert "deadline" in form.errors
    assert form["message"].value() == "Ghi rõ sản lượng năm 2025."
    assert form["items"].value() == ["field:annual_output"]
    nomination = Nomination.objects.get(pk=screened.pk)
    assert (nomination.status, nomination.correction_deadline) == (NominationStatus.IN_SCREENING, None)
    assert not CorrectionRequest.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"message": "Bổ sung.", "deadline": "31/12/2099"}, "items"),
        ({"items": ["field:annual_output"], "deadline": "31/12/2099"}, "message"),
        ({"items": ["field:annual_output"], "message": "Bổ sung.", "deadline": "31/13/2099"}, "deadline"),
        ({"items": ["field:nonsense"], "message": "Bổ sung.", "deadline": "31/12/2099"}, "items"),
    ],
)
def test_return_with_an_incomplete_form_answers_400(client, staff_user, screened, data, field):
    client.force_login(staff_user)

    response = client.post(decide_url(screened), {"action": "return", **data})

    assert response.status_code == 400
    assert list(response.context["correction_form"].errors) == [field]
    assert Nomination.objects.get(pk=screened.pk).status == NominationStatus.IN_SCREENING
    assert not CorrectionRequest.objects.exists()


def test_unknown_action_changes_nothing(client, staff_user, screened):
    client.force_login(staff_user)

    response = client.post(decide_url(screened), {"action": "approve"})

    assert response.status_code == 302
    assert [m.level for m in get_messages(response.wsgi_request)] == [messages.ERROR]
    assert Nomination.objects.get(pk=screened.pk).status == NominationStatus.IN_SCREENING


def test_decision_on_a_decided_dossier_is_refused(client, staff_user, screened):
    services.nomination_accept(nomination=screened, actor=staff_user)
    client.force_login(staff_user)

    response = client.post(decide_url(screened), {"action": "reject", "reason": "Đổi ý."})

    assert [m.level for m in get_messages(response.wsgi_request)] == [messages.ERROR]
    nomination = Nomination.objects.get(pk=screened.pk)
    assert (nomination.status, nomination.rejection_reason) == (NominationStatus.ACCEPTED, "")


def test_province_staff_cannot_decide_on_a_region_round_dossier(client, staff_user, records):
    client.force_login(staff_user)

    for action in ("start", "accept", "reject", "return"):
        response = client.post(decide_url(records.region_sent), {"action": action, "reason": "Không đạt."})
        assert response.status_code == 403, action
    assert Nomination.objects.get(pk=records.region_sent.pk).status == NominationStatus.SUBMITTED


def test_other_province_staff_get_404_and_producers_403_on_decisions(
    client, other_staff_user, producer_user, member_user, screened
):
    for user, expected in ((other_staff_user, 404), (producer_user, 403), (member_user, 403)):
        client.force_login(user)
        response = client.post(decide_url(screened), {"action": "accept"})
        assert response.status_code == expected, user
    assert Nomination.objects.get(pk=screened.pk).status == NominationStatus.IN_SCREENING


def test_email_goes_to_the_producer_address_and_every_active_account(
    client, staff_user, producer_a, producer_user, screened, django_capture_on_commit_callbacks
):
    producer_a.email = "htx.tamhoa@example.vn"
    producer_a.save(update_fields=["email"])
    second = factories.UserFactory(producer=producer_a, email="ke.toan@example.vn")
    factories.UserFactory(producer=producer_a, email="nghi.viec@example.vn", is_active=False)
    client.force_login(staff_user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(decide_url(screened), {"action": "accept"})

    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == sorted([producer_user.email, second.email, "htx.tamhoa@example.vn"])
