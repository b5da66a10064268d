import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


@pytest.fixture
def count_queries():
    """Number of queries one GET of `url` costs (after a first GET that warms per-process caches)."""

    def count(client, url, params=None):
        assert client.get(url, params).status_code == 200
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, params)
        assert response.status_code == 200
        return len(ctx.captured_queries), response

    return count
