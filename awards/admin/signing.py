"""Back office of the issuing bodies' signing certificates: superusers only (portal.core.access: superuser_only).

Adding one uploads the PKCS#12 file; the form opens it with the password found under the given name (environment
variable or secrets file, never typed here) and refuses it, with the reason, when it does not open, may not sign
or is outside its validity. An installed certificate is never edited or deleted (documents it signed still
verify against it): its name and whether it is in use change; a renewed certificate is a new record."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.core import signing
from portal.core.admin import ScopedAdminMixin

from .. import services
from ..models import SigningCertificate

FACTS = ("common_name", "subject", "issuer", "serial_number", "valid_from", "valid_until", "fingerprint")


class SigningCertificateAddForm(forms.ModelForm):
    class Meta:
        model = SigningCertificate
        fields = ("issuing_body", "label", "pkcs12", "secret_name")
        help_texts = {"pkcs12": _("The .p12 / .pfx file with the private key and its certificate chain.")}

    def clean(self):
        cleaned = super().clean()
        upload, secret_name = cleaned.get("pkcs12"), cleaned.get("secret_name")
        if upload and secret_name and not self.errors:
            try:
                services.signing_certificate_check(pkcs12=upload, secret_name=secret_name)
            except ValidationError as exc:
                for field, errors in exc.error_dict.items():
                    self.add_error(field, errors)
        return cleaned


class SigningCertificateChangeForm(forms.ModelForm):
    class Meta:
        model = SigningCertificate
        fields = ("label", "is_active")

    def clean_is_active(self):
        active = self.cleaned_data["is_active"]
        if active:
            other = (
                SigningCertificate.objects.filter(issuing_body_id=self.instance.issuing_body_id, is_active=True)
                .exclude(pk=self.instance.pk)
                .first()
            )
            if other is not None:
                raise ValidationError(
                    gettext("“%(label)s” is in use for this body: take it out of use first.") % {"label": other.label}
                )
        return active


@admin.register(SigningCertificate)
class SigningCertificateAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("label", "issuing_body", "common_name", "valid_until", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("label", "common_name", "issuing_body__name", "fingerprint")

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = SigningCertificateChangeForm if obj else SigningCertificateAddForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["issuing_body", "label", "pkcs12", "secret_name"]
        return ["issuing_body", "label", "is_active", "password_source", *FACTS, "created_by", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["issuing_body", "password_source", *FACTS, "created_by", "created_at"]

    @admin.display(description=_("password"))
    def password_source(self, obj):
        return format_html(
            "{} <code>{}</code> {} <code>{}</code>",
            gettext("environment variable"),
            signing.password_env_name(obj.secret_name),
            gettext("or file"),
            signing.password_file(obj.secret_name),
        )

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        installed = services.signing_certificate_install(
            issuing_body=data["issuing_body"],
            label=data["label"],
            pkcs12=data["pkcs12"],
            secret_name=data["secret_name"],
            actor=request.user,
        )
        obj.pk = installed.pk  # what the admin logs and redirects to
        obj._state.adding = False

    def has_delete_permission(self, request, obj=None):
        return False
