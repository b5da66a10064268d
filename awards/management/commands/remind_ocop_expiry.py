"""Remind producers whose OCOP rating expires soon. The worker runs it daily at 07:00 (portal/scheduler.py); by
hand when needed."""

from django.core.management.base import BaseCommand

from awards.services import ocop_expiry_reminders_send


class Command(BaseCommand):
    help = "E-mail producers whose current OCOP rating expires within N days (once per rating)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=90, help="remind when the rating expires within this many days")

    def handle(self, *args, days, **options):
        sent = ocop_expiry_reminders_send(days=days)
        self.stdout.write(f"{sent} reminder(s) sent.")
