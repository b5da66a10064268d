"""`manage.py backup --output DIR`: the database (pg_dump, custom format) and the stored files, with a manifest of
row counts, migrations and SHA-256 checksums (portal.backup; README, "Backup and restore"). PostgreSQL only."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from portal.backup import services
from portal.backup.postgres import BackupError


class Command(BaseCommand):
    help = "Back up the database and the stored files into a new folder, with checksums and a manifest."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", required=True, type=Path, help="A new (or empty) folder for the backup.")
        parser.add_argument("--database", default="default", help="The database alias (default: default).")

    def handle(self, *args, **options) -> None:
        output = options["output"].resolve()
        settings_dict = connections[options["database"]].settings_dict
        created = not output.exists()
        try:
            manifest = services.make_backup(settings_dict, Path(settings.MEDIA_ROOT), output)
        except BackupError as error:
            if created:
                services.remove_partial(output)
            raise CommandError(str(error)) from error
        except BaseException:
            if created:
                services.remove_partial(output)
            raise
        counts = manifest["database"]["row_counts"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {output}: {len(counts)} tables ({sum(counts.values())} rows), "
                f"{len(manifest['files'])} files."
            )
        )
        self.stdout.write("Not included (keep them apart, restore them by hand):")
        for item in manifest["excluded"]:
            self.stdout.write(f"  {item['what']}: {item['path']}")
