"""Test databases built once and cloned: every pytest process (each xdist worker, the transactional and the
browser runs) used to migrate its own database, minutes on PostgreSQL.

The migrated schema with its reference data is kept as a template, named by a fingerprint of the migrations
and of the modules their data migrations import: a changed migration builds a new template (the stale one is
dropped), an unchanged one is cloned in about a second. The demo data set (`manage.py load_demo`) is kept the
same way, as a second template fingerprinted also by the application code and today's date (the demo's dates
count from today); only tests that ask for the `demo_data` fixture see it.

- SQLite: the templates are files under var/test-db/; a process's in-memory test database is filled from them
  with SQLite's backup API, and a demo test gets the demo's contents restored into it, the schema's after.
- PostgreSQL: the templates are databases `test_<name>_tpl_<fingerprint>` and `test_<name>_demo_<fingerprint>`
  (kept for the next run; `.ci/run` drops every `test_<name>%` at exit); each process gets
  `CREATE DATABASE … TEMPLATE …`, a demo test runs on the process's own clone of the demo template.

A file lock serialises the builds and clones of concurrent processes."""

import contextlib
import fcntl
import hashlib
import io
import os
import re
import shutil
import sqlite3
import tempfile
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connections, transaction
from django.test.utils import override_settings
from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "var" / "test-db"
APPS = ("portal", "products", "awards", "extension_projects")
ALIAS = "default"


# --- fingerprints ---


def _files(*patterns: str) -> list[Path]:
    found = set()
    for pattern in patterns:
        found.update(p for p in ROOT.glob(pattern) if p.is_file() and "__pycache__" not in p.parts)
    return sorted(found)


def _digest(paths, *extra: str) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    for text in extra:
        digest.update(text.encode())
    return digest.hexdigest()[:12]


def _imported_modules(migration: Path) -> list[Path]:
    """Our modules a migration imports (data migrations call into products.units and the like)."""
    names = re.findall(rf"^\s*(?:from|import)\s+((?:{'|'.join(APPS)})(?:\.\w+)*)", migration.read_text(), re.M)
    paths = []
    for name in names:
        base = ROOT.joinpath(*name.split("."))
        paths += (
            [base.with_suffix(".py")]
            if base.with_suffix(".py").is_file()
            else _files(f"{name.replace('.', '/')}/**/*.py")
        )
    return paths


def schema_fingerprint() -> str:
    migrations = _files(*(f"{app}/**/migrations/*.py" for app in APPS))
    imported = {path for migration in migrations for path in _imported_modules(migration)}
    inputs = [*migrations, *sorted(imported), ROOT / "requirements.lock", *_files("portal/settings/*.py")]
    return _digest(inputs, settings.DATABASES[ALIAS]["ENGINE"])


def demo_fingerprint() -> str:
    code = _files(*(f"{app}/**/*.py" for app in APPS), *(f"{app}/**/*.json" for app in APPS))
    return _digest(code, schema_fingerprint(), timezone.localdate().isoformat())


@contextlib.contextmanager
def _lock(name: str):
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / f"{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _load_demo() -> None:
    """The demo, loaded into the current test database (committed); its photos go to a throwaway folder."""
    media = tempfile.mkdtemp(prefix="cnnt-demo-media-")
    try:
        with override_settings(MEDIA_ROOT=media):
            call_command("load_demo", stdout=io.StringIO())
    finally:
        shutil.rmtree(media, ignore_errors=True)


# --- serialized rollback ---


def restore_in_bulk(connection):
    """A `deserialize_db_from_string` for tests with serialized_rollback: the reference data back into the
    emptied database with one raw insert per table (and per many-to-many table) instead of one save per row,
    seconds for each browser test. Raw as Django's own (no save(), no auto_now, signals are not for raw rows)."""

    def restore(data: str) -> None:
        objects, links = {}, {}
        for deserialized in serializers.deserialize("json", io.StringIO(data), using=connection.alias):
            obj = deserialized.object
            objects.setdefault(type(obj), []).append(obj)
            for name, values in (deserialized.m2m_data or {}).items():
                field = obj._meta.get_field(name)
                through = field.remote_field.through
                source, target = field.m2m_column_name(), field.m2m_reverse_name()
                links.setdefault(through, []).extend(through(**{source: obj.pk, target: v}) for v in values)
        if any(model._base_manager.using(connection.alias).exists() for model in (*objects, *links)):
            # No flush since the set-up (the process's first such test): emptied as a transactional test's
            # teardown empties it, the rows then come back exactly as serialized.
            tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
            connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables))
        with transaction.atomic(using=connection.alias), connection.constraint_checks_disabled():
            for model, rows in objects.items():
                fields = [f for f in model._meta.local_concrete_fields if not f.generated]
                batch = max(1, connection.ops.bulk_batch_size(fields, rows))
                for start in range(0, len(rows), batch):
                    model._base_manager.using(connection.alias)._insert(
                        rows[start : start + batch], fields=fields, raw=True, using=connection.alias
                    )
            for through, rows in links.items():
                through._base_manager.using(connection.alias).bulk_create(rows)
        connection.check_constraints(table_names=[m._meta.db_table for m in (*objects, *links)])

    return restore


# --- SQLite ---


class SqliteDatabases:
    """The process's test database stays where Django puts it (in memory unless TEST NAME says otherwise); only
    its contents come from the template files."""

    def __init__(self):
        self.connection = connections[ALIAS]
        self.prefix = "sqlite-"
        self.schema = CACHE / f"{self.prefix}schema-{schema_fingerprint()}.sqlite3"

    def setup(self) -> str:
        """Point the connection at its test database, filled from the schema template; returns the old name."""
        with _lock("sqlite"):
            if not self.schema.exists():
                self._build_schema()
        old_name = self.connection.settings_dict["NAME"]
        test_name = self.connection.creation._get_test_db_name()
        if not self.connection.creation.is_in_memory_db(test_name):
            Path(test_name).unlink(missing_ok=True)
        self.connection.close()
        settings.DATABASES[ALIAS]["NAME"] = self.connection.settings_dict["NAME"] = test_name
        self._restore(self.schema)
        return old_name

    def teardown(self) -> None:
        """Nothing of its own to drop: the process's database goes with Django's destroy_test_db."""

    def use_demo(self) -> None:
        with _lock("sqlite"):
            demo = CACHE / f"{self.prefix}demo-{demo_fingerprint()}.sqlite3"
            if not demo.exists():
                self._build_demo(demo)
        self._restore(demo)

    def use_schema(self) -> None:
        self._restore(self.schema)

    def spoil_demo(self) -> None:
        """Nothing to do: every use restores the demo from its template file."""

    def _restore(self, template: Path) -> None:
        self.connection.ensure_connection()
        source = sqlite3.connect(template)
        try:
            source.backup(self.connection.connection)
        finally:
            source.close()

    def _save(self, target: Path) -> None:
        """The current test database into a template file, written aside and renamed (never half a file)."""
        partial = target.with_suffix(f".{os.getpid()}.partial")
        copy = sqlite3.connect(partial)
        try:
            self.connection.connection.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
        os.replace(partial, target)

    def _build_schema(self) -> None:
        for stale in CACHE.glob(f"{self.prefix}*.sqlite3"):
            stale.unlink()
        test_settings = self.connection.settings_dict.setdefault("TEST", {})
        saved = test_settings.get("NAME")
        test_settings["NAME"] = None  # in memory, whatever the process's own test database is
        try:
            old_name = self.connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
            self._save(self.schema)
            self.connection.creation.destroy_test_db(old_name, verbosity=0)
        finally:
            test_settings["NAME"] = saved

    def _build_demo(self, demo: Path) -> None:
        for stale in CACHE.glob(f"{self.prefix}demo-*.sqlite3"):
            stale.unlink()
        _load_demo()
        self._save(demo)


# --- PostgreSQL ---


class PostgresDatabases:
    def __init__(self):
        self.connection = connections[ALIAS]
        base = f"test_{self.connection.settings_dict['NAME']}"
        self.lock = f"pg-{base}"
        self.schema = f"{base}_tpl_{schema_fingerprint()}"
        self.demo_prefix = f"{base}_demo_"
        self.building = f"{base}_building"
        self.test_name = None
        self.demo_name = None
        self.demo_spoiled = False  # a test committed to (and then emptied) the process's copy of the demo

    def setup(self) -> str:
        with _lock(self.lock):
            if not self._exists(self.schema):
                self._build(self.schema, source=None, stale=self.schema.rsplit("_", 1)[0] + "_")
            self.test_name = self.connection.creation._get_test_db_name()
            self._clone(self.schema, self.test_name)
        old_name = self.connection.settings_dict["NAME"]
        self._switch(self.test_name)
        return old_name

    def teardown(self) -> None:
        if self.demo_name:
            self.connection.close()
            with self.connection.creation._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {_quoted(self.demo_name)}")

    def use_demo(self) -> None:
        if not self.demo_name or self.demo_spoiled:
            self.demo_spoiled = False
            demo = f"{self.demo_prefix}{demo_fingerprint()}"
            with _lock(self.lock):
                if not self._exists(demo):
                    self._build(demo, source=self.schema, stale=self.demo_prefix)
                self.demo_name = f"{self.test_name}_demo"
                self._clone(demo, self.demo_name)
        self._switch(self.demo_name)

    def use_schema(self) -> None:
        self._switch(self.test_name)
        self._carry_over()

    def spoil_demo(self) -> None:
        self.demo_spoiled = True

    def _carry_over(self) -> None:
        """A browser test on the demo can leave this thread with another connection object than the one set up
        (seen on PostgreSQL after the live server started within it): the next tests' serialized rollback must
        still find its contents, and the switches above must act on the connection in use."""
        current = connections[ALIAS]
        if current is self.connection:
            return
        if hasattr(self.connection, "_test_serialized_contents"):
            current._test_serialized_contents = self.connection._test_serialized_contents
            current.creation.deserialize_db_from_string = restore_in_bulk(current)
        current.close()
        current.settings_dict["NAME"] = self.test_name
        self.connection = current

    def _switch(self, name: str) -> None:
        self.connection.close()
        settings.DATABASES[ALIAS]["NAME"] = self.connection.settings_dict["NAME"] = name

    def _exists(self, name: str) -> bool:
        with self.connection.creation._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return cursor.fetchone() is not None

    def _clone(self, template: str, target: str) -> None:
        self.connection.close()
        with self.connection.creation._nodb_cursor() as cursor:
            # FORCE: a live server's threads may still hold a connection to the copy a browser test used
            cursor.execute(f"DROP DATABASE IF EXISTS {_quoted(target)} WITH (FORCE)")
            cursor.execute(f"CREATE DATABASE {_quoted(target)} TEMPLATE {_quoted(template)}")

    def _build(self, name: str, *, source: str | None, stale: str) -> None:
        """Migrate (source None) or load the demo into a copy of source, then rename: a template exists whole."""
        with self.connection.creation._nodb_cursor() as cursor:
            cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [stale.replace("_", r"\_") + "%"])
            for (old,) in cursor.fetchall():
                cursor.execute(f"DROP DATABASE IF EXISTS {_quoted(old)}")
        old_name = self.connection.settings_dict["NAME"]
        if source is None:
            test_settings = self.connection.settings_dict.setdefault("TEST", {})
            saved = test_settings.get("NAME")
            test_settings["NAME"] = self.building
            try:
                self.connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
            finally:
                test_settings["NAME"] = saved
        else:
            self._clone(source, self.building)
            self._switch(self.building)
            _load_demo()
        self._switch(old_name)
        with self.connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"ALTER DATABASE {_quoted(self.building)} RENAME TO {_quoted(name)}")


def _quoted(name: str) -> str:
    """A database name for DDL, which takes no parameters: the names are built here from the settings' name and a
    hex fingerprint, so anything but letters, digits, hyphens and underscores is refused rather than quoted."""
    if not re.fullmatch(r"[A-Za-z0-9_-]+", name):
        raise ValueError(f"unexpected test database name {name!r}")
    return f'"{name}"'


def for_connection():
    vendor = connections[ALIAS].vendor
    if vendor == "sqlite":
        return SqliteDatabases()
    if vendor == "postgresql":
        return PostgresDatabases()
    raise NotImplementedError(f"no test database templates for {vendor}")
