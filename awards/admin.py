from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal.accounts.enums import Role

from . import services
from .enums import RoundStatus
from .models import (
    Conflict,
    Council,
    CouncilMember,
    CriteriaSheet,
    Criterion,
    Decision,
    Level,
    LevelChecklistItem,
    Programme,
    Region,
    Round,
    RoundChecklistItem,
    RoundGroupRule,
    RoundPhase,
    ScoreSheet,
)
from .rules import can_manage_round
from .selectors import rounds_for_staff


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name", "code")


class LevelChecklistInline(admin.TabularInline):
    model = LevelChecklistItem
    extra = 0


@admin.register(Level)
class LevelAdmin(admin.ModelAdmin):
    list_display = ("name", "programme", "rank", "area_kind", "next_level", "valid_from", "valid_until")
    list_filter = ("programme",)
    inlines = [LevelChecklistInline]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    filter_horizontal = ("provinces",)


class PhaseInline(admin.TabularInline):
    model = RoundPhase
    extra = 0


class ChecklistInline(admin.TabularInline):
    model = RoundChecklistItem
    extra = 0


class GroupRuleInline(admin.TabularInline):
    model = RoundGroupRule
    extra = 0


def _set_status(modeladmin, request, queryset, to):
    for round_ in queryset:
        try:
            services.round_set_status(round_=round_, to=to, actor=request.user)
        except ValidationError as exc:
            modeladmin.message_user(request, f"{round_}: {' '.join(exc.messages)}", messages.ERROR)
        except PermissionDenied:
            modeladmin.message_user(request, f"{round_}: {can_manage_round(request.user, round_)[1]}", messages.ERROR)
        else:
            modeladmin.message_user(request, f"{round_}: {round_.get_status_display()}", messages.SUCCESS)


@admin.action(description=_("Publish the selected rounds"))
def publish_rounds(modeladmin, request, queryset):
    _set_status(modeladmin, request, queryset, RoundStatus.PUBLISHED)


@admin.action(description=_("Close the selected rounds"))
def close_rounds(modeladmin, request, queryset):
    _set_status(modeladmin, request, queryset, RoundStatus.CLOSED)


@admin.register(Round)
class RoundAdmin(SimpleHistoryAdmin):
    """Rounds are created on the staff pages (which check level, area and dates); here staff adjust the
    checklist, photo rules and phases, and publish or close rounds through the same service."""

    list_display = ("title", "level", "year", "status", "province", "region")
    list_filter = ("status", "level", "year")
    search_fields = ("title",)
    readonly_fields = ("programme", "level", "year", "organiser", "province", "local_unit", "region", "status")
    fields = (*readonly_fields, "title", "min_score", "quota_per_province", "notes")
    inlines = [PhaseInline, ChecklistInline, GroupRuleInline]
    actions = [publish_rounds, close_rounds]

    def get_queryset(self, request):
        return rounds_for_staff(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and not can_manage_round(request.user, obj)[0]:
            return False
        return super().has_change_permission(request, obj)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ("code", "title", "max_points", "parent", "order")


@admin.register(CriteriaSheet)
class CriteriaSheetAdmin(admin.ModelAdmin):
    """Sheets in use are read-only: a change is made as a new version."""

    list_display = ("name", "code", "version")
    inlines = [CriterionInline]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.in_use:
            return False
        return super().has_change_permission(request, obj)


class CouncilMemberForm(forms.ModelForm):
    class Meta:
        model = CouncilMember
        fields = ["council", "user", "role", "organization", "is_jury", "groups"]

    def clean_user(self):
        user = self.cleaned_data["user"]
        if user.role == Role.PRODUCER:
            raise forms.ValidationError(_("A producer account cannot sit on a council."))
        return user


class CouncilMemberInline(admin.TabularInline):
    model = CouncilMember
    form = CouncilMemberForm
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Council)
class CouncilAdmin(SimpleHistoryAdmin):
    list_display = ("name", "round", "decision_number", "decision_date")
    inlines = [CouncilMemberInline]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(round__in=rounds_for_staff(request.user))

    def has_change_permission(self, request, obj=None):
        if obj is not None and not can_manage_round(request.user, obj.round)[0]:
            return False
        return super().has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "round":
            kwargs["queryset"] = Round.objects.filter(
                pk__in=[r.pk for r in rounds_for_staff(request.user) if can_manage_round(request.user, r)[0]]
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        data = {f: form.cleaned_data[f] for f in form.cleaned_data if f != "round"}
        created = services.council_create(round_=form.cleaned_data["round"], actor=request.user, **data)
        obj.pk = created.pk


@admin.register(Conflict)
class ConflictAdmin(admin.ModelAdmin):
    list_display = ("member", "nomination", "reason", "declared_by", "created_at")
    raw_id_fields = ("member", "nomination")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(member__council__round__in=rounds_for_staff(request.user))


@admin.register(ScoreSheet)
class ScoreSheetAdmin(SimpleHistoryAdmin):
    """Read-only here: members score on their own pages; reopening goes through the service."""

    list_display = ("nomination", "member", "pass_no", "status", "total")
    list_filter = ("status", "pass_no")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(member__council__round__in=rounds_for_staff(request.user))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    """Published on the round's results page (through the service); read-only here."""

    list_display = ("number", "date", "round", "issuing_body", "published_at")
    filter_horizontal = ("nominations",)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(round__in=rounds_for_staff(request.user))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
