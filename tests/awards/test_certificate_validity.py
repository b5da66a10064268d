"""How long a certificate is valid: from its issue date to 31 December of the fourth year, the year of issue
counting as the first (Thông tư 14/2018), or as many years as the programme says."""

import datetime

import pytest

from awards import services
from awards.enums import CertificateState
from awards.models import Recognition

from .certificate_helpers import recognitions_of
from .helpers import programme


@pytest.fixture
def recognitions(published_decision):
    """The decision's two recognitions, dated back to 20/12/2024 so that certificates can be issued in 2025."""
    decision = published_decision()
    Recognition.objects.filter(decision=decision).update(decision_date=datetime.date(2024, 12, 20))
    return recognitions_of(decision)


def test_a_certificate_issued_any_day_of_2025_is_valid_until_the_end_of_2028(recognitions, staff_user):
    early, late = recognitions
    first = services.certificate_issue(recognition=early, actor=staff_user, issued_on=datetime.date(2025, 1, 5))
    last = services.certificate_issue(recognition=late, actor=staff_user, issued_on=datetime.date(2025, 12, 31))

    assert first.valid_until == datetime.date(2028, 12, 31)
    assert last.valid_until == datetime.date(2028, 12, 31)
    # The recognition carries the date too: a lower-level title must be in force to be nominated upward.
    early.refresh_from_db()
    assert early.valid_until == datetime.date(2028, 12, 31)
    # Valid through its last day, expired the day after.
    assert first.state(today=datetime.date(2028, 12, 31)) == CertificateState.VALID
    assert first.state(today=datetime.date(2029, 1, 1)) == CertificateState.EXPIRED


def test_the_programme_sets_the_number_of_years(recognitions, staff_user):
    spcnnttb = programme()
    assert spcnnttb.certificate_years == 4
    spcnnttb.certificate_years = 2
    spcnnttb.save()
    early, late = recognitions

    first = services.certificate_issue(recognition=early, actor=staff_user, issued_on=datetime.date(2025, 1, 5))
    last = services.certificate_issue(recognition=late, actor=staff_user, issued_on=datetime.date(2025, 12, 31))

    assert first.valid_until == datetime.date(2026, 12, 31)
    assert last.valid_until == datetime.date(2026, 12, 31)
    # A re-issue counts from its own issue date, under the programme's rule in force.
    spcnnttb.certificate_years = 5
    spcnnttb.save()
    new = services.certificate_reissue(certificate=first, actor=staff_user, issued_on=datetime.date(2026, 3, 2))
    assert new.valid_until == datetime.date(2030, 12, 31)
