"""The outbox in the back office, for superusers (bodies hold sign-in and set-password links): what waits, what
failed and why, and "queue again" for the e-mails given up on once the mail server is fixed."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.core import access
from portal.core.admin import ScopedAdminMixin

from .mail import mail_requeue
from .models import MailStatus, OutgoingMail


@admin.register(OutgoingMail)
class OutgoingMailAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("subject", "recipients", "status", "attempts", "next_attempt_at", "created_at", "sent_at")
    list_filter = ("status",)
    search_fields = ("subject",)
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in OutgoingMail._meta.fields]
    actions = ["queue_again"]

    @admin.display(description=_("recipients"))
    def recipients(self, obj):
        return ", ".join(obj.to)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # an e-mail is never lost, not even by a click

    def has_requeue_permission(self, request):
        return access.is_superuser(request.user)

    @admin.action(description=_("Queue again the selected e-mails that were given up on"), permissions=["requeue"])
    def queue_again(self, request, queryset):
        given_up = list(queryset.filter(status=MailStatus.FAILED))
        for mail in given_up:
            mail_requeue(mail=mail)
        names = "; ".join(mail.subject for mail in given_up)
        self.message_user(
            request,
            ngettext(
                "%(count)d e-mail queued again: %(names)s",
                "%(count)d e-mails queued again: %(names)s",
                len(given_up),
            )
            % {"count": len(given_up), "names": names},
            messages.SUCCESS if given_up else messages.WARNING,
        )
