from django.urls import path

from .views import fairs, projects

app_name = "extension_projects"

urlpatterns = [
    # Khuyến công projects (staff)
    path("staff/extension-projects/", projects.ProjectListView.as_view(), name="staff.project.list"),
    path("staff/extension-projects/new/", projects.ProjectCreateView.as_view(), name="staff.project.create"),
    path("staff/extension-projects/summary/", projects.ProjectSummaryView.as_view(), name="staff.project.summary"),
    path("staff/extension-projects/<int:pk>/", projects.ProjectDetailView.as_view(), name="staff.project.detail"),
    path("staff/extension-projects/<int:pk>/edit/", projects.ProjectUpdateView.as_view(), name="staff.project.update"),
    path(
        "staff/extension-projects/<int:pk>/disbursements/",
        projects.DisbursementAddView.as_view(),
        name="staff.project.disbursement.add",
    ),
    path(
        "staff/extension-projects/<int:pk>/transition/",
        projects.TransitionView.as_view(),
        name="staff.project.transition",
    ),
    # Trade fairs (staff)
    path("staff/fairs/", fairs.FairListView.as_view(), name="staff.fair.list"),
    path("staff/fairs/new/", fairs.FairCreateView.as_view(), name="staff.fair.create"),
    path("staff/fairs/<int:pk>/", fairs.FairDetailView.as_view(), name="staff.fair.detail"),
]
