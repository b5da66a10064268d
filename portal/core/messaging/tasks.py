"""The worker's task: send e-mails of the outbox (queued on commit by `queue_mail`)."""

from django_tasks import task


@task()
def deliver_mail(mail_ids: list[int]) -> int:
    from .mail import mail_deliver_many

    return mail_deliver_many(mail_ids)
