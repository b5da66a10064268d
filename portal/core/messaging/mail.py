"""The outbox: `queue_mail` is the portal's one way to send an e-mail; the worker delivers (`mail_deliver`,
`mail_deliver_due`)."""

import dataclasses
import datetime
import logging
from collections.abc import Iterable

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import MailStatus, OutgoingMail

logger = logging.getLogger(__name__)

# While a worker sends a row nobody else takes it; a worker killed half-way leaves it to be tried after this.
LEASE = datetime.timedelta(minutes=10)
# Back-off after a failed attempt: 1, 2, 4 … minutes, at most an hour; given up after this many attempts
# (about two days of trying), then kept as "given up" with its error.
FIRST_RETRY = datetime.timedelta(minutes=1)
LONGEST_RETRY = datetime.timedelta(hours=1)
MAX_ATTEMPTS = 50
BATCH = 200


@dataclasses.dataclass(frozen=True)
class Mail:
    to: Iterable[str]
    subject: str
    body: str
    html_body: str = ""


def queue_mail(*, to: Iterable[str], subject: str, body: str, html_body: str = "") -> OutgoingMail | None:
    """Put an e-mail in the outbox, in the caller's transaction (rolled back with it), and have the worker send
    it once the transaction commits. Nothing when there is no recipient."""
    queued = queue_mails([Mail(to, subject, body, html_body)])
    return queued[0] if queued else None


def queue_mails(mails: Iterable[Mail]) -> list[OutgoingMail]:
    """`queue_mail` for several e-mails in one insert and one task (those without a recipient are left out)."""
    rows = []
    for mail in mails:
        recipients = sorted({address for address in mail.to if address})
        if recipients:
            subject = " ".join(str(mail.subject).splitlines())[:255]
            rows.append(OutgoingMail(to=recipients, subject=subject, body=mail.body, html_body=mail.html_body or ""))
    if rows:
        OutgoingMail.objects.bulk_create(rows)
        ids = [row.pk for row in rows]
        transaction.on_commit(lambda: _enqueue(ids))
    return rows


def _enqueue(mail_ids: list[int]) -> None:
    from .tasks import deliver_mail

    try:
        deliver_mail.enqueue(mail_ids)
    except Exception:  # the queue is unavailable: the `send_mail` job sends the rows when they are due
        logger.exception("Could not queue e-mails %s; the periodic job will send them", mail_ids)


def retry_delay(attempts: int) -> datetime.timedelta:
    return min(FIRST_RETRY * 2 ** min(max(attempts - 1, 0), 10), LONGEST_RETRY)


def mail_deliver(mail_id: int, *, now: datetime.datetime | None = None) -> bool:
    """Send one queued row if it is due and no other worker holds it; True when it was sent. A failure keeps the
    row queued with the error and the time of the next attempt."""
    now = now or timezone.now()
    due = OutgoingMail.objects.filter(pk=mail_id, status=MailStatus.QUEUED, next_attempt_at__lte=now)
    if not due.update(next_attempt_at=now + LEASE, attempts=F("attempts") + 1):
        return False
    mail = OutgoingMail.objects.get(pk=mail_id)
    message = EmailMultiAlternatives(mail.subject, mail.body, None, mail.to)
    if mail.html_body:
        message.attach_alternative(mail.html_body, "text/html")
    try:
        message.send()
    except Exception as exc:  # SMTP refusals, a server that is down, a timeout: all are tried again
        _failed(mail, exc, now)
        return False
    OutgoingMail.objects.filter(pk=mail_id).update(status=MailStatus.SENT, sent_at=timezone.now(), last_error="")
    return True


def _failed(mail: OutgoingMail, exc: Exception, now: datetime.datetime) -> None:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    if mail.attempts >= MAX_ATTEMPTS:
        fields = {"status": MailStatus.FAILED}
        logger.error("E-mail %s given up after %d attempts: %s", mail.pk, mail.attempts, error)
    else:
        fields = {"next_attempt_at": now + retry_delay(mail.attempts)}
        logger.warning("E-mail %s not sent (attempt %d): %s", mail.pk, mail.attempts, error)
    OutgoingMail.objects.filter(pk=mail.pk).update(last_error=error, **fields)


def mail_deliver_due(now: datetime.datetime | None = None) -> int:
    """The worker's periodic job: send every queued row that is due (oldest first); the number sent."""
    now = now or timezone.now()
    due = OutgoingMail.objects.filter(status=MailStatus.QUEUED, next_attempt_at__lte=now)
    ids = list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:BATCH])
    return mail_deliver_many(ids, now=now)


def mail_deliver_many(mail_ids: Iterable[int], *, now: datetime.datetime | None = None) -> int:
    return sum(mail_deliver(mail_id, now=now) for mail_id in mail_ids)


def mail_requeue(*, mail: OutgoingMail) -> None:
    """A row given up on, queued again from now (the administrators' action once the mail server is fixed)."""
    OutgoingMail.objects.filter(pk=mail.pk).update(status=MailStatus.QUEUED, attempts=0, next_attempt_at=timezone.now())
    transaction.on_commit(lambda: _enqueue([mail.pk]))
