"""How each model's rows are reached (`register(Model, Rule(...))`), turned into querysets (`scoped`) and
answers for one object (`allows`), and the fields that widen someone's reach."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db.models import Model, Q, QuerySet

from .roles import ProvinceScope, Reach, is_ministry, is_producer, is_signed_in, is_staff, is_superuser, province_scope


# -- how each model reaches a province, a producer, a seat -----------------------------------------------------
@dataclass(frozen=True)
class Rule:
    """How a model's rows are reached.

    province: lookups ending at a *today's* province id; staff see rows matching any of them.
    producer: lookup ending at the producer id; a producer account sees its producer's rows.
    member: lookup ending at the seated user (a CouncilMember's `user`); members see rows of their seats.
    nationwide: rows a nationwide organisation's staff reach (None: every row).
    reference: reference data (units, levels, criteria): every staff member and ministry official reads it all;
        only superusers change it.
    superuser_only: nobody but a superuser reads it (e.g. raw audit tables).
    ministry_reads: whether ministry officials read every row (they never write).
    owner: lookup ending at the account that owns the row (a bulk export): only that account and superusers.
    distinct: a province lookup crosses a many-valued relation, so the staff's queryset needs DISTINCT (member
        lookups always get it).
    via: a foreign key whose object's rule decides for staff and ministry officials (a round's phases follow the
        round); with `via_manages` staff need to *manage* that object even to read (a council's score sheets
        are read by the round's organisers, not by every province that can see the round).
    staff: `staff(qs, scope, write)` for staff when lookups cannot say it (a round is read by the provinces of
        its region too); it replaces `province` and `nationwide`. `staff_test(obj, scope, write)` answers the
        same for one object (True/False, or None to ask the database).
    """

    province: tuple[str, ...] = ()
    producer: str | None = None
    member: str | None = None
    nationwide: Q | None = None
    reference: bool = False
    superuser_only: bool = False
    ministry_reads: bool = True
    distinct: bool = False
    via: str | None = None
    via_manages: bool = False
    staff: Callable | None = None
    staff_test: Callable | None = None
    owner: str | None = None


_RULES: dict[type[Model], Rule] = {}


def register(model: type[Model], rule: Rule) -> None:
    _RULES[model] = rule


def rule_for(model: type[Model]) -> Rule:
    model = model._meta.concrete_model
    if model in _RULES:
        return _RULES[model]
    # History tables (django-simple-history) follow the rule of the record they keep.
    instance_type = getattr(model, "instance_type", None)
    if instance_type is not None and instance_type in _RULES:
        return _RULES[instance_type]
    raise ImproperlyConfigured(
        f"{model._meta.label} has no access rule: register one with portal.core.access.register() in its app's "
        "access.py (fail closed: unregistered models are readable by nobody but code that does not ask)."
    )


def registered_models() -> list[type[Model]]:
    return list(_RULES)


def _related_model(model: type[Model], name: str) -> type[Model]:
    return model._meta.get_field(name).related_model


def scoped(qs: QuerySet, user, *, write: bool = False, province=None) -> QuerySet:
    """The rows of `qs` the user may read (or change, with write=True). `province`, for a read compiled once per
    `access_shape` (portal.core.prepared), is the placeholder that stands for the user's province."""
    rule = rule_for(qs.model)
    if not is_signed_in(user):
        return qs.none()
    if user.is_superuser:
        return qs
    if rule.superuser_only:
        return qs.none()
    if province is not None and (rule.owner or not (is_staff(user) or is_ministry(user))):
        raise ValueError("a province placeholder stands only for a staff or ministry reader's province")
    if rule.owner:
        return qs.filter(**{rule.owner: user})
    if is_staff(user) or is_ministry(user):
        if rule.reference:
            return qs.none() if write else qs
        if is_ministry(user) and (write or not rule.ministry_reads):
            return qs.none()
        if rule.via:
            related = _related_model(qs.model, rule.via)
            allowed = scoped(related._default_manager.all(), user, write=write or rule.via_manages, province=province)
            return qs.filter(**{f"{rule.via}__in": allowed.values("pk")})
        if is_ministry(user):
            return qs
        scope = province_scope(user, write=write)
        if province is not None and scope.reach is Reach.PROVINCE:
            scope = ProvinceScope(Reach.PROVINCE, province)
        if rule.staff is not None:
            return rule.staff(qs, scope, write)
        if scope.reach is Reach.NATIONWIDE:
            result = qs.filter(rule.nationwide) if rule.nationwide is not None else qs
        else:
            result = scope.filter(qs, *rule.province)
    elif is_producer(user) and rule.producer:
        result = qs.filter(**{rule.producer: user.producer_id})
    elif rule.member:
        result = qs.filter(**{rule.member: user}).distinct()
    else:
        return qs.none()
    return result.distinct() if rule.distinct else result


_MISSING = object()


def _follow(obj, lookup: str):
    """The value at the end of a lookup, following loaded or loadable single-valued relations; `_MISSING` when
    the path crosses a many-valued relation (then the database answers)."""
    parts = lookup.split("__")
    value = obj
    for index, part in enumerate(parts):
        if value is None:
            return None
        try:
            django_field = value._meta.get_field(part)
        except (AttributeError, FieldDoesNotExist):
            return _MISSING
        if django_field.many_to_many or django_field.one_to_many:
            return _MISSING
        if index == len(parts) - 1 and django_field.is_relation:
            return getattr(value, django_field.attname)
        value = getattr(value, part)
    return value.pk if isinstance(value, Model) else value


def _python_answer(rule: Rule, user, obj: Model, write: bool):
    """The answer read from the object's loaded relations, or `_MISSING` when only the database can say."""
    if rule.owner:
        return _follow(obj, rule.owner) == user.pk
    if is_staff(user) or is_ministry(user):
        if rule.reference:
            return not write
        if is_ministry(user) and (write or not rule.ministry_reads):
            return False
        if rule.via:
            related = getattr(obj, rule.via)
            return related is not None and allows(user, related, write=write or rule.via_manages)
        if is_ministry(user):
            return True
        scope = province_scope(user, write=write)
        if scope.reach is Reach.NOTHING:
            return False
        if rule.staff_test is not None:
            answer = rule.staff_test(obj, scope, write)
            return _MISSING if answer is None else answer
        if scope.reach is Reach.NATIONWIDE and rule.nationwide is None and rule.staff is None:
            return True
        if scope.reach is Reach.PROVINCE and rule.staff is None:
            values = [_follow(obj, lookup) for lookup in rule.province]
            return _MISSING if _MISSING in values else scope.province_id in values
        return _MISSING
    if is_producer(user) and rule.producer:
        value = _follow(obj, rule.producer)
        return value if value is _MISSING else value == user.producer_id
    if rule.member:
        return _MISSING
    return False


def allows(user, obj: Model, *, write: bool = False) -> bool:
    """Whether the user may read (or change) this object: the same answer as `scoped`, without a query when the
    rule's lookups follow single-valued relations."""
    rule = rule_for(type(obj))
    if not is_signed_in(user):
        return False
    if user.is_superuser:
        return True
    if rule.superuser_only:
        return False
    answer = _python_answer(rule, user, obj, write)
    if answer is not _MISSING:
        return bool(answer)
    return scoped(type(obj)._default_manager.filter(pk=obj.pk), user, write=write).exists()


def verdict(user, obj: Model, *, write: bool = True, refusal: str = "") -> tuple[bool, str]:
    """`allows` with a reason a page can show: (True, "") or (False, why)."""
    from django.utils.translation import gettext as _

    if not is_signed_in(user):
        return False, _("Please sign in.")
    if allows(user, obj, write=write):
        return True, ""
    return False, refusal or _("You do not have access to this record.")


def get_scoped_or_404(qs: QuerySet, user, *, write: bool = False, **lookup):
    from django.shortcuts import get_object_or_404

    return get_object_or_404(scoped(qs, user, write=write), **lookup)


# -- fields that widen someone's reach ---------------------------------------------------------------------------
# Changing any of these gives an account more than it had (another role, another province, admin rights, a
# council's dossiers) or hands the account to someone else (its sign-in address): only a superuser changes them,
# in the admin and on every page.
REACH_FIELDS: dict[str, frozenset[str]] = {
    "accounts.user": frozenset(
        {"email", "role", "organization", "producer", "is_superuser", "is_staff", "groups", "user_permissions"}
    ),
    "products.organization": frozenset({"kind", "province"}),
    "auth.group": frozenset({"permissions"}),
}


def reach_fields(model: type[Model]) -> frozenset[str]:
    return REACH_FIELDS.get(model._meta.label_lower, frozenset())


def may_change_field(user, model: type[Model], field_name: str) -> bool:
    return is_superuser(user) or field_name not in reach_fields(model)
