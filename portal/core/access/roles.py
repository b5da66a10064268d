"""Who someone is (their role) and which provinces they reach (`province_scope`)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from portal.accounts.enums import Role


# -- who someone is ---------------------------------------------------------------------------------------------
def is_signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_superuser(user) -> bool:
    return is_signed_in(user) and user.is_superuser


def is_staff(user) -> bool:
    """Department staff of a province or of the ministry agency, and superusers."""
    return is_signed_in(user) and (user.is_superuser or user.role == Role.STAFF)


def is_ministry(user) -> bool:
    """A ministry official: reads every province, writes nothing."""
    return is_signed_in(user) and not user.is_superuser and user.role == Role.MINISTRY


def is_member(user) -> bool:
    return is_signed_in(user) and user.role == Role.MEMBER


def is_producer(user) -> bool:
    return is_signed_in(user) and user.role == Role.PRODUCER and user.producer_id is not None


def is_national(user) -> bool:
    """Reads the national view: every province's figures."""
    return is_superuser(user) or is_ministry(user)


def can_read_lists(user) -> bool:
    """Lists, dashboards and reports: staff (their province) and national readers (every province)."""
    return is_staff(user) or is_ministry(user)


def can_import(user) -> bool:
    """Historical imports write: staff (rows of their own province only) and superusers."""
    return is_staff(user)


# -- which provinces -------------------------------------------------------------------------------------------
class Reach(enum.Enum):
    NOTHING = "nothing"
    PROVINCE = "province"  # one province today, and the old provinces merged into it
    NATIONWIDE = "nationwide"  # a nationwide organisation's staff: region and national records
    EVERYTHING = "everything"  # superusers; ministry officials when reading


@dataclass(frozen=True)
class ProvinceScope:
    """The provinces whose records someone reads or changes. No sentinel ids: an account without a province
    has `Reach.NOTHING`, never a province id that happens not to exist."""

    reach: Reach
    province_id: int | None = None

    @property
    def is_everything(self) -> bool:
        return self.reach is Reach.EVERYTHING

    @property
    def is_nothing(self) -> bool:
        return self.reach is Reach.NOTHING

    @property
    def province_or_none(self) -> int | None:
        """Today's province id, or None when the scope is wider (or empty): for code that filters by one."""
        return self.province_id if self.reach is Reach.PROVINCE else None

    def includes(self, province_id) -> bool:
        if self.reach in (Reach.EVERYTHING, Reach.NATIONWIDE):
            return True
        return self.reach is Reach.PROVINCE and province_id is not None and province_id == self.province_id

    def q(self, *lookups: str) -> Q:
        """Rows whose province (any of the lookups, each ending at a today's-province id) is in the scope."""
        if self.reach in (Reach.EVERYTHING, Reach.NATIONWIDE):
            return Q()
        if self.reach is Reach.NOTHING or not lookups:
            return Q(pk__in=[])
        condition = Q()
        for lookup in lookups:
            condition |= Q(**{lookup: self.province_id})
        return condition

    def filter(self, qs: QuerySet, *lookups: str) -> QuerySet:
        if self.reach is Reach.NOTHING:
            return qs.none()
        return qs.filter(self.q(*lookups))


NOTHING = ProvinceScope(Reach.NOTHING)
EVERYTHING = ProvinceScope(Reach.EVERYTHING)


def province_scope(user, *, write: bool = False) -> ProvinceScope:
    """Which provinces the user reads (or, with write=True, changes)."""
    if not is_signed_in(user):
        return NOTHING
    if user.is_superuser:
        return EVERYTHING
    if is_ministry(user):
        return NOTHING if write else EVERYTHING
    if user.role != Role.STAFF or user.organization_id is None:
        return NOTHING
    organization = user.organization
    if organization.is_nationwide:
        return ProvinceScope(Reach.NATIONWIDE)
    if organization.province_id is None:
        return NOTHING
    return ProvinceScope(Reach.PROVINCE, organization.province_id)


def access_shape(user, *, write: bool = False) -> tuple:
    """What `scoped()` reads of a staff member, a ministry official or a superuser apart from the province id:
    readers of one shape are given the same query by `scoped(..., province=<placeholder>)`. Only for those
    readers and for models they reach through provinces: `scoped()` refuses a placeholder where it would write
    the reader's own ids (an owner, a producer, a seat)."""
    reach = province_scope(user, write=write).reach
    return (is_signed_in(user), is_superuser(user), getattr(user, "role", None), reach)
