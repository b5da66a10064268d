"""Back office of recognitions and certificates (revoke, re-issue, PDF, bulk export)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from portal.core.admin import ScopedAdminMixin
from portal.core.files import PDF, generated_file
from portal.core.signing import SigningError

from .. import services
from ..enums import CertificateStatus, RecognitionSource
from ..forms import CertificateReissueForm, CertificateRevokeForm
from ..models import (
    Certificate,
    Recognition,
)
from ..resources import RecognitionResource
from .product_records import ProductRecordAdminMixin


class RecognitionAdminForm(forms.ModelForm):
    """Adding runs every check of services.recognition_record (province, duplicates, years, level dates)."""

    class Meta:
        model = Recognition
        fields = ["product", "level", "year", "decision_number", "decision_date", "note"]

    def clean(self):
        data = super().clean()
        if self.instance.pk is None and not self.errors:
            from ..services import recognition_validate

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
class RecognitionAdmin(ProductRecordAdminMixin, ScopedAdminMixin, ImportExportModelAdmin, SimpleHistoryAdmin):
    """Recognitions of a published decision are its content: read-only. Archive ones are added through
    services.recognition_record (one by one, or from a file through RecognitionResource, which calls it) and
    removed through services.recognition_delete; only their note changes."""

    resource_classes = [RecognitionResource]
    form = RecognitionAdminForm
    list_display = ("product", "producer_name", "level", "year", "decision_number", "source")
    list_filter = ("level", "year", "source")
    list_select_related = ("product__producer", "level")

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


@admin.action(description=_("Download the PDF"), permissions=["view"])
def download_certificate_pdf(modeladmin, request, queryset):
    if queryset.count() != 1:
        modeladmin.message_user(request, gettext("Select exactly one certificate to download."), messages.ERROR)
        return None
    certificate = queryset.get()
    try:
        data = services.certificate_document(certificate=certificate)
    except SigningError as exc:
        modeladmin.message_user(request, str(exc), messages.ERROR)
        return None
    return generated_file(data, content_type=PDF, filename=f"{certificate.file_stem}.pdf", as_attachment=True)


@admin.action(description=_("Export the selected as PDF + ZIP"), permissions=["view"])
def export_certificates(modeladmin, request, queryset):
    """Revoked and replaced certificates are left out with a warning, as on the certificate list: they must not
    be printed."""
    left_out = queryset.exclude(status=CertificateStatus.VALID).count()
    if left_out:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d revoked or replaced certificate was left out: it must not be printed.",
                "%(count)d revoked or replaced certificates were left out: they must not be printed.",
                left_out,
            )
            % {"count": left_out},
            messages.WARNING,
        )
    queryset = queryset.filter(status=CertificateStatus.VALID)
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
class CertificateAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
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
        return super().get_queryset(request).select_related("issuing_body")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
