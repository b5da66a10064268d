"""The one base of every ModelAdmin and inline of the portal: the back office decides who sees and changes what
through `portal.core.access`, exactly as the staff pages do, and nothing of its own.

- querysets (changelist, change, delete, history, actions, export, autocomplete) are `scoped(qs, user)`;
- view / change / delete of one object also ask `allows(user, obj)` / `allows(user, obj, write=True)`;
- adding is for staff who may write, never for reference data (`Rule(reference=True)`, superusers only), nor
  for models with fields that widen someone's reach (`reach_fields`: accounts, organisations, groups);
- reach fields are read-only for non-superusers, dropped from the form (a crafted POST is ignored), and
  compared before and after a save; a saved record must still be one the user may change (else rolled back);
- every foreign key and many-to-many choice, in forms, inlines and autocomplete, is limited to what the user may
  link to (`choices_for`);
- django-simple-history's history pages answer 404 for a record the scoped queryset does not hold (its views
  fall back to the history table otherwise), and reverting from a history page is refused;
- actions run on the scoped queryset; those that change things only on the records the user may change;
- django-import-export: export of the scoped queryset with the staff list exports' formula guard; import reads
  the file with the staff import pages' guarded reader (bounds checked before reading) into the same resources.

`check_admin_access` (a system check) fails when a registered model has no access rule or its admin, or one of
its inlines, does not use these bases."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.conf import settings
from django.contrib import admin, messages
from django.core import checks
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import ngettext

from portal.core import access
from portal.core.admin_history import HistoryDisplayMixin
from portal.core.admin_spreadsheets import GuardedCSV, GuardedImportForm, GuardedXLSX, _SpreadsheetMixin

# Who made or confirmed a record: set by the services, shown in the admin, never chosen there (not even by a
# superuser, whose change history already records who edited what).
AUDIT_FIELDS = frozenset(
    {
        "created_by",
        "recorded_by",
        "issued_by",
        "declared_by",
        "published_by",
        "revoked_by",
        "uploaded_by",
        "confirmed_by",
        "actor",
        "by",
    }
)

# -- which records a user may choose in a form -----------------------------------------------------------------
# Narrower choices for one field, on top of the access rule: {(model label, field name): limit(queryset, user)}.
_CHOICE_LIMITS: dict[tuple[str, str], Callable[[QuerySet, object], QuerySet]] = {}


def limit_choices(model: type[Model], field_name: str, limit: Callable[[QuerySet, object], QuerySet]) -> None:
    """Narrow the choices of `model.field_name` for everyone (forms, inlines and autocomplete alike)."""
    _CHOICE_LIMITS[(model._meta.label_lower, field_name)] = limit


def _scope(qs: QuerySet, user, *, write: bool = False) -> QuerySet:
    """`access.scoped`, as a queryset the admin can order, annotate and delete: a rule that needs DISTINCT is
    turned into `pk IN (…)`, since DISTINCT breaks ordering by related columns on PostgreSQL and `delete()`."""
    if access.is_superuser(user):
        return qs
    narrowed = access.scoped(qs, user, write=write)
    if narrowed.query.distinct:
        return qs.filter(pk__in=access.scoped(qs.model._default_manager.all(), user, write=write).values("pk"))
    return narrowed


def _province_choices(queryset: QuerySet, user) -> QuerySet:
    """A `province` field offers the provinces the user writes for: today's one and those merged into it."""
    return access.province_scope(user, write=True).filter(queryset, "pk", "successor")


def choices_for(db_field, queryset: QuerySet, user) -> QuerySet:
    """The records a user may link to through `db_field`: reference data all, other records those the user may
    change (a round one organises, a producer of one's province); a related model without an access rule none."""
    if not access.is_superuser(user):
        try:
            rule = access.rule_for(queryset.model)
        except ImproperlyConfigured:
            return queryset.none()
        queryset = _scope(queryset, user, write=not rule.reference)
        if rule.reference and db_field.name == "province":
            queryset = _province_choices(queryset, user)
    limit = _CHOICE_LIMITS.get((db_field.model._meta.label_lower, db_field.name))
    return limit(queryset, user) if limit is not None else queryset


class _ChoicesMixin:
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if formfield is not None and hasattr(formfield, "queryset"):
            formfield.queryset = choices_for(db_field, formfield.queryset, request.user)
        return formfield

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        if formfield is not None and hasattr(formfield, "queryset"):
            formfield.queryset = choices_for(db_field, formfield.queryset, request.user)
        return formfield


def _may_write_model(user, model) -> bool:
    """Whether the user changes any record of this model at all (the per-object answer is `allows`)."""
    if access.is_superuser(user):
        return True
    if not access.is_staff(user):
        return False
    rule = access.rule_for(model)
    if rule.reference or rule.superuser_only:
        return False
    return not access.province_scope(user, write=True).is_nothing


def _may_read_model(user, model) -> bool:
    if access.is_superuser(user):
        return True
    if not access.can_read_lists(user):
        return False
    rule = access.rule_for(model)
    if rule.superuser_only:
        return False
    return not (access.is_ministry(user) and not rule.reference and not rule.ministry_reads)


# -- the ModelAdmin base ---------------------------------------------------------------------------------------
class ScopedAdminMixin(HistoryDisplayMixin, _SpreadsheetMixin, _ChoicesMixin):
    """Put it first: `class ProducerAdmin(ScopedAdminMixin, ImportExportModelAdmin, SimpleHistoryAdmin)`."""

    # -- rows --
    def get_queryset(self, request):
        return _scope(super().get_queryset(request), request.user)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        source = _autocomplete_source(request)
        if source is not None:
            queryset = choices_for(source, queryset, request.user)
        return queryset, may_have_duplicates

    # -- permissions --
    def has_module_permission(self, request):
        return access.can_read_lists(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        user = request.user
        if not _may_read_model(user, self.model) or not super().has_view_permission(request, obj):
            return False
        return obj is None or access.allows(user, obj)

    def has_add_permission(self, request):
        user = request.user
        if not _may_write_model(user, self.model):
            return False
        if access.reach_fields(self.model) and not access.is_superuser(user):
            return False  # a new account or organisation is nothing but its reach
        return super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        user = request.user
        if not _may_write_model(user, self.model) or not super().has_change_permission(request, obj):
            return False
        return obj is None or access.allows(user, obj, write=True)

    def has_delete_permission(self, request, obj=None):
        user = request.user
        if not _may_write_model(user, self.model) or not super().has_delete_permission(request, obj):
            return False
        return obj is None or access.allows(user, obj, write=True)

    # -- fields that widen someone's reach --
    def _reach_fields(self, request) -> list[str]:
        if access.is_superuser(request.user):
            return []
        names = {f.name for f in self.model._meta.get_fields()}
        return sorted(name for name in access.reach_fields(self.model) if name in names)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        names = {f.name for f in self.model._meta.get_fields()}
        audit = [name for name in sorted(AUDIT_FIELDS & names) if name not in readonly]
        return readonly + audit + [name for name in self._reach_fields(request) if name not in readonly]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        for name in self._reach_fields(request):
            form.base_fields.pop(name, None)  # even a field the form class declares itself
        return form

    def _reach_values(self, request, pk):
        values = {}
        for name in self._reach_fields(request):
            field = self.model._meta.get_field(name)
            if field.many_to_many:
                values[name] = sorted(
                    self.model._default_manager.filter(pk=pk).values_list(f"{name}__pk", flat=True), key=str
                )
            else:
                values[name] = self.model._default_manager.filter(pk=pk).values_list(field.attname, flat=True).first()
        return values

    def save_form(self, request, form, change):
        if change:
            form.reach_before = self._reach_values(request, form.instance.pk)
        return super().save_form(request, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self.check_saved(request, form)

    def check_saved(self, request, form):
        """After the save, inside the admin's transaction: the record must be one the user still may change,
        with its reach fields as they were; otherwise everything is rolled back (403)."""
        user = request.user
        if access.is_superuser(user):
            return
        pk = form.instance.pk
        if not access.scoped(self.model._default_manager.filter(pk=pk), user, write=True).exists():
            raise PermissionDenied
        before = getattr(form, "reach_before", None)
        if before is not None and self._reach_values(request, pk) != before:
            raise PermissionDenied

    # -- history (django-simple-history) --
    def _scoped_object_or_404(self, request, object_id):
        obj = self.get_object(request, admin.utils.unquote(object_id))
        if obj is None:
            raise Http404
        return obj

    def history_view(self, request, object_id, extra_context=None):
        # simple_history's view falls back to the history table when the queryset lacks the record.
        if not access.is_superuser(request.user):
            self._scoped_object_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # It reads the version from the history table by id alone, and a POST saves it back whatever
        # SIMPLE_HISTORY_REVERT_DISABLED says, every field of the old version (reach fields included).
        if not access.is_superuser(request.user):
            self._scoped_object_or_404(request, object_id)
        if request.method == "POST" and (
            getattr(settings, "SIMPLE_HISTORY_REVERT_DISABLED", False) or not access.is_superuser(request.user)
        ):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    # -- actions --
    def get_actions(self, request):
        actions = super().get_actions(request)
        guarded = {}
        for name, (func, action_name, description) in actions.items():
            reads = tuple(getattr(func, "allowed_permissions", ())) == ("view",)
            if not reads and not access.is_staff(request.user):
                continue
            guarded[name] = (_guarded_action(func, reads=reads), action_name, description)
        return guarded


def _guarded_action(func, *, reads: bool):
    """An action runs on the scoped queryset; one that changes things (not marked `permissions=["view"]`) only on
    the selected records the user may change, and says how many it left out."""

    @functools.wraps(func)
    def run(modeladmin, request, queryset):
        user = request.user
        queryset = _scope(queryset, user)
        if not reads and not access.is_superuser(user):
            selected = queryset.count()
            queryset = _scope(queryset, user, write=True)
            left_out = selected - queryset.count()
            if left_out:
                modeladmin.message_user(
                    request,
                    ngettext(
                        "%(count)d selected record was left out: you may not change it.",
                        "%(count)d selected records were left out: you may not change them.",
                        left_out,
                    )
                    % {"count": left_out},
                    messages.WARNING,
                )
        return func(modeladmin, request, queryset)

    return run


def _autocomplete_source(request):
    """The form field an autocomplete request fills (Django's view has checked the parameters already)."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name != "autocomplete":
        return None
    from django.apps import apps

    try:
        model = apps.get_model(request.GET["app_label"], request.GET["model_name"])
        return model._meta.get_field(request.GET["field_name"])
    except (KeyError, LookupError, ValueError, FieldDoesNotExist):
        return None


# -- the inline base -------------------------------------------------------------------------------------------
class ScopedInlineMixin(_ChoicesMixin):
    """Put it first: `class PhaseInline(ScopedInlineMixin, admin.TabularInline)`. `obj` is the parent record."""

    def get_queryset(self, request):
        return _scope(super().get_queryset(request), request.user)

    def has_view_permission(self, request, obj=None):
        user = request.user
        if not _may_read_model(user, self.model) or not super().has_view_permission(request, obj):
            return False
        return obj is None or access.allows(user, obj)

    def _may_write(self, request, obj) -> bool:
        user = request.user
        if not _may_write_model(user, self.model):
            return False
        return obj is None or access.allows(user, obj, write=True)

    def has_add_permission(self, request, obj):
        return self._may_write(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_write(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_write(request, obj) and super().has_delete_permission(request, obj)


# -- the check ---------------------------------------------------------------------------------------------------
def admin_access_problems(site=None) -> list[str]:
    site = site or admin.site
    problems = []
    for model, model_admin in site._registry.items():
        label = model._meta.label
        try:
            access.rule_for(model)
        except ImproperlyConfigured:
            problems.append(f"{label} is in the admin without an access rule.")
        if not isinstance(model_admin, ScopedAdminMixin):
            problems.append(f"{type(model_admin).__qualname__} ({label}) does not derive from ScopedAdminMixin.")
        for inline in model_admin.inlines:
            if not issubclass(inline, ScopedInlineMixin):
                problems.append(f"{inline.__qualname__} ({label}) does not derive from ScopedInlineMixin.")
            try:
                access.rule_for(inline.model)
            except ImproperlyConfigured:
                problems.append(f"{inline.model._meta.label} is an inline of {label} without an access rule.")
    return problems


@checks.register(checks.Tags.admin)
def check_admin_access(app_configs=None, **kwargs):
    return [checks.Error(problem, id="portal.E101") for problem in admin_access_problems()]


__all__ = [
    "GuardedCSV",
    "GuardedImportForm",
    "GuardedXLSX",
    "ScopedAdminMixin",
    "ScopedInlineMixin",
    "admin_access_problems",
    "choices_for",
    "limit_choices",
]


def view_on_site(request, content_type_id, object_id):
    """Django's "view on site" redirect (contenttypes' shortcut), for the records the user may read only: out of
    scope it answers 404, as the record's own page would, instead of handing out the record's address."""
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.contenttypes.views import shortcut

    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        readable = access.scoped(model._default_manager.filter(pk=object_id), request.user).exists()
    except (ContentType.DoesNotExist, AttributeError, ImproperlyConfigured, ValueError, ValidationError) as exc:
        raise Http404 from exc
    if not readable:
        raise Http404
    return shortcut(request, content_type_id, object_id)
