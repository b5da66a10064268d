"""The certificate services hold their own transaction: called outside a request (a command, the bench, the
worker) they lock, number and write all at once, and a refusal leaves nothing behind."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from awards import services
from awards.models import Certificate

from .certificate_helpers import ISSUE_DATE

pytestmark = [pytest.mark.transactional, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_issuing_and_revoking_outside_any_transaction(published_decision, staff_user):
    decision = published_decision()
    recognition = decision.recognitions.order_by("pk").first()
    assert not connection.in_atomic_block

    certificate = services.certificate_issue(recognition=recognition, actor=staff_user, issued_on=ISSUE_DATE)
    assert certificate.number == "1/GCN-UBND"
    services.certificate_revoke(certificate=certificate, actor=staff_user, reason="Cơ sở ngừng sản xuất")

    assert Certificate.objects.get(pk=certificate.pk).status == "revoked"


def test_a_refused_issue_outside_any_transaction_writes_nothing(published_decision, staff_user):
    decision = published_decision()
    recognition = decision.recognitions.order_by("pk").first()
    with pytest.raises(ValidationError):
        services.certificate_issue(recognition=recognition, actor=staff_user, issued_on=datetime.date(2062, 1, 5))
    assert not Certificate.objects.exists()
