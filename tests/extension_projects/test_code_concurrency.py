"""Project codes stay unique and gapless when officers save new projects at the same moment, the first of the
year included (PostgreSQL: real concurrent transactions on separate connections)."""

import threading

import pytest
from django.db import connection, connections

from extension_projects import services
from extension_projects.models import Project
from tests import factories

from .helpers import activity

pytestmark = [
    pytest.mark.transactional,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions (PostgreSQL)"),
]
PARALLEL = 6


def test_parallel_creations_get_distinct_gapless_codes(staff_user):
    province = factories.province("Cao Bằng")
    kind = activity("equipment")
    barrier = threading.Barrier(PARALLEL)
    errors = []

    def create(n):
        try:
            barrier.wait(timeout=10)
            services.project_create(
                actor=staff_user,
                code="",
                title=f"Đề án số {n}",
                activity_type=kind,
                plan_year=2026,
                province=province,
                implementer="Trung tâm Khuyến công tỉnh Cao Bằng",
            )
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create, args=(n,)) for n in range(PARALLEL)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    codes = sorted(Project.objects.values_list("code", flat=True))
    assert codes == [f"KC-2026-{i:03d}" for i in range(1, PARALLEL + 1)]
