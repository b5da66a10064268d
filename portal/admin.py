"""Back office of the portal's own records: imports are read here (the staff pages run them), never edited. The
admin pages of the third-party apps (sign-in lockouts, background tasks) are the superuser's alone."""

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from django_tasks_db import admin as tasks_admin
from django_tasks_db.models import DBTaskResult

from portal.core.access import Rule, register
from portal.core.admin import ScopedAdminMixin
from products.validators import validate_image_upload

from .models import ImportBatch, SiteIdentity


@admin.register(ImportBatch)
class ImportBatchAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("original_name", "kind", "status", "province", "uploaded_by", "created_at", "row_count")
    list_filter = ("kind", "status", ("province", admin.RelatedOnlyFieldListFilter))
    search_fields = ("original_name", "sha256", "uploaded_by__email")
    list_select_related = ("province", "uploaded_by")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in ImportBatch._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SiteIdentityForm(forms.ModelForm):
    """The admin builds the fields from the model; the logo is checked by its content, like every upload."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "logo" in self.fields:
            self.fields["logo"].widget.attrs["accept"] = "image/png,image/jpeg"

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if isinstance(logo, UploadedFile):
            self.instance.logo_content_type = validate_image_upload(logo)
        elif not logo:
            self.instance.logo_content_type = ""
        return logo


@admin.register(SiteIdentity)
class SiteIdentityAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """One row, the superuser's (portal.site_identity registers the rule): added once, never deleted."""

    form = SiteIdentityForm
    list_display = ("agency_name", "province", "phone", "email")
    list_select_related = ("province",)
    fieldsets = (
        (None, {"fields": ("agency_name", "governing_body", "province", "logo")}),
        (_("Contact"), {"fields": ("address", "phone", "email", "working_hours")}),
    )

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SiteIdentity.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


# Sign-in attempts (e-mail addresses, IP addresses, form data) and task results (arguments, tracebacks) are read
# by superusers only. These apps have no access.py of ours: their rules are declared with their admin here, and
# their ModelAdmins get the portal's base (importing their admin modules first registers them; autodiscover
# then finds them imported already).
THIRD_PARTY = (
    (AccessAttempt, axes_admin.AccessAttemptAdmin),
    (AccessLog, axes_admin.AccessLogAdmin),
    (AccessFailureLog, axes_admin.AccessFailureLogAdmin),
    (DBTaskResult, tasks_admin.DBTaskResultAdmin),
)
# axes' "clean up expired attempts" action reads request.axes_attempt_time, which axes sets only while signing in:
# from the admin it fails with a server error (django-axes 8.3), so it is left out.
BROKEN_ACTIONS = {"cleanup_expired_attempts"}

for _model, _base in THIRD_PARTY:
    register(_model, Rule(superuser_only=True))
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
        _actions = [a for a in _base.actions or [] if a not in BROKEN_ACTIONS]
        _attrs = {"__module__": __name__, "actions": _actions}
        admin.site.register(_model, type(_base.__name__, (ScopedAdminMixin, _base), _attrs))
