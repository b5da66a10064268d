from django.urls import path

from portal.core.urls import resource_urls

from .views import fairs, project_actions, projects

app_name = "extension_projects"

urlpatterns = [
    # Khuyến công projects (staff)
    *resource_urls(
        "staff/extension-projects/",
        "staff.project",
        list=projects.ProjectListView,
        create=projects.ProjectCreateView,
        detail=projects.ProjectDetailView,
        update=projects.ProjectUpdateView,
    ),
    path("staff/extension-projects/summary/", projects.ProjectSummaryView.as_view(), name="staff.project.summary"),
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
    path(
        "staff/extension-projects/<int:pk>/cancel/",
        project_actions.ProjectCancelView.as_view(),
        name="staff.project.cancel",
    ),
    path(
        "staff/extension-projects/code-rule/",
        project_actions.CodeRuleView.as_view(),
        name="staff.project.code_rule",
    ),
    # Trade fairs (staff)
    *resource_urls(
        "staff/fairs/", "staff.fair", list=fairs.FairListView, create=fairs.FairCreateView, detail=fairs.FairDetailView
    ),
]
