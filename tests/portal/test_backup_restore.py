"""`manage.py backup` and `manage.py restore` (portal.backup): the demo backed up, restored into a new database and
a new media root, and compared — row counts of every table, checksums of every file, and a certificate verified
by the public page against the restored database. A changed backup is refused before anything is restored.
PostgreSQL only (pg_dump); on SQLite the commands refuse with a clear message."""

import hashlib
import io
import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from awards.enums import CertificateState
from awards.models import Certificate
from portal.settings.base import BASE_DIR

pytestmark = pytest.mark.django_db
on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump backups need PostgreSQL")
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite refusal")

STORED = {
    "products/photos/lap-suon.jpg": b"\xff\xd8\xff\xe0 photo bytes",
    "awards/certificates/2027/Giấy chứng nhận 1.pdf": b"%PDF-1.7 certificate bytes",
    "imports/danh-sach.xlsx": os.urandom(2048),
}
SIGNING_KEY = "signing-keys/so-cong-thuong.p12"


def _checksums(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


def _server(dbname: str) -> dict:
    settings_dict = connection.settings_dict
    params = {"dbname": dbname, "user": settings_dict["USER"], "host": settings_dict["HOST"]}
    params.update({"port": settings_dict["PORT"]} if settings_dict["PORT"] else {})
    params.update({"password": settings_dict["PASSWORD"]} if settings_dict["PASSWORD"] else {})
    return params


def _url(dbname: str) -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{dbname}"


def _admin(statement: str) -> None:
    with psycopg.connect(**_server("postgres"), autocommit=True) as admin:
        admin.execute(statement)


def _exists(dbname: str) -> bool:
    with psycopg.connect(**_server("postgres")) as admin:
        return admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone() is not None


@pytest.fixture
def new_database():
    """The name of a new, empty database (named after the test database, so .ci/run's clean-up finds a leftover),
    dropped after the test."""
    name = f"{connection.settings_dict['NAME']}_restored_{uuid.uuid4().hex[:8]}"
    _admin(f'CREATE DATABASE "{name}"')
    yield name
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def backup(demo_data, tmp_path, settings):
    """The demo with a few stored files (Vietnamese names included), backed up by the command; a signing key kept
    inside the media root, which the backup must leave out."""
    for name, content in STORED.items():
        assert default_storage.save(name, ContentFile(content)) == name
    settings.SIGNING_KEYS_ROOT = Path(settings.MEDIA_ROOT) / "signing-keys"
    default_storage.save(SIGNING_KEY, ContentFile(b"PKCS#12 private key"))
    out = io.StringIO()
    call_command("backup", output=tmp_path / "backup", stdout=out)
    assert "Backup written to" in out.getvalue()
    return tmp_path / "backup"


def _verify_page(database: str, media_root: Path, code: str) -> str:
    """The public verification page of `code` and of an unknown code, rendered by a separate process whose only
    database is the restored one."""
    script = (
        "from django.test import Client; from django.urls import reverse; c = Client(); "
        f"r = c.get(reverse('awards:verify.detail', args=[{code!r}])); "
        "u = c.get(reverse('awards:verify.detail', args=['A' * 20])); "
        "print(r.status_code, u.status_code); print(r.content.decode())"
    )
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TEST_MEDIA_ROOT"}}
    environment.update(
        DJANGO_SETTINGS_MODULE="portal.settings.test", DATABASE_URL=_url(database), TEST_MEDIA_ROOT=str(media_root)
    )
    result = subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def _valid_certificate() -> Certificate:
    return next(c for c in Certificate.objects.select_related("replaced_by") if c.state() == CertificateState.VALID)


@on_postgres
def test_the_demo_backed_up_and_restored_has_the_same_rows_files_and_verifiable_certificates(
    backup, new_database, tmp_path
):
    manifest = json.loads((backup / "manifest.json").read_text())
    expected_counts = {
        f"public.{model._meta.db_table}": model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.proxy and model._meta.managed
    }
    assert expected_counts.items() <= manifest["database"]["row_counts"].items()
    assert manifest["database"]["row_counts"]["public.awards_certificate"] > 0
    assert set(manifest["database"]["migrations"]) >= {"portal", "products", "awards", "extension_projects"}
    assert {item["path"] for item in manifest["excluded"]} >= {str(settings.SIGNING_KEYS_ROOT)}
    assert set(manifest["files"]) == set(STORED)  # not the signing key
    originals = _checksums(Path(settings.MEDIA_ROOT))
    del originals[SIGNING_KEY]

    checked = io.StringIO()
    call_command("restore", input=backup, check_only=True, stdout=checked)
    assert f"every checksum matches ({len(STORED)} files)" in checked.getvalue()

    restored_media = tmp_path / "restored-media"
    out = io.StringIO()
    call_command("restore", input=backup, database_url=_url(new_database), media_root=restored_media, stdout=out)

    assert "match the backup" in out.getvalue()
    with psycopg.connect(**_server(new_database)) as restored:
        for table, count in expected_counts.items():
            schema, name = table.split(".")
            assert restored.execute(f'SELECT count(*) FROM "{schema}"."{name}"').fetchone()[0] == count, table  # noqa: S608
    assert _checksums(restored_media) == originals
    certificate = _valid_certificate()
    page = _verify_page(new_database, restored_media, certificate.code)
    assert page.startswith("200 404")
    assert "Còn hiệu lực" in page
    assert certificate.product_name in page
    assert certificate.number in page


@on_postgres
@pytest.mark.parametrize("damage", ["changed file", "missing file", "extra file", "changed dump", "no manifest"])
def test_a_changed_backup_is_refused_naming_the_file_and_nothing_is_restored(backup, new_database, tmp_path, damage):
    photo = backup / "files" / "products" / "photos" / "lap-suon.jpg"
    if damage == "changed file":
        photo.write_bytes(b"\xff\xd8\xff\xe0 other bytes")
    elif damage == "missing file":
        photo.unlink()
    elif damage == "extra file":
        photo = backup / "files" / "products" / "photos" / "them.jpg"
        photo.write_bytes(b"added later")
    elif damage == "changed dump":
        photo = backup / "database.dump"
        with open(photo, "ab") as dump:
            dump.write(b"\0")
    else:
        photo = backup / "manifest.json"
        photo.unlink()
    restored_media = tmp_path / "restored-media"

    with pytest.raises(CommandError, match=re.escape(str(photo))):
        call_command("restore", input=backup, database_url=_url(new_database), media_root=restored_media)

    assert not restored_media.exists()
    with psycopg.connect(**_server(new_database)) as restored:
        assert restored.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0] == 0


@on_postgres
def test_restore_reports_a_row_count_that_differs_from_the_manifest(backup, new_database, tmp_path):
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["database"]["row_counts"]["public.awards_certificate"] += 1
    (backup / "manifest.json").write_text(json.dumps(manifest))
    errors = io.StringIO()

    with pytest.raises(CommandError, match=r"1 difference\(s\)"):
        call_command(
            "restore",
            input=backup,
            database_url=_url(new_database),
            media_root=tmp_path / "restored-media",
            stderr=errors,
        )

    assert "table public.awards_certificate" in errors.getvalue()


@on_postgres
def test_restore_refuses_a_database_that_is_not_empty_and_a_missing_target(backup, tmp_path):
    with pytest.raises(CommandError, match="is not empty"):
        call_command(
            "restore",
            input=backup,
            database_url=_url(connection.settings_dict["NAME"]),
            media_root=tmp_path / "restored-media",
        )
    with pytest.raises(CommandError, match="--force"):
        call_command("restore", input=backup, media_root=tmp_path / "restored-media")
    assert not (tmp_path / "restored-media").exists()


@on_postgres
def test_backup_refuses_a_folder_that_is_not_empty(demo_data, tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "keep.txt").write_text("mine")
    with pytest.raises(CommandError, match="not an empty folder"):
        call_command("backup", output=tmp_path / "old")
    assert [p.name for p in (tmp_path / "old").iterdir()] == ["keep.txt"]


@on_sqlite
def test_on_sqlite_backup_refuses_with_a_clear_message_and_writes_nothing(tmp_path):
    with pytest.raises(CommandError, match="Backups need PostgreSQL"):
        call_command("backup", output=tmp_path / "backup")
    assert not (tmp_path / "backup").exists()
