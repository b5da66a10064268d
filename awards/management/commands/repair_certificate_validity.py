"""List (--dry-run) or repair recognitions and certificates whose validity differs from the rule of
`awards.validity`; the data migration 0017 ran the same repair once."""

from django.core.management.base import BaseCommand
from django.db import transaction

from awards.models import Certificate, Recognition
from awards.validity import validity_repairs


class Command(BaseCommand):
    help = (
        "Set every recognition's certificate validity to 31 December of the n-th year counting its decision's "
        "year as the first, and every certificate's to its recognition's; lists each change."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would change; write nothing.")

    def handle(self, *args, dry_run=False, **options):
        with transaction.atomic():
            repairs = validity_repairs(Recognition, Certificate, apply=not dry_run)
        for repair in repairs:
            self.stdout.write(repair.describe())
        verb = "would change" if dry_run else "changed"
        self.stdout.write(f"{len(repairs)} recognition(s) {verb}.")
