from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import views

admin.site.site_header = _("CNNT Portal administration")
admin.site.site_title = _("CNNT Portal")
admin.site.index_title = _("Back office")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("portal.accounts.urls")),
    path("admin/", admin.site.urls),
    path("", include("products.urls")),
    path("", include("awards.urls")),
    path("", include("extension_projects.urls")),
    path("", include("portal.record_urls")),
    path("", include("portal.dashboards.urls")),
    path("", include("portal.reports.urls")),
    path("", include("portal.catalogue.urls")),
    path("", include("portal.imports.urls")),
    path("", include("portal.exports.urls")),
]
