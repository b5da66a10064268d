"""Back office of khuyến công projects: activity types and support limits are data; projects are scoped to the
officer's province like the registry, their status is read-only (it changes through the transitions on the
staff page) and their money is shown, not edited (funding and disbursements go through the services)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from portal.core.admin import ScopedAdminMixin, ScopedInlineMixin

from . import services
from .enums import ProjectStatus
from .models import (
    ActivityType,
    Disbursement,
    Fair,
    FairParticipation,
    Project,
    ProjectCodeRule,
    ProjectFunding,
    ProjectStatusLog,
    SupportLimit,
)
from .resources import ParticipationResource, ProjectResource
from .services.fairs import FAIR_FIELDS
from .services.projects import PROJECT_FIELDS


class SupportLimitInline(ScopedInlineMixin, admin.TabularInline):
    model = SupportLimit
    extra = 0


@admin.register(ActivityType)
class ActivityTypeAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code", "order", "outputs")
    search_fields = ("name", "code")
    inlines = [SupportLimitInline]


@admin.register(SupportLimit)
class SupportLimitAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("activity_type", "source", "plan_year", "max_amount", "max_share_percent")
    list_filter = ("source", "plan_year", "activity_type")
    list_select_related = ("activity_type",)


class ReadOnlyInline(ScopedInlineMixin, admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class FundingInline(ReadOnlyInline):
    model = ProjectFunding
    fields = readonly_fields = ("source", "approved", "actual")


class DisbursementInline(ReadOnlyInline):
    model = Disbursement
    fields = readonly_fields = ("source", "amount", "paid_on", "reference", "document", "note", "created_by")


class StatusLogInline(ReadOnlyInline):
    model = ProjectStatusLog
    fields = readonly_fields = ("at", "from_status", "to_status", "actor", "note")


class AdminCancelForm(forms.Form):
    cancel_reason = forms.CharField(
        label=_("Reason for cancellation"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        error_messages={"required": _("Give the reason for cancelling the project.")},
    )


@admin.action(description=_("Cancel the selected projects (asks for the reason)"))
def cancel_projects(modeladmin, request, queryset):
    """The staff page's cancel action for the admin: a confirmation page with the reason, then
    services.project_cancel for each project; a project that cannot be cancelled is named and left as it was."""
    form = AdminCancelForm(request.POST if "confirm" in request.POST else None)
    if form.is_bound and form.is_valid():
        done = 0
        for project in queryset:
            try:
                services.project_cancel(project=project, actor=request.user, reason=form.cleaned_data["cancel_reason"])
            except (ValidationError, PermissionDenied) as exc:
                reason = " ".join(getattr(exc, "messages", [str(exc)]))
                modeladmin.message_user(request, f"{project.code}: {reason}", messages.ERROR)
            else:
                done += 1
        if done:
            modeladmin.message_user(request, _("%(n)d project(s) cancelled.") % {"n": done}, messages.SUCCESS)
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Cancel the selected projects"),
        "queryset": queryset,
        "form": form,
        "opts": modeladmin.model._meta,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/extension_projects/project/cancel_confirmation.html", context)


@admin.register(ProjectCodeRule)
class ProjectCodeRuleAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Departments set their own pattern on the staff page; here superusers set any department's."""

    list_display = ("organization", "pattern")
    raw_id_fields = ("organization",)


@admin.register(Project)
class ProjectAdmin(ScopedAdminMixin, ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [ProjectResource]
    list_display = ("code", "title", "activity_type", "plan_year", "province", "current_province", "status", "flag")
    list_filter = (
        "status",
        "activity_type",
        "plan_year",
        ("current_province", admin.RelatedOnlyFieldListFilter),
        "is_generated",
    )
    search_fields = ("code", "title", "implementer")
    list_select_related = ("activity_type", "province", "current_province")
    autocomplete_fields = ("beneficiaries",)
    raw_id_fields = ("unit", "managing_body")
    readonly_fields = ("staff_page", "status", "current_province", "limit_note", "is_generated", "created_by")
    exclude = (
        "accepted_on",
        "acceptance_committee",
        "settled_on",
        "cancel_reason",
    )
    inlines = [FundingInline, DisbursementInline, StatusLogInline]
    actions = [cancel_projects]

    @admin.display(description=_("warnings"))
    def flag(self, obj):
        return "⚠" if obj.data_quality_note or obj.limit_note else ""

    @admin.display(description=_("staff page"))
    def staff_page(self, obj):
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', obj.get_absolute_url(), _("Status, funding and disbursements on the staff page")
        )

    def get_readonly_fields(self, request, obj=None):
        # The department's code rule gives the code; only a superuser types or corrects one.
        fields = super().get_readonly_fields(request, obj)
        return fields if request.user.is_superuser else (*fields, "code")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None and "code" in form.base_fields:
            form.base_fields["code"].required = False  # left empty: the next code of the department's rule
        return form

    def has_change_permission(self, request, obj=None):
        # A settled or cancelled project is kept as it was closed.
        if obj is not None and obj.status in (ProjectStatus.SETTLED, ProjectStatus.CANCELLED):
            return False
        return super().has_change_permission(request, obj)

    def get_export_queryset(self, request):
        return (
            super()
            .get_export_queryset(request)
            .select_related("activity_type", "province")
            .prefetch_related("fundings")
        )

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data[f] for f in PROJECT_FIELDS if f in form.cleaned_data}
        if change:
            services.project_update(project=obj, actor=request.user, **data)
        else:
            created = services.project_create(actor=request.user, **data)
            obj.pk = created.pk

    def save_related(self, request, form, formsets, change):
        # Beneficiaries: producers the officer may choose only (portal.core.admin limits the field's queryset).
        form.instance.beneficiaries.set(form.cleaned_data.get("beneficiaries", []))
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
        self.check_saved(request, form)


# -- trade fairs -------------------------------------------------------------------------------------------------------
class ParticipationInline(ReadOnlyInline):
    """Shown, not edited here: participations are recorded on the fair's staff page (services.participation_record)
    or one by one below, under "fair participations"."""

    model = FairParticipation
    fields = readonly_fields = ("producer", "booths", "support_amount", "project", "sales", "contracts")


@admin.register(Fair)
class FairAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "starts_on", "ends_on", "level", "place", "province", "current_province", "taking_part")
    list_filter = ("level", ("current_province", admin.RelatedOnlyFieldListFilter), "is_generated")
    search_fields = ("name", "place", "organiser")
    date_hierarchy = "starts_on"
    ordering = ("-starts_on", "pk")
    list_select_related = ("province", "current_province")
    readonly_fields = ("staff_page", "current_province", "is_generated")
    inlines = [ParticipationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(participation_count=Count("participations"))

    @admin.display(description=_("participations"), ordering="participation_count")
    def taking_part(self, obj):
        return obj.participation_count

    @admin.display(description=_("staff page"))
    def staff_page(self, obj):
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("extension_projects:staff.fair.detail", args=[obj.pk]),
            _("Participations on the staff page"),
        )

    def save_model(self, request, obj, form, change):
        if not change:
            data = {f: form.cleaned_data[f] for f in FAIR_FIELDS if f in form.cleaned_data}
            obj.pk = services.fair_create(actor=request.user, **data).pk
            return
        # No service changes a fair after it is recorded: the same validation, then save (the fair must stay one
        # the officer may change: ScopedAdminMixin.check_saved).
        obj.full_clean(exclude=["current_province"])
        obj.save()


class FairParticipationAdminForm(forms.ModelForm):
    """The service's refusals as form errors, so the back office shows them next to the field."""

    class Meta:
        model = FairParticipation
        fields = (
            "fair",
            "producer",
            "products",
            "booths",
            "support_amount",
            "project",
            "sales",
            "contracts",
            "contracts_value",
        )

    def clean(self):
        data = super().clean()
        producer, products = data.get("producer"), data.get("products") or []
        if producer is not None and any(p.producer_id != producer.pk for p in products):
            self.add_error("products", _("Only the producer's own products can be shown at its booth."))
        fair, project = data.get("fair"), data.get("project")
        if fair is not None and project is not None and project.current_province_id != fair.current_province_id:
            self.add_error("project", _("The supporting project belongs to another province."))
        return data


@admin.register(FairParticipation)
class FairParticipationAdmin(ScopedAdminMixin, ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [ParticipationResource]
    form = FairParticipationAdminForm
    list_display = ("producer", "fair", "booths", "support_amount", "project", "sales", "contracts")
    list_filter = ("fair__level", ("fair__current_province", admin.RelatedOnlyFieldListFilter))
    search_fields = ("producer__name", "producer__tax_code", "fair__name")
    list_select_related = ("producer", "fair", "project")
    autocomplete_fields = ("fair", "producer", "products", "project")

    def save_model(self, request, obj, form, change):
        data = {
            f: form.cleaned_data.get(f)
            for f in ("booths", "support_amount", "project", "sales", "contracts", "contracts_value")
        }
        saved = services.participation_record(
            fair=form.cleaned_data["fair"],
            producer=form.cleaned_data["producer"],
            actor=request.user,
            products=form.cleaned_data.get("products", []),
            **data,
        )
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        # The products were set by services.participation_record (the producer's own only).
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
        self.check_saved(request, form)
