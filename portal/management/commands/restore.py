"""`manage.py restore --input DIR --database-url URL --media-root DIR`: check every checksum of a backup made by
`manage.py backup`, restore the dump into an empty PostgreSQL database and the files into an empty folder, then
compare the row counts with the manifest. Without --database-url / --media-root it restores into the configured
database and media root, which needs --force (and still an empty database and folder)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from portal.backup import postgres, services
from portal.backup.postgres import BackupError


class Command(BaseCommand):
    help = "Check a backup's checksums, restore it into an empty database and media root, compare row counts."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--input", required=True, type=Path, help="The backup folder.")
        parser.add_argument("--database-url", help="The empty PostgreSQL database to restore into.")
        parser.add_argument("--media-root", type=Path, help="The empty (or new) folder for the stored files.")
        parser.add_argument("--force", action="store_true", help="Restore into the configured database / media root.")
        parser.add_argument("--check-only", action="store_true", help="Only check the backup's checksums.")

    def handle(self, *args, **options) -> None:
        source = options["input"].resolve()
        try:
            if options["check_only"]:
                manifest = services.check_backup(source)
                self.stdout.write(
                    self.style.SUCCESS(f"{source}: every checksum matches ({len(manifest['files'])} files).")
                )
                return
            settings_dict, media_root = self._targets(options)
            report = services.restore_backup(source, settings_dict, media_root)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for problem in report["mismatches"]:
            self.stderr.write(problem)
        if report["mismatches"]:
            raise CommandError(f"Restored, but {len(report['mismatches'])} difference(s) from the backup's manifest.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {settings_dict['NAME']} and {media_root}: row counts of all {report['tables']} tables "
                f"and checksums of all {report['files']} files match the backup."
            )
        )
        self.stdout.write("Signing keys and secrets are not in a backup: put them back by hand (README).")

    def _targets(self, options) -> tuple[dict, Path]:
        configured = []
        if options["database_url"]:
            settings_dict = postgres.settings_from_url(options["database_url"])
        else:
            settings_dict = connections["default"].settings_dict
            configured.append("database")
        if options["media_root"]:
            media_root = options["media_root"].resolve()
        else:
            media_root = Path(settings.MEDIA_ROOT)
            configured.append("media root")
        if configured and not options["force"]:
            raise BackupError(
                f"No target given for the {' and '.join(configured)}: pass --database-url and --media-root, or "
                "--force to restore into the configured ones (they must be empty)."
            )
        return settings_dict, media_root
