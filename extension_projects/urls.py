from django.urls import path

from .views import fairs

app_name = "extension_projects"

urlpatterns = [
    # Trade fairs (staff)
    path("staff/fairs/", fairs.FairListView.as_view(), name="staff.fair.list"),
    path("staff/fairs/new/", fairs.FairCreateView.as_view(), name="staff.fair.create"),
    path("staff/fairs/<int:pk>/", fairs.FairDetailView.as_view(), name="staff.fair.detail"),
]
