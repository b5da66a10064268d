"""A Cao Bằng officer's morning: signing in lands on “Việc cần làm”, whose menu count and screening line say three
dossiers wait; the line leads to the round's queue filtered to those dossiers, the longest waiting first, with
their days waiting and the screening deadline; two of them are accepted together through the confirmation page.
Real Chromium against the live server."""

import datetime
import re

import pytest
from django.utils import timezone

from awards.enums import NominationStatus
from awards.models import Nomination, NominationStatusLog
from portal.accounts.enums import Role
from portal.core.formatting import vn_date
from tests import factories
from tests.awards.nomination_helpers import ready_product, submitted
from tests.portal.inbox.helpers import province_round

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def on_file(db):
    """A Cao Bằng round with three dossiers sent 2, 6 and 11 days ago, and an officer of the province."""
    round_ = province_round("Cao Bằng", "Bình chọn sản phẩm CNNT tiêu biểu cấp tỉnh Cao Bằng")
    producer = factories.producer("HTX Tâm Hòa", "Cao Bằng")
    account = factories.UserFactory(role=Role.PRODUCER, producer=producer)
    sent = []
    for name, days_ago in (("Lạp sườn Tâm Hòa", 2), ("Thịt hun khói Tâm Hòa", 11), ("Miến dong Tâm Hòa", 6)):
        nomination = submitted(round_, ready_product(producer, name), account)
        NominationStatusLog.objects.filter(nomination=nomination).update(
            at=timezone.now() - datetime.timedelta(days=days_ago)
        )
        sent.append(nomination)
    staff = factories.UserFactory(
        role=Role.STAFF,
        organization=factories.organization("Cao Bằng"),
        is_staff=True,
        email="canbo@sct-caobang.example.vn",
        full_name="Cán bộ Sở Cao Bằng",
    )
    return round_, sent, staff


def test_the_officer_lands_on_the_inbox_and_follows_the_screening_line(page, live_server, on_file):
    round_, (sausage, smoked, noodles), staff = on_file
    base = live_server.url

    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", staff.email)
    page.fill("#id_password", factories.PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/inbox/$"))
    assert page.inner_text("h1") == "Việc cần làm"
    assert page.inner_text(".nav-inbox .nav-count") == "3"
    line = page.inner_text("#inbox-screening")
    assert "3 hồ sơ chờ thẩm định" in line
    assert round_.title in line
    assert "chờ lâu nhất 11 ngày" in line
    assert f"thẩm định chậm nhất ngày {vn_date(round_.phases.get(kind='screening').ends_on)}" in line

    with page.expect_navigation():
        page.click("#inbox-screening a")
    assert re.search(rf"/staff/rounds/{round_.pk}/nominations/\?todo=screening&sort=waiting$", page.url)
    codes = page.locator("tbody td.mono").all_inner_texts()
    assert codes == [smoked.receipt_code, noodles.receipt_code, sausage.receipt_code]
    first_row = page.inner_text("tbody tr:first-child")
    assert f"11 chậm nhất ngày {vn_date(round_.phases.get(kind='screening').ends_on)}" in " ".join(first_row.split())
    assert page.locator("#id_province option").all_inner_texts() == ["Tất cả các tỉnh", "Tỉnh Cao Bằng"]

    page.check(f"input[name=selected][value='{smoked.pk}']")
    page.check(f"input[name=selected][value='{noodles.pk}']")
    with page.expect_navigation():
        page.click("button[name=action][value=accept]")
    assert "2 hồ sơ sau sẽ được chấp nhận để chấm điểm" in page.inner_text("main")
    assert Nomination.objects.get(pk=smoked.pk).status == NominationStatus.SUBMITTED  # nothing yet
    with page.expect_navigation():
        page.click("main form.card button[type=submit]")

    assert "Đã chấp nhận 2 hồ sơ để chấm điểm." in page.inner_text(".messages")
    assert page.locator("tbody td.mono").all_inner_texts() == [sausage.receipt_code]
    assert page.inner_text(".nav-inbox .nav-count") == "1"
    statuses = dict(Nomination.objects.values_list("pk", "status"))
    assert (statuses[smoked.pk], statuses[noodles.pk], statuses[sausage.pk]) == (
        NominationStatus.ACCEPTED,
        NominationStatus.ACCEPTED,
        NominationStatus.SUBMITTED,
    )
