"""Back office of the programme set-up and of award rounds: programmes, levels, regions, rounds, criteria."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal.core.admin import ScopedAdminMixin, ScopedInlineMixin

from .. import services
from ..checklist_templates import TEMPLATE_ACCEPT, checked_template
from ..enums import RoundStatus
from ..models import (
    CriteriaSheet,
    Criterion,
    Level,
    LevelChecklistItem,
    Programme,
    Region,
    Round,
    RoundChecklistItem,
    RoundGroupRule,
    RoundPhase,
)


@admin.register(Programme)
class ProgrammeAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code")


class LevelChecklistInline(ScopedInlineMixin, admin.TabularInline):
    model = LevelChecklistItem
    extra = 0


@admin.register(Level)
class LevelAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "name",
        "programme",
        "rank",
        "area_kind",
        "next_level",
        "valid_from",
        "valid_until",
        "certificate_years",
    )
    list_filter = ("programme",)
    inlines = [LevelChecklistInline]


@admin.register(Region)
class RegionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code")
    filter_horizontal = ("provinces",)


class PhaseInline(ScopedInlineMixin, admin.TabularInline):
    model = RoundPhase
    extra = 0


class ChecklistItemForm(forms.ModelForm):
    """A document's template is checked by its content like every upload (awards.checklist_templates)."""

    class Meta:
        model = RoundChecklistItem
        fields = ("order", "group", "document_type", "required", "template")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "template" in self.fields:
            self.fields["template"].widget.attrs["accept"] = TEMPLATE_ACCEPT

    def clean_template(self):
        template = self.cleaned_data.get("template")
        if isinstance(template, UploadedFile):
            self.instance.template_name = template.name[:255]
            self.instance.template_content_type = checked_template(template)
        elif not template:
            self.instance.template_content_type = self.instance.template_name = ""
        return template


class ChecklistInline(ScopedInlineMixin, admin.TabularInline):
    model = RoundChecklistItem
    form = ChecklistItemForm
    extra = 0


class GroupRuleInline(ScopedInlineMixin, admin.TabularInline):
    model = RoundGroupRule
    extra = 0


def _set_status(modeladmin, request, queryset, to):
    for round_ in queryset:
        try:
            services.round_set_status(round_=round_, to=to, actor=request.user)
        except ValidationError as exc:
            modeladmin.message_user(request, f"{round_}: {' '.join(exc.messages)}", messages.ERROR)
        except PermissionDenied as exc:
            reason = str(exc) or gettext("You may not change this record.")
            modeladmin.message_user(request, f"{round_}: {reason}", messages.ERROR)
        else:
            modeladmin.message_user(request, f"{round_}: {round_.get_status_display()}", messages.SUCCESS)


@admin.action(description=_("Publish the selected rounds"))
def publish_rounds(modeladmin, request, queryset):
    _set_status(modeladmin, request, queryset, RoundStatus.PUBLISHED)


@admin.action(description=_("Close the selected rounds"))
def close_rounds(modeladmin, request, queryset):
    _set_status(modeladmin, request, queryset, RoundStatus.CLOSED)


@admin.register(Round)
class RoundAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Rounds are created on the staff pages (which check level, area and dates), whose checklist page also edits
    the checklist and photo rules (awards.services.checklists); the admin stays for superusers to adjust them and
    the phases, and to publish or close rounds through the same service. Staff read the
    rounds their province may take part in and change those it organises (portal.core.access)."""

    list_display = ("title", "level", "year", "status", "province", "region")
    list_filter = ("status", "level", "year")
    search_fields = ("title",)
    readonly_fields = ("programme", "level", "year", "organiser", "province", "local_unit", "region", "status")
    fields = (
        *readonly_fields,
        "title",
        "min_score",
        "quota_per_province",
        "quorum_numerator",
        "quorum_denominator",
        "notes",
    )
    inlines = [PhaseInline, ChecklistInline, GroupRuleInline]
    actions = [publish_rounds, close_rounds]

    def has_add_permission(self, request):
        return False


class CriterionInline(ScopedInlineMixin, admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ("code", "title", "max_points", "parent", "order", "facts", "levels")


@admin.register(CriteriaSheet)
class CriteriaSheetAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Sheets in use are read-only: a change is made as a new version."""

    list_display = ("name", "code", "version")
    inlines = [CriterionInline]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.in_use:
            return False
        return super().has_change_permission(request, obj)
