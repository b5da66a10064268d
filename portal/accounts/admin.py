"""Back office of accounts. Staff read and correct the accounts of their province (portal.core.access: never a
superuser's) but change nothing that gives an account its reach — role, organisation, producer, admin and
superuser flags, groups, permissions — nor its sign-in (e-mail address, password): only superusers do. Staff add
no accounts here either: producers register themselves, council members are invited from the council's staff
page (awards.services.council_member_invite), and staff accounts are a superuser's to make."""

from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from portal.core import access
from portal.core.admin import ScopedAdminMixin

from .models import User


class UserCreateForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "role")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(ScopedAdminMixin, auth_admin.UserAdmin):
    form = UserEditForm
    add_form = UserCreateForm
    ordering = ("email",)
    list_display = ("email", "full_name", "role", "organization", "producer", "email_verified", "is_active")
    list_filter = ("role", "is_active", "email_verified", "is_staff", "is_superuser")
    search_fields = ("email", "full_name")
    list_select_related = ("organization", "producer")
    autocomplete_fields = ("organization", "producer")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "phone")}),
        (_("Role"), {"fields": ("role", "organization", "producer", "email_verified")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "role", "password1", "password2")}),
    )

    def user_change_password(self, request, id, form_url=""):
        # Setting another person's password takes over the account (and every council seat it holds).
        if not access.is_superuser(request.user):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)


admin.site.unregister(Group)  # registered by django.contrib.auth.admin, imported above


@admin.register(Group)
class GroupAdmin(ScopedAdminMixin, auth_admin.GroupAdmin):
    """Groups carry permissions: superusers only (portal.accounts.access)."""
