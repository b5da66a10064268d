"""Two scoring passes with a field visit in between, and dossiers assigned to members one by one: services and
selectors against values computed by hand."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from awards import services
from awards.enums import AssignmentMode, ConflictReason, NominationStatus, RecognitionSource, SheetStatus
from awards.models import FieldVisit, Nomination, Recognition, ScoreSheet
from awards.selectors import member_nominations, round_results
from products.models import ProductGroup
from tests import factories

from .scoring_helpers import accepted, council_for, seat, spread

CUT = Decimal("70")


def per_group(total) -> dict:
    """A sheet of `total` points: groups 1 and 2 filled first (40 each), then 3 and 4 (10 each)."""
    left, groups = Decimal(total), {}
    for code, top in (("1", 40), ("2", 40), ("3", 10), ("4", 10)):
        groups[code] = min(left, Decimal(top))
        left -= groups[code]
    return groups


def score(member, nomination, total, *, submit=True, pass_no=None):
    return services.sheet_save(
        member=member,
        nomination=nomination,
        points=spread(member.council, per_group(total)),
        submit=submit,
        pass_no=pass_no,
    )


def by_nomination(rows) -> dict:
    return {row.nomination.pk: row for row in rows}


@pytest.fixture
def two_pass(make_round, staff_user):
    """A Cao Bằng round whose council scores twice (cut 70), three jury members and four accepted dossiers."""
    round_ = make_round("province", publish=True)
    dossiers = [
        accepted(round_, factories.producer(f"Cơ sở {i}", "Cao Bằng"), staff_user, staff_user, name=name)
        for i, name in enumerate(["Lạp sườn", "Miến dong", "Bánh cuốn", "Mật ong"])
    ]
    council = council_for(round_, staff_user, passes=2, pass_two_cut=CUT)
    members = [seat(council, staff_user, full_name=f"Thành viên {i}") for i in range(3)]
    return SimpleNamespace(round=round_, council=council, members=members, dossiers=dossiers)


def first_pass(setup):
    """a: 80/75/70 → 75 (short-listed); b: 70/70/70 → 70, exactly the cut (short-listed);
    c: 70/69/70 → 69.67 (not); d: 60/60 and a draft of the third member (not, and incomplete)."""
    (m1, m2, m3), (a, b, c, d) = setup.members, setup.dossiers
    for nomination, totals in ((a, (80, 75, 70)), (b, (70, 70, 70)), (c, (70, 69, 70))):
        for member, total in zip((m1, m2, m3), totals, strict=True):
            score(member, nomination, total)
    score(m1, d, 60)
    score(m2, d, 60)
    score(m3, d, 55, submit=False)


def test_first_pass_rows_say_who_reaches_the_cut_and_nobody_passes_yet(two_pass):
    first_pass(two_pass)
    a, b, c, d = two_pass.dossiers
    with translation.override("en"):
        rows = by_nomination(round_results(two_pass.round))
    assert [(rows[n.pk].result.score, rows[n.pk].pass_no, rows[n.pk].passes) for n in (a, b, c, d)] == [
        (Decimal("75.00"), 1, False),
        (Decimal("70.00"), 1, False),
        (Decimal("69.67"), 1, False),  # 209 / 3
        (Decimal("60.00"), 1, False),
    ]
    assert rows[b.pk].reason == "Reaches the cut of 70: goes to the field visit and the second pass."
    assert rows[c.pk].reason == "Below the cut of 70 for the second pass."


def test_closing_the_first_pass_needs_every_sheet_unless_told_otherwise(two_pass, staff_user):
    first_pass(two_pass)
    d = two_pass.dossiers[3]
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.scoring_pass_close(round_=two_pass.round, actor=staff_user)
    assert f"{d.receipt_code}: 2 of 3 sheets submitted" in refused.value.messages
    two_pass.council.refresh_from_db()
    assert two_pass.council.current_pass == 1
    assert not FieldVisit.objects.exists()


def test_closing_the_first_pass_short_lists_exactly_the_dossiers_at_or_above_the_cut(two_pass, staff_user):
    first_pass(two_pass)
    a, b, _c, _d = two_pass.dossiers

    short = services.scoring_pass_close(round_=two_pass.round, actor=staff_user, allow_incomplete=True)

    assert {n.pk for n in short} == {a.pk, b.pk}
    assert set(FieldVisit.objects.values_list("nomination_id", flat=True)) == {a.pk, b.pk}
    two_pass.council.refresh_from_db()
    assert two_pass.council.current_pass == 2
    with pytest.raises(ValidationError):
        services.scoring_pass_close(round_=two_pass.round, actor=staff_user, allow_incomplete=True)


def test_closing_a_pass_is_for_managers_and_two_pass_councils(two_pass, other_staff_user, staff_user, make_round):
    first_pass(two_pass)
    with pytest.raises(PermissionDenied):
        services.scoring_pass_close(round_=two_pass.round, actor=other_staff_user, allow_incomplete=True)
    single = make_round("province", publish=True, title="Một vòng")
    council_for(single, staff_user)
    with pytest.raises(ValidationError):
        services.scoring_pass_close(round_=single, actor=staff_user)


def test_after_closing_first_pass_sheets_are_locked_and_only_short_listed_dossiers_get_a_second_sheet(
    two_pass, staff_user
):
    first_pass(two_pass)
    (m1, _m2, m3), (a, _b, c, d) = two_pass.members, two_pass.dossiers
    close_first_pass(two_pass, staff_user)

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        score(m3, d, 58)  # the draft left in the first pass
    assert refused.value.messages == ["Scoring pass 1 of this dossier is not open."]
    assert ScoreSheet.objects.get(member=m3, nomination=d).total == Decimal(55)
    with pytest.raises(ValidationError):
        score(m1, a, 90, pass_no=1)
    with pytest.raises(ValidationError):
        score(m1, c, 90, pass_no=2)  # c was not short-listed
    with pytest.raises(ValidationError):
        services.sheet_reopen(
            sheet=ScoreSheet.objects.get(member=m1, nomination=a, pass_no=1), actor=staff_user, reason="Nhầm"
        )

    sheet = score(m1, a, 90)

    assert (sheet.pass_no, sheet.total) == (2, Decimal(90))
    assert ScoreSheet.objects.get(member=m1, nomination=a, pass_no=1).total == Decimal(80)


def test_second_pass_lists_only_short_listed_dossiers_to_members(two_pass, staff_user):
    first_pass(two_pass)
    a, b, _c, _d = two_pass.dossiers
    close_first_pass(two_pass, staff_user)

    rows = member_nominations(two_pass.members[0])

    assert [(r["nomination"].pk, r["pass_no"], r["sheet"]) for r in rows] == [(a.pk, 2, None), (b.pk, 2, None)]


def close_first_pass(setup, staff_user):
    services.scoring_pass_close(round_=setup.round, actor=staff_user, allow_incomplete=True)
    setup.council.refresh_from_db()  # the members hold this instance, as a fresh request would


def second_pass(setup, staff_user):
    """a: 90/85/80 → 85 (passes); b: 72/66/66 → 68, below the round's minimum of 70."""
    first_pass(setup)
    close_first_pass(setup, staff_user)
    (m1, m2, m3), (a, b, _c, _d) = setup.members, setup.dossiers
    for nomination, totals in ((a, (90, 85, 80)), (b, (72, 66, 66))):
        for member, total in zip((m1, m2, m3), totals, strict=True):
            score(member, nomination, total)


def test_results_use_second_pass_sheets_for_short_listed_dossiers(two_pass, staff_user):
    second_pass(two_pass, staff_user)
    a, b, c, d = two_pass.dossiers

    with translation.override("en"):
        rows = by_nomination(round_results(two_pass.round))

    summary = [
        (rows[n.pk].pass_no, rows[n.pk].short_listed, rows[n.pk].result.score, rows[n.pk].passes) for n in (a, b, c, d)
    ]
    assert summary == [
        (2, True, Decimal("85.00"), True),  # (90 + 85 + 80) / 3, not the first pass's 75
        (2, True, Decimal("68.00"), False),  # (72 + 66 + 66) / 3
        (1, False, Decimal("69.67"), False),
        (1, False, Decimal("60.00"), False),
    ]
    assert [s.pass_no for s in rows[a.pk].sheets] == [2, 2, 2]
    assert rows[b.pk].reason == "Below the minimum score of 70."
    assert rows[c.pk].reason == "Below the cut of 70 for the second pass."
    assert rows[d.pk].reason == "Below the cut of 70 for the second pass."


def test_finalise_is_refused_while_the_first_pass_is_open(two_pass, staff_user):
    first_pass(two_pass)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.scores_finalise(round_=two_pass.round, actor=staff_user, allow_incomplete=True)
    assert refused.value.messages == ["Close the first pass first: the second pass decides."]
    assert not Nomination.objects.filter(status=NominationStatus.SCORED).exists()


DECISION = {
    "number": "125/QĐ-UBND",
    "date": datetime.date(2026, 12, 15),
    "signer_title": "KT. CHỦ TỊCH – PHÓ CHỦ TỊCH",
    "signer_name": "Nguyễn Trung Thảo",
}


def test_decision_is_refused_while_the_first_pass_is_open(two_pass, staff_user):
    first_pass(two_pass)
    a = two_pass.dossiers[0]
    with pytest.raises(ValidationError):
        services.decision_publish(
            round_=two_pass.round,
            actor=staff_user,
            nominations=[a],
            issuing_body=factories.organization("Cao Bằng"),
            **DECISION,
        )
    assert not Recognition.objects.exists()


def test_second_pass_finalised_then_the_decision_recognises_short_listed_dossiers(two_pass, staff_user):
    second_pass(two_pass, staff_user)
    a, b, c, d = two_pass.dossiers

    assert services.scores_finalise(round_=two_pass.round, actor=staff_user) == 4
    with pytest.raises(ValidationError):
        services.decision_publish(
            round_=two_pass.round,
            actor=staff_user,
            nominations=[a, c],  # c never reached the second pass
            issuing_body=factories.organization("Cao Bằng"),
            **DECISION,
        )
    decision = services.decision_publish(
        round_=two_pass.round,
        actor=staff_user,
        nominations=[a],
        issuing_body=factories.organization("Cao Bằng"),
        **DECISION,
    )

    recognition = Recognition.objects.get()
    assert (recognition.product, recognition.decision, recognition.nomination, recognition.source) == (
        a.product,
        decision,
        a,
        RecognitionSource.PORTAL,
    )
    statuses = dict(Nomination.objects.filter(round=two_pass.round).values_list("pk", "status"))
    assert [statuses[n.pk] for n in (a, b, c, d)] == [
        NominationStatus.RECOGNISED,
        NominationStatus.NOT_RECOGNISED,
        NominationStatus.NOT_RECOGNISED,
        NominationStatus.NOT_RECOGNISED,
    ]


# -- dossiers assigned one by one -------------------------------------------------------------------------------
@pytest.fixture
def individual(make_round, staff_user):
    round_ = make_round("province", publish=True)
    x, y = (
        accepted(round_, factories.producer(f"Cơ sở {i}", "Cao Bằng"), staff_user, staff_user, name=name)
        for i, name in enumerate(["Lạp sườn", "Chiếu trúc"])
    )
    council = council_for(round_, staff_user, assignment_mode=AssignmentMode.INDIVIDUAL)
    members = [seat(council, staff_user, full_name=f"Thành viên {i}") for i in range(3)]
    return SimpleNamespace(round=round_, council=council, members=members, x=x, y=y)


def test_a_member_sees_and_scores_only_the_dossiers_assigned_to_it(individual, staff_user):
    m1 = individual.members[0]
    assert member_nominations(m1) == []

    services.council_assign(council=individual.council, actor=staff_user, member=m1, nominations=[individual.x])

    assert [r["nomination"] for r in member_nominations(m1)] == [individual.x]
    with pytest.raises(PermissionDenied):
        score(m1, individual.y, 80)
    assert score(m1, individual.x, 80).total == Decimal(80)


def test_assigning_a_conflicted_dossier_is_refused_and_changes_nothing(individual, staff_user):
    m2 = individual.members[1]
    services.council_assign(council=individual.council, actor=staff_user, member=m2, nominations=[individual.x])
    services.conflict_declare(member=m2, nomination=individual.y, reason=ConflictReason.RELATIVE, actor=staff_user)

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.council_assign(
            council=individual.council, actor=staff_user, member=m2, nominations=[individual.x, individual.y]
        )

    assert refused.value.messages == ["Thành viên 1 has a conflict of interest with: Chiếu trúc."]
    assert list(m2.nominations.all()) == [individual.x]


def test_assigning_a_dossier_of_another_round_is_refused(individual, staff_user, make_round):
    other_round = make_round("province", publish=True, title="Đợt khác")
    foreign = accepted(other_round, factories.producer("Cơ sở khác", "Cao Bằng"), staff_user, staff_user)
    m1 = individual.members[0]
    with pytest.raises(ValidationError):
        services.council_assign(council=individual.council, actor=staff_user, member=m1, nominations=[foreign])
    assert not m1.nominations.exists()


def test_assigning_is_refused_when_the_council_does_not_assign_one_by_one(two_pass, staff_user):
    member = two_pass.members[0]
    with pytest.raises(ValidationError):
        services.council_assign(
            council=two_pass.council, actor=staff_user, member=member, nominations=[two_pass.dossiers[0]]
        )
    assert not member.nominations.exists()


def test_assigning_is_for_the_round_managers(individual, other_staff_user):
    m1 = individual.members[0]
    with pytest.raises(PermissionDenied):
        services.council_assign(council=individual.council, actor=other_staff_user, member=m1, nominations=[])


def test_product_groups_are_set_only_in_group_mode(individual, two_pass, staff_user):
    handicraft = ProductGroup.objects.get(code="1")
    with pytest.raises(ValidationError):
        services.council_member_set_groups(member=individual.members[0], actor=staff_user, groups=[handicraft])
    two_pass.council.assignment_mode = AssignmentMode.GROUPS
    two_pass.council.save(update_fields=["assignment_mode"])
    member = two_pass.members[0]

    services.council_member_set_groups(member=member, actor=staff_user, groups=[handicraft])

    assert list(member.groups.all()) == [handicraft]
    assert member_nominations(member) == []  # every dossier of the round is food (group 2)


def test_finalise_expects_sheets_only_from_the_assigned_members(individual, staff_user):
    (m1, m2, m3), x, y = individual.members, individual.x, individual.y
    for member, nominations in ((m1, [x]), (m2, [x]), (m3, [y])):
        services.council_assign(council=individual.council, actor=staff_user, member=member, nominations=nominations)
    score(m1, x, 80)
    score(m3, y, 75)

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.scores_finalise(round_=individual.round, actor=staff_user)
    assert refused.value.messages == [
        "Some members have not submitted their sheets:",
        f"{x.receipt_code}: 1 of 2 sheets submitted",
    ]

    score(m2, x, 70)

    assert services.scores_finalise(round_=individual.round, actor=staff_user) == 2
    assert set(Nomination.objects.filter(round=individual.round).values_list("status", flat=True)) == {
        NominationStatus.SCORED
    }
    assert ScoreSheet.objects.filter(status=SheetStatus.SUBMITTED).count() == 3
