"""Reads that every page of a kind makes, built and compiled to SQL once per thread rather than at every request.

Django builds a queryset (every `filter()` and `annotate()` clones and resolves it) and compiles it to SQL anew
each time it is evaluated. For the staff dashboards' few fixed reads that costs more than the database's own
answer (bench/bench_dashboard.py measured 0.4–1.5 ms of Python per read against 0.1–0.9 ms of SQL). A `Prepared`
read is written as an ordinary queryset whose varying values are `Bind` placeholders; it is built and compiled
once per shape (which optional filters apply) and thread, and each call only binds the values, executes the
stored SQL through the connection's cursor and converts the columns as Django would (its own converters). The
SQL is the ORM's (a value a lookup compares with is written in parentheses, as Django writes any expression
there), so the query log, the query-count tests and the database's plans see the same query.

    figures = Prepared(lambda group: Tally.objects.filter(group_id=Bind("group")) if group else Tally.objects.all())
    figures.rows(shape=(True,), values={"group": 3})
"""

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Expression, Field, IntegerField, QuerySet


@dataclass(frozen=True)
class _Slot:
    """Where a bound value goes among the compiled query's parameters."""

    name: str
    field: Field


class Bind(Expression):
    """A value supplied when the prepared read runs: `filter(province_id=Bind("province"))`. `field` says how the
    value is written for the database (an integer by default; a `DateField()` for a day)."""

    def __init__(self, name: str, field: Field | None = None):
        super().__init__(output_field=field or IntegerField())
        self.name = name

    def as_sql(self, compiler, connection):
        return "%s", [_Slot(self.name, self.output_field)]

    def __repr__(self):
        return f"Bind({self.name!r})"


@dataclass(frozen=True)
class _Compiled:
    alias: str  # the database the queryset reads (its `db`)
    sql: str | None  # None: the read can match nothing (Django's EmptyResultSet), no query is run
    params: tuple
    converters: tuple  # (column, converter functions, expression), as Django's compiler applies them


class Prepared:
    """A read built by `build(*shape, **context)` (a queryset with `Bind` placeholders), compiled once per shape
    and thread (a compiled query keeps its connection's converters, and a connection belongs to a thread: a
    gunicorn worker's thread compiles each shape once; the development server, a thread per request, at every
    request). A shape must decide everything but the bound values, an empty read (EmptyResultSet) included.
    Rows come as Django 5.2's `values_list()` gives them: the compiler's columns, converted."""

    def __init__(self, build: Callable[..., QuerySet]):
        self._build = build
        self._local = threading.local()

    def rows(self, shape: tuple[Hashable, ...] = (), values: dict[str, Any] | None = None, **context) -> list[tuple]:
        """The rows for `values`; `context` goes to `build` with the shape when the shape is compiled (what the
        build needs beyond the shape, e.g. a user of that shape)."""
        compiled = self._compiled(shape, context)
        if compiled.sql is None:
            return []
        connection = connections[compiled.alias]
        params = [_bound(p, values or {}, connection) if isinstance(p, _Slot) else p for p in compiled.params]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if not compiled.converters:
            return rows
        out = []
        for row in rows:
            row = list(row)
            for column, functions, expression in compiled.converters:
                value = row[column]
                for convert in functions:
                    value = convert(value, expression, connection)
                row[column] = value
            out.append(tuple(row))
        return out

    def _compiled(self, shape: tuple, context: dict) -> _Compiled:
        cache = getattr(self._local, "cache", None)
        if cache is None:
            cache = self._local.cache = {}
        compiled = cache.get(shape)
        if compiled is None:
            compiled = cache[shape] = self._compile(self._build(*shape, **context))
        return compiled

    @staticmethod
    def _compile(qs: QuerySet) -> _Compiled:
        compiler = qs.query.get_compiler(using=qs.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return _Compiled(qs.db, None, (), ())
        columns = [s[0] for s in compiler.select[: compiler.col_count]]
        converters = tuple(
            (column, tuple(functions), expression)
            for column, (functions, expression) in compiler.get_converters(columns).items()
        )
        return _Compiled(qs.db, sql, tuple(params), converters)


def _bound(slot: _Slot, values: dict, connection):
    """A bound value as the database takes it. A lookup given a value checks it first (None becomes IS NULL, an
    integer out of the column's range matches nothing); a placeholder cannot, so such values are refused: the
    shape must leave out what is None, and the caller check its ranges (the dashboard's form does)."""
    if slot.name not in values:
        raise ValueError(f"no value bound for {slot.name!r}")
    value = values[slot.name]
    if value is None:
        raise ValueError(f"None bound for {slot.name!r}: leave the condition out of the shape instead")
    internal_type = slot.field.get_internal_type()
    if isinstance(value, int) and internal_type in connection.ops.integer_field_ranges:
        low, high = connection.ops.integer_field_range(internal_type)
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValueError(f"{slot.name!r} = {value} is out of the column's range")
    return slot.field.get_db_prep_value(value, connection, prepared=False)
