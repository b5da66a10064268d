"""A new score sheet, its scores and the history rows of both, written by one statement on PostgreSQL.

On the deadline day the council's members submit at once, and a first submission is the common case: the ORM
writes it in four INSERTs (the sheet, its history row, the scores, their history rows), each compiled and sent on
its own. Here the same rows go in one statement of four data-modifying CTEs, the columns taken from the models'
metadata, so a field added to ScoreSheet or Score is written here too. The history rows are those
django-simple-history writes (`+`, the acting user, the time of the save, no reason): tests/awards/test_sheet_insert.py
compares them. A sheet that exists already (one per member, dossier and pass) makes the statement write nothing.
Other databases (SQLite) keep the ORM's way (`create_sheet` returns None)."""

import functools

from django.apps import apps
from django.db import connection
from django.utils import timezone

from ...models import Score, ScoreSheet


def _quoted(names) -> str:
    return ", ".join(connection.ops.quote_name(name) for name in names)


@functools.cache  # the models' tables and columns, fixed once the app is loaded
def _statement() -> str:
    sheet_fields = [f for f in ScoreSheet._meta.concrete_fields if not f.primary_key]
    tracked = {model: [f.column for f in _history(model).tracked_fields] for model in (ScoreSheet, Score)}
    history = ["history_date", "history_change_reason", "history_type", "history_user_id"]
    table = {model: connection.ops.quote_name(model._meta.db_table) for model in (ScoreSheet, Score)}
    history_table = {model: connection.ops.quote_name(_history(model)._meta.db_table) for model in (ScoreSheet, Score)}
    values = ", ".join(["%s"] * len(sheet_fields))
    # Table and column names come from the models; every value is a bound parameter.
    return (
        f"WITH sheet AS (INSERT INTO {table[ScoreSheet]} ({_quoted(f.column for f in sheet_fields)})"  # noqa: S608
        f" VALUES ({values}) ON CONFLICT ({_quoted(_one_per_pass())}) DO NOTHING RETURNING *),"
        f" sheet_history AS (INSERT INTO {history_table[ScoreSheet]} ({_quoted(tracked[ScoreSheet] + history)})"
        f" SELECT {_quoted(tracked[ScoreSheet])}, %s, NULL, '+', %s FROM sheet),"
        f" scores AS (INSERT INTO {table[Score]} (sheet_id, criterion_id, points)"
        " SELECT sheet.id, v.criterion_id, v.points FROM sheet,"
        " unnest(%s::bigint[], %s::numeric[]) AS v (criterion_id, points) RETURNING *),"
        f" score_history AS (INSERT INTO {history_table[Score]} ({_quoted(tracked[Score] + history)})"
        f" SELECT {_quoted(tracked[Score])}, %s, NULL, '+', %s FROM scores)"
        " SELECT id FROM sheet"
    )


def _one_per_pass() -> list[str]:
    """The columns of the one-sheet-per-member-dossier-and-pass constraint."""
    constraint = next(c for c in ScoreSheet._meta.constraints if c.name == "one_sheet_per_pass")
    return [ScoreSheet._meta.get_field(name).column for name in constraint.fields]


def _history(model):
    """The model's historical model, without going through its `history` descriptor (which builds a manager class
    on every access)."""
    return apps.get_model(model._meta.app_label, f"Historical{model.__name__}")


class SheetExistsError(Exception):
    """The member already has a sheet of this dossier and pass: nothing was written."""


def create_sheet(key: dict, fields: dict, values: dict) -> ScoreSheet | None:
    """The sheet `key` (nomination, member, pass_no) with `fields` and its scores `values` ({criterion pk:
    points}), each with its history row; None when the database is not PostgreSQL (the caller writes them with
    the ORM). When a sheet with that key exists (one sheet per member, dossier and pass), nothing is written and
    SheetExistsError is raised."""
    if connection.vendor != "postgresql":
        return None
    now = timezone.now()
    sheet = ScoreSheet(**key, **fields, updated_at=now)
    user = _history(ScoreSheet).get_default_history_user(sheet)
    user_id = getattr(user, "pk", None)
    sheet_values = [
        f.get_db_prep_save(getattr(sheet, f.attname), connection)
        for f in ScoreSheet._meta.concrete_fields
        if not f.primary_key
    ]
    params = [*sheet_values, now, user_id, list(values), list(values.values()), now, user_id]
    with connection.cursor() as cursor:
        cursor.execute(_statement(), params)
        row = cursor.fetchone()
    if row is None:
        raise SheetExistsError
    sheet.pk = row[0]
    sheet._state.adding, sheet._state.db = False, connection.alias
    return sheet
