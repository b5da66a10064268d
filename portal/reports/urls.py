from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("staff/reports/", views.ReportIndexView.as_view(), name="staff.index"),
    path("staff/reports/recognitions/", views.RecognitionReportView.as_view(), name="staff.recognitions"),
    path(
        "staff/reports/recognitions.xlsx",
        views.RecognitionReportView.as_view(output="xlsx"),
        name="staff.recognitions.xlsx",
    ),
    path(
        "staff/reports/recognitions.pdf",
        views.RecognitionReportView.as_view(output="pdf"),
        name="staff.recognitions.pdf",
    ),
    path("staff/reports/extension/", views.ExtensionReportView.as_view(), name="staff.extension"),
    path("staff/reports/extension.xlsx", views.ExtensionReportView.as_view(output="xlsx"), name="staff.extension.xlsx"),
    path("staff/reports/extension.pdf", views.ExtensionReportView.as_view(output="pdf"), name="staff.extension.pdf"),
]
