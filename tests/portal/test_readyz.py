"""/readyz: ready only with the database up and migrated, a live worker and free disk; says which check failed."""

import datetime
from collections import namedtuple

import pytest
from django.db import connections
from django.db.utils import DatabaseError
from django.utils import timezone

from portal import views
from portal.models import ScheduledJob

Usage = namedtuple("Usage", "total used free")


@pytest.fixture(autouse=True)
def file_store(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    (tmp_path / "media").mkdir()


@pytest.fixture
def worker_alive(db):
    ScheduledJob.objects.update_or_create(name="resume_exports", defaults={"started_at": timezone.now()})


def test_ready_with_database_migrations_worker_and_disk(client, worker_alive):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["failed"] == []
    assert body["database"] == "up"
    assert body["migrations"] == "applied"
    assert body["worker_seconds_since_heartbeat"] <= 5


def test_not_ready_when_no_worker_ever_ran(client, db):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["worker"]


def test_not_ready_when_the_worker_heartbeat_is_stale(client, db, settings):
    settings.READY_WORKER_SECONDS = 120
    stale = timezone.now() - datetime.timedelta(minutes=5)
    ScheduledJob.objects.update_or_create(name="resume_exports", defaults={"started_at": stale})
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["worker"]
    assert response.json()["worker_seconds_since_heartbeat"] >= 300


def test_not_ready_when_the_disk_is_nearly_full(client, worker_alive, monkeypatch, settings):
    settings.READY_MIN_FREE_MB = 500
    monkeypatch.setattr(views.shutil, "disk_usage", lambda path: Usage(10**12, 10**12 - 100 * 2**20, 100 * 2**20))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["disk"]
    assert response.json()["free_disk_mb"] == 100


def test_not_ready_while_a_migration_is_not_applied(client, worker_alive, monkeypatch):
    class PendingExecutor:
        def __init__(self, connection):
            self.loader = type("Loader", (), {"graph": type("Graph", (), {"leaf_nodes": lambda self: []})()})()

        def migration_plan(self, targets):
            return [("awards", "0099_future")]

    monkeypatch.setattr(views, "_migrations_applied", False)
    monkeypatch.setattr(views, "MigrationExecutor", PendingExecutor)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["migrations"] == "1 not applied"
    assert response.json()["failed"] == ["migrations"]


def test_not_ready_when_the_database_is_down(client, worker_alive, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    with monkeypatch.context() as m:
        m.setattr(views, "_migrations_applied", True)
        m.setattr(connections["default"], "cursor", broken_cursor)
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"
    assert "database" in response.json()["failed"]


def test_not_ready_when_the_file_store_is_missing(client, worker_alive, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "not-mounted")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["disk"]
