"""The finding, in Chromium: a dossier document that begins `%PDF-1.4` and continues as an HTML page which loads the
portal's own htmx, takes the member's CSRF token from the score sheet and posts a score. It is in storage from
before the upload checks (with the content_type the data migration gave it). The council member opens it from
the score sheet and in a tab of its own: the browser only ever downloads it, the page makes no other request and
the member's score sheet does not change."""

import io
import re

import pytest
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from awards import services as award_services
from awards.models import ScoreSheet
from portal.accounts.enums import Role
from products.models import Document
from products.validators import DOCUMENT_MAX_SIDE, DOCUMENT_TYPES, legacy_file
from tests import factories, hostile_files
from tests.awards.helpers import open_province_round
from tests.awards.scoring_helpers import accepted, council_for, leaves, seat
from tests.browser.test_scoring_flow import sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def sheet_rows(member):
    return sorted(
        ScoreSheet.objects.filter(member=member).values_list("nomination_id", "pass_no", "status", "total", "comment")
    )


@pytest.fixture
def hostile(db):
    """A Cao Bằng dossier accepted for scoring, whose document is replaced, in storage, by the polyglot; the
    council member seated on its council has a draft sheet already."""
    round_ = open_province_round()
    producer = factories.producer("HTX Tâm Hòa", "Cao Bằng")
    producer_account = factories.UserFactory(role=Role.PRODUCER, producer=producer, full_name="Nguyễn Thanh Tâm")
    staff = factories.UserFactory(
        role=Role.STAFF, organization=factories.organization("Cao Bằng"), is_staff=True, full_name="Cán bộ Sở"
    )
    nomination = accepted(round_, producer, producer_account, staff, "Lạp sườn hun khói Tâm Hòa")
    council = council_for(round_, staff)
    member = seat(
        council,
        staff,
        user=factories.UserFactory(role=Role.MEMBER, email="hoang.van.a@example.vn", full_name="Hoàng Văn A"),
    )
    first, second = leaves(council)[:2]
    award_services.sheet_save(
        member=member, nomination=nomination, points={second.pk: 5}, comment="Bản nháp", submit=False, pass_no=1
    )
    sheet_url = reverse("awards:member.sheet", args=[nomination.pk])
    data = hostile_files.polyglot(hostile_files.attack_page(sheet_url=sheet_url, criterion_pk=first.pk))
    document = nomination.documents.select_related("document").first().document
    content_type, _reencoded = legacy_file(io.BytesIO(data), allowed=DOCUMENT_TYPES, max_side=DOCUMENT_MAX_SIDE)
    storage = document.file.storage
    name = storage.save(f"documents/2024/03/{document.uid}.html", io.BytesIO(data))
    Document.objects.filter(pk=document.pk).update(
        file=name, content_type=content_type, original_name="bien-ban-bo-sung.html"
    )
    return nomination, member, sheet_url, reverse("awards:member.file", args=[nomination.pk, "document", document.uid])


def test_member_opening_a_hostile_document_gets_a_download_and_nothing_runs(page, live_server, hostile):
    nomination, member, sheet_url, file_url = hostile
    before = sheet_rows(member)
    base = live_server.url

    sign_in(page, base, member.user.email)
    page.goto(f"{base}{sheet_url}")
    page.wait_for_load_state("networkidle")
    # The portal's pages configure htmx (templates/base.html) to take no orders from foreign markup.
    config = "() => [htmx.config.selfRequestsOnly, htmx.config.allowScriptTags, htmx.config.allowEval]"
    assert page.evaluate(config) == [True, False, False]
    link = page.locator(f"main a[href='{file_url}']")
    assert link.count() == 1
    requests = []
    # The whole context: the sheet's preview links open a tab of their own.
    page.context.on("request", lambda request: requests.append((request.method, request.url, request.resource_type)))

    # From the sheet: the link starts a download; the sheet stays where it is.
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "bien-ban-bo-sung.bin"
    # In a tab of its own, as a member would paste the address.
    with page.expect_download() as download, pytest.raises(PlaywrightError, match="Download is starting"):
        page.goto(f"{base}{file_url}")
    assert download.value.suggested_filename == "bien-ban-bo-sung.bin"
    page.wait_for_timeout(1500)  # time enough for any script that were to run to make its requests

    assert requests == [("GET", f"{base}{file_url}", "document")] * 2
    assert re.search(rf"{re.escape(sheet_url)}$", page.url)
    assert sheet_rows(member) == before
    assert ScoreSheet.objects.filter(nomination=nomination).count() == 1
