"""Making a backup folder and restoring one (the management commands `backup` and `restore` call these)."""

import shutil
from pathlib import Path

import django
from django.conf import settings

from . import manifest as folder
from . import postgres
from .postgres import BackupError


def excluded_secrets() -> list[dict]:
    """What a backup leaves out on purpose: secrets, to be kept (and restored) apart from the backups."""
    return [
        {
            "what": "signing keys (PKCS#12 files)",
            "path": str(settings.SIGNING_KEYS_ROOT),
            "why": "private keys; keep them in their own protected copy, not next to the data",
        },
        {
            "what": "signing key passwords",
            "path": str(settings.SIGNING_SECRETS_DIR),
            "why": "secrets (also SIGNING_KEY_PASSWORD_* environment variables)",
        },
        {
            "what": "SECRET_KEY, database and e-mail passwords",
            "path": "environment / .env",
            "why": "configuration secrets; set them again on the restored server",
        },
    ]


OBJECT_STORE_REFUSED = (
    "Sao lưu và khôi phục của cổng chỉ chép tệp trên hệ thống tệp (FILE_STORAGE=filesystem); tệp đang lưu trong "
    "kho đối tượng S3 (FILE_STORAGE=s3): hãy sao lưu cơ sở dữ liệu bằng pg_dump và kho tệp bằng công cụ của kho "
    "(phiên bản, sao chép bucket). / The portal's backup and restore copy files on a file system only "
    "(FILE_STORAGE=filesystem); the files are in an S3 object store (FILE_STORAGE=s3): back up the database with "
    "pg_dump and the bucket with the object store's own tools (versioning, bucket replication). README, "
    '"Backup and restore".'
)


def require_file_system() -> None:
    """Backups copy MEDIA_ROOT: with the files in an object store there is nothing there to copy or restore."""
    if settings.FILE_STORAGE != "filesystem":
        raise BackupError(OBJECT_STORE_REFUSED)


def make_backup(settings_dict: dict, media_root: Path, output: Path) -> dict:
    """Dump the database and copy the media root into output (new or empty); returns the manifest."""
    require_file_system()
    if not postgres.is_postgres(settings_dict):
        raise BackupError(
            "Backups need PostgreSQL (pg_dump); this database is SQLite. For a SQLite development database, stop "
            "the portal and copy the database file and the media folder."
        )
    if output.exists() and (not output.is_dir() or any(output.iterdir())):
        raise BackupError(f"{output} already exists and is not an empty folder: choose a new folder.")
    output.mkdir(parents=True, exist_ok=True)
    with postgres.snapshot(settings_dict) as (cursor, snapshot_id, server_version):
        counts = postgres.row_counts(cursor)
        migrations = postgres.applied_migrations(cursor)
        postgres.dump(settings_dict, snapshot_id, output / folder.DUMP)
    keys = [Path(settings.SIGNING_KEYS_ROOT), Path(settings.SIGNING_SECRETS_DIR)]
    files = folder.copy_files(media_root, output / folder.FILES, folder.stored_files(media_root, keys))
    dump_path = output / folder.DUMP
    manifest = {
        "format": folder.FORMAT,
        "created_at": folder.now(),
        "portal": {"git_commit": folder.git_commit(Path(settings.BASE_DIR)), "django": django.get_version()},
        "database": {
            "name": settings_dict["NAME"],
            "server_version": server_version,
            "pg_dump": postgres.program_version("pg_dump"),
            "dump": {"sha256": folder.sha256(dump_path), "size": dump_path.stat().st_size},
            "migrations": migrations,
            "row_counts": counts,
        },
        "media_root": str(media_root),
        "files": files,
        "excluded": excluded_secrets(),
    }
    folder.write(output, manifest)
    return manifest


def check_backup(source: Path) -> dict:
    """The manifest of a backup folder whose every checksum holds; BackupError naming the first bad file."""
    manifest = folder.read(source)
    try:
        folder.verify(source, manifest)
    except (KeyError, TypeError, AttributeError) as error:
        raise BackupError(f"{source / folder.MANIFEST} is incomplete ({error!r}): the backup was changed.") from error
    return manifest


def restore_backup(source: Path, settings_dict: dict, media_root: Path) -> dict:
    """Check the backup, then the targets (an empty database, an empty or new media root), then restore both and
    compare. Nothing is changed when a check fails. Returns {"tables": …, "mismatches": […], "files": n}."""
    require_file_system()
    manifest = check_backup(source)
    if media_root.exists() and (not media_root.is_dir() or any(media_root.iterdir())):
        raise BackupError(f"The media root {media_root} is not empty: restore files only into a new, empty folder.")
    postgres.ensure_empty(settings_dict)
    postgres.restore(settings_dict, source / folder.DUMP)
    media_root.mkdir(parents=True, exist_ok=True)
    names = sorted(manifest["files"])
    copied = folder.copy_files(source / folder.FILES, media_root, names)
    mismatches = [
        f"file {name}: checksum differs after copying" for name in names if copied[name] != manifest["files"][name]
    ]
    counts, migrations = postgres.counts_of(settings_dict)
    mismatches += compare_counts(manifest["database"]["row_counts"], counts)
    if migrations != manifest["database"]["migrations"]:
        mismatches.append("migrations: the restored database records other migrations than the backup")
    return {"tables": len(counts), "files": len(names), "mismatches": mismatches}


def compare_counts(expected: dict[str, int], found: dict[str, int]) -> list[str]:
    problems = []
    for table in sorted(set(expected) | set(found)):
        if expected.get(table) != found.get(table):
            problems.append(f"table {table}: {expected.get(table)} rows in the backup, {found.get(table)} restored")
    return problems


def remove_partial(output: Path) -> None:
    """A backup that failed half-way is removed (it has no manifest, so restore would refuse it anyway)."""
    if output.is_dir() and not (output / folder.MANIFEST).exists():
        shutil.rmtree(output, ignore_errors=True)
