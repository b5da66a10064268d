from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from portal.accounts.enums import Role
from products.admin import ProvinceScopedAdmin
from products.rules import staff_province_id

from . import services
from .certificate_documents import certificate_pdf
from .documents import minutes_pdf, score_summary_pdf
from .enums import CouncilRole, RecognitionSource, RoundStatus
from .forms import CertificateReissueForm, CertificateRevokeForm
from .models import (
    Certificate,
    Conflict,
    Council,
    CouncilMember,
    CriteriaSheet,
    Criterion,
    Decision,
    FieldVisit,
    Level,
    LevelChecklistItem,
    OcopCriteriaSet,
    OcopRating,
    OcopStarBand,
    OcopTarget,
    Programme,
    Recognition,
    RecognitionTarget,
    Region,
    Round,
    RoundChecklistItem,
    RoundGroupRule,
    RoundPhase,
    ScoreSheet,
)
from .resources import OcopRatingResource, RecognitionResource
from .rules import can_manage_round
from .selectors import certificates_for_staff, rounds_for_staff


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


class CouncilMemberInline(admin.TabularInline):
    model = CouncilMember
    form = CouncilMemberForm
    formset = CouncilMemberFormSet
    extra = 0
    autocomplete_fields = ("user",)


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
            except PermissionDenied:
                modeladmin.message_user(
                    request, f"{council}: {can_manage_round(request.user, council.round)[1]}", messages.ERROR
                )
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
    response = HttpResponse(render(round_), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{round_.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@admin.action(description=_("Export the minutes (PDF)"))
def export_minutes_pdf(modeladmin, request, queryset):
    return _one_council_pdf(modeladmin, request, queryset, minutes_pdf, "bien-ban-hop-hoi-dong")


@admin.action(description=_("Export the score summary (PDF)"))
def export_score_summary_pdf(modeladmin, request, queryset):
    return _one_council_pdf(modeladmin, request, queryset, score_summary_pdf, "bang-tong-hop-diem")


@admin.action(description=_("Close the first scoring pass"))
def close_first_pass(modeladmin, request, queryset):
    """The same closing as the results page: short-lists the dossiers at or above the cut for the field visit."""
    for council in queryset.select_related("round__level"):
        try:
            short = services.scoring_pass_close(round_=council.round, actor=request.user)
        except ValidationError as exc:
            modeladmin.message_user(request, f"{council}: {' '.join(exc.messages)}", messages.ERROR)
        except PermissionDenied:
            modeladmin.message_user(
                request, f"{council}: {can_manage_round(request.user, council.round)[1]}", messages.ERROR
            )
        else:
            modeladmin.message_user(
                request,
                _("%(council)s: the first pass is closed, %(n)d dossier(s) short-listed.")
                % {"council": council, "n": len(short)},
                messages.SUCCESS,
            )


@admin.register(Council)
class CouncilAdmin(SimpleHistoryAdmin):
    list_display = ("name", "round", "decision_number", "decision_date")
    inlines = [CouncilMemberInline]
    actions = [invite_members, export_minutes_pdf, export_score_summary_pdf, close_first_pass]

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
        except PermissionDenied:
            modeladmin.message_user(
                request, f"{decision}: {can_manage_round(request.user, decision.round)[1]}", messages.ERROR
            )
        else:
            modeladmin.message_user(
                request,
                gettext("%(decision)s: %(n)d certificate(s) issued.") % {"decision": decision.number, "n": len(issued)},
                messages.SUCCESS,
            )


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    """Published on the round's results page (through the service); read-only here."""

    list_display = ("number", "date", "round", "issuing_body", "published_at")
    actions = [issue_decision_certificates]
    filter_horizontal = ("nominations",)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(round__in=rounds_for_staff(request.user))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FieldVisit)
class FieldVisitAdmin(SimpleHistoryAdmin):
    """Short-listed by closing the first pass and recorded on the staff pages (through the service); read-only
    here."""

    list_display = ("nomination", "visited_on", "recorded_by", "updated_at")
    list_filter = ("visited_on",)
    raw_id_fields = ("nomination",)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(nomination__round__in=rounds_for_staff(request.user))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RecognitionAdminForm(forms.ModelForm):
    """Adding runs every check of services.recognition_record (province, duplicates, years, level dates)."""

    class Meta:
        model = Recognition
        fields = ["product", "level", "year", "decision_number", "decision_date", "note"]

    def clean(self):
        data = super().clean()
        if self.instance.pk is None and not self.errors:
            from .services import recognition_validate

            try:
                recognition_validate(
                    actor=self.request_user,
                    **{k: data.get(k) for k in ("product", "level", "year", "decision_number", "decision_date")},
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.error_dict.items():
                        self.add_error(field if field in self.fields else None, errors)
                else:
                    self.add_error(None, exc)
            except PermissionDenied as exc:
                self.add_error(None, str(exc))
        return data


@admin.register(Recognition)
class RecognitionAdmin(ProvinceScopedAdmin, ImportExportModelAdmin, SimpleHistoryAdmin):
    """Recognitions of a published decision are its content: read-only. Archive ones are added through
    services.recognition_record (one by one, or from a file through RecognitionResource, which calls it) and
    removed through services.recognition_delete; only their note changes."""

    resource_classes = [RecognitionResource]
    form = RecognitionAdminForm
    province_lookup = "product__producer__current_province_id"
    list_display = ("product", "producer_name", "level", "year", "decision_number", "source")
    list_filter = ("level", "year", "source")
    search_fields = ("product__name", "product__producer__name", "decision_number")
    list_select_related = ("product__producer", "level")
    autocomplete_fields = ("product",)

    @admin.display(description=_("producer"), ordering="product__producer__name")
    def producer_name(self, obj):
        return obj.product.producer.name

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request_user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("product", "level", "year", "decision_number", "decision_date", "source", "decision", "valid_until")

    def get_fields(self, request, obj=None):
        if obj is None:
            return RecognitionAdminForm.Meta.fields
        return (*self.get_readonly_fields(request, obj), "note")

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.source != RecognitionSource.ARCHIVE:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.source != RecognitionSource.ARCHIVE:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["note"])
            return
        data = {k: form.cleaned_data[k] for k in RecognitionAdminForm.Meta.fields}
        created = services.recognition_record(actor=request.user, **data)
        obj.pk, obj.valid_until, obj.source = created.pk, created.valid_until, created.source

    def delete_model(self, request, obj):
        services.recognition_delete(actor=request.user, recognition=obj)

    def delete_queryset(self, request, queryset):
        for recognition in queryset.select_related("product__producer", "level"):
            try:
                services.recognition_delete(actor=request.user, recognition=recognition)
            except (ValidationError, PermissionDenied) as exc:
                reason = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                self.message_user(request, f"{recognition}: {reason}", messages.ERROR)


# -- certificates ----------------------------------------------------------------------------------------------------
def _certificate_action_page(modeladmin, request, queryset, *, action, title, form, button):
    """An intermediate page of an action (the reason for revoking, the date of re-issue), as delete_selected has."""
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "opts": modeladmin.model._meta,
        "queryset": queryset,
        "form": form,
        "action": action,
        "button": button,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "select_across": request.POST.get("select_across", "0"),
    }
    return TemplateResponse(request, "admin/awards/certificate/action_form.html", context)


def _on_each_certificate(modeladmin, request, queryset, run):
    """Run a certificate service on each selected certificate; a refusal is reported and the others go on."""
    for certificate in queryset.select_related("recognition__decision__round__level", "recognition__product__producer"):
        try:
            message = run(certificate)
        except ValidationError as exc:
            modeladmin.message_user(request, f"{certificate}: {' '.join(exc.messages)}", messages.ERROR)
        except PermissionDenied as exc:
            reason = str(exc) or gettext("You may not change this certificate.")
            modeladmin.message_user(request, f"{certificate}: {reason}", messages.ERROR)
        else:
            modeladmin.message_user(request, message, messages.SUCCESS)


@admin.action(description=_("Revoke…"))
def revoke_certificates(modeladmin, request, queryset):
    form = CertificateRevokeForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        reason = form.cleaned_data["reason"]

        def revoke(certificate):
            services.certificate_revoke(certificate=certificate, actor=request.user, reason=reason)
            return gettext("Certificate %(number)s is revoked.") % {"number": certificate.number}

        _on_each_certificate(modeladmin, request, queryset, revoke)
        return None
    return _certificate_action_page(
        modeladmin,
        request,
        queryset,
        action="revoke_certificates",
        title=gettext("Revoke certificates"),
        form=form,
        button=gettext("Revoke the certificates"),
    )


@admin.action(description=_("Re-issue…"))
def reissue_certificates(modeladmin, request, queryset):
    form = CertificateReissueForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data

        def reissue(certificate):
            new = services.certificate_reissue(
                certificate=certificate, actor=request.user, issued_on=data["issued_on"], reason=data["reason"]
            )
            return gettext("Certificate %(old)s is replaced by certificate %(new)s.") % {
                "old": certificate.number,
                "new": new.number,
            }

        _on_each_certificate(modeladmin, request, queryset, reissue)
        return None
    return _certificate_action_page(
        modeladmin,
        request,
        queryset,
        action="reissue_certificates",
        title=gettext("Re-issue certificates"),
        form=form,
        button=gettext("Re-issue the certificates"),
    )


@admin.action(description=_("Download the PDF"))
def download_certificate_pdf(modeladmin, request, queryset):
    if queryset.count() != 1:
        modeladmin.message_user(request, gettext("Select exactly one certificate to download."), messages.ERROR)
        return None
    certificate = queryset.get()
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate.file_stem}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@admin.action(description=_("Export the selected as PDF + ZIP"))
def export_certificates(modeladmin, request, queryset):
    count = queryset.count()
    title = ngettext(
        "%(count)d certificate selected in the back office", "%(count)d certificates selected in the back office", count
    ) % {"count": count}
    try:
        export = services.certificate_export_create(actor=request.user, certificates=queryset, title=title)
    except ValidationError as exc:
        modeladmin.message_user(request, " ".join(exc.messages), messages.ERROR)
        return None
    try:
        return redirect(reverse("awards:staff.certificate.export.detail", args=[export.pk]))
    except NoReverseMatch:
        modeladmin.message_user(
            request, gettext("The export is queued: %(title)s.") % {"title": export.title}, messages.SUCCESS
        )
        return None


@admin.register(Certificate)
class CertificateAdmin(SimpleHistoryAdmin):
    """Certificates change only through the services (issue, revoke, re-issue): read-only here, with actions."""

    list_display = (
        "number",
        "product_name",
        "producer_name",
        "level_name",
        "recognition_year",
        "issued_on",
        "valid_until",
        "status",
    )
    list_filter = ("status", "year", "recognition_year", "level_name")
    search_fields = ("number", "code", "product_name", "producer_name", "decision_number")
    date_hierarchy = "issued_on"
    actions = [revoke_certificates, reissue_certificates, download_certificate_pdf, export_certificates]

    def get_queryset(self, request):
        visible = certificates_for_staff(request.user).values("pk")
        return super().get_queryset(request).filter(pk__in=visible).select_related("issuing_body")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# -- OCOP --------------------------------------------------------------------------------------------------------------
class SuperuserEditsAdmin(admin.ModelAdmin):
    """Reference data everyone reads and only superusers change."""

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(OcopCriteriaSet)
class OcopCriteriaSetAdmin(SuperuserEditsAdmin):
    list_display = ("name", "code", "legal_basis", "valid_from", "part_a_max", "part_b_max", "part_c_max")


@admin.register(OcopStarBand)
class OcopStarBandAdmin(SuperuserEditsAdmin):
    list_display = ("stars", "min_score")


class _DryRun(Exception):  # noqa: N818 (a control-flow signal, not an error)
    pass


def _check_through_service(form, call) -> None:
    """Run a service in a savepoint that is rolled back, so its refusals show on the admin form; the admin's
    save_model then runs it for real."""
    try:
        with transaction.atomic():
            call()
            raise _DryRun
    except _DryRun:
        pass
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
    except PermissionDenied as exc:
        form.add_error(None, str(exc) or gettext("You may not change this record."))


OCOP_RATING_FIELDS = [
    "product",
    "stars",
    "score",
    "part_a",
    "part_b",
    "part_c",
    "decision_number",
    "decision_date",
    "level",
    "valid_until",
    "note",
]


class OcopRatingAdminForm(forms.ModelForm):
    """Adding runs every check of services.ocop_rating_record (stars against the score's band, parts against the
    criteria set in force, province)."""

    class Meta:
        model = OcopRating
        fields = OCOP_RATING_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("valid_until", "level"):
            if name in self.fields:
                self.fields[name].required = False

    def clean(self):
        data = super().clean()
        if self.instance.pk is None and not self.errors:
            _check_through_service(
                self,
                lambda: services.ocop_rating_record(
                    actor=self.request_user, **{k: data.get(k) for k in OCOP_RATING_FIELDS}
                ),
            )
        return data


@admin.register(OcopRating)
class OcopRatingAdmin(ProvinceScopedAdmin, ImportExportModelAdmin, SimpleHistoryAdmin):
    """Ratings are added through services.ocop_rating_record (one by one, or from a file through
    OcopRatingResource, which calls it); afterwards only their note changes (a new decision is a new rating: the
    history stays)."""

    resource_classes = [OcopRatingResource]
    form = OcopRatingAdminForm
    province_lookup = "product__producer__current_province_id"
    list_display = ("product", "producer_name", "stars", "score", "decision_number", "decision_date", "valid_until")
    list_filter = ("stars", "level", "criteria_set", "is_generated")
    search_fields = ("product__name", "product__producer__name", "decision_number")
    list_select_related = ("product__producer",)
    autocomplete_fields = ("product",)
    date_hierarchy = "decision_date"

    @admin.display(description=_("producer"), ordering="product__producer__name")
    def producer_name(self, obj):
        return obj.product.producer.name

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request_user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (*[f for f in OCOP_RATING_FIELDS if f != "note"], "criteria_set", "reminded_at", "created_by")

    def get_fields(self, request, obj=None):
        if obj is None:
            return OCOP_RATING_FIELDS
        return (*self.get_readonly_fields(request, obj), "note")

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["note"])
            return
        created = services.ocop_rating_record(
            actor=request.user, **{k: form.cleaned_data.get(k) for k in OCOP_RATING_FIELDS}
        )
        obj.pk = created.pk
        obj.refresh_from_db()


OCOP_TARGET_FIELDS = ["province", "year", "metric", "value", "note"]


class OcopTargetAdminForm(forms.ModelForm):
    class Meta:
        model = OcopTarget
        fields = OCOP_TARGET_FIELDS

    def validate_unique(self):
        pass  # a target of the same province, year and kind is changed (services.ocop_target_set)

    def target_data(self) -> dict:
        """The form's values; on a change the province, year and kind are read-only and come from the target."""
        return {k: self.cleaned_data[k] if k in self.fields else getattr(self.instance, k) for k in OCOP_TARGET_FIELDS}

    def clean(self):
        data = super().clean()
        if not self.errors:
            _check_through_service(
                self,
                lambda: services.ocop_target_set(actor=self.request_user, **self.target_data()),
            )
        return data


@admin.register(OcopTarget)
class OcopTargetAdmin(ProvinceScopedAdmin):
    """A province's targets by year; written through services.ocop_target_set (its own province only)."""

    form = OcopTargetAdminForm
    province_lookup = "province_id"
    list_display = ("province", "year", "metric", "value", "note")
    list_filter = ("year", "metric")
    list_select_related = ("province",)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request_user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        return ("province", "year", "metric") if obj is not None else ()

    def save_model(self, request, obj, form, change):
        saved = services.ocop_target_set(actor=request.user, **form.target_data())
        obj.pk = saved.pk
        obj.refresh_from_db()


@admin.register(RecognitionTarget)
class RecognitionTargetAdmin(ProvinceScopedAdmin):
    """A province's planned recognitions per level and period (e.g. Hà Giang 2022–2030: 73 district, 63
    province). The province may be one as it was before 1 July 2025: staff see those of their province today."""

    list_display = ("province", "level", "period_start", "period_end", "year", "count", "source")
    list_filter = ("level", "period_start", "province")
    search_fields = ("province__name", "source")
    list_select_related = ("province", "level")

    def get_queryset(self, request):
        qs = admin.ModelAdmin.get_queryset(self, request)
        province = staff_province_id(request.user)
        if province is None:
            return qs
        return qs.filter(Q(province_id=province) | Q(province__successor_id=province))
