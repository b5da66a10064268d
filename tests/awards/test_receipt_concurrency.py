"""Receipt codes stay unique and gapless when producers submit at the same moment (PostgreSQL: real
concurrent transactions on separate connections)."""

import datetime
import threading

import pytest
from django.db import connection, connections

from awards import services
from awards.models import Nomination
from products import services as product_services
from products.models import DocumentType
from tests import factories

pytestmark = [
    pytest.mark.transactional,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions (PostgreSQL)"),
]
PARALLEL = 8


def _ready_nomination(round_, n):
    producer = factories.producer(f"Cơ sở số {n}", "Cao Bằng")
    product = factories.product(producer, f"Sản phẩm số {n}")
    for code, for_product in (("registration", None), ("product_description", product)):
        product_services.document_add(
            producer=producer,
            product=for_product,
            file=factories.pdf_file(),
            doc_type=DocumentType.objects.get(code=code),
            number=f"{n}",
            issue_date=datetime.date(2024, 1, 1),
        )
    for i in range(3):
        product_services.photo_add(product=product, image=factories.jpeg_file(f"{n}-{i}.jpg"))
    user = factories.UserFactory(producer=producer)
    nomination = services.nomination_create(round_=round_, product=product, actor=user)
    services.nomination_update_form(
        nomination=nomination,
        actor=user,
        annual_output="1 tấn",
        workers=3,
        markets="Trong tỉnh",
        highlights="Đặc sản",
        declaration_accepted=True,
    )
    return nomination, user


def test_parallel_submissions_get_distinct_gapless_codes(make_round):
    round_ = make_round("province", publish=True)
    ready = [_ready_nomination(round_, n) for n in range(PARALLEL)]
    barrier = threading.Barrier(PARALLEL)
    errors = []

    def submit(nomination, user):
        try:
            barrier.wait(timeout=10)
            services.nomination_submit(nomination=nomination, actor=user)
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=pair) for pair in ready]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    codes = sorted(Nomination.objects.filter(round=round_).values_list("receipt_code", flat=True))
    assert codes == [f"CB-{round_.year}-T-{i:04d}" for i in range(1, PARALLEL + 1)]
