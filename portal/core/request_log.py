"""Request ids and the slow-request log.

Every request gets an id: the proxy's `X-Request-ID` when it sends a sane one, else a new one. The id is
returned in the response's `X-Request-ID` header and added to every log record written while the request runs
(`RequestIdFilter`), so one line in the proxy's log leads to every line the portal wrote for it. A request
slower than `SLOW_REQUEST_MS` is logged on the `portal.slow` logger with its method, path, status and time."""

import contextvars
import logging
import re
import time
import uuid

from django.conf import settings

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
slow_log = logging.getLogger("portal.slow")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (the handlers' formatters print it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = given if SANE_ID.match(given) else uuid.uuid4().hex
        token = _request_id.set(request_id)
        request.request_id = request_id
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            elapsed_ms = (time.perf_counter() - started) * 1000
            response.headers["X-Request-ID"] = request_id
            threshold = settings.SLOW_REQUEST_MS
            if threshold and elapsed_ms >= threshold:
                slow_log.warning(
                    "slow request %s %s: %d in %.0f ms",
                    request.method,
                    request.path,
                    response.status_code,
                    elapsed_ms,
                    extra={
                        "method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                        "duration_ms": round(elapsed_ms),
                    },
                )
            return response
        finally:
            _request_id.reset(token)
