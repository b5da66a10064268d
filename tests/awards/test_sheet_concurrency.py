"""Score sheets saved at the same moment lose nothing (PostgreSQL: real concurrent transactions on separate
connections): thirty members submitting their own sheets of one dossier at once, and one member's sheet saved
from two places at once."""

import threading
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from awards import services
from awards.enums import SheetStatus
from awards.models import Score, ScoreSheet
from awards.selectors import round_results
from tests import factories

from .scoring_helpers import LEAF_COUNT, accepted, council_for, leaves, seat

pytestmark = [
    pytest.mark.transactional,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions (PostgreSQL)"),
]
MEMBERS = 30
# Under the maxima of Phụ lục 4 (20, 20, 15, 10, 8, 7, 5, 5, 5, 5); each member changes the first and the last.
BASE_POINTS = [Decimal(v) for v in ("20", "15", "12", "8", "6", "5", "4", "4", "3", "0")]


def member_points(i: int) -> list[Decimal]:
    """Member i's ten scores: the first criterion drops by half a point per member, the last goes 0..5."""
    points = list(BASE_POINTS)
    points[0] -= Decimal("0.5") * i
    points[-1] = Decimal(i % 6)
    return points


@pytest.fixture
def dossier(make_round, staff_user):
    round_ = make_round("province", publish=True)
    producer = factories.producer("HTX Tâm Hòa", "Cao Bằng")
    producer_account = factories.UserFactory(producer=producer)
    nomination = accepted(round_, producer, producer_account, staff_user)
    council = council_for(round_, staff_user)
    return nomination, council


def run_together(calls):
    """Run every call in its own thread (own connection), released at the same moment; returns
    {index: result or exception}."""
    barrier = threading.Barrier(len(calls))
    outcome = {}

    def work(i, call):
        try:
            barrier.wait(timeout=30)
            outcome[i] = call()
        except Exception as exc:
            outcome[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i, call)) for i, call in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    return outcome


def test_thirty_members_submit_at_once_and_no_sheet_is_lost(dossier, staff_user):
    nomination, council = dossier
    members = [seat(council, staff_user, full_name=f"Thành viên {i + 1}") for i in range(MEMBERS)]
    criteria = leaves(council)
    assert len(criteria) == LEAF_COUNT
    expected = {m.pk: member_points(i) for i, m in enumerate(members)}
    totals = {pk: sum(points) for pk, points in expected.items()}
    assert len(set(totals.values())) == MEMBERS  # every member's total is its own

    def submit(member):
        points = {c.pk: str(v) for c, v in zip(criteria, expected[member.pk], strict=True)}
        return services.sheet_save(member=member, nomination=nomination, points=points, submit=True)

    outcome = run_together([lambda m=m: submit(m) for m in members])

    assert [r for r in outcome.values() if isinstance(r, Exception)] == []
    sheets = ScoreSheet.objects.filter(nomination=nomination)
    assert sheets.count() == MEMBERS
    assert {s.member_id: (s.status, s.total) for s in sheets} == {
        pk: (SheetStatus.SUBMITTED, total) for pk, total in totals.items()
    }
    for sheet in sheets:
        stored = dict(sheet.scores.values_list("criterion_id", "points"))
        assert stored == {c.pk: v for c, v in zip(criteria, expected[sheet.member_id], strict=True)}

    (row,) = round_results(nomination.round)
    mean = (sum(totals.values()) / MEMBERS).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert row.result.count == MEMBERS
    assert row.result.mean == mean
    assert row.result.score == mean  # the council aggregates by the plain mean


def test_one_members_draft_saved_twice_at_once_stays_consistent(dossier, staff_user):
    """Two saves of the same draft (two tabs, a double click): one wins whole; the sheet's total is always the sum
    of its stored scores. The first race also creates the sheet."""
    nomination, council = dossier
    member = seat(council, staff_user)
    criteria = leaves(council)
    full = {c.pk: str(v) for c, v in zip(criteria, member_points(3), strict=True)}
    # The other save leaves the second half empty: those scores must go, not survive from the first save.
    partial = {
        c.pk: (str(v) if k < 5 else "") for k, (c, v) in enumerate(zip(criteria, member_points(17), strict=True))
    }
    for attempt in range(8):
        outcome = run_together(
            [
                lambda p=p, label=label: services.sheet_save(
                    member=member, nomination=nomination, points=p, comment=label
                )
                for p, label in ((full, "full"), (partial, "partial"))
            ]
        )
        assert [r for r in outcome.values() if isinstance(r, Exception)] == [], attempt
        sheet = ScoreSheet.objects.get(nomination=nomination, member=member)
        stored = {pk: str(v) for pk, v in sheet.scores.values_list("criterion_id", "points")}
        assert sheet.status == SheetStatus.DRAFT
        assert sheet.total == sum(Decimal(v) for v in stored.values())
        # The scores on file are exactly one save's, and the comment is that same save's.
        winner = {pk: v for pk, v in (full if sheet.comment == "full" else partial).items() if v}
        assert {pk: Decimal(v) for pk, v in stored.items()} == {pk: Decimal(v) for pk, v in winner.items()}
    assert ScoreSheet.objects.filter(nomination=nomination, member=member).count() == 1
    assert Score.objects.filter(sheet__member=member).count() in (5, LEAF_COUNT)


@pytest.mark.parametrize("draft_on_file", [False, True], ids=["first-save", "draft-on-file"])
def test_one_members_sheet_submitted_twice_at_once_locks_the_first(dossier, staff_user, draft_on_file):
    """Two submissions of the same sheet with different scores: one is kept, the other is refused as locked —
    whether the sheet is created by these very saves or a draft is already on file."""
    nomination, council = dossier
    member = seat(council, staff_user)
    criteria = leaves(council)
    values = [member_points(2), member_points(11)]
    if draft_on_file:
        services.sheet_save(member=member, nomination=nomination, points={criteria[0].pk: "10"})
    outcome = run_together(
        [
            lambda v=v: services.sheet_save(
                member=member,
                nomination=nomination,
                points={c.pk: str(x) for c, x in zip(criteria, v, strict=True)},
                submit=True,
            )
            for v in values
        ]
    )
    refused = [r for r in outcome.values() if isinstance(r, Exception)]
    assert len(refused) == 1
    assert isinstance(refused[0], ValidationError)
    (kept,) = [values[i] for i, r in outcome.items() if not isinstance(r, Exception)]
    sheet = ScoreSheet.objects.get(nomination=nomination, member=member)
    assert sheet.status == SheetStatus.SUBMITTED
    assert sheet.total == sum(kept)
    assert dict(sheet.scores.values_list("criterion_id", "points")) == {
        c.pk: v for c, v in zip(criteria, kept, strict=True)
    }


def test_a_members_save_under_way_does_not_hold_up_another_members_save(dossier, staff_user):
    """Members of one council save side by side: while one member's save is still open (its transaction not yet
    committed), another member's submission goes through and is on file; the first then commits its own."""
    nomination, council = dossier
    slow, quick = (seat(council, staff_user, full_name=name) for name in ("Thành viên chậm", "Thành viên nhanh"))
    criteria = leaves(council)
    saved, quick_done, order = threading.Event(), threading.Event(), []

    def points(i):
        return {c.pk: str(v) for c, v in zip(criteria, member_points(i), strict=True)}

    def slow_save():
        with transaction.atomic():
            services.sheet_save(member=slow, nomination=nomination, points=points(1), submit=True)
            saved.set()
            # Held open until the other member's save is through (or, should it wait for this one, long enough
            # for the test to see it did).
            order.append("quick through first" if quick_done.wait(timeout=20) else "quick waited")

    def quick_save():
        saved.wait(timeout=30)
        services.sheet_save(member=quick, nomination=nomination, points=points(2), submit=True)
        quick_done.set()

    outcome = run_together([slow_save, quick_save])

    assert [r for r in outcome.values() if isinstance(r, Exception)] == []
    assert order == ["quick through first"]
    totals = dict(ScoreSheet.objects.filter(nomination=nomination).values_list("member_id", "total"))
    assert totals == {slow.pk: sum(member_points(1)), quick.pk: sum(member_points(2))}
