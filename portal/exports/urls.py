from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path("staff/exports/ministry/", views.MinistryExportView.as_view(), name="ministry"),
]
