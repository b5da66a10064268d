from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("staff/dashboard/", views.DashboardView.as_view(), name="staff.dashboard"),
]
