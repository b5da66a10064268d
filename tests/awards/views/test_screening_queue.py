"""The screening queue as the department works from it: submission date, days waiting and deadline columns; search
by receipt code, producer, product or tax code; "to do" filters the inbox links to; the province filter within the
officer's reach; accepting or returning several dossiers through a confirmation page that lists them; and the
screening page showing each document's pages and each photo in place."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from awards.enums import NominationStatus, PhaseKind
from awards.models import CorrectionRequest, Nomination, NominationStatusLog, RoundChecklistItem
from portal.core.formatting import vn_date
from products.models import DocumentType, ProductGroup
from tests import factories

from ..nomination_helpers import in_days, ready_product, returned, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(make_round):
    today = timezone.localdate()
    return make_round(
        "province",
        publish=True,
        phases={PhaseKind.SCREENING: (today + datetime.timedelta(days=31), today + datetime.timedelta(days=45))},
    )


def waited(nomination, n_days):
    NominationStatusLog.objects.filter(nomination=nomination).update(
        at=timezone.now() - datetime.timedelta(days=n_days)
    )
    return nomination


@pytest.fixture
def dossiers(round_, producer_a, producer_b, producer_user, producer_b_user, staff_user):
    """Two dossiers waiting (5 and 9 days), one handicraft; one returned whose deadline passed; one accepted."""
    sausage = waited(submitted(round_, ready_product(producer_a, "Lạp sườn Tâm Hòa"), producer_user), 5)
    mats = waited(submitted(round_, ready_product(producer_b, "Chiếu trúc 688", group_code="1"), producer_b_user), 9)
    late = returned(submitted(round_, ready_product(producer_a, "Thịt hun khói"), producer_user), staff_user)
    Nomination.objects.filter(pk=late.pk).update(correction_deadline=in_days(-3))
    done = submitted(round_, ready_product(producer_a, "Miến dong"), producer_user)
    Nomination.objects.filter(pk=done.pk).update(status=NominationStatus.ACCEPTED)
    return {"sausage": sausage, "mats": mats, "late": late, "done": done}


def queue_url(round_, **params):
    url = reverse("awards:staff.nomination.list", args=[round_.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def listed(response):
    return [n.pk for n in response.context["nominations"]]


def row_text(html, receipt_code):
    row = re.search(rf"<tr>(?:(?!</tr>).)*{re.escape(receipt_code)}.*?</tr>", html, re.S).group(0)
    return " ".join(re.sub(r"<[^>]+>", " ", row).split())


# --- columns ------------------------------------------------------------------------------------------------------


def test_the_queue_shows_submission_date_days_waiting_and_deadline(client, staff_user, round_, dossiers):
    client.force_login(staff_user)
    html = client.get(queue_url(round_)).content.decode()

    for heading in ("Ngày nộp", "Số ngày chờ", "Thời hạn"):
        assert f">{heading}</th>" in html
    sausage = dossiers["sausage"]
    text = row_text(html, sausage.receipt_code)
    assert vn_date(timezone.localtime(sausage.submitted_at).date()) in text
    assert f" 5 chậm nhất ngày {vn_date(in_days(45))} " in text  # the screening phase's end
    late = row_text(html, dossiers["late"].receipt_code)
    # A returned dossier does not wait for the department (no days); its deadline is the producer's, past.
    assert f" — chậm nhất ngày {vn_date(in_days(-3))} quá hạn" in late


# --- search ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("lap suon", ["sausage"]),  # product, without accents
        ("688", ["mats"]),  # producer name
        ("công ty tnhh", ["mats"]),
    ],
)
def test_search_finds_product_and_producer(client, staff_user, round_, dossiers, query, expected):
    client.force_login(staff_user)
    response = client.get(queue_url(round_), {"q": query})
    assert listed(response) == [dossiers[name].pk for name in expected]


def test_search_finds_a_receipt_code_and_a_tax_code(client, staff_user, round_, dossiers):
    client.force_login(staff_user)
    mats = dossiers["mats"]
    assert listed(client.get(queue_url(round_), {"q": mats.receipt_code.lower()})) == [mats.pk]
    assert listed(client.get(queue_url(round_), {"q": mats.receipt_code[-6:]})) == [mats.pk]  # "T-0002"
    assert listed(client.get(queue_url(round_), {"q": mats.producer.tax_code})) == [mats.pk]


# --- to do, order ---------------------------------------------------------------------------------------------------


def test_to_do_filters_and_the_longest_waiting_first(client, staff_user, round_, dossiers):
    client.force_login(staff_user)
    waiting = client.get(queue_url(round_, todo="screening", sort="waiting"))
    assert listed(waiting) == [dossiers["mats"].pk, dossiers["sausage"].pk]
    assert listed(client.get(queue_url(round_, todo="overdue"))) == [dossiers["late"].pk]


def test_the_province_filter_offers_only_the_officers_province(client, staff_user, superuser, round_, dossiers):
    client.force_login(staff_user)
    choices = client.get(queue_url(round_)).context["filter"].form.fields["province"].queryset
    assert [p.name for p in choices] == ["Cao Bằng"]
    client.force_login(superuser)
    assert client.get(queue_url(round_)).context["filter"].form.fields["province"].queryset.count() == 34


# --- accepting or returning several dossiers --------------------------------------------------------------------------


def bulk_url(round_, query=""):
    return reverse("awards:staff.nomination.bulk", args=[round_.pk]) + query


def statuses(dossiers):
    return {name: Nomination.objects.get(pk=n.pk).status for name, n in dossiers.items()}


def test_bulk_accept_lists_the_dossiers_before_anything_changes(client, staff_user, round_, dossiers):
    client.force_login(staff_user)
    before = statuses(dossiers)
    selected = [dossiers[name].pk for name in ("sausage", "mats", "late")]

    response = client.post(bulk_url(round_, "?todo=screening"), {"action": "accept", "selected": selected})

    assert response.status_code == 200
    html = response.content.decode()
    assert "2 hồ sơ sau sẽ được chấp nhận để chấm điểm" in html
    for name in ("sausage", "mats"):
        assert dossiers[name].receipt_code in html
    skipped = re.search(r"Giữ nguyên.*?</section>", html, re.S).group(0)
    assert dossiers["late"].receipt_code in skipped  # returned: not the department's to accept now
    assert "Chấp nhận 2 hồ sơ" in html
    assert statuses(dossiers) == before


def test_confirmed_bulk_accept_accepts_each_waiting_dossier(
    client, staff_user, round_, dossiers, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    mail.outbox.clear()
    selected = [dossiers[name].pk for name in ("sausage", "mats", "late")]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            bulk_url(round_, "?todo=screening"),
            {"action": "accept", "confirm": "1", "note": "Đủ hồ sơ", "selected": selected},
        )

    assert response.status_code == 302
    assert response.url == queue_url(round_, todo="screening")
    assert statuses(dossiers) == {
        "sausage": NominationStatus.ACCEPTED,
        "mats": NominationStatus.ACCEPTED,
        "late": NominationStatus.RETURNED,
        "done": NominationStatus.ACCEPTED,
    }
    log = NominationStatusLog.objects.get(nomination=dossiers["mats"], to_status=NominationStatus.ACCEPTED)
    assert (log.actor, log.note) == (staff_user, "Đủ hồ sơ")
    assert len(mail.outbox) == 2
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Đã chấp nhận 2 hồ sơ để chấm điểm."]


def test_bulk_return_asks_each_dossier_for_the_parts_it_has(client, staff_user, round_, dossiers):
    """A checklist item of the handicraft group is asked of the handicraft dossier only."""
    handicraft = RoundChecklistItem.objects.create(
        round=round_,
        group=ProductGroup.objects.get(code="1"),
        document_type=DocumentType.objects.get(code="quality_certificate"),
    )
    client.force_login(staff_user)
    selected = [dossiers["sausage"].pk, dossiers["mats"].pk]
    page = client.post(bulk_url(round_), {"action": "return", "selected": selected})
    assert page.status_code == 200
    codes = [code for code, _label in page.context["form"].fields["items"].choices]
    assert f"doc:{handicraft.pk}" in codes

    refused = client.post(bulk_url(round_), {"action": "return", "confirm": "1", "selected": selected})
    assert refused.status_code == 400  # nothing chosen, no message, no deadline
    assert statuses(dossiers)["sausage"] == NominationStatus.SUBMITTED

    response = client.post(
        bulk_url(round_),
        {
            "action": "return",
            "confirm": "1",
            "selected": selected,
            "items": ["field:annual_output", f"doc:{handicraft.pk}"],
            "message": "Bổ sung sản lượng năm 2025.",
            "deadline": in_days(7).strftime("%d/%m/%Y"),
        },
    )

    assert response.status_code == 302
    requests = {c.nomination_id: c for c in CorrectionRequest.objects.filter(nomination_id__in=selected)}
    assert requests[dossiers["sausage"].pk].items == ["field:annual_output"]
    assert requests[dossiers["mats"].pk].items == ["field:annual_output", f"doc:{handicraft.pk}"]
    assert {request.deadline for request in requests.values()} == {in_days(7)}
    assert statuses(dossiers)["mats"] == NominationStatus.RETURNED


def test_a_bulk_action_on_nothing_waiting_changes_nothing(client, staff_user, round_, dossiers):
    client.force_login(staff_user)
    response = client.post(
        bulk_url(round_), {"action": "accept", "confirm": "1", "selected": [dossiers["late"].pk, "x"]}
    )
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Không hồ sơ nào đã chọn đang chờ thẩm định."]
    assert statuses(dossiers)["late"] == NominationStatus.RETURNED


def test_a_bulk_action_ignores_dossiers_of_another_round(client, staff_user, make_round, dossiers):
    other = make_round("province", publish=True, title="Đợt khác")
    client.force_login(staff_user)
    client.post(bulk_url(other), {"action": "accept", "confirm": "1", "selected": [dossiers["sausage"].pk]})
    assert statuses(dossiers)["sausage"] == NominationStatus.SUBMITTED


# --- the screening page reads documents and photos in place -----------------------------------------------------


def test_the_screening_page_shows_each_documents_pages_and_each_photo(client, staff_user, dossiers):
    client.force_login(staff_user)
    nomination = dossiers["sausage"]

    html = client.get(reverse("awards:staff.nomination.detail", args=[nomination.pk])).content.decode()

    assert "Giấy tờ và ảnh của hồ sơ" in html
    documents = [nd.document for nd in nomination.documents.select_related("document")]
    assert documents
    for document in documents:
        page = reverse("products:file.document_page", args=[document.uid, 1])
        assert f'src="{page}"' in html
        response = client.get(page)
        assert (response.status_code, response["Content-Type"]) == (200, "image/png")
        assert response.content.startswith(b"\x89PNG")
    assert "1 trang" in html
    photos = [np.photo for np in nomination.photos.select_related("photo")]
    assert len(photos) == 3
    for photo in photos:
        assert f'<img src="{photo.get_file_url()}"' in html


def test_a_scanned_image_document_is_shown_as_itself(client, staff_user, dossiers, producer_a):
    from products import services as product_services

    nomination = dossiers["sausage"]
    link = nomination.documents.select_related("document").first()
    scan = product_services.document_add(
        producer=producer_a,
        file=factories.jpeg_file("ban-chup.jpg", size=(300, 400)),
        doc_type=link.document.doc_type,
    )
    type(link).objects.filter(pk=link.pk).update(document=scan)
    client.force_login(staff_user)

    html = client.get(reverse("awards:staff.nomination.detail", args=[nomination.pk])).content.decode()

    assert f'src="{scan.get_file_url()}"' in html
    assert reverse("products:file.document_page", args=[scan.uid, 1]) not in html
