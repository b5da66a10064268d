"""The one way a record changes state: `transition(obj, to, workflow=…, actor=…)`.

A `Workflow` says, for one model, which moves exist and who may make each (`moves`), what a state records and
still needs (`requirements`), where the history goes (`log_model`, derived from `core.models.StatusLog`) and
whom to tell (`notify`, run in the change's transaction: its e-mails go to the outbox with it).
Nominations, rounds, council passes, certificates and khuyến công projects all change state here; their services
are thin calls.

Who may make a move is a set of predicates `(actor, obj) -> bool | (bool, reason)`; any one allowing is enough.
The portal itself (demo data, scheduled jobs) acts as `SYSTEM`, and only on moves whose set holds `SYSTEM`:
there is no implicit "no actor, no check" — `actor=None` is a programming error."""

import enum
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_update_with_history


class SystemActor:
    """The portal acting on its own; written to a status log as an empty actor ("system" on the pages)."""

    pk = None
    is_authenticated = False

    def __str__(self):
        return str(_("system"))

    def __repr__(self):
        return "SYSTEM"


SYSTEM = SystemActor()

Verdict = bool | tuple[bool, str]
Who = Callable[[object, models.Model], Verdict] | SystemActor
Check = Callable[[models.Model], Iterable[str]]

STILL_NEEDED = _("Still needed: %(items)s.")


@dataclass(frozen=True)
class Requirement:
    """What a state records (the only fields a move to it may set) and what it needs before a record enters it:
    each check returns what is still missing, in words the page shows."""

    fields: tuple[str, ...] = ()
    checks: tuple[Check, ...] = ()
    # The refusal when something is missing; %(items)s lists it.
    message: str | Promise = STILL_NEEDED

    def missing(self, obj) -> list[str]:
        return [str(item) for check in self.checks for item in check(obj)]

    def refusal(self, missing: list[str]) -> str:
        return str(self.message) % {"items": "; ".join(missing)}


NOTHING_REQUIRED = Requirement()


@dataclass(frozen=True)
class Change:
    """A change, handed to the workflow's `notify` hook inside its transaction."""

    obj: models.Model
    from_state: object
    to_state: object
    actor: object
    note: str


def _plain(value):
    return value.value if isinstance(value, enum.Enum) else value


@dataclass(frozen=True)
class Workflow:
    model: type[models.Model]
    # {(from, to): who may}; a move absent from the table is refused to everyone.
    moves: Mapping[tuple, Collection[Who]]
    # "A dossier cannot go from “%(from)s” to “%(to)s”.", or a function (from, to) -> message.
    refusal: str | Promise | Callable[[object, object], str]
    field: str = "status"
    log_model: type[models.Model] | None = None
    requirements: Mapping[object, Requirement] = dataclass_field(default_factory=dict)
    error: type[ValidationError] = ValidationError
    # Fields saved with every change (an `auto_now` timestamp).
    touch: tuple[str, ...] = ()
    # Run full_clean() before saving, excluding these fields; None skips it.
    clean_exclude: tuple[str, ...] | None = None
    notify: Callable[[Change], None] | None = None
    # The same for several changes at once (`transition_many`), in a fixed number of queries; else `notify` each.
    notify_many: Callable[[list[Change]], None] | None = None

    def __post_init__(self):
        moves = {(_plain(a), _plain(b)): frozenset(who) for (a, b), who in self.moves.items()}
        object.__setattr__(self, "moves", moves)
        object.__setattr__(self, "requirements", {_plain(k): v for k, v in self.requirements.items()})

    # -- reading the table -------------------------------------------------------------------------------------
    def label(self, state) -> str:
        choices = dict(self.model._meta.get_field(self.field).flatchoices)
        return str(choices.get(_plain(state), state))

    def refusal_message(self, from_state, to_state) -> str:
        if callable(self.refusal):
            return str(self.refusal(_plain(from_state), _plain(to_state)))
        return str(self.refusal) % {"from": self.label(from_state), "to": self.label(to_state)}

    def requirement(self, state) -> Requirement:
        return self.requirements.get(_plain(state), NOTHING_REQUIRED)

    def missing(self, obj, to) -> list[str]:
        """What `obj` still needs before it can move to `to` (the move refuses while this is not empty)."""
        return self.requirement(to).missing(obj)

    def targets(self, state) -> list:
        """The states the table lets a record go to from `state`, in the order of the states' choices."""
        order = [value for value, _label in self.model._meta.get_field(self.field).flatchoices]
        found = [to for (frm, to) in self.moves if frm == _plain(state)]
        return sorted(found, key=lambda to: order.index(to) if to in order else len(order))

    def may(self, actor, obj, to) -> tuple[bool, str]:
        """Whether `actor` may move `obj` from its current state to `to`, and if not, why (may be empty)."""
        who = self.moves.get((_plain(getattr(obj, self.field)), _plain(to)))
        return (False, "") if who is None else _may(who, actor, obj)


def _may(who: Collection[Who], actor, obj) -> tuple[bool, str]:
    if actor is SYSTEM:
        return SYSTEM in who, ""
    reason = ""
    for predicate in who:
        if predicate is SYSTEM:
            continue
        verdict = predicate(actor, obj)
        allowed, why = verdict if isinstance(verdict, tuple) else (bool(verdict), "")
        if allowed:
            return True, ""
        reason = reason or why
    return False, reason


def acting_user(actor):
    """The user to record as the author of a write: None for SYSTEM. `actor=None` is a programming error: the
    portal acting on its own passes SYSTEM, so no service ever skips its permission check by accident."""
    _require_actor(actor)
    return None if actor is SYSTEM else actor


def _require_actor(actor) -> None:
    if actor is None:
        raise TypeError("a state change needs an actor: a user, or workflow.SYSTEM for the portal itself")


def allowed_moves(obj, actor, *, workflow: Workflow) -> list:
    """The states `actor` may move `obj` to now (for the buttons of a page; requirements not checked)."""
    _require_actor(actor)
    return [to for to in workflow.targets(getattr(obj, workflow.field)) if workflow.may(actor, obj, to)[0]]


@transaction.atomic
def transition(
    obj,
    to,
    *,
    workflow: Workflow,
    actor,
    note: str = "",
    fields: Mapping[str, object] | None = None,
    prepare: Callable[[models.Model], None] | None = None,
    notify: bool = True,
):
    """Move `obj` to `to`: lock its row, refuse a move the table lacks (workflow.error) or the actor may not make
    (PermissionDenied), set the facts the new state records (`fields`, only those of its requirement), let
    `prepare(locked)` do the move's own work, refuse while requirements are missing, save, write the status log
    and tell whom the workflow notifies (in this transaction). Returns `obj` with the saved fields updated."""
    _require_actor(actor)
    locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    current, to = _plain(getattr(locked, workflow.field)), _plain(to)
    who = workflow.moves.get((current, to))
    if who is None:
        raise workflow.error(workflow.refusal_message(current, to))
    allowed, reason = _may(who, actor, locked)
    if not allowed:
        raise PermissionDenied(reason) if reason else PermissionDenied
    requirement = workflow.requirement(to)
    recorded = dict(fields or {})
    unknown = set(recorded) - set(requirement.fields)
    if unknown:
        raise TypeError(f"fields not recorded by this transition: {sorted(unknown)}")
    for name, value in recorded.items():
        setattr(locked, name, value)
    if prepare is not None:
        prepare(locked)
    missing = requirement.missing(locked)
    if missing:
        raise workflow.error(requirement.refusal(missing))
    setattr(locked, workflow.field, to)
    if workflow.clean_exclude is not None:
        locked.full_clean(exclude=list(workflow.clean_exclude))
    saved = [workflow.field, *recorded, *workflow.touch]
    locked.save(update_fields=saved)
    for name in saved:
        setattr(obj, name, getattr(locked, name))
    _log(workflow, locked, current, to, actor, note)
    if notify and workflow.notify is not None:
        workflow.notify(Change(obj=obj, from_state=current, to_state=to, actor=actor, note=note))
    return obj


@transaction.atomic
def transition_many(objs, to, *, workflow: Workflow, actor, notes: Mapping[object, str], notify: bool = True) -> list:
    """Move several records to `to` in a fixed number of queries whatever their number: the checks of
    `transition()` for each (the table, who may, requirements), then one bulk update (with its history where the
    model keeps one), one bulk insert into the status log and one notification per record.
    For moves that record no facts of their own; `notes` maps each record's pk to its log note."""
    _require_actor(actor)
    objs = list(objs)
    if not objs:
        return []
    to = _plain(to)
    locked = workflow.model._default_manager.select_for_update().filter(pk__in=[o.pk for o in objs]).order_by("pk")
    locked = {o.pk: o for o in locked}
    requirement = workflow.requirement(to)
    changed = []
    for obj in objs:
        row = locked.get(obj.pk)
        if row is None:
            raise workflow.model.DoesNotExist(f"{workflow.model.__name__} {obj.pk} no longer exists")
        current = _plain(getattr(row, workflow.field))
        who = workflow.moves.get((current, to))
        if who is None:
            raise workflow.error(workflow.refusal_message(current, to))
        allowed, reason = _may(who, actor, row)
        if not allowed:
            raise PermissionDenied(reason) if reason else PermissionDenied
        missing = requirement.missing(row)
        if missing:
            raise workflow.error(requirement.refusal(missing))
        changed.append((obj, current))
    now = timezone.now()
    for obj, _current in changed:
        setattr(obj, workflow.field, to)
        for name in workflow.touch:  # auto_now fields: a bulk update does not set them
            setattr(obj, name, now)
        if workflow.clean_exclude is not None:
            obj.full_clean(exclude=list(workflow.clean_exclude))
    saved = [workflow.field, *workflow.touch]
    if hasattr(workflow.model, "history"):
        bulk_update_with_history([o for o, _c in changed], workflow.model, saved)
    else:
        workflow.model._default_manager.bulk_update([o for o, _c in changed], saved)
    if workflow.log_model is not None:
        link = _log_link(workflow)
        workflow.log_model._default_manager.bulk_create(
            [
                workflow.log_model(
                    **{link: obj},
                    from_status=current,
                    to_status=to,
                    actor=None if actor is SYSTEM else actor,
                    note=notes.get(obj.pk, ""),
                )
                for obj, current in changed
            ]
        )
    if notify and workflow.notify is not None:
        _notify_each(workflow, [Change(o, c, to, actor, notes.get(o.pk, "")) for o, c in changed])
    return [o for o, _c in changed]


def _notify_each(workflow: Workflow, changes: list[Change]) -> None:
    if workflow.notify_many is not None:
        workflow.notify_many(changes)
    else:
        for change in changes:
            workflow.notify(change)


def _log_link(workflow: Workflow) -> str:
    return next(f.name for f in workflow.log_model._meta.fields if f.related_model is workflow.model)


def _log(workflow: Workflow, obj, from_state, to_state, actor, note: str) -> None:
    if workflow.log_model is None:
        return
    workflow.log_model._default_manager.create(
        **{_log_link(workflow): obj},
        from_status=from_state,
        to_status=to_state,
        actor=None if actor is SYSTEM else actor,
        note=note,
    )
