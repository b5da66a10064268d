"""Jury seats: who scores which dossier (assignment, the pass being scored), and a seat locked for a save of its
sheet (`scoring_seat`, `lock_seat`)."""

import datetime
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction

from ...enums import AssignmentMode, PhaseKind
from ...models import Conflict, Council, CouncilMember, FieldVisit, Nomination, RoundPhase, ScoreSheet


def is_assigned(member: CouncilMember, nomination: Nomination, *, conflicted: bool | None = None) -> bool:
    """Whether the member scores this dossier: a jury member without a conflict, and — by the council's
    assignment mode — every dossier, those of its product groups, or those the department assigned to it.
    `conflicted`: whether it has a conflict with the dossier, when the caller has just read it."""
    if conflicted is None:
        conflicted = member.is_jury and member.conflicts.filter(nomination=nomination).exists()
    if not member.is_jury or conflicted:
        return False
    mode = member.council.assignment_mode
    if mode == AssignmentMode.GROUPS:
        return member.groups.filter(products=nomination.product_id).exists()
    if mode == AssignmentMode.INDIVIDUAL:
        return member.nominations.filter(pk=nomination.pk).exists()
    return True


def is_short_listed(nomination: Nomination) -> bool:
    """Whether the first pass sent the dossier to the field visit and the second pass."""
    return FieldVisit.objects.filter(nomination=nomination).exists()


def sheet_pass(council: Council, nomination: Nomination, *, short_listed: bool | None = None) -> int:
    """The pass whose sheet a member works on for this dossier now: the second pass only for short-listed
    dossiers once the first pass is closed. `short_listed`: whether the dossier is, when the caller has just
    read it."""
    if council.current_pass != 2:
        return 1
    if short_listed is None:
        short_listed = is_short_listed(nomination)
    return 2 if short_listed else 1


@dataclass
class Seat:
    """A jury seat locked for a sheet's save (see lock_seat), with what the lock statement read alongside it:
    `member` (its `council` the locked council), whether the member has a conflict with the dossier, whether the
    dossier is short-listed for the second pass, the round's scoring phase (None when it has none) and the
    status of the member's sheets of this dossier by pass. `held`: within the transaction that took the locks."""

    member: CouncilMember
    conflicted: bool
    short_listed: bool
    scoring: RoundPhase | None
    sheet_statuses: dict[int, str]
    held: bool = True

    @property
    def council(self) -> Council:
        return self.member.council

    def pass_no(self, nomination: Nomination) -> int:
        """The pass whose sheet the member works on now (sheet_pass), from what the lock statement read."""
        return sheet_pass(self.council, nomination, short_listed=self.short_listed)


def _columns(alias: str, model) -> str:
    return ", ".join(f"{alias}.{connection.ops.quote_name(f.column)}" for f in model._meta.concrete_fields)


def _instance(model, values):
    """A model instance from its concrete fields' column values as the database returned them (the ORM's
    converters applied: SQLite's text dates, its 0/1 booleans)."""
    fields = model._meta.concrete_fields
    converted = []
    for field, value in zip(fields, values, strict=True):
        column = field.get_col(model._meta.db_table)
        for convert in connection.ops.get_db_converters(column) + column.get_db_converters(connection):
            value = convert(value, column, connection)
        converted.append(value)
    return model.from_db(connection.alias, [f.attname for f in fields], converted)


def _date(value) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)  # SQLite gives text


def lock_seat(nomination: Nomination, *, member: CouncilMember | None = None, user=None) -> Seat | None:
    """A jury seat for a save of its sheet of `nomination`: `member`'s, or `user`'s on the council of the dossier's
    round. One statement takes the locks and reads the seat, its council, whether the member has a conflict with
    the dossier, whether the dossier is short-listed, the round's scoring dates and the member's sheets' statuses.
    None when there is no such seat (removed a moment ago, or the user has none).

    The council under a shared row lock (FOR SHARE): the council's members save their sheets side by side, while a
    first-pass close or a change of the council's settings (FOR UPDATE) waits for the saves under way, and a save
    waits for them and then sees the pass it really lands in. The seat under an exclusive one (FOR NO KEY UPDATE,
    which new sheets and conflicts referencing it do not wait for): one member's saves take turns, so two at once
    (two tabs, a double click) cannot both create the sheet or mix their scores."""
    council_table, seat_table, conflict_table, phase_table, sheet_table, visit_table = (
        connection.ops.quote_name(model._meta.db_table)
        for model in (Council, CouncilMember, Conflict, RoundPhase, ScoreSheet, FieldVisit)
    )
    locks = " FOR SHARE OF c FOR NO KEY UPDATE OF m" if connection.features.has_select_for_update else ""
    conflict = f"EXISTS (SELECT 1 FROM {conflict_table} x WHERE x.member_id = m.id AND x.nomination_id = %s)"  # noqa: S608
    visit = f"EXISTS (SELECT 1 FROM {visit_table} v WHERE v.nomination_id = %s)"  # noqa: S608
    scoring = f"FROM {phase_table} p WHERE p.round_id = c.round_id AND p.kind = %s"  # one per round and kind
    dates = f"(SELECT p.starts_on {scoring}), (SELECT p.ends_on {scoring})"
    own_sheet = f"FROM {sheet_table} s WHERE s.member_id = m.id AND s.nomination_id = %s AND s.pass_no ="
    sheets = f"(SELECT s.status {own_sheet} 1), (SELECT s.status {own_sheet} 2)"  # one per member, dossier and pass
    kind = PhaseKind.SCORING.value
    params = [nomination.pk, nomination.pk, kind, kind, nomination.pk, nomination.pk]
    if member is not None:
        where, params = "m.id = %s", [*params, member.pk]
    else:
        where, params = "m.user_id = %s AND m.is_jury AND c.round_id = %s", [*params, user.pk, nomination.round_id]
    # Table and column names come from the models; every value is a bound parameter.
    sql = (
        f"SELECT {_columns('c', Council)}, {_columns('m', CouncilMember)}, {conflict}, {visit}, {dates}, {sheets}"  # noqa: S608
        f" FROM {council_table} c JOIN {seat_table} m ON m.council_id = c.id WHERE {where}{locks}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(Council._meta.concrete_fields)
    seats_end = split + len(CouncilMember._meta.concrete_fields)
    council = _instance(Council, row[:split])
    seat = _instance(CouncilMember, row[split:seats_end])
    seat.council = council
    owner = user if member is None else member.user if CouncilMember.user.is_cached(member) else None
    if owner is not None:
        seat.user = owner
    conflicted, short_listed, starts, ends, first, second = row[seats_end:]
    if Nomination.round.is_cached(nomination):
        council.round = nomination.round
    scoring = None
    if starts is not None:
        scoring = RoundPhase(kind=PhaseKind.SCORING, starts_on=_date(starts), ends_on=_date(ends))
    statuses = {pass_no: status for pass_no, status in ((1, first), (2, second)) if status is not None}
    return Seat(seat, bool(conflicted), bool(short_listed), scoring, statuses)


@contextmanager
def scoring_seat(user, nomination: Nomination):
    """The user's jury seat on the council of the dossier's round, locked for a save of its sheet (a Seat, or None
    when it has none), within a transaction that lasts the `with` block: the sheet page takes the seat before it
    reads the criteria and checks the form, then saves with sheet_save(seat=...) in the same transaction."""
    with transaction.atomic():
        seat = lock_seat(nomination, user=user)
        try:
            yield seat
        finally:
            if seat is not None:
                seat.held = False
