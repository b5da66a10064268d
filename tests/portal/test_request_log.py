"""Request ids in responses and logs, the slow-request log, and the JSON log format production uses."""

import copy
import io
import json
import logging
import logging.config

import pytest

from portal.core import request_log


def test_every_response_carries_a_request_id(client, db):
    first = client.get("/healthz")
    second = client.get("/healthz")
    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_the_proxy_request_id_is_kept_and_a_hostile_one_replaced(client, db):
    kept = client.get("/healthz", HTTP_X_REQUEST_ID="nginx-4f2a9c1e77")
    assert kept["X-Request-ID"] == "nginx-4f2a9c1e77"
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\r\nSet-Cookie: x=1")
    assert replaced["X-Request-ID"] != "bad id\r\nSet-Cookie: x=1"
    assert len(replaced["X-Request-ID"]) == 32


@pytest.fixture
def fake_clock(monkeypatch):
    """perf_counter answers 100.0 then 102.5: every request seems to take 2,500 ms."""
    ticks = iter([100.0, 102.5])
    monkeypatch.setattr(request_log.time, "perf_counter", lambda: next(ticks))


def test_a_slow_request_is_logged_with_its_id_path_status_and_time(client, db, fake_clock, caplog, settings):
    settings.SLOW_REQUEST_MS = 1000
    with caplog.at_level(logging.WARNING, logger="portal.slow"):
        response = client.get("/healthz", HTTP_X_REQUEST_ID="req-slow-000001")
    [record] = [r for r in caplog.records if r.name == "portal.slow"]
    assert record.getMessage() == "slow request GET /healthz: 200 in 2500 ms"
    assert (record.path, record.status, record.duration_ms) == ("/healthz", 200, 2500)
    assert response["X-Request-ID"] == "req-slow-000001"


def test_no_slow_log_under_the_threshold_or_when_off(client, db, fake_clock, caplog, settings):
    settings.SLOW_REQUEST_MS = 0
    with caplog.at_level(logging.WARNING, logger="portal.slow"):
        client.get("/healthz")
    assert not [r for r in caplog.records if r.name == "portal.slow"]


def test_json_log_lines_carry_the_request_id(client, db, fake_clock, settings):
    settings.SLOW_REQUEST_MS = 1000
    config = copy.deepcopy(settings.LOGGING)
    config["handlers"]["console"]["formatter"] = "json"
    buffer = io.StringIO()
    try:
        logging.config.dictConfig(config)
        logging.getLogger().handlers[0].setStream(buffer)
        client.get("/healthz", HTTP_X_REQUEST_ID="req-json-000001")
    finally:
        logging.config.dictConfig(settings.LOGGING)
    [line] = [json.loads(text) for text in buffer.getvalue().splitlines() if "portal.slow" in text]
    assert line["logger"] == "portal.slow"
    assert line["level"] == "WARNING"
    assert line["request_id"] == "req-json-000001"
    assert line["status"] == 200
    assert line["duration_ms"] == 2500
