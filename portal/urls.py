from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

import products.urls

from . import record_urls, views
from .core.admin import view_on_site

# The `products` namespace: products' own pages and the registry pages portal serves because they show awards
# (portal/record_urls.py).
products_namespace = [*products.urls.urlpatterns, *record_urls.products_pages]

admin.site.site_header = _("CNNT Portal administration")
admin.site.site_title = _("CNNT Portal")
admin.site.index_title = _("Back office")

urlpatterns = [
    path("", views.home, name="home"),
    path("site/logo", views.site_logo, name="site-logo"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("portal.accounts.urls")),
    # The admin's "view on site" redirect, answered only for records the user may read (before the admin's own).
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
        name="admin-view-on-site",
    ),
    path("admin/", admin.site.urls),
    path("", include((products_namespace, products.urls.app_name))),
    path("", include("awards.urls")),
    path("", include("extension_projects.urls")),
    path("", include("portal.record_urls")),
    path("", include("portal.dashboards.urls")),
    path("", include("portal.comparison.urls")),
    path("", include("portal.inbox.urls")),
    path("", include("portal.notifications.urls")),
    path("", include("portal.reports.urls")),
    path("", include("portal.catalogue.urls")),
    path("", include("portal.imports.urls")),
    path("", include("portal.exports.urls")),
]
