"""The PostgreSQL side of a backup: a read-only snapshot that counts every table and is handed to pg_dump (so the
counts describe exactly what was dumped), and pg_restore into an empty database. Client programs get the password
through the environment (PGPASSWORD), never on their command line."""

import contextlib
import os
import re
import shutil
import subprocess

import environ
import psycopg
from psycopg import sql

POSTGRES_ENGINES = ("django.db.backends.postgresql", "django.contrib.gis.db.backends.postgis")
SYSTEM_SCHEMAS = ("pg_catalog", "information_schema", "pg_toast")


class BackupError(Exception):
    """A refusal or failure to report to the operator (the commands turn it into a CommandError)."""


def settings_from_url(url: str) -> dict:
    """A Django DATABASES entry for a database URL (django-environ, as settings/base.py reads DATABASE_URL)."""
    try:
        return environ.Env.db_url_config(url)
    except Exception as error:  # django-environ raises several kinds for a malformed URL
        raise BackupError(f"Cannot read the database URL: {error}") from error


def is_postgres(settings_dict: dict) -> bool:
    return settings_dict.get("ENGINE") in POSTGRES_ENGINES


def _params(settings_dict: dict) -> dict:
    params = {
        "dbname": settings_dict.get("NAME") or "",
        "user": settings_dict.get("USER") or "",
        "host": settings_dict.get("HOST") or "",
        "port": str(settings_dict.get("PORT") or ""),
        "password": settings_dict.get("PASSWORD") or "",
    }
    return {key: value for key, value in params.items() if value}


def connect(settings_dict: dict, **kwargs) -> psycopg.Connection:
    try:
        return psycopg.connect(**_params(settings_dict), **kwargs)
    except psycopg.OperationalError as error:
        raise BackupError(f"Cannot connect to database {settings_dict.get('NAME')!r}: {error}") from error


def client_environment(settings_dict: dict) -> dict:
    """The environment of pg_dump / pg_restore: the connection in PG* variables (the password out of `ps`)."""
    names = {"dbname": "PGDATABASE", "user": "PGUSER", "host": "PGHOST", "port": "PGPORT", "password": "PGPASSWORD"}
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    environment.update({names[key]: value for key, value in _params(settings_dict).items()})
    return environment


def program(name: str) -> str:
    """The path of a PostgreSQL client program (PG_BIN_DIR first, for a client matching the server)."""
    folder = os.environ.get("PG_BIN_DIR")
    found = shutil.which(name, path=folder) if folder else shutil.which(name)
    if not found:
        raise BackupError(f"{name} not found: install the PostgreSQL client matching the server, or set PG_BIN_DIR.")
    return found


def program_version(name: str) -> str:
    result = subprocess.run([program(name), "--version"], capture_output=True, text=True, check=False)  # noqa: S603
    return result.stdout.strip()


def user_tables(cursor) -> list[str]:
    """Every ordinary and partitioned table outside PostgreSQL's own schemas, as "schema.table", sorted."""
    cursor.execute(
        "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p') AND n.nspname <> ALL(%s) AND n.nspname NOT LIKE 'pg\\_temp\\_%%' "
        "ORDER BY 1, 2",
        [list(SYSTEM_SCHEMAS)],
    )
    return [f"{schema}.{table}" for schema, table in cursor.fetchall()]


def row_counts(cursor) -> dict[str, int]:
    counts = {}
    for name in user_tables(cursor):
        schema, table = name.split(".", 1)
        cursor.execute(sql.SQL("SELECT count(*) FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(table)))
        counts[name] = cursor.fetchone()[0]
    return counts


def applied_migrations(cursor) -> dict[str, list[str]]:
    """The migrations recorded in django_migrations, per app (empty when the table does not exist)."""
    if "public.django_migrations" not in user_tables(cursor):
        return {}
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


@contextlib.contextmanager
def snapshot(settings_dict: dict):
    """A read-only REPEATABLE READ transaction kept open while its snapshot is exported: yields (cursor, snapshot
    id) for pg_dump's --snapshot, so the dump and the counts read in the transaction see the same data."""
    with connect(settings_dict, autocommit=True) as connection:
        connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot_id, server_version = cursor.fetchone()
            try:
                yield cursor, snapshot_id, server_version
            finally:
                connection.execute("ROLLBACK")


def dump(settings_dict: dict, snapshot_id: str, target) -> None:
    command = [program("pg_dump"), "--format=custom", f"--snapshot={snapshot_id}", f"--file={target}"]
    _run(command, settings_dict, "pg_dump")


def restore(settings_dict: dict, source) -> None:
    """pg_restore into the (empty) database, as one transaction: a failure leaves it empty. Ownership and grants
    are not restored (the restoring role owns everything), so the dump restores under another role name."""
    command = [
        program("pg_restore"),
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        f"--dbname={settings_dict['NAME']}",
        str(source),
    ]
    _run(command, settings_dict, "pg_restore")


def _run(command: list[str], settings_dict: dict, name: str) -> None:
    environment = client_environment(settings_dict)
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        message = re.sub(r"\s+", " ", result.stderr).strip()
        raise BackupError(f"{name} failed (exit {result.returncode}): {message}")


def ensure_empty(settings_dict: dict) -> None:
    """Refuse a restore target that is not PostgreSQL, cannot be reached or holds any table."""
    if not is_postgres(settings_dict):
        raise BackupError("The restore target must be a PostgreSQL database (the backup is a pg_dump archive).")
    with connect(settings_dict) as connection, connection.cursor() as cursor:
        tables = user_tables(cursor)
    if tables:
        raise BackupError(
            f"Database {settings_dict['NAME']!r} is not empty ({len(tables)} tables, e.g. {tables[0]}): "
            "restore only into a new, empty database."
        )


def counts_of(settings_dict: dict) -> tuple[dict[str, int], dict[str, list[str]]]:
    with connect(settings_dict) as connection, connection.cursor() as cursor:
        return row_counts(cursor), applied_migrations(cursor)
