"""Delete the files of bulk certificate exports past their keeping time (CERTIFICATE_EXPORT_KEEP_HOURS). The
worker runs it every hour (portal/scheduler.py); by hand when needed."""

from django.core.management.base import BaseCommand

from awards.services import certificate_exports_purge


class Command(BaseCommand):
    help = "Delete expired bulk certificate exports (merged PDF, ZIP and the job row)."

    def handle(self, *args, **options):
        count = certificate_exports_purge()
        self.stdout.write(f"{count} expired export(s) deleted.")
