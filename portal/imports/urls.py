from django.urls import path

from portal.core.urls import resource_urls

from . import views

app_name = "imports"

urlpatterns = [
    *resource_urls("staff/imports/", "staff.batch", list=views.BatchListView, detail=views.BatchDetailView),
    path("staff/imports/<int:pk>/confirm/", views.BatchConfirmView.as_view(), name="staff.batch.confirm"),
    path("staff/imports/<int:pk>/discard/", views.BatchDiscardView.as_view(), name="staff.batch.discard"),
    path("staff/imports/templates/<str:kind>.xlsx", views.TemplateDownloadView.as_view(), name="staff.template"),
    path("staff/imports/data/<str:kind>.xlsx", views.CurrentDataView.as_view(), name="staff.current_data"),
]
