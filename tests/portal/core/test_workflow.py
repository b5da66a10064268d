"""portal.core.workflow: one transition() for every state change — the moves table, who may, SYSTEM only where the
table says so, the recorded fields and requirements, the status log and the notification after the commit."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation

from awards.enums import RoundStatus
from awards.models import (
    CertificateStatusLog,
    CouncilPassLog,
    NominationStatusLog,
    Round,
    RoundStatusLog,
)
from extension_projects.models import ProjectStatusLog
from portal.core.messaging.models import Notification, NotificationKind
from portal.core.messaging.notify import notify
from portal.core.models import StatusLog
from portal.core.workflow import SYSTEM, Requirement, Workflow, allowed_moves, transition
from tests.awards.test_services import cao_bang, cao_bang_department, create

DRAFT, PUBLISHED, CLOSED = RoundStatus.DRAFT, RoundStatus.PUBLISHED, RoundStatus.CLOSED


def is_staff_user(actor, round_) -> bool:
    return getattr(actor, "role", None) == "staff"


def refuses_with_reason(actor, round_) -> tuple[bool, str]:
    return False, "Not this one."


def workflow(**overrides) -> Workflow:
    """A small table over rounds: staff publish, staff or the portal close, nobody reopens."""
    return Workflow(
        **{
            "model": Round,
            "moves": {(DRAFT, PUBLISHED): {is_staff_user}, (PUBLISHED, CLOSED): {is_staff_user, SYSTEM}},
            "refusal": "A round cannot go from “%(from)s” to “%(to)s”.",
            "log_model": RoundStatusLog,
            **overrides,
        }
    )


@pytest.fixture
def draft(db):
    return create("province", province=cao_bang(), organiser=cao_bang_department())


def status_of(round_) -> str:
    return Round.objects.get(pk=round_.pk).status


def test_a_move_missing_from_the_table_is_refused_with_both_labels(draft, staff_user):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        transition(draft, CLOSED, workflow=workflow(), actor=staff_user)
    assert refused.value.messages == ["A round cannot go from “Draft” to “Closed”."]
    assert status_of(draft) == DRAFT
    assert not RoundStatusLog.objects.exists()


def test_the_workflow_error_class_is_raised(draft, staff_user):
    class RoundError(ValidationError):
        pass

    with pytest.raises(RoundError):
        transition(draft, CLOSED, workflow=workflow(error=RoundError), actor=staff_user)


def test_an_actor_the_move_does_not_allow_is_refused(draft, producer_user):
    with pytest.raises(PermissionDenied):
        transition(draft, PUBLISHED, workflow=workflow(), actor=producer_user)
    assert status_of(draft) == DRAFT
    assert not RoundStatusLog.objects.exists()


def test_a_refusal_carries_the_reason_the_predicate_gives(draft, staff_user):
    refusing = workflow(moves={(DRAFT, PUBLISHED): {refuses_with_reason}})
    with pytest.raises(PermissionDenied) as refused:
        transition(draft, PUBLISHED, workflow=refusing, actor=staff_user)
    assert str(refused.value) == "Not this one."


def test_any_one_predicate_allowing_is_enough(draft, staff_user):
    either = workflow(moves={(DRAFT, PUBLISHED): {refuses_with_reason, is_staff_user}})
    transition(draft, PUBLISHED, workflow=either, actor=staff_user)
    assert status_of(draft) == PUBLISHED


def test_the_system_moves_only_where_the_table_names_it(draft, staff_user):
    with pytest.raises(PermissionDenied):
        transition(draft, PUBLISHED, workflow=workflow(), actor=SYSTEM)
    transition(draft, PUBLISHED, workflow=workflow(), actor=staff_user)

    transition(draft, CLOSED, workflow=workflow(), actor=SYSTEM, note="Hết hạn")

    assert status_of(draft) == CLOSED
    log = RoundStatusLog.objects.get(to_status=CLOSED)
    assert (log.actor, log.from_status, log.note) == (None, PUBLISHED, "Hết hạn")


def test_no_actor_is_a_programming_error_not_the_system(draft):
    with pytest.raises(TypeError):
        transition(draft, PUBLISHED, workflow=workflow(moves={(DRAFT, PUBLISHED): {SYSTEM}}), actor=None)
    with pytest.raises(TypeError):
        allowed_moves(draft, None, workflow=workflow())
    assert status_of(draft) == DRAFT


def test_the_log_records_who_when_from_to_and_why(draft, staff_user):
    returned = transition(draft, PUBLISHED, workflow=workflow(), actor=staff_user, note="Đã duyệt")

    assert returned is draft
    assert draft.status == PUBLISHED
    log = RoundStatusLog.objects.get(round=draft)
    assert (log.actor, log.from_status, log.to_status, log.note) == (staff_user, DRAFT, PUBLISHED, "Đã duyệt")
    assert log.at is not None


def test_every_status_log_has_the_same_fields():
    shared = {"from_status", "to_status", "actor", "at", "note"}
    for model in (RoundStatusLog, NominationStatusLog, ProjectStatusLog, CertificateStatusLog, CouncilPassLog):
        assert issubclass(model, StatusLog)
        assert shared <= {f.name for f in model._meta.fields}, model
    assert NominationStatusLog._meta.ordering == ["at", "id"]
    assert ProjectStatusLog._meta.ordering == ["at", "id"]


def test_the_notification_is_written_in_the_change_s_transaction(draft, staff_user):
    """The hook runs inside the move's transaction, so what it writes (the outbox's e-mails, the portal's
    notifications) commits with the change or not at all."""
    told = []

    def tell(change):
        told.append(change)
        notify([staff_user], kind=NotificationKind.STATUS, text=f"{change.obj}: {change.to_state}")

    notifying = workflow(notify=tell)

    def move_then_fail():
        with transaction.atomic():
            transition(draft, PUBLISHED, workflow=notifying, actor=staff_user, note="Đã duyệt")
            raise RuntimeError("what followed the move failed")

    with pytest.raises(RuntimeError):
        move_then_fail()
    assert not Notification.objects.exists()

    transition(draft, PUBLISHED, workflow=notifying, actor=staff_user, note="Đã duyệt")
    assert [(c.obj, c.from_state, c.to_state, c.actor, c.note) for c in told[1:]] == [
        (draft, DRAFT, PUBLISHED, staff_user, "Đã duyệt")
    ]
    assert Notification.objects.filter(user=staff_user).count() == 1


def test_a_refused_or_silent_move_notifies_nobody(draft, staff_user, producer_user, django_capture_on_commit_callbacks):
    told = []
    notifying = workflow(notify=told.append)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(PermissionDenied):
            transition(draft, PUBLISHED, workflow=notifying, actor=producer_user)
        transition(draft, PUBLISHED, workflow=notifying, actor=staff_user, notify=False)
    assert callbacks == []
    assert told == []


def needs_notes(round_) -> list[str]:
    return [] if round_.notes else ["the notes"]


def needs_nothing_else(round_) -> list[str]:
    return ["the minutes", "the signature"]


def test_requirements_list_everything_still_missing(draft, staff_user):
    demanding = workflow(requirements={PUBLISHED: Requirement(checks=(needs_notes, needs_nothing_else))})

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        transition(draft, PUBLISHED, workflow=demanding, actor=staff_user)

    assert refused.value.messages == ["Still needed: the notes; the minutes; the signature."]
    assert demanding.missing(draft, PUBLISHED) == ["the notes", "the minutes", "the signature"]
    assert status_of(draft) == DRAFT


def test_a_state_sets_only_the_fields_it_records(draft, staff_user):
    recording = workflow(requirements={PUBLISHED: Requirement(fields=("notes",), checks=(needs_notes,))})

    with pytest.raises(TypeError):
        transition(draft, PUBLISHED, workflow=recording, actor=staff_user, fields={"title": "Khác"})
    transition(draft, PUBLISHED, workflow=recording, actor=staff_user, fields={"notes": "Theo kế hoạch"})

    saved = Round.objects.get(pk=draft.pk)
    assert (saved.status, saved.notes) == (PUBLISHED, "Theo kế hoạch")
    assert draft.notes == "Theo kế hoạch"


def test_prepare_runs_on_the_locked_row_before_the_requirements(draft, staff_user):
    recording = workflow(requirements={PUBLISHED: Requirement(checks=(needs_notes,))})

    def write_notes(locked):
        locked.notes = "Ghi trong bước chuẩn bị"

    transition(draft, PUBLISHED, workflow=recording, actor=staff_user, prepare=write_notes)

    assert status_of(draft) == PUBLISHED


def test_allowed_moves_lists_what_the_actor_may_do_in_the_states_order(draft, staff_user, producer_user):
    table = workflow(moves={(DRAFT, CLOSED): {is_staff_user}, (DRAFT, PUBLISHED): {is_staff_user, SYSTEM}})

    assert allowed_moves(draft, staff_user, workflow=table) == [PUBLISHED, CLOSED]
    assert allowed_moves(draft, producer_user, workflow=table) == []
    assert allowed_moves(draft, SYSTEM, workflow=table) == [PUBLISHED]


# -- many records at once ---------------------------------------------------------------------------------------------
def test_many_records_move_with_one_log_row_each_in_a_fixed_number_of_queries(
    db, staff_user, django_assert_max_num_queries
):
    from portal.core.workflow import transition_many

    def drafts(n):
        return [create("province", province=cao_bang(), organiser=cao_bang_department()) for _ in range(n)]

    few, many = drafts(2), drafts(8)
    with django_assert_max_num_queries(12) as few_queries:
        transition_many(few, PUBLISHED, workflow=workflow(), actor=staff_user, notes={few[0].pk: "Đợt 1"})
    with django_assert_max_num_queries(12) as many_queries:
        transition_many(many, PUBLISHED, workflow=workflow(), actor=staff_user, notes={})

    assert len(many_queries.captured_queries) == len(few_queries.captured_queries)
    assert {status_of(r) for r in few + many} == {PUBLISHED}
    assert RoundStatusLog.objects.filter(to_status=PUBLISHED, from_status=DRAFT, actor=staff_user).count() == 10
    assert RoundStatusLog.objects.get(round=few[0]).note == "Đợt 1"


def test_many_records_refuse_together_when_one_move_is_not_in_the_table(db, staff_user):
    from portal.core.workflow import transition_many

    rounds = [create("province", province=cao_bang(), organiser=cao_bang_department()) for _ in range(2)]
    transition(rounds[1], PUBLISHED, workflow=workflow(), actor=staff_user)

    with pytest.raises(ValidationError):
        transition_many(rounds, PUBLISHED, workflow=workflow(), actor=staff_user, notes={})
    assert status_of(rounds[0]) == DRAFT
    with pytest.raises(PermissionDenied):
        transition_many(rounds[:1], PUBLISHED, workflow=workflow(), actor=SYSTEM, notes={})
    with pytest.raises(TypeError):
        transition_many(rounds[:1], PUBLISHED, workflow=workflow(), actor=None, notes={})
    assert status_of(rounds[0]) == DRAFT
