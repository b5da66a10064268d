from django.urls import path

from . import job_views, views

app_name = "reports"

urlpatterns = [
    path("staff/reports/", views.ReportIndexView.as_view(), name="staff.index"),
    path("staff/reports/recognitions/", views.RecognitionReportView.as_view(), name="staff.recognitions"),
    path(
        "staff/reports/recognitions.xlsx",
        views.ReportFileView.as_view(kind="recognitions", fmt="xlsx"),
        name="staff.recognitions.xlsx",
    ),
    path(
        "staff/reports/recognitions.pdf",
        views.ReportFileView.as_view(kind="recognitions", fmt="pdf"),
        name="staff.recognitions.pdf",
    ),
    path("staff/reports/extension/", views.ExtensionReportView.as_view(), name="staff.extension"),
    path(
        "staff/reports/extension.xlsx",
        views.ReportFileView.as_view(kind="extension", fmt="xlsx"),
        name="staff.extension.xlsx",
    ),
    path(
        "staff/reports/extension.pdf",
        views.ReportFileView.as_view(kind="extension", fmt="pdf"),
        name="staff.extension.pdf",
    ),
    path("staff/reports/files/<int:pk>/", job_views.ReportJobView.as_view(), name="staff.job"),
    path("staff/reports/files/<int:pk>/download", job_views.ReportJobFileView.as_view(), name="staff.job.file"),
]
