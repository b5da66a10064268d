from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from products.models import Organization, Producer

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
class UserAdmin(BaseUserAdmin):
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

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        province = request.user.organization.province_id if request.user.organization_id else -1
        # Staff manage accounts of their province's organisations and producers, never a superuser's.
        return (
            qs.filter(organization__province_id=province) | qs.filter(producer__current_province_id=province)
        ).filter(is_superuser=False)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        # Only a superuser grants admin rights, superuser status, groups or single permissions.
        hidden = {"is_superuser", "groups", "user_permissions", "is_staff"}
        return [(name, {**opts, "fields": [f for f in opts["fields"] if f not in hidden]}) for name, opts in fieldsets]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            province = request.user.organization.province_id if request.user.organization_id else -1
            if db_field.name == "organization":
                kwargs["queryset"] = Organization.objects.filter(province_id=province)
            elif db_field.name == "producer":
                kwargs["queryset"] = Producer.objects.filter(current_province_id=province)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
