from django.urls import path

from .views import public, staff

app_name = "awards"

urlpatterns = [
    path("staff/rounds/", staff.RoundListView.as_view(), name="staff.round.list"),
    path("staff/rounds/new/", staff.RoundFormView.as_view(), name="staff.round.create"),
    path("staff/rounds/<int:pk>/", staff.RoundDetailView.as_view(), name="staff.round.detail"),
    path("staff/rounds/<int:pk>/edit/", staff.RoundFormView.as_view(), name="staff.round.update"),
    path("staff/rounds/<int:pk>/status/", staff.RoundStatusView.as_view(), name="staff.round.status"),
    path("rounds/", public.OpenRoundListView.as_view(), name="public.round.list"),
    path("rounds/<int:pk>/", public.RoundDetailView.as_view(), name="public.round.detail"),
]
