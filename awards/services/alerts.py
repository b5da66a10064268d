"""Who hears of a dossier: the producer's accounts of each change of its status (portal notifications, beside
the e-mail of `nominations._notify_producers`), and department staff of each dossier submitted or resubmitted in
their scope — in the portal, and by e-mail at once or in one daily digest, as each chose on their account page."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.accounts.enums import Role, SubmissionMail
from portal.core.access import allows, scoped
from portal.core.formatting import vn_date
from portal.core.messaging.mail import queue_mail
from portal.core.messaging.models import NotificationKind
from portal.core.messaging.notify import Notice, notify
from products.enums import OrganizationKind

from ..enums import NominationStatus
from ..models import Nomination, NominationStatusLog

SUBMITTED = (NominationStatus.SUBMITTED, NominationStatus.RESUBMITTED)


def portal_link(path: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def producer_status_notice(nomination: Nomination, accounts) -> Notice:
    """For the producer's accounts: one line per change of the dossier's status (a return says so)."""
    returned = nomination.status == NominationStatus.RETURNED
    with translation.override(settings.LANGUAGE_CODE):
        if returned:
            text = _("Dossier %(code)s was returned for correction by %(date)s.") % {
                "code": nomination.receipt_code or nomination.product.name,
                "date": vn_date(nomination.correction_deadline),
            }
        else:
            text = _("Dossier %(code)s (%(product)s): %(status)s.") % {
                "code": nomination.receipt_code or "",
                "product": nomination.product.name,
                "status": nomination.producer_label,
            }
    kind = NotificationKind.RETURNED if returned else NotificationKind.STATUS
    return Notice(accounts, kind, text, nomination.get_producer_url())


def staff_watching(nomination: Nomination) -> list:
    """The active department staff (not superusers) whose scope holds the dossier, as the access module says:
    its producer's province, the round's organiser, the ministry agency for region and national rounds."""
    provinces = {nomination.producer.current_province_id, nomination.round.province_id} - {None}
    candidates = (
        get_user_model()
        .objects.filter(is_active=True, is_superuser=False, role=Role.STAFF)
        .filter(Q(organization__province_id__in=provinces) | Q(organization__kind=OrganizationKind.MINISTRY_AGENCY))
        .select_related("organization")
        .order_by("pk")
    )
    return [user for user in candidates if allows(user, nomination)]


def submission_alert(nomination: Nomination) -> None:
    """A dossier was just submitted or resubmitted: tell the staff in scope, in the portal and — for those who
    chose it — by e-mail now (the others get the daily digest, or nothing)."""
    staff = staff_watching(nomination)
    if not staff:
        return
    resubmitted = nomination.status == NominationStatus.RESUBMITTED
    with translation.override(settings.LANGUAGE_CODE):
        template = (
            _("Dossier %(code)s was resubmitted: %(product)s, %(producer)s.")
            if resubmitted
            else _("Dossier %(code)s was submitted: %(product)s, %(producer)s.")
        )
        text = template % {
            "code": nomination.receipt_code,
            "product": nomination.product.name,
            "producer": nomination.producer.name,
        }
        notify(staff, kind=NotificationKind.SUBMISSION, text=text, link=nomination.get_absolute_url())
        body = render_to_string(
            "awards/email/submission.txt",
            {"nomination": nomination, "resubmitted": resubmitted, "link": portal_link(nomination.get_absolute_url())},
        )
        for user in staff:
            if user.submission_mail == SubmissionMail.IMMEDIATE:
                queue_mail(to=[user.email], subject=text, body=body)


def _local(moment: datetime.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local:%H:%M} {vn_date(local.date())}"


def submission_digest_send(*, until: datetime.datetime) -> int:
    """The daily digest (the worker's `submission_digest` job): each staff member who chose it gets one e-mail
    listing the dossiers submitted or resubmitted in its scope during the day before `until`. Returns the number
    of e-mails queued."""
    since = until - datetime.timedelta(days=1)
    readers = (
        get_user_model()
        .objects.filter(is_active=True, is_superuser=False, role=Role.STAFF, submission_mail=SubmissionMail.DAILY)
        .select_related("organization")
        .order_by("pk")
    )
    logs = NominationStatusLog.objects.filter(to_status__in=SUBMITTED, at__gte=since, at__lt=until)
    queued = 0
    for user in readers:
        rows = list(
            scoped(logs, user)
            .select_related("nomination__product", "nomination__producer", "nomination__round")
            .order_by("at", "pk")
        )
        if not rows:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string(
                "awards/email/submission_digest.txt",
                {
                    "user": user,
                    "rows": [(log, portal_link(log.nomination.get_absolute_url())) for log in rows],
                    "since": _local(since),
                },
            )
            subject = _("Daily digest: %(n)d dossier(s) submitted or resubmitted since %(since)s") % {
                "n": len(rows),
                "since": _local(since),
            }
        queue_mail(to=[user.email], subject=subject, body=body)
        queued += 1
    return queued
