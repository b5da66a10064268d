"""Run after a worker restart (or from cron): queue again the certificate exports whose worker stopped."""

from django.core.management.base import BaseCommand

from awards.services import certificate_exports_resume


class Command(BaseCommand):
    help = "Re-queue bulk certificate exports left running by a worker that stopped (no heartbeat for 2 minutes)."

    def handle(self, *args, **options):
        count = certificate_exports_resume()
        self.stdout.write(f"{count} export(s) queued again.")
