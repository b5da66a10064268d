"""The one permission mixin of the portal's pages (`requires`)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from .roles import is_producer, is_signed_in, is_staff
from .rules import scoped


# -- views ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Requirement:
    predicate: Callable = field(compare=True)


class AccessRequiredMixin(AccessMixin):
    """The one permission mixin of the portal's pages: sign-in first, then `access_predicate(user)`, and for a
    request that may change something (POST…) `write_predicate(user)` too, else 403 — a page the ministry reads
    but only staff change. Build it with `requires(predicate, write=…)`. A producer's producer is `self.producer`."""

    access_predicate: _Requirement = _Requirement(is_staff)
    write_predicate: _Requirement = _Requirement(is_signed_in)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        writes = request.method not in ("GET", "HEAD", "OPTIONS", "TRACE")
        predicates = (self.access_predicate, self.write_predicate) if writes else (self.access_predicate,)
        if not all(p.predicate(request.user) for p in predicates):
            raise PermissionDenied
        if is_producer(request.user):
            self.producer = request.user.producer
        return super().dispatch(request, *args, **kwargs)

    def scoped(self, qs: QuerySet, *, write: bool = False) -> QuerySet:
        return scoped(qs, self.request.user, write=write)


@functools.cache
def requires(predicate: Callable, *, write: Callable | None = None) -> type[AccessRequiredMixin]:
    """`requires(can_read_lists)`: the page answers only users the predicate accepts (anonymous users are sent to
    sign in); `requires(can_read_lists, write=is_staff)`: list readers open it, only staff POST to it (else 403)."""
    name = f"Requires_{predicate.__name__}" + (f"_writes_{write.__name__}" if write else "")
    attributes = {"access_predicate": _Requirement(predicate), "write_predicate": _Requirement(write or is_signed_in)}
    return type(name, (AccessRequiredMixin,), {**attributes, "__module__": __name__})
