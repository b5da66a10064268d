"""A council member types scores and the sheet's running total follows (static/js/score-sheet.js), the
Vietnamese way ("7,5"); a value over the criterion's maximum does not count. Real Chromium against the live
server."""

import pytest
from django.urls import reverse

from portal.accounts.enums import Role
from tests import factories
from tests.awards.helpers import open_province_round
from tests.awards.scoring_helpers import accepted, council_for, leaves, seat

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_running_total_follows_what_the_member_types(page, live_server):
    round_ = open_province_round()
    producer = factories.producer("HTX Tâm Hòa", "Cao Bằng")
    producer_account = factories.UserFactory(role=Role.PRODUCER, producer=producer)
    staff = factories.UserFactory(role=Role.STAFF, organization=factories.organization("Cao Bằng"), is_staff=True)
    nomination = accepted(round_, producer, producer_account, staff, "Lạp sườn hun khói Tâm Hòa")
    council = council_for(round_, staff)
    member = seat(council, staff, user=factories.UserFactory(role=Role.MEMBER, email_verified=True))
    criteria = leaves(council)

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", member.user.email)
    page.fill("#id_password", factories.PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.goto(f"{live_server.url}{reverse('awards:member.sheet', args=[nomination.pk])}")
    total = page.locator("main .running-total output")
    assert total.inner_text() == "0"

    page.fill(f"#id_c{criteria[0].pk}", "18")
    page.fill(f"#id_c{criteria[1].pk}", "7,5")
    assert total.inner_text() == "25,50"  # as the page writes the saved total

    page.fill(f"#id_c{criteria[2].pk}", "16")  # over 2.1's maximum of 15: it does not count
    assert total.inner_text() == "25,50"
    page.fill(f"#id_c{criteria[2].pk}", "0,125")  # three decimals, which the form refuses: it does not count
    assert total.inner_text() == "25,50"
    page.fill(f"#id_c{criteria[2].pk}", "0,25")
    assert total.inner_text() == "25,75"
    assert "Tạo việc làm ổn định cho nhiều lao động địa phương" in page.inner_text("main")
