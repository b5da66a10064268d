"""`make run` serves with runserver, which starts a new thread for every request: a persistent database connection
(CONN_MAX_AGE > 0) would stay open after its thread ends, one idle connection per request, until PostgreSQL
refuses clients. The development settings therefore close each request's connection at request_finished."""

import importlib
import os
import queue
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.management.commands.runserver import Command as RunserverCommand
from django.core.servers.basehttp import run as basehttp_run
from django.db import connection, connections

from portal.settings.base import BASE_DIR

BURST = 50


def _settings_value(module, env, expression):
    """A value from a settings module as it loads in a fresh process with the given environment."""
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    clean = {k: v for k, v in os.environ.items() if k not in {"CONN_MAX_AGE", "DATABASE_URL"}}
    result = subprocess.run(  # noqa: S603 (our own interpreter and settings)
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": module, **env},
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


PG = {"DATABASE_URL": "postgres://cnnt@127.0.0.1:5432/cnnt"}
PRODUCTION = {"SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "cnnt.example.gov.vn", **PG}


def test_dev_settings_never_keep_connections_even_if_the_environment_asks():
    value = _settings_value("portal.settings.dev", {**PG, "CONN_MAX_AGE": "60"}, "settings.DATABASES['default']")
    assert "'CONN_MAX_AGE': 0" in value


def test_production_settings_keep_connections_with_health_checks():
    value = _settings_value("portal.settings.production", PRODUCTION, "settings.DATABASES['default']")
    assert "'CONN_MAX_AGE': 60" in value
    assert "'CONN_HEALTH_CHECKS': True" in value
    value = _settings_value(
        "portal.settings.production", {**PRODUCTION, "CONN_MAX_AGE": "300"}, "settings.DATABASES['default']"
    )
    assert "'CONN_MAX_AGE': 300" in value


def _connections_to_test_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return cursor.fetchone()[0]


@pytest.mark.transactional
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="counts server connections in pg_stat_activity: PostgreSQL only; CI runs the suite on PostgreSQL too",
)
def test_burst_of_requests_to_the_dev_server_leaves_no_idle_connections(monkeypatch):
    # The connection settings `manage.py runserver` gets from portal.settings.dev, applied to the test database.
    dev = importlib.import_module("portal.settings.dev").DATABASES["default"]
    for key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS"):
        monkeypatch.setitem(connections.settings["default"], key, dev.get(key, 0 if key == "CONN_MAX_AGE" else False))

    # runserver's own serving loop: django.core.servers.basehttp.run with threading=True and runserver's server
    # class (a new thread per request; request_started/request_finished call close_old_connections).
    servers = queue.Queue()

    class Server(RunserverCommand.server_cls):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            servers.put(self)

    serving = threading.Thread(
        target=basehttp_run,
        args=("127.0.0.1", 0, WSGIHandler()),
        kwargs={"threading": True, "server_cls": Server},
        daemon=True,
    )
    before = _connections_to_test_database()
    serving.start()
    server = servers.get(timeout=10)
    url = f"http://127.0.0.1:{server.server_port}/healthz"
    barrier = threading.Barrier(BURST)

    def fetch(_):
        barrier.wait(timeout=30)
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status

    try:
        with ThreadPoolExecutor(max_workers=BURST) as pool:
            statuses = list(pool.map(fetch, range(BURST)))
    finally:
        server.shutdown()
        server.server_close()
        serving.join(timeout=10)
    assert statuses == [200] * BURST

    # A closed connection leaves pg_stat_activity a moment after the client hangs up.
    deadline = time.monotonic() + 5
    after = _connections_to_test_database()
    while after > before and time.monotonic() < deadline:
        time.sleep(0.1)
        after = _connections_to_test_database()
    assert after == before, f"{after - before} connections left open by {BURST} requests"
