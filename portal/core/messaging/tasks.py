"""The worker's task: send one e-mail of the outbox (queued on commit by `queue_mail`)."""

from django_tasks import task


@task()
def deliver_mail(mail_id: int) -> bool:
    from .mail import mail_deliver

    return mail_deliver(mail_id)
