import os
import shutil
import sqlite3

import pytest
from django.conf import settings

from portal.accounts.enums import Role

from . import databases, factories


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """The test database cloned from a template migrated once (tests/databases.py), not migrated per process.
    --reuse-db and --nomigrations keep pytest-django's own set-up."""
    if django_db_keepdb or not django_db_use_migrations:
        yield from _pytest_django_db_setup(request, django_db_blocker, django_db_use_migrations, django_db_keepdb)
        return
    from django.db import connections

    connection = connections[databases.ALIAS]
    with django_db_blocker.unblock():
        test_databases = databases.for_connection()
        old_name = test_databases.setup()
        if any(
            marker.kwargs.get("serialized_rollback")
            for item in request.session.items
            for marker in item.iter_markers("django_db")
        ):
            connection._test_serialized_contents = connection.creation.serialize_db_to_string()
            connection.creation.deserialize_db_from_string = databases.restore_in_bulk(connection)
    yield test_databases
    with django_db_blocker.unblock():
        test_databases.teardown()
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _pytest_django_db_setup(request, django_db_blocker, use_migrations, keepdb):
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    if not use_migrations:
        _disable_migrations()
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    with django_db_blocker.unblock():
        config = setup_databases(
            verbosity=0, interactive=False, keepdb=keepdb, aliases=aliases, serialized_aliases=serialized_aliases
        )
    yield None
    if not keepdb:
        with django_db_blocker.unblock():
            teardown_databases(config, verbosity=0)


@pytest.fixture
def demo_data(request, django_db_setup, django_db_blocker):
    """The demo data set (`manage.py load_demo`) in the test database: loaded once into a template, restored for
    each test that asks for it (set up before the test's transaction; see pytest_collection_modifyitems), the
    empty database back after it. A test's own load_demo then finds everything in place and changes nothing."""
    if django_db_setup is None:  # pytest-django's own set-up: the test loads the demo itself
        yield
        return
    with django_db_blocker.unblock():
        django_db_setup.use_demo()
    yield
    with django_db_blocker.unblock():
        if {"transactional_db", "live_server"} & set(request.fixturenames):  # flushed at the end of the test
            django_db_setup.spoil_demo()
        django_db_setup.use_schema()


# Seconds each on an idle 2-core machine (measured with --durations): PDF reports, decompression bombs,
# query-count tests over many rows, the dev/production server connection tests. Marked `slow` with the demo,
# browser and transactional tests, so that `-m "not slow"` leaves them out; `make test` runs everything.
SLOW = (
    "tests/products/test_upload_checks.py::test_image_beyond_pillows_bomb_limit_is_refused_as_too_large_not_damaged",
    "tests/products/test_upload_checks.py::test_large_photo_is_scaled_down",
    "tests/portal/reports/test_views.py::test_national_accounts_read_every_province[",
    "tests/portal/reports/test_views.py::test_staff_read_their_province_and_the_old_one_merged_into_it_but_not_",
    "tests/portal/reports/test_views.py::test_the_extension_workbook_and_pdf_show_money_in_vnd",
    "tests/portal/reports/test_views.py::test_a_ministry_report_is_headed_by_the_ministry",
    "tests/portal/dashboards/test_dashboard.py::test_every_count_links_to_a_list_with_the_same_count[",
    "tests/portal/catalogue/test_list.py::test_query_count_does_not_grow_with_the_data[",
    "tests/portal/catalogue/test_list.py::test_warm_cache_costs_one_query",
    "tests/products/test_producer_record.py::test_record_costs_the_same_queries_with_one_or_ten_products",
    "tests/awards/views/test_passes_views.py::test_assignment_page_query_count_does_not_grow",
    "tests/awards/test_results.py::test_results_page_query_count_does_not_grow",
    "tests/products/views/test_staff.py::test_producer_detail_query_count_does_not_grow_with_rows",
)


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(config, items):
    if os.environ.get("ONCE_IN_CI") and settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        once = [item for item in items if item.get_closest_marker("once_in_ci")]
        if once:
            config.hook.pytest_deselected(items=once)
            items[:] = [item for item in items if not item.get_closest_marker("once_in_ci")]
    for item in items:
        if item.nodeid.startswith(SLOW):
            item.add_marker(pytest.mark.slow)
        names = getattr(item, "fixturenames", None)
        if names and "demo_data" in names:
            # Before pytest-django's autouse fixture opens the test's transaction on the database.
            names.remove("demo_data")
            names.insert(0, "demo_data")
            item.add_marker(pytest.mark.slow)
        if "tests/browser/" in item.nodeid or item.get_closest_marker("transactional"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def shared_database(transactional_db, tmp_path):
    """The test database where other processes and threads reach it with their own connections (worker
    processes, concurrent workers); yields its DATABASE_URL. On PostgreSQL, the test database itself. On SQLite,
    the in-memory test database is copied to a file that every connection of the test uses until the end; then
    the in-memory one, kept open and untouched, is back for the flush. For tests that commit (`transactional`)."""
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        yield f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        return
    connection.ensure_connection()
    memory, name, path = connection.connection, db["NAME"], tmp_path / "shared.sqlite3"
    copy = sqlite3.connect(path)
    memory.backup(copy)
    copy.close()
    connection.connection = None
    db["NAME"] = str(path)  # the dict every thread's connection is made from
    try:
        yield f"sqlite:///{path}"
    finally:
        connection.close()
        db["NAME"] = name
        connection.connection = memory


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@pytest.fixture(autouse=True)
def _site_identity_in_memory():
    """Pages read the department's identity from the process's memory (portal.site_identity), filled by the
    first page a process serves: each test starts as in a process that has served one, with no identity set up
    (a test that saves one replaces it; a test on the demo data calls `site_identity.forget()` to read it)."""
    from portal import site_identity

    site_identity.remember(None)
    yield
    site_identity.forget()


@pytest.fixture
def producer_a(db):
    return factories.producer("HTX Tâm Hòa", "Cao Bằng")


@pytest.fixture
def producer_b(db):
    return factories.producer("Công ty TNHH MTV 688", "Cao Bằng")


@pytest.fixture
def producer_other_province(db):
    return factories.producer("HTX Tân Phát Lợi", "Cà Mau")


@pytest.fixture
def product_a(producer_a):
    return factories.product(producer_a, "Lạp sườn Tâm Hòa")


@pytest.fixture
def product_b(producer_b):
    return factories.product(producer_b, "Chiếu trúc", group_code="1")


@pytest.fixture
def staff_user(db):
    return factories.UserFactory(
        role=Role.STAFF, organization=factories.organization("Cao Bằng"), is_staff=True, full_name="Cán bộ Sở Cao Bằng"
    )


@pytest.fixture
def other_staff_user(db):
    return factories.UserFactory(
        role=Role.STAFF, organization=factories.organization("Cà Mau"), is_staff=True, full_name="Cán bộ Sở Cà Mau"
    )


@pytest.fixture
def superuser(db):
    return factories.UserFactory(role=Role.STAFF, is_staff=True, is_superuser=True, full_name="Quản trị")


@pytest.fixture
def ministry_user(db):
    """A national account (ministry official): reads every province's dashboards and reports, writes nothing."""
    return factories.UserFactory(
        role=Role.MINISTRY, organization=factories.ministry_organization(), full_name="Chuyên viên Bộ"
    )


@pytest.fixture
def member_user(db):
    return factories.UserFactory(role=Role.MEMBER, full_name="Thành viên Hội đồng")


@pytest.fixture
def producer_user(producer_a):
    return factories.UserFactory(role=Role.PRODUCER, producer=producer_a, full_name="Nguyễn Thanh Tâm")


@pytest.fixture
def producer_b_user(producer_b):
    return factories.UserFactory(role=Role.PRODUCER, producer=producer_b, full_name="Nguyễn Quang Quyền")


def pytest_configure(config):
    settings.LANGUAGE_CODE = "vi"
