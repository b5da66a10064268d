"""The guard rails of scoring and the decision, one test per finding of the testers (06/12/2026): the closing
steps go through a confirmation page, the round's dates are enforced (staff may go ahead with a logged reason),
a quorum of sheets is checked before results, every dossier ends the round with an explicit outcome, and the
council's record of who scored what stays after the decision."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from awards import services
from awards.enums import NominationStatus, PhaseKind
from awards.models import Decision, NominationStatusLog, RoundPhase, RoundStatusLog, ScoreSheet
from tests import factories

from ..scoring_helpers import accepted, council_for, decision_post, seat, sheet_post, spread

DAY = datetime.timedelta(days=1)


def per_group(total) -> dict:
    left, groups = Decimal(total), {}
    for code, top in (("1", 40), ("2", 40), ("3", 10), ("4", 10)):
        groups[code] = min(left, Decimal(top))
        left -= groups[code]
    return groups


def submit(member, nomination, total):
    points = spread(member.council, per_group(total))
    services.sheet_save(member=member, nomination=nomination, points=points, submit=True)


def set_scoring(round_, starts, ends):
    RoundPhase.objects.update_or_create(
        round=round_, kind=PhaseKind.SCORING, defaults={"starts_on": starts, "ends_on": ends}
    )


@pytest.fixture
def world(make_round, staff_user, member_user):
    """A Cao Bằng round still in registration (until today + 25 days) whose scoring phase covers today while the
    members score; x is scored by all three jury members (80 each), y by nobody."""
    today = timezone.localdate()
    round_ = make_round("province", publish=True, registration=(today - 5 * DAY, today + 25 * DAY))
    set_scoring(round_, today - DAY, today + DAY)
    x = accepted(round_, factories.producer("HTX Tâm Hòa", "Cao Bằng"), staff_user, staff_user, name="Lạp sườn")
    y = accepted(round_, factories.producer("Cơ sở Mây tre", "Cao Bằng"), staff_user, staff_user, name="Chiếu trúc")
    council = council_for(round_, staff_user)
    members = [
        seat(council, staff_user, user=member_user),
        seat(council, staff_user, full_name="Trần Văn Hai"),
        seat(council, staff_user, full_name="Lê Thị Ba"),
    ]
    for member in members:
        submit(member, x, 80)
    return SimpleNamespace(round=round_, council=council, members=members, x=x, y=y, today=today)


def scoring_later(world):
    """The round as the testers had it: still in registration, scoring from after it."""
    set_scoring(world.round, world.today + 26 * DAY, world.today + 40 * DAY)


def statuses(*nominations):
    return [type(n).objects.get(pk=n.pk).status for n in nominations]


def results_url(world):
    return reverse("awards:staff.round.results", args=[world.round.pk])


def close_url(world):
    return reverse("awards:staff.round.close_scoring", args=[world.round.pk])


# -- confirmation pages ------------------------------------------------------------------------------------------
def test_closing_the_scoring_first_shows_what_will_happen_and_changes_nothing(client, staff_user, world):
    client.force_login(staff_user)

    html = client.get(close_url(world)).content.decode()

    assert "Trong 2 hồ sơ đủ điều kiện chấm điểm, 1 hồ sơ đạt số phiếu tối thiểu" in html
    assert f"{world.y.receipt_code}: đã nộp 0/3 phiếu" in html  # the dossier short of sheets
    assert "Không thành viên chấm điểm nào nộp phiếu." in html
    assert statuses(world.x, world.y) == [NominationStatus.ACCEPTED, NominationStatus.ACCEPTED]
    # the results page's old button only leads there
    assert client.post(results_url(world), {"action": "finalise", "allow_incomplete": "1"}).url == close_url(world)
    assert statuses(world.x, world.y) == [NominationStatus.ACCEPTED, NominationStatus.ACCEPTED]


def test_publishing_the_decision_first_lists_the_products_recognised_and_the_outcome_of_the_others(
    client, staff_user, world
):
    world.round.phases.filter(kind=PhaseKind.SCORING).update(ends_on=world.today - DAY)
    client.force_login(staff_user)

    response = client.post(results_url(world), decision_post([world.x]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Quyết định 125/QĐ-UBND ngày 15/12/2026 sẽ được cập nhật" in html
    assert "1 sản phẩm sẽ được công nhận ở cấp và năm này:" in html
    assert "Lạp sườn" in html
    assert "1 hồ sơ không đủ số phiếu tối thiểu" in html
    assert not Decision.objects.exists()
    assert statuses(world.x, world.y) == [NominationStatus.ACCEPTED, NominationStatus.ACCEPTED]

    assert client.post(results_url(world), {**decision_post([world.x]), "confirm": "1"}).status_code == 302
    assert statuses(world.x, world.y) == [NominationStatus.RECOGNISED, NominationStatus.NOT_SCORED]


def test_submitting_a_sheet_first_shows_its_total(client, member_user, world):
    member, nomination = world.members[0], world.y
    client.force_login(member_user)
    url = reverse("awards:member.sheet", args=[nomination.pk])
    points = spread(world.council, per_group(78))

    response = client.post(url, sheet_post(points, submit=True, confirm=False))

    assert response.status_code == 200
    assert "Tổng: 78/100 điểm" in response.content.decode()
    assert not ScoreSheet.objects.filter(member=member, nomination=nomination).exists()
    assert client.post(url, sheet_post(points, submit=True)).status_code == 302
    sheet = ScoreSheet.objects.get(member=member, nomination=nomination)
    assert (sheet.status, sheet.total) == ("submitted", Decimal(78))


# -- the round's dates -------------------------------------------------------------------------------------------
def test_a_sheet_is_refused_before_the_scoring_phase(client, member_user, world):
    scoring_later(world)
    client.force_login(member_user)
    url = reverse("awards:member.sheet", args=[world.y.pk])
    points = spread(world.council, per_group(78))

    assert "Chưa đến giai đoạn chấm điểm" in client.get(url).content.decode()
    response = client.post(url, sheet_post(points, submit=True))

    assert response.status_code == 400
    assert "Chưa đến giai đoạn chấm điểm: giai đoạn này từ" in response.content.decode()
    assert not ScoreSheet.objects.filter(nomination=world.y).exists()
    with pytest.raises(ValidationError):
        services.sheet_save(member=world.members[1], nomination=world.y, points=points, submit=True)


def test_closing_before_the_scoring_phase_needs_a_reason_which_is_logged(client, staff_user, world):
    scoring_later(world)
    client.force_login(staff_user)

    refused = client.post(close_url(world), {"allow_incomplete": "on"})

    assert refused.status_code == 400
    assert "Chưa đến giai đoạn chấm điểm" in refused.content.decode()
    assert statuses(world.x, world.y) == [NominationStatus.ACCEPTED, NominationStatus.ACCEPTED]
    assert not RoundStatusLog.objects.filter(round=world.round, note__contains="Lý do").exists()

    reason = "Hội đồng họp sớm theo chỉ đạo của UBND tỉnh"
    done = client.post(close_url(world), {"allow_incomplete": "on", "override_reason": reason})

    assert done.status_code == 302
    assert statuses(world.x, world.y) == [NominationStatus.SCORED, NominationStatus.NOT_SCORED]
    log = RoundStatusLog.objects.get(round=world.round, note__contains=reason)
    assert log.actor == staff_user
    assert "kết thúc chấm điểm" in log.note


def test_the_decision_is_refused_before_the_end_of_the_scoring_phase_unless_a_reason_is_given(
    client, staff_user, world
):
    client.force_login(staff_user)

    refused = client.post(results_url(world), {**decision_post([world.x]), "confirm": "1"})

    assert refused.status_code == 400
    assert "Quyết định chỉ được cập nhật sau giai đoạn chấm điểm" in refused.content.decode()
    assert not Decision.objects.exists()
    assert statuses(world.x, world.y) == [NominationStatus.ACCEPTED, NominationStatus.ACCEPTED]

    reason = "Kết quả cần công bố trước Hội chợ"
    data = {**decision_post([world.x]), "confirm": "1", "override_reason": reason}
    assert client.post(results_url(world), data).status_code == 302
    assert Decision.objects.filter(round=world.round).exists()
    assert RoundStatusLog.objects.filter(round=world.round, note__contains=reason, actor=staff_user).exists()


# -- quorum and outcomes ------------------------------------------------------------------------------------------
@pytest.fixture
def seven(make_round, staff_user):
    """A round whose council has seven jury members; only one scored the dossier (90 points)."""
    round_ = make_round("province", publish=True)
    nomination = accepted(round_, factories.producer("HTX Tâm Hòa", "Cao Bằng"), staff_user, staff_user)
    council = council_for(round_, staff_user)
    members = [seat(council, staff_user, full_name=f"Thành viên {i}") for i in range(7)]
    submit(members[0], nomination, 90)
    return SimpleNamespace(round=round_, council=council, members=members, nomination=nomination)


def test_a_product_scored_on_one_sheet_of_seven_is_short_of_the_quorum_and_cannot_be_recognised(
    client, staff_user, seven
):
    assert (seven.round.quorum_numerator, seven.round.quorum_denominator) == (2, 3)
    client.force_login(staff_user)
    url = reverse("awards:staff.round.results", args=[seven.round.pk])

    html = client.get(url).content.decode()

    assert "chưa đủ số phiếu tối thiểu" in html
    assert "Đã nộp 1/7 phiếu; số phiếu tối thiểu là 5." in html
    response = client.post(url, {**decision_post([seven.nomination]), "confirm": "1"})
    assert response.status_code == 400
    assert "chưa đủ số phiếu tối thiểu nên không thể được công nhận" in response.content.decode()
    assert not Decision.objects.exists()
    assert statuses(seven.nomination) == [NominationStatus.ACCEPTED]


def test_the_quorum_is_data_of_the_round(staff_user, seven):
    round_ = seven.round
    services.round_update(
        round_=round_,
        phases={p.kind: (p.starts_on, p.ends_on) for p in round_.phases.all()},
        quorum_numerator=1,
        quorum_denominator=7,
    )
    data = {k: v for k, v in decision_post([]).items() if k != "nominations"}
    data["issuing_body"] = factories.organization("Cao Bằng")
    data["date"] = datetime.date(2026, 12, 15)

    services.decision_publish(round_=round_, actor=staff_user, nominations=[seven.nomination], **data)

    assert statuses(seven.nomination) == [NominationStatus.RECOGNISED]


def test_every_dossier_ends_the_round_with_an_outcome_and_its_reason(staff_user, world):
    world.round.phases.filter(kind=PhaseKind.SCORING).update(ends_on=world.today - DAY)
    data = {k: v for k, v in decision_post([]).items() if k != "nominations"}
    data.update(issuing_body=factories.organization("Cao Bằng"), date=datetime.date(2026, 12, 15))

    services.decision_publish(round_=world.round, actor=staff_user, nominations=[world.x], **data)

    assert statuses(world.x, world.y) == [NominationStatus.RECOGNISED, NominationStatus.NOT_SCORED]
    log = NominationStatusLog.objects.filter(nomination=world.y).latest("at", "id")
    assert (log.from_status, log.to_status) == (NominationStatus.ACCEPTED, NominationStatus.NOT_SCORED)
    assert "Không thành viên chấm điểm nào nộp phiếu." in log.note
    assert "125/QĐ-UBND" in log.note


# -- the council's record ---------------------------------------------------------------------------------------
def test_the_council_page_keeps_who_scored_what_after_the_decision(client, staff_user, world):
    submit(world.members[0], world.y, 40)  # y: 1 of 3 sheets, short of the quorum
    world.round.phases.filter(kind=PhaseKind.SCORING).update(ends_on=world.today - DAY)
    data = {k: v for k, v in decision_post([]).items() if k != "nominations"}
    data.update(issuing_body=factories.organization("Cao Bằng"), date=datetime.date(2026, 12, 15))
    services.decision_publish(round_=world.round, actor=staff_user, nominations=[world.x], **data)
    client.force_login(staff_user)

    response = client.get(reverse("awards:staff.council.detail", args=[world.round.pk]))

    members = {m.pk: m for m in response.context["jury"]}
    assert members[world.members[0].pk].record == [{"pass_no": 1, "done": 2, "total": 2}]
    assert members[world.members[1].pk].record == [{"pass_no": 1, "done": 1, "total": 2}]
    html = response.content.decode()
    assert "2/2" in html
    assert "0/1" not in html


def test_a_product_short_of_the_quorum_is_refused_before_the_confirmation_page(client, staff_user, seven):
    """Found in the day's walk-through (06/12/2026): the confirmation said "1 sản phẩm sẽ được công nhận" while
    a ticked dossier short of the quorum made its final button fail."""
    other = accepted(seven.round, factories.producer("Cơ sở Mây tre", "Cao Bằng"), staff_user, staff_user)
    for member in seven.members[:5]:
        submit(member, other, 80)
    client.force_login(staff_user)
    url = reverse("awards:staff.round.results", args=[seven.round.pk])

    response = client.post(url, decision_post([seven.nomination, other]))

    html = response.content.decode()
    assert response.status_code == 400
    assert "chưa đủ số phiếu tối thiểu nên không thể được công nhận" in html
    assert "sẽ được cập nhật" not in html
    assert not Decision.objects.exists()


def test_once_the_scoring_is_closed_its_page_says_there_is_nothing_left_to_close(client, staff_user, world):
    """Found in the day's walk-through (06/12/2026): after closing, the page offered to close "0 hồ sơ" again."""
    services.scores_finalise(round_=world.round, actor=staff_user, allow_incomplete=True)
    client.force_login(staff_user)

    response = client.get(close_url(world))

    html = response.content.decode()
    assert "Không còn hồ sơ nào chờ kết thúc chấm điểm." in html
    assert "Trong 0 hồ sơ" not in html
    assert 'type="submit"' not in html.split("<main", 1)[1]


def test_a_dossier_ended_not_scored_shows_why_not_that_it_reaches_the_minimum_score(client, staff_user, seven):
    """Found in the day's walk-through (06/12/2026): "không được chấm điểm" sat above "Đạt mức điểm tối thiểu."."""
    services.scores_finalise(round_=seven.round, actor=staff_user, allow_incomplete=True, override_reason="Họp sớm")
    client.force_login(staff_user)

    html = client.get(reverse("awards:staff.round.results", args=[seven.round.pk])).content.decode()

    assert statuses(seven.nomination) == [NominationStatus.NOT_SCORED]
    assert "không được chấm điểm" in html
    assert "Đã nộp 1/7 phiếu; số phiếu tối thiểu là 5." in html
    assert "Đạt mức điểm tối thiểu." not in html


def test_the_results_page_offers_to_close_the_scoring_only_while_dossiers_wait_for_it(client, staff_user, world):
    client.force_login(staff_user)
    before = client.get(results_url(world)).content.decode()
    services.scores_finalise(round_=world.round, actor=staff_user, allow_incomplete=True)
    after = client.get(results_url(world)).content.decode()

    assert close_url(world) in before
    assert close_url(world) not in after
