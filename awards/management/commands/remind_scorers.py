"""Remind jury members of the dossiers they still have to score. The worker runs it daily at 07:00
(portal/scheduler.py); by hand when needed."""

from django.core.management.base import BaseCommand

from awards.services import scoring_reminders_send


class Command(BaseCommand):
    help = "E-mail council members with unfinished score sheets when the scoring phase ends within N days."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=3, help="remind when scoring ends within this many days")

    def handle(self, *args, days, **options):
        sent = scoring_reminders_send(days_before=days)
        self.stdout.write(f"{sent} reminder(s) sent.")
