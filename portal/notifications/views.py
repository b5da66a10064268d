"""Every signed-in role has the list; each user sees and marks only its own notifications (a superuser too)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from portal.core.access import is_signed_in, requires
from portal.core.messaging.models import Notification
from portal.core.messaging.notify import notifications_mark_read, unread_recount
from portal.core.pagination import LenientPageMixin

PAGE_SIZE = 30


class NotificationListView(requires(is_signed_in), LenientPageMixin, ListView):
    template_name = "portal/notifications.html"
    context_object_name = "notifications"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return Notification.objects.filter(user=self.request.user).order_by("-created_at", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["unread"] = unread_recount(user=self.request.user)
        return context


class NotificationReadView(requires(is_signed_in), View):
    """Mark one notification read; with `open`, go on to the page it links to."""

    def post(self, request, pk):
        notification = Notification.objects.filter(user=request.user, pk=pk).first()
        if notification is None:
            raise Http404
        notifications_mark_read(user=request.user, notification_id=notification.pk)
        link = notification.link
        if request.POST.get("open") and link and url_has_allowed_host_and_scheme(link, allowed_hosts=None):
            return redirect(link)
        return redirect("notifications:list")


class NotificationReadAllView(requires(is_signed_in), View):
    def post(self, request):
        count = notifications_mark_read(user=request.user)
        if count:
            messages.success(request, _("All notifications are marked as read."))
        return redirect("notifications:list")
