"""A first submission written in one statement on PostgreSQL (awards/services/scoring/sheet_insert.py) leaves the
same rows as the ORM's four INSERTs: the sheet, its scores, and the history rows of both (type, user, reason,
every tracked field). On SQLite the ORM writes them, and the comparison holds trivially."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from simple_history.models import HistoricalRecords

from awards import services
from awards.enums import SheetStatus
from awards.models import Score, ScoreSheet
from awards.services.scoring import sheets

from .test_scoring import _points, council_setup  # noqa: F401 (the fixture)

SHEET_FIELDS = ("nomination_id", "pass_no", "status", "comment", "total")
SCORE_FIELDS = ("criterion_id", "points")


def _rows(sheet):
    """What one member's sheet left in the database, without ids and times."""
    history = ScoreSheet.history.filter(id=sheet.pk).values(
        *SHEET_FIELDS, "member_id", "history_type", "history_user_id", "history_change_reason", "submitted_at"
    )
    scores = Score.objects.filter(sheet=sheet).order_by("criterion_id").values_list(*SCORE_FIELDS)
    score_history = (
        Score.history.filter(sheet_id=sheet.pk)
        .order_by("criterion_id")
        .values_list(*SCORE_FIELDS, "history_type", "history_user_id", "history_change_reason")
    )
    return {
        "sheet": ScoreSheet.objects.filter(pk=sheet.pk).values(*SHEET_FIELDS, "submitted_at").get(),
        "history": list(history),
        "scores": list(scores),
        "score_history": list(score_history),
    }


def _without_member(rows):
    return {
        **rows,
        "history": [{k: v for k, v in h.items() if k not in ("member_id", "history_user_id")} for h in rows["history"]],
        "score_history": [h[:3] + h[4:] for h in rows["score_history"]],
    }


def test_a_first_submission_leaves_the_rows_and_history_the_orm_leaves(council_setup, monkeypatch):  # noqa: F811
    council, (a, b, _c), nomination = council_setup
    points = _points(council, {"1": 35, "2": 30, "3": 8, "4": 7})
    saved = {}
    for member, one_statement in ((a, True), (b, False)):
        if not one_statement:
            monkeypatch.setattr(sheets, "create_sheet", lambda *args: None)  # the ORM's way
        HistoricalRecords.context.request = SimpleNamespace(user=member.user)
        try:
            with CaptureQueriesContext(connection) as queries:
                saved[member] = services.sheet_save(
                    member=member, nomination=nomination, points=points, comment="Đạt yêu cầu", submit=True
                )
        finally:
            del HistoricalRecords.context.request
        inserts = [q["sql"] for q in queries.captured_queries if "INSERT" in q["sql"]]
        if one_statement and connection.vendor == "postgresql":
            assert len(inserts) == 1
            assert inserts[0].startswith("WITH sheet AS (INSERT")
        else:
            assert len(inserts) == 4  # the sheet, its history, the scores, theirs
    direct, orm = (_rows(saved[m]) for m in (a, b))
    assert direct["sheet"]["status"] == SheetStatus.SUBMITTED
    assert direct["sheet"]["total"] == sum(points.values())
    assert len(direct["scores"]) == len(points) == len(direct["score_history"])
    assert direct["history"][0]["history_user_id"] == a.user_id  # the member who saved, as simple_history records
    assert {h[3] for h in direct["score_history"]} == {a.user_id}
    direct["sheet"].pop("submitted_at"), orm["sheet"].pop("submitted_at")
    for rows in (direct, orm):
        for h in rows["history"]:
            assert h.pop("submitted_at") is not None
    assert _without_member(direct) == _without_member(orm)
    # The returned sheet is the stored one, ready for use.
    assert saved[a].pk
    assert not saved[a]._state.adding
    assert ScoreSheet.objects.get(pk=saved[a].pk).member_id == a.pk


def test_a_first_save_of_a_known_pass_reads_no_sheet_back(council_setup):  # noqa: F811
    """The sheet page knows the pass: the lock statement says the member has no sheet of it yet, and the sheet is
    created without being looked for under its own lock first. A second save reads it (and updates it)."""
    council, (a, _b, _c), nomination = council_setup
    points = _points(council, {"1": 35, "2": 30, "3": 8, "4": 7})
    reads = []
    for comment in ("first", "second"):
        with CaptureQueriesContext(connection) as queries:
            services.sheet_save(member=a, nomination=nomination, points=points, comment=comment, pass_no=1)
        reads.append([q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "awards_scoresheet"')])
    assert reads[0] == []
    assert len(reads[1]) == 1
    sheet = ScoreSheet.objects.get(nomination=nomination, member=a)
    assert (sheet.comment, sheet.status, sheet.total) == ("second", SheetStatus.DRAFT, sum(points.values()))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="one writer at a time on SQLite: no stale view")
def test_a_sheet_the_lock_statement_could_not_see_is_updated_not_duplicated(council_setup, monkeypatch):  # noqa: F811
    """A save of the same member in another tab may commit the sheet while this save waits for the seat; the lock
    statement's snapshot predates it. The one-statement creation then writes nothing, and the save goes on as
    for an existing sheet: one sheet, this save's scores, no error."""
    council, (a, _b, _c), nomination = council_setup
    other_tab = _points(council, {"1": 10, "2": 10, "3": 1, "4": 1})
    services.sheet_save(member=a, nomination=nomination, points=other_tab, comment="other tab")
    real = sheets.lock_seat

    def stale(*args, **kwargs):
        locked = real(*args, **kwargs)
        locked.sheet_statuses = {}  # as seen before the other tab's commit
        return locked

    monkeypatch.setattr(sheets, "lock_seat", stale)
    points = _points(council, {"1": 35, "2": 30, "3": 8, "4": 7})
    services.sheet_save(member=a, nomination=nomination, points=points, comment="this tab", submit=True, pass_no=1)
    sheet = ScoreSheet.objects.get(nomination=nomination, member=a)
    assert (sheet.comment, sheet.status, sheet.total) == ("this tab", SheetStatus.SUBMITTED, sum(points.values()))
    assert dict(sheet.scores.values_list("criterion_id", "points")) == points
    assert Score.objects.filter(sheet__member=a).count() == len(points)
