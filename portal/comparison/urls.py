from django.urls import path

from . import views

app_name = "comparison"

urlpatterns = [
    path("staff/provinces/compare/", views.ProvinceComparisonView.as_view(), name="staff.province.compare"),
]
