"""Back office of judging councils: members and invitations, conflicts, score sheets, decisions, field visits."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal.accounts.enums import Role
from portal.core.admin import ScopedAdminMixin, ScopedInlineMixin, limit_choices
from portal.core.files import PDF, generated_file

from .. import services
from ..access import may_sit_on_council
from ..enums import CouncilRole
from ..models import (
    Conflict,
    Council,
    CouncilMember,
    Decision,
    FieldVisit,
    ScoreSheet,
)
from ..printouts.council import minutes_pdf, score_summary_pdf


def _refusal(exc: PermissionDenied) -> str:
    return str(exc) or gettext("You may not change this record.")


def seatable_accounts(queryset, user):
    """Who may be seated on a council: active accounts that are not a producer's (services.council_member_add
    refuses the others). The access rule has already kept the accounts the user may choose."""
    return queryset.filter(is_active=True).exclude(role=Role.PRODUCER)


limit_choices(CouncilMember, "user", seatable_accounts)


class CouncilMemberForm(forms.ModelForm):
    class Meta:
        model = CouncilMember
        fields = ["council", "user", "role", "organization", "is_jury", "groups"]

    def clean_user(self):
        user = self.cleaned_data["user"]
        # The inline formset gives every seat its council before cleaning.
        council = getattr(self.instance, "council", None) or self.cleaned_data.get("council")
        seatable, reason = may_sit_on_council(user, council.round) if council else (False, "")
        if not seatable:
            raise forms.ValidationError(reason or _("Choose the council first."))
        return user


class CouncilMemberFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        chairs = [
            f
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("role") == CouncilRole.CHAIR
        ]
        if len(chairs) > 1:
            raise forms.ValidationError(_("A council has one chair."))


class CouncilMemberInline(ScopedInlineMixin, admin.TabularInline):
    """Seats of an open council; once the round's decision is published the council is on record and its
    seats are read-only here, as on the council pages (services refuse the change too)."""

    model = CouncilMember
    form = CouncilMemberForm
    formset = CouncilMemberFormSet
    extra = 0
    autocomplete_fields = ("user",)

    def has_add_permission(self, request, obj):
        return not (obj is not None and services.council_is_on_record(obj)) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        if obj is not None and services.council_is_on_record(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and services.council_is_on_record(obj):
            return False
        return super().has_delete_permission(request, obj)


@admin.action(description=_("Send invitations to members not invited yet"))
def invite_members(modeladmin, request, queryset):
    """The same invitation the council page sends, for members seated here in the back office."""
    base_url = request.build_absolute_uri("/")
    for council in queryset.select_related("round"):
        pending = council.members.filter(invited_at__isnull=True).select_related("user")
        sent = 0
        for member in pending:
            member.council = council
            try:
                services.council_invitation_send(member=member, actor=request.user, base_url=base_url)
            except ValidationError as exc:
                modeladmin.message_user(request, f"{member}: {' '.join(exc.messages)}", messages.ERROR)
            except PermissionDenied as exc:
                modeladmin.message_user(request, f"{council}: {_refusal(exc)}", messages.ERROR)
                break
            else:
                sent += 1
        modeladmin.message_user(
            request, _("%(council)s: %(n)d invitation(s) sent.") % {"council": council, "n": sent}, messages.SUCCESS
        )


def _one_council_pdf(modeladmin, request, queryset, render, filename):
    """The PDF of the one selected council, exactly as the staff pages serve it; several selected are refused."""
    if queryset.count() != 1:
        modeladmin.message_user(request, _("Select exactly one council to export its document."), messages.ERROR)
        return None
    round_ = queryset.select_related("round").get().round
    return generated_file(render(round_), content_type=PDF, filename=f"{filename}-{round_.pk}.pdf", as_attachment=True)


@admin.action(description=_("Export the minutes (PDF)"), permissions=["view"])
def export_minutes_pdf(modeladmin, request, queryset):
    return _one_council_pdf(modeladmin, request, queryset, minutes_pdf, "bien-ban-hop-hoi-dong")


@admin.action(description=_("Export the score summary (PDF)"), permissions=["view"])
def export_score_summary_pdf(modeladmin, request, queryset):
    return _one_council_pdf(modeladmin, request, queryset, score_summary_pdf, "bang-tong-hop-diem")


@admin.action(description=_("Close the first scoring pass"))
def close_first_pass(modeladmin, request, queryset):
    """An irreversible step: it goes through the same confirmation page as on the results page (which says how
    many dossiers are short-listed and which lack sheets), for one council at a time."""
    if queryset.count() != 1:
        modeladmin.message_user(
            request, _("Select exactly one council: closing a pass is confirmed council by council."), messages.ERROR
        )
        return None
    return redirect(reverse("awards:staff.round.close_pass", args=[queryset.get().round_id]))


@admin.register(Council)
class CouncilAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """The councils of the rounds the user organises (portal.core.access: a council follows its round, and
    is read by the round's organisers only); its round is chosen among those."""

    list_display = ("name", "round", "decision_number", "decision_date")
    inlines = [CouncilMemberInline]
    actions = [invite_members, export_minutes_pdf, export_score_summary_pdf, close_first_pass]

    def has_change_permission(self, request, obj=None):
        # A council on record (its round's decision published) is kept as it was decided.
        if obj is not None and services.council_is_on_record(obj):
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        data = {f: form.cleaned_data[f] for f in form.cleaned_data if f != "round"}
        created = services.council_create(round_=form.cleaned_data["round"], actor=request.user, **data)
        obj.pk = created.pk


@admin.register(Conflict)
class ConflictAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("member", "nomination", "reason", "declared_by", "created_at")
    raw_id_fields = ("member", "nomination")


@admin.register(ScoreSheet)
class ScoreSheetAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Read-only here: members score on their own pages; reopening goes through the service."""

    list_display = ("nomination", "member", "pass_no", "status", "total")
    list_filter = ("status", "pass_no")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.action(description=_("Issue certificates"))
def issue_decision_certificates(modeladmin, request, queryset):
    """The same issuing as the decision's certificates page, dated today, signed as the decision is."""
    for decision in queryset.select_related("round__level", "issuing_body__province"):
        try:
            issued = services.certificates_issue_for_decision(
                decision=decision, actor=request.user, issued_on=timezone.localdate()
            )
        except ValidationError as exc:
            modeladmin.message_user(request, f"{decision}: {' '.join(exc.messages)}", messages.ERROR)
        except PermissionDenied as exc:
            modeladmin.message_user(request, f"{decision}: {_refusal(exc)}", messages.ERROR)
        else:
            modeladmin.message_user(
                request,
                gettext("%(decision)s: %(n)d certificate(s) issued.") % {"decision": decision.number, "n": len(issued)},
                messages.SUCCESS,
            )


@admin.register(Decision)
class DecisionAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Published on the round's results page (through the service); read-only here."""

    list_display = ("number", "date", "round", "issuing_body", "published_at")
    actions = [issue_decision_certificates]
    filter_horizontal = ("nominations",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FieldVisit)
class FieldVisitAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Short-listed by closing the first pass and recorded on the staff pages (through the service); read-only
    here."""

    list_display = ("nomination", "visited_on", "recorded_by", "updated_at")
    list_filter = ("visited_on",)
    raw_id_fields = ("nomination",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
