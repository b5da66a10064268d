"""Councils, score sheets and the aggregate, against values computed by hand."""

import datetime
import io
import random
import statistics
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from awards import services
from awards.aggregation import aggregate
from awards.enums import AggregateMethod, ConflictReason, CouncilRole, NominationStatus, SheetStatus
from awards.models import CriteriaSheet, Criterion, SheetReopening
from awards.selectors import nomination_score
from portal.accounts.enums import Role
from tests import factories

from .nomination_helpers import ready_product


def test_mean_median_min_max_stdev_by_hand():
    result = aggregate({"a": Decimal(80), "b": Decimal(70), "c": Decimal(75)})
    assert (result.count, result.mean, result.median, result.minimum, result.maximum) == (
        3,
        Decimal("75.00"),
        Decimal("75.00"),
        Decimal(70),
        Decimal(80),
    )
    assert result.stdev == Decimal("4.08")  # sqrt((25 + 25 + 0) / 3)
    assert result.score == Decimal("75.00")
    assert result.outliers == []


@pytest.mark.parametrize("seed", range(4))
def test_the_median_and_standard_deviation_match_the_statistics_module(seed):
    """aggregate() computes them without the statistics module (its exact fractions cost a results page of 500
    dossiers tens of milliseconds); rounded to 2 decimals they must not differ, on 500 random rounds of totals
    with two decimals, ties and equal totals included."""
    rng = random.Random(seed)
    for _ in range(500):
        n = rng.randint(1, 31)
        totals = [Decimal(rng.randint(0, 10000)) / 100 for _ in range(n)]
        if rng.random() < 0.2:
            totals = [totals[0]] * n
        result = aggregate(dict(enumerate(totals)))
        expected_stdev = Decimal(statistics.pstdev(totals)) if n > 1 else Decimal(0)
        assert result.stdev == expected_stdev.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), totals
        assert result.median == Decimal(statistics.median(totals)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_trimmed_mean_drops_highest_and_lowest_from_five_sheets():
    totals = {"a": Decimal(90), "b": Decimal(72), "c": Decimal(75), "d": Decimal(80), "e": Decimal(40)}
    plain = aggregate(totals)
    trimmed = aggregate(totals, method=AggregateMethod.TRIMMED_MEAN)
    assert plain.score == Decimal("71.40")  # 357 / 5
    assert trimmed.score == Decimal("75.67")  # (72 + 75 + 80) / 3
    assert trimmed.trimmed is True
    assert trimmed.outliers == ["e"]  # |40 - 75| = 35 > 15; |90 - 75| = 15 is not more than 15


def test_trimmed_mean_with_four_sheets_is_the_plain_mean():
    result = aggregate({"a": 90, "b": 70, "c": 80, "d": 60}, method=AggregateMethod.TRIMMED_MEAN)
    assert result.trimmed is False
    assert result.score == Decimal("75.00")


def test_no_sheet_no_score():
    assert aggregate({}).score is None


def test_default_sheet_is_phu_luc_4_with_100_points(db):
    sheet = CriteriaSheet.objects.get(code="phu-luc-4", version=1)
    groups = Criterion.objects.filter(sheet=sheet, parent__isnull=True).order_by("order")
    assert [(g.code, g.max_points) for g in groups] == [("1", 40), ("2", 40), ("3", 10), ("4", 10)]
    for group in groups:
        assert sum(c.max_points for c in group.children.all()) == group.max_points


@pytest.fixture
def council_setup(make_round, producer_a, producer_user, staff_user):
    round_ = make_round("province", publish=True)
    product = ready_product(producer_a, "Lạp sườn Tâm Hòa")
    nomination = services.nomination_create(round_=round_, product=product, actor=producer_user)
    services.nomination_update_form(
        nomination=nomination,
        actor=producer_user,
        annual_output="10 tấn",
        workers=9,
        markets="Siêu thị",
        highlights="Truyền thống",
        declaration_accepted=True,
    )
    services.nomination_submit(nomination=nomination, actor=producer_user)
    services.nomination_accept(nomination=nomination, actor=staff_user)
    council = services.council_create(
        round_=round_,
        actor=staff_user,
        name="Hội đồng bình chọn SPCNNTTB tỉnh Cao Bằng",
        decision_number="15/QĐ-SCT",
        decision_date=datetime.date(2026, 11, 1),
        signer="Giám đốc Sở",
        criteria_sheet=CriteriaSheet.objects.get(code="phu-luc-4", version=1),
    )
    members = [
        services.council_member_add(
            council=council,
            actor=staff_user,
            role=role,
            user=factories.UserFactory(role=Role.MEMBER, full_name=f"Thành viên {i}"),
        )
        for i, role in enumerate([CouncilRole.CHAIR, CouncilRole.MEMBER, CouncilRole.MEMBER])
    ]
    nomination.refresh_from_db()
    return council, members, nomination


def _points(council, per_group):
    """Spread each group's points over its sub-criteria in order (fills each up to its maximum)."""
    leaves = Criterion.objects.filter(sheet=council.criteria_sheet, children__isnull=True).order_by("order")
    remaining = dict(per_group)
    points = {}
    for leaf in leaves:
        take = min(leaf.max_points, remaining[leaf.parent.code])
        remaining[leaf.parent.code] -= take
        points[leaf.pk] = take
    return points


def test_submitted_sheets_make_the_score_and_lock(council_setup):
    council, (a, b, c), nomination = council_setup
    for member, groups in (
        (a, {"1": 35, "2": 30, "3": 8, "4": 7}),
        (b, {"1": 30, "2": 30, "3": 5, "4": 5}),
        (c, {"1": 38, "2": 35, "3": 9, "4": 8}),
    ):
        sheet = services.sheet_save(
            member=member, nomination=nomination, points=_points(council, groups), comment="Đạt", submit=True
        )
        assert sheet.status == SheetStatus.SUBMITTED
    result = nomination_score(nomination)
    assert (result.count, result.minimum, result.maximum) == (3, Decimal(70), Decimal(90))
    assert result.score == Decimal("80.00")  # (80 + 70 + 90) / 3
    with pytest.raises(ValidationError):
        services.sheet_save(member=a, nomination=nomination, points=_points(council, {"1": 1, "2": 1, "3": 1, "4": 1}))


def test_value_over_the_maximum_is_refused_and_nothing_saved(council_setup):
    council, (a, _b, _c), nomination = council_setup
    points = _points(council, {"1": 40, "2": 40, "3": 10, "4": 10})
    first = Criterion.objects.get(sheet=council.criteria_sheet, code="1.1")
    points[first.pk] = Decimal("21")  # maximum 20
    with pytest.raises(ValidationError) as refused:
        services.sheet_save(member=a, nomination=nomination, points=points, submit=True)
    assert "1.1" in refused.value.message_dict
    assert not a.sheets.filter(status=SheetStatus.SUBMITTED).exists()


def test_conflicted_member_cannot_score_and_leaves_the_aggregate(council_setup, staff_user):
    council, (a, b, c), nomination = council_setup
    services.sheet_save(
        member=a, nomination=nomination, submit=True, points=_points(council, {"1": 40, "2": 40, "3": 10, "4": 10})
    )
    services.sheet_save(
        member=b, nomination=nomination, submit=True, points=_points(council, {"1": 30, "2": 30, "3": 5, "4": 5})
    )
    services.conflict_declare(member=a, nomination=nomination, reason=ConflictReason.RELATIVE, actor=staff_user)
    assert nomination_score(nomination).score == Decimal("70.00")  # only b's sheet
    with pytest.raises(PermissionDenied):
        services.sheet_save(member=a, nomination=nomination, points={})
    services.conflict_declare(member=c, nomination=nomination, reason=ConflictReason.SAME_COMMUNE, actor=c.user)
    with pytest.raises(PermissionDenied):
        services.sheet_save(member=c, nomination=nomination, points={})


def test_reopened_sheet_can_be_changed_and_the_reopening_is_logged(council_setup, staff_user):
    council, (a, _b, _c), nomination = council_setup
    sheet = services.sheet_save(
        member=a, nomination=nomination, submit=True, points=_points(council, {"1": 20, "2": 20, "3": 5, "4": 5})
    )
    with pytest.raises(ValidationError):
        services.sheet_reopen(sheet=sheet, actor=staff_user, reason="")
    with pytest.raises(PermissionDenied):
        services.sheet_reopen(sheet=sheet, actor=a.user, reason="Tôi nhập nhầm")
    services.sheet_reopen(sheet=sheet, actor=staff_user, reason="Thành viên nhập nhầm tiêu chí 2.1")
    assert SheetReopening.objects.get(sheet=sheet).by == staff_user
    sheet = services.sheet_save(
        member=a, nomination=nomination, submit=True, points=_points(council, {"1": 30, "2": 30, "3": 5, "4": 5})
    )
    assert sheet.total == Decimal("70.00")
    assert nomination_score(nomination).score == Decimal("70.00")


def test_only_accepted_dossiers_are_scored(council_setup, staff_user):
    _council, (a, _b, _c), nomination = council_setup
    nomination.status = NominationStatus.SUBMITTED
    nomination.save(update_fields=["status"])
    with pytest.raises(ValidationError):
        services.sheet_save(member=a, nomination=nomination, points={})


def test_reminders_go_to_members_with_unfinished_sheets_before_the_deadline(
    council_setup, staff_user, django_capture_on_commit_callbacks
):
    from django.core import mail
    from django.core.management import call_command
    from django.utils import timezone

    from awards.enums import PhaseKind

    council, (a, b, c), nomination = council_setup
    today = timezone.localdate()
    council.round.phases.update_or_create(
        kind=PhaseKind.SCORING, defaults={"starts_on": today, "ends_on": today + datetime.timedelta(days=2)}
    )
    services.sheet_save(
        member=a, nomination=nomination, submit=True, points=_points(council, {"1": 40, "2": 40, "3": 10, "4": 10})
    )
    services.conflict_declare(member=c, nomination=nomination, reason=ConflictReason.OTHER, actor=staff_user)
    mail.outbox.clear()
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # the outbox's e-mails leave on commit
        call_command("remind_scorers", days=3, stdout=out)
    assert "1 reminder(s) sent." in out.getvalue()
    assert [m.to for m in mail.outbox] == [[b.user.email]]  # a has submitted, c has a conflict
    assert nomination.receipt_code in mail.outbox[0].body
    # …and in the portal: a notification to b, leading to its councils.
    assert list(b.user.notifications.values_list("kind", "link")) == [("reminder", "/member/")]
    mail.outbox.clear()
    assert services.scoring_reminders_send(today=today - datetime.timedelta(days=10)) == 0  # too early
