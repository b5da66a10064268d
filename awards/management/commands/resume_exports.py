"""Queue again the certificate exports whose worker stopped. The worker does it when it starts and every 5 seconds
(portal/scheduler.py); by hand when needed."""

from django.core.management.base import BaseCommand

from awards.services import certificate_exports_resume


class Command(BaseCommand):
    help = "Re-queue bulk certificate exports left running by a worker that stopped (no heartbeat for 15 seconds)."

    def handle(self, *args, **options):
        count = certificate_exports_resume()
        self.stdout.write(f"{count} export(s) queued again.")
