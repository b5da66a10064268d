"""The back office's admin site: Django's, with the apps and the models of each listed in Vietnamese dictionary
order (Django sorts them by code point, which puts "Chương trình" before "Chỉ tiêu" and "Xung đột" before "Xếp
hạng")."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

from portal.core.collation import vietnamese_key


class PortalAdminSite(admin.AdminSite):
    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        for app in apps:
            app["models"].sort(key=lambda model: vietnamese_key(str(model["name"])))
        return sorted(apps, key=lambda app: vietnamese_key(str(app["name"])))


class PortalAdminConfig(AdminConfig):
    default_site = "portal.admin_site.PortalAdminSite"
