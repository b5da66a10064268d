"""Certificate numbers never repeat and never skip when officials issue at the same moment (PostgreSQL: real
concurrent transactions on separate connections), and a rolled-back issue gives its number back."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from awards import services
from awards.models import Certificate

from .certificate_helpers import ISSUE_DATE, peoples_committee, recognitions_of

pytestmark = [
    pytest.mark.transactional,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions (PostgreSQL)"),
]
PARALLEL = 6


class RolledBackError(Exception):
    pass


def products(n):
    return [(f"Cơ sở sản xuất số {i}", f"Sản phẩm tiêu biểu số {i}") for i in range(1, n + 1)]


def run_together(jobs):
    """Start every job at the same moment (a barrier), each thread on its own connection; the errors raised."""
    barrier = threading.Barrier(len(jobs))
    errors = []

    def run(job):
        try:
            barrier.wait(timeout=20)
            job()
        except RolledBackError:
            pass
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    return errors


def test_parallel_issues_get_consecutive_numbers_without_repeat_or_gap(published_decision, staff_user):
    decision = published_decision(products=products(PARALLEL), recognised=PARALLEL)
    recognitions = recognitions_of(decision)
    assert len(recognitions) == PARALLEL

    def issue(recognition):
        return lambda: services.certificate_issue(recognition=recognition, actor=staff_user, issued_on=ISSUE_DATE)

    assert run_together([issue(r) for r in recognitions]) == []
    certificates = Certificate.objects.filter(issuing_body=peoples_committee(), year=ISSUE_DATE.year)
    assert sorted(certificates.values_list("serial", flat=True)) == list(range(1, PARALLEL + 1))
    assert sorted(certificates.values_list("number", flat=True)) == sorted(
        f"{n}/GCN-UBND" for n in range(1, PARALLEL + 1)
    )
    assert certificates.values("recognition").distinct().count() == PARALLEL


def test_a_rolled_back_issue_gives_its_number_to_the_next_one(published_decision, staff_user):
    decision = published_decision(products=products(PARALLEL), recognised=PARALLEL)
    *others, last = recognitions_of(decision)
    taken = []
    took_number = threading.Event()

    def issue_then_roll_back():
        with transaction.atomic():
            certificate = services.certificate_issue(recognition=last, actor=staff_user, issued_on=ISSUE_DATE)
            taken.append(certificate.serial)
            took_number.set()
            time.sleep(0.5)  # holding the sequence row while the others queue behind it
            raise RolledBackError

    def issue(recognition):
        def job():
            assert took_number.wait(timeout=30)
            services.certificate_issue(recognition=recognition, actor=staff_user, issued_on=ISSUE_DATE)

        return job

    assert run_together([issue_then_roll_back, *(issue(r) for r in others)]) == []
    assert taken == [1]
    certificates = Certificate.objects.filter(issuing_body=peoples_committee(), year=ISSUE_DATE.year)
    # Number 1, taken then rolled back, went to one of the others: 1..N-1 without a gap.
    assert sorted(certificates.values_list("serial", flat=True)) == list(range(1, PARALLEL))
    assert not certificates.filter(recognition=last).exists()

    # The next issue continues the sequence: N, no gap and no repeat.
    certificate = services.certificate_issue(recognition=last, actor=staff_user, issued_on=ISSUE_DATE)
    assert certificate.number == f"{PARALLEL}/GCN-UBND"
    assert sorted(certificates.values_list("serial", flat=True)) == list(range(1, PARALLEL + 1))
