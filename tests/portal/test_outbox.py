"""The outbox: every e-mail is a row written with the change it tells of, sent by the worker once the change
commits, kept with its error and tried again later while the mail server fails — nothing is lost."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from portal import scheduler
from portal.core.messaging import mail as outbox
from portal.core.messaging.models import MailStatus, OutgoingMail

REFUSING = "tests.portal.test_outbox.DownMailServer"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class DownMailServer(BaseEmailBackend):
    """A mail server that is down: every send raises, as Django's SMTP backend does."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def _queue(django_capture_on_commit_callbacks, **kwargs):
    data = {"to": ["canbo@example.vn"], "subject": "Hồ sơ CB-2026-T-0001", "body": "Nội dung"} | kwargs
    with django_capture_on_commit_callbacks(execute=True):
        return outbox.queue_mail(**data)


@pytest.mark.django_db
def test_an_email_waits_in_the_outbox_while_the_server_is_down_then_leaves(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = REFUSING
    row = _queue(django_capture_on_commit_callbacks)  # the worker's task tries at once, on commit, and fails

    row.refresh_from_db()
    assert (row.status, row.attempts) == (MailStatus.QUEUED, 1)
    assert row.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert row.next_attempt_at > timezone.now()  # a minute later
    assert mail.outbox == []

    settings.EMAIL_BACKEND = LOCMEM  # the server is back
    assert outbox.mail_deliver_due() == 0  # not due yet: nothing is hammered
    assert outbox.mail_deliver_due(timezone.now() + datetime.timedelta(minutes=2)) == 1

    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (MailStatus.SENT, 2, "")
    assert row.sent_at is not None
    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [
        (["canbo@example.vn"], "Hồ sơ CB-2026-T-0001", "Nội dung")
    ]
    assert outbox.mail_deliver_due(timezone.now() + datetime.timedelta(hours=3)) == 0  # sent once only


@pytest.mark.django_db
def test_each_failure_waits_longer_up_to_an_hour_and_the_row_is_given_up_only_after_days(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = REFUSING
    row = _queue(django_capture_on_commit_callbacks)
    waits = []
    now = timezone.now()
    for _attempt in range(outbox.MAX_ATTEMPTS - 2):  # the first attempt was the task on commit
        now = OutgoingMail.objects.get(pk=row.pk).next_attempt_at
        assert outbox.mail_deliver(row.pk, now=now) is False
        waits.append(OutgoingMail.objects.get(pk=row.pk).next_attempt_at - now)
    assert [w.total_seconds() / 60 for w in waits[:7]] == [2, 4, 8, 16, 32, 60, 60]
    assert OutgoingMail.objects.get(pk=row.pk).status == MailStatus.QUEUED
    assert sum(waits, datetime.timedelta()) > datetime.timedelta(days=1)

    outbox.mail_deliver(row.pk, now=OutgoingMail.objects.get(pk=row.pk).next_attempt_at)  # the last attempt
    row.refresh_from_db()
    assert (row.status, row.attempts) == (MailStatus.FAILED, outbox.MAX_ATTEMPTS)
    assert "SMTPServerDisconnected" in row.last_error

    settings.EMAIL_BACKEND = LOCMEM  # fixed: an administrator queues it again, and it leaves
    with django_capture_on_commit_callbacks(execute=True):
        outbox.mail_requeue(mail=row)
    row.refresh_from_db()
    assert row.status == MailStatus.SENT
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_rolled_back_change_leaves_no_email(django_capture_on_commit_callbacks):
    def change_then_fail():
        with transaction.atomic():
            outbox.queue_mail(to=["a@example.vn"], subject="Không gửi", body="…")
            raise RuntimeError("the change is refused")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        change_then_fail()
    assert not OutgoingMail.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_worker_job_sends_what_is_due_when_the_task_was_lost(settings):
    # Queued without its task ever running (the test transaction never commits): the `send_mail` job sends it.
    row = outbox.queue_mail(to=["b@example.vn", "a@example.vn", "a@example.vn", ""], subject="Nhắc\nhạn", body="…")
    assert row.to == ["a@example.vn", "b@example.vn"]
    assert row.subject == "Nhắc hạn"
    assert outbox.queue_mail(to=[""], subject="Không ai nhận", body="…") is None
    (job,) = [job for job in scheduler.JOBS if job.name == "send_mail"]

    assert scheduler.run_due(timezone.now() + datetime.timedelta(seconds=1), jobs=[job]) == ["send_mail"]

    assert OutgoingMail.objects.get(pk=row.pk).status == MailStatus.SENT
    assert [m.to for m in mail.outbox] == [["a@example.vn", "b@example.vn"]]


@pytest.mark.django_db
def test_a_row_held_by_one_worker_is_not_sent_by_another():
    row = outbox.queue_mail(to=["a@example.vn"], subject="Một lần", body="…")
    now = timezone.now() + datetime.timedelta(seconds=1)
    # Another worker claimed it a moment ago (its lease moved the next attempt ahead) and is sending it.
    OutgoingMail.objects.filter(pk=row.pk).update(next_attempt_at=now + outbox.LEASE)
    assert outbox.mail_deliver_due(now) == 0
    assert mail.outbox == []
    # A worker killed while sending: once the lease is over the row is tried again.
    assert outbox.mail_deliver_due(now + outbox.LEASE) == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_password_reset_email_goes_through_the_outbox(client, producer_user, settings):
    settings.EMAIL_BACKEND = REFUSING
    response = client.post("/accounts/password/reset/", {"email": producer_user.email})
    assert response.status_code == 302
    row = OutgoingMail.objects.get()
    assert row.to == [producer_user.email]
    assert "/accounts/password/reset/" in row.body
