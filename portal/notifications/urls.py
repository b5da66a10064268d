from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.NotificationListView.as_view(), name="list"),
    path("notifications/<int:pk>/read/", views.NotificationReadView.as_view(), name="read"),
    path("notifications/read-all/", views.NotificationReadAllView.as_view(), name="read_all"),
]
