"""The nomination wizard, for the producer and for staff entering a paper dossier on a producer's behalf.

Who may open what: role × nomination → outcome, for every wizard URL. Another producer's nomination and a
nomination outside a staff member's province answer 404 (their existence is not revealed); a role without the
pages answers 403; anonymous users go to sign in. Then the wizard itself, step by step, through the test client."""

import re
from types import SimpleNamespace

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.urls import resolve, reverse

from awards import services
from awards.enums import NominationStatus, WizardStep
from awards.models import Nomination, NominationDocument, NominationStatusLog
from awards.selectors import dossier_gaps
from products.models import Document, ProductPhoto
from tests import factories

from ..nomination_helpers import (
    FORM,
    add_document,
    draft,
    fill,
    form_post,
    ready_product,
    recognise,
    returned,
    submitted,
)

LOGIN = "login"
ROLES = {
    "anonymous": None,
    "producer": "producer_user",
    "other_producer": "producer_b_user",
    "member": "member_user",
    "staff_ca_mau": "other_staff_user",
    "staff_cao_bang": "staff_user",
    "superuser": "superuser",
}


def outcomes(anonymous, producer, other_producer, member, staff_ca_mau, staff_cao_bang, superuser):
    values = (anonymous, producer, other_producer, member, staff_ca_mau, staff_cao_bang, superuser)
    return dict(zip(ROLES, values, strict=True))


PRODUCER_PAGE = outcomes(LOGIN, 200, 200, 403, 403, 403, 403)
OWN_NOMINATION = outcomes(LOGIN, 200, 404, 403, 403, 403, 403)
STAFF_FOR_CAO_BANG = outcomes(LOGIN, 403, 403, 403, 404, 200, 200)

# url name, url args (a function of records), expected outcome per role
GET_PAGES = [
    ("awards:producer.nomination.list", lambda r: [], PRODUCER_PAGE),
    ("awards:producer.nomination.create", lambda r: [], PRODUCER_PAGE),
    ("awards:producer.nomination.detail", lambda r: [r.draft.pk], OWN_NOMINATION),
    ("awards:producer.nomination.pdf", lambda r: [r.draft.pk], OWN_NOMINATION),
    *[
        ("awards:producer.nomination.step", lambda r, s=step: [r.draft.pk, s], OWN_NOMINATION)
        for step in WizardStep.values
    ],
    ("awards:staff.nomination.create", lambda r: [r.draft.producer_id], STAFF_FOR_CAO_BANG),
    *[
        ("awards:staff.nomination.step", lambda r, s=step: [r.draft.pk, s], STAFF_FOR_CAO_BANG)
        for step in WizardStep.values
    ],
]


def _nomination_count(records):
    return Nomination.objects.count()


def _annual_output(records):
    return Nomination.objects.get(pk=records.draft.pk).annual_output


# url name, url args, POST data, state that changes only when allowed, expected outcome per role
POSTS = [
    (
        "awards:producer.nomination.create",
        lambda r: [],
        lambda r: {"round": r.round.pk, "product": r.fresh_product.pk},
        _nomination_count,
        # Another producer is not offered producer A's product: the form refuses it.
        outcomes(LOGIN, 302, 400, 403, 403, 403, 403),
    ),
    (
        "awards:producer.nomination.step",
        lambda r: [r.draft.pk, WizardStep.FORM],
        lambda r: form_post(annual_output="20 tấn/năm", save=""),
        _annual_output,
        outcomes(LOGIN, 302, 404, 403, 403, 403, 403),
    ),
    (
        "awards:staff.nomination.create",
        lambda r: [r.draft.producer_id],
        lambda r: {"round": r.round.pk, "product": r.fresh_product.pk},
        _nomination_count,
        outcomes(LOGIN, 403, 403, 403, 404, 302, 302),
    ),
    (
        "awards:staff.nomination.step",
        lambda r: [r.draft.pk, WizardStep.FORM],
        lambda r: form_post(annual_output="20 tấn/năm", save=""),
        _annual_output,
        outcomes(LOGIN, 403, 403, 403, 404, 302, 302),
    ),
]


@pytest.fixture
def round_(make_round):
    return make_round("province", publish=True)


@pytest.fixture
def records(round_, producer_a, producer_user):
    product = ready_product(producer_a)
    return SimpleNamespace(
        round=round_,
        draft=draft(round_, product, producer_user),
        fresh_product=factories.product(producer_a, "Thịt trâu gác bếp"),
    )


def sign_in(client, request, role):
    if ROLES[role] is not None:
        client.force_login(request.getfixturevalue(ROLES[role]))


def assert_outcome(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected


def _cases(table):
    cases = []
    for name, args, *rest, expected in table:
        for role in ROLES:
            label = f"{name.split(':')[1]}-{role}"
            cases.append(pytest.param(name, args, *rest, role, expected[role], id=label))
    return cases


@pytest.mark.parametrize(("name", "args", "role", "expected"), _cases(GET_PAGES))
def test_get_answers_by_role(client, request, records, name, args, role, expected):
    sign_in(client, request, role)
    assert_outcome(client.get(reverse(name, args=args(records))), expected)


@pytest.mark.parametrize(("name", "args", "data", "state", "role", "expected"), _cases(POSTS))
def test_post_answers_by_role_and_changes_nothing_when_refused(
    client, request, records, name, args, data, state, role, expected
):
    sign_in(client, request, role)
    before = state(records)

    response = client.post(reverse(name, args=args(records)), data(records))

    assert_outcome(response, expected)
    if expected == 302:
        assert state(records) != before
    else:
        assert state(records) == before


def test_step_of_another_producers_nomination_answers_404_for_every_step(client, producer_b_user, records):
    client.force_login(producer_b_user)
    for step in WizardStep.values:
        response = client.post(reverse("awards:producer.nomination.step", args=[records.draft.pk, step]), {"next": ""})
        assert response.status_code == 404, step


def test_each_steps_page_title_names_the_step(client, producer_user, records):
    client.force_login(producer_user)
    for step in WizardStep:
        html = client.get(reverse("awards:producer.nomination.step", args=[records.draft.pk, step.value])).content
        title = re.search(r"<title>(.*?)</title>", html.decode(), re.S).group(1)
        assert f"{records.draft.product.name} · {step.label} ·" in " ".join(title.split()), (step, title)


def test_unknown_step_answers_404(client, producer_user, records):
    client.force_login(producer_user)
    assert client.get(reverse("awards:producer.nomination.step", args=[records.draft.pk, "payment"])).status_code == 404


# --- the producer's wizard ---


def step_url(nomination, step, audience="producer"):
    return reverse(f"awards:{audience}.nomination.step", args=[nomination.pk, step])


def error_messages(response):
    return [str(m) for m in get_messages(response.wsgi_request) if m.level == messages.ERROR]


def test_start_creates_a_draft_and_opens_the_producer_step(client, producer_user, producer_a, round_):
    product = ready_product(producer_a)
    client.force_login(producer_user)

    response = client.post(reverse("awards:producer.nomination.create"), {"round": round_.pk, "product": product.pk})

    nomination = Nomination.objects.get()
    assert response.status_code == 302
    assert response.url == step_url(nomination, WizardStep.PRODUCER)
    assert (nomination.round, nomination.product, nomination.producer, nomination.status) == (
        round_,
        product,
        producer_a,
        NominationStatus.DRAFT,
    )
    assert (nomination.created_by, nomination.entered_by_staff) == (producer_user, False)
    # The documents and photos on file are already attached.
    assert nomination.photos.count() == 3
    assert nomination.documents.count() == 2


def test_start_offers_only_own_products_and_open_rounds(client, producer_user, producer_a, producer_b, make_round):
    open_round = make_round("province", publish=True, title="Đang mở")
    make_round("province", title="Nháp")
    own = factories.product(producer_a, "Miến dong")
    factories.product(producer_b, "Chiếu trúc", group_code="1")
    client.force_login(producer_user)

    page = client.get(reverse("awards:producer.nomination.create"))
    form = page.context["form"]

    assert list(form.fields["product"].queryset) == [own]
    assert "Chọn sản phẩm" in page.content.decode()
    assert list(form.fields["round"].queryset) == [open_round]


def test_start_twice_for_the_same_product_answers_400_with_a_form_error(client, producer_user, records):
    client.force_login(producer_user)

    response = client.post(
        reverse("awards:producer.nomination.create"), {"round": records.round.pk, "product": records.draft.product_id}
    )

    assert response.status_code == 400
    # The only open round already has this product: it is not offered again (the service refuses it too).
    assert response.context["form"].errors
    assert Nomination.objects.count() == 1


def test_producer_step_next_moves_to_the_form(client, producer_user, records):
    client.force_login(producer_user)

    response = client.post(step_url(records.draft, WizardStep.PRODUCER), {"next": ""})

    assert response.status_code == 302
    assert response.url == step_url(records.draft, WizardStep.FORM)


def test_form_step_next_saves_the_fields_and_moves_to_documents(client, producer_user, records):
    client.force_login(producer_user)

    response = client.post(step_url(records.draft, WizardStep.FORM), form_post(next=""))

    assert response.status_code == 302
    assert response.url == step_url(records.draft, WizardStep.DOCUMENTS)
    nomination = Nomination.objects.get(pk=records.draft.pk)
    assert {name: getattr(nomination, name) for name in FORM} == FORM
    assert nomination.status == NominationStatus.DRAFT


def test_form_step_with_missing_required_fields_answers_400_keeps_typed_values_saves_nothing(
    client, producer_user, records
):
    client.force_login(producer_user)

    response = client.post(
        step_url(records.draft, WizardStep.FORM),
        form_post(annual_output="", workers="", markets="Chợ phiên Trùng Khánh", next=""),
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"annual_output", "workers"}
    assert form["markets"].value() == "Chợ phiên Trùng Khánh"
    assert "Chợ phiên Trùng Khánh" in response.content.decode()
    nomination = Nomination.objects.get(pk=records.draft.pk)
    assert (nomination.markets, nomination.annual_output) == ("", "")
    assert nomination.workers == records.draft.workers


def test_form_step_refuses_a_negative_revenue(client, producer_user, records):
    client.force_login(producer_user)

    response = client.post(step_url(records.draft, WizardStep.FORM), form_post(annual_revenue="-5", next=""))

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["annual_revenue"]
    assert Nomination.objects.get(pk=records.draft.pk).annual_revenue is None


def test_saved_form_step_shows_the_saved_values_when_coming_back(client, producer_user, records):
    client.force_login(producer_user)
    response = client.post(step_url(records.draft, WizardStep.FORM), form_post(annual_output="8.000 hộp/năm", save=""))
    assert response.url == step_url(records.draft, WizardStep.FORM)
    client.get(reverse("awards:producer.nomination.list"))  # leave

    response = client.get(step_url(records.draft, WizardStep.FORM))

    assert response.status_code == 200
    form = response.context["form"]
    assert form["annual_output"].value() == "8.000 hộp/năm"
    assert form["workers"].value() == FORM["workers"]
    assert form["highlights"].value() == FORM["highlights"]
    html = response.content.decode()
    assert 'value="8.000 hộp/năm"' in html
    assert FORM["highlights"] in html


def _description_item(nomination):
    return nomination.round.checklist.get(document_type__code="product_description")


def test_documents_step_attaches_a_document_on_file(client, producer_user, producer_a, round_):
    product = factories.product(producer_a, "Miến dong")
    nomination = draft(round_, product, producer_user)
    item = _description_item(nomination)
    assert not nomination.documents.filter(item=item).exists()
    on_file = add_document(producer_a, "product_description", product=product, number="TM-2025-07")
    client.force_login(producer_user)

    response = client.get(step_url(nomination, WizardStep.DOCUMENTS))
    row = next(r for r in response.context["rows"] if r["item"] == item)
    assert list(row["attach_form"].fields["document"].queryset) == [on_file]

    response = client.post(
        step_url(nomination, WizardStep.DOCUMENTS),
        {"item": item.pk, "action": "attach", f"item{item.pk}-document": on_file.pk},
    )

    assert response.status_code == 302
    assert response.url == step_url(nomination, WizardStep.DOCUMENTS) + f"#item-{item.pk}"
    assert NominationDocument.objects.get(nomination=nomination, item=item).document == on_file
    nomination.refresh_from_db()
    assert f"doc:{item.pk}" not in {code for code, _m in dossier_gaps(nomination)}


def test_documents_step_refuses_another_producers_document(client, producer_user, producer_a, producer_b, round_):
    product = factories.product(producer_a, "Miến dong")
    nomination = draft(round_, product, producer_user)
    item = nomination.round.checklist.get(document_type__code="registration")
    foreign = add_document(producer_b, "registration")
    client.force_login(producer_user)

    response = client.post(
        step_url(nomination, WizardStep.DOCUMENTS),
        {"item": item.pk, "action": "attach", f"item{item.pk}-document": foreign.pk},
    )

    assert response.status_code == 400
    assert not NominationDocument.objects.filter(nomination=nomination).exists()


def test_documents_step_uploads_a_new_pdf_and_attaches_it(client, producer_user, producer_a, round_):
    product = factories.product(producer_a, "Miến dong")
    nomination = draft(round_, product, producer_user)
    item = _description_item(nomination)
    client.force_login(producer_user)

    response = client.post(
        step_url(nomination, WizardStep.DOCUMENTS),
        {
            "item": item.pk,
            "action": "upload",
            f"item{item.pk}-number": "TM-2025-07",
            f"item{item.pk}-issuer": "HTX Tâm Hòa",
            f"item{item.pk}-issue_date": "05/01/2025",
            f"item{item.pk}-expiry_date": "",
            f"item{item.pk}-file": factories.pdf_file("thuyet-minh-mien-dong.pdf"),
        },
    )

    assert response.status_code == 302
    document = Document.objects.get(producer=producer_a, doc_type__code="product_description")
    # A product-scoped document is kept on the product's file, for later rounds too.
    assert (document.product, document.number, document.original_name) == (
        product,
        "TM-2025-07",
        "thuyet-minh-mien-dong.pdf",
    )
    assert str(document.issue_date) == "2025-01-05"
    assert NominationDocument.objects.get(nomination=nomination, item=item).document == document


def test_documents_step_refuses_a_text_file_named_pdf_and_attaches_nothing(
    client, producer_user, producer_a, round_, tmp_path
):
    product = factories.product(producer_a, "Miến dong")
    nomination = draft(round_, product, producer_user)
    item = _description_item(nomination)
    fake = tmp_path / "thuyet-minh.pdf"
    fake.write_text("Đây không phải là tệp PDF")
    client.force_login(producer_user)

    with fake.open("rb") as handle:
        response = client.post(
            step_url(nomination, WizardStep.DOCUMENTS),
            {"item": item.pk, "action": "upload", f"item{item.pk}-file": handle},
        )

    assert response.status_code == 400
    row = next(r for r in response.context["rows"] if r["item"] == item)
    errors = row["upload_form"].errors
    assert list(errors) == ["file"]
    assert "thuyet-minh.pdf" in errors["file"][0]
    assert "thuyet-minh.pdf" in response.content.decode()
    assert not Document.objects.filter(producer=producer_a).exists()
    assert not NominationDocument.objects.filter(nomination=nomination).exists()


def test_documents_step_next_moves_to_photos(client, producer_user, records):
    client.force_login(producer_user)
    response = client.post(step_url(records.draft, WizardStep.DOCUMENTS), {"next": ""})
    assert response.url == step_url(records.draft, WizardStep.PHOTOS)


def test_photos_step_sets_the_chosen_photos_and_adds_an_uploaded_one(client, producer_user, records):
    product = records.draft.product
    first, second, _third = product.photos.order_by("uploaded_at", "id")
    client.force_login(producer_user)

    response = client.post(
        step_url(records.draft, WizardStep.PHOTOS),
        {"photos": [first.pk, second.pk], "new_photos": [factories.jpeg_file("goc-nghieng.jpg")], "next": ""},
    )

    assert response.status_code == 302
    assert response.url == step_url(records.draft, WizardStep.DECLARATION)
    uploaded = ProductPhoto.objects.get(product=product, original_name="goc-nghieng.jpg")
    assert set(records.draft.photos.values_list("photo_id", flat=True)) == {first.pk, second.pk, uploaded.pk}
    assert product.photos.count() == 4


def test_photos_step_shows_the_chosen_photos_when_coming_back(client, producer_user, records):
    first = records.draft.product.photos.order_by("uploaded_at", "id").first()
    client.force_login(producer_user)
    client.post(step_url(records.draft, WizardStep.PHOTOS), {"photos": [first.pk], "save": ""})

    response = client.get(step_url(records.draft, WizardStep.PHOTOS))

    assert response.context["photos_form"].initial["photos"] == [first.pk]
    assert records.draft.photos.count() == 1


def test_photos_step_refuses_a_file_that_is_not_an_image(client, producer_user, records, tmp_path):
    fake = tmp_path / "anh-gia.jpg"
    fake.write_text("không phải ảnh")
    before = set(records.draft.photos.values_list("photo_id", flat=True))
    client.force_login(producer_user)

    with fake.open("rb") as handle:
        response = client.post(step_url(records.draft, WizardStep.PHOTOS), {"new_photos": handle, "next": ""})

    assert response.status_code == 400
    assert list(response.context["photos_form"].errors) == ["new_photos"]
    assert set(records.draft.photos.values_list("photo_id", flat=True)) == before
    assert records.draft.product.photos.count() == 3


def test_declaration_submit_with_missing_items_stays_and_lists_them(client, producer_user, producer_a, round_):
    product = factories.product(producer_a, "Miến dong")  # nothing on file: no documents, no photos
    nomination = draft(round_, product, producer_user)
    client.force_login(producer_user)

    response = client.post(
        step_url(nomination, WizardStep.DECLARATION), {"declaration_accepted": "on", "submit": ""}, follow=True
    )

    assert response.status_code == 200
    assert response.redirect_chain == [(step_url(nomination, WizardStep.DECLARATION), 302)]
    errors = [str(m) for m in response.context["messages"] if m.level == messages.ERROR]
    missing = [row["item"].document_type.name for row in response.context["checklist"] if row["item"].required]
    assert len(missing) == 2
    for name in missing:
        assert any(name in error for error in errors), name
    assert len(errors) >= 4  # two documents, the form fields, the photos
    nomination.refresh_from_db()
    assert (nomination.status, nomination.receipt_code, nomination.submitted_at) == (NominationStatus.DRAFT, None, None)
    assert not NominationStatusLog.objects.filter(nomination=nomination).exists()
    # The page lists what is missing as well.
    assert {code for code, _m in response.context["problems"]} >= {"photos", "field:annual_output"}


def test_declaration_tick_is_kept_when_the_submission_is_refused(client, producer_user, producer_a, round_):
    # The declaration is saved before the submission is tried; a refused submission must not undo the tick.
    product = factories.product(producer_a, "Miến dong")
    nomination = draft(round_, product, producer_user)
    client.force_login(producer_user)

    client.post(step_url(nomination, WizardStep.DECLARATION), {"declaration_accepted": "on", "submit": ""})

    assert Nomination.objects.get(pk=nomination.pk).declaration_accepted is True


def test_declaration_save_keeps_the_tick_without_submitting(client, producer_user, records):
    client.force_login(producer_user)

    response = client.post(step_url(records.draft, WizardStep.DECLARATION), {"declaration_accepted": "on", "save": ""})

    assert response.url == step_url(records.draft, WizardStep.DECLARATION)
    nomination = Nomination.objects.get(pk=records.draft.pk)
    assert (nomination.declaration_accepted, nomination.status) == (True, NominationStatus.DRAFT)
    assert client.get(response.url).context["declaration_form"].initial == {"declaration_accepted": True}


def test_wizard_walk_through_submits_and_the_detail_shows_the_receipt_code(
    client, producer_user, producer_a, round_, mailoutbox, django_capture_on_commit_callbacks
):
    product = ready_product(producer_a)
    client.force_login(producer_user)
    response = client.post(reverse("awards:producer.nomination.create"), {"round": round_.pk, "product": product.pk})
    nomination = Nomination.objects.get()
    photos = list(nomination.photos.values_list("photo_id", flat=True))

    for step, data in [
        (WizardStep.PRODUCER, {"next": ""}),
        (WizardStep.FORM, form_post(next="")),
        (WizardStep.DOCUMENTS, {"next": ""}),
        (WizardStep.PHOTOS, {"photos": photos, "next": ""}),
    ]:
        assert client.get(response.url).status_code == 200
        assert resolve(response.url).kwargs["step"] == step
        response = client.post(response.url, data)
        assert response.status_code == 302, step
    assert resolve(response.url).kwargs["step"] == WizardStep.DECLARATION
    # Only the declaration is left: everything else came from the file or the form step.
    assert [code for code, _m in client.get(response.url).context["problems"]] == ["declaration"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(response.url, {"declaration_accepted": "on", "submit": ""})

    nomination.refresh_from_db()
    assert response.status_code == 302
    assert response.url == reverse("awards:producer.nomination.detail", args=[nomination.pk])
    assert nomination.status == NominationStatus.SUBMITTED
    assert nomination.receipt_code == f"CB-{round_.year}-T-0001"
    assert nomination.version == 1
    assert [m.to for m in mailoutbox] == [[producer_user.email]]
    detail = client.get(response.url)
    assert detail.status_code == 200
    assert f"CB-{round_.year}-T-0001" in detail.content.decode()


# --- a dossier that was sent, or returned for correction ---


@pytest.fixture
def sent(round_, producer_a, producer_user):
    return submitted(round_, ready_product(producer_a), producer_user)


@pytest.mark.parametrize("step", WizardStep.values)
def test_steps_of_a_submitted_dossier_redirect_to_its_detail_page(client, producer_user, sent, step):
    client.force_login(producer_user)
    response = client.get(step_url(sent, step))
    assert response.status_code == 302
    assert response.url == reverse("awards:producer.nomination.detail", args=[sent.pk])


def test_posts_to_a_submitted_dossier_change_nothing(client, producer_user, sent):
    client.force_login(producer_user)
    first_photo = sent.photos.first().photo_id

    posts = [
        (WizardStep.FORM, form_post(annual_output="99 tấn/năm", workers="99", next="")),
        (WizardStep.PHOTOS, {"photos": [first_photo], "next": ""}),
        (WizardStep.DECLARATION, {"submit": ""}),
    ]
    for step, data in posts:
        response = client.post(step_url(sent, step), data)
        assert response.status_code == 302
        assert response.url == reverse("awards:producer.nomination.detail", args=[sent.pk])

    nomination = Nomination.objects.get(pk=sent.pk)
    assert (nomination.annual_output, nomination.workers) == (FORM["annual_output"], FORM["workers"])
    assert nomination.photos.count() == 3
    assert (nomination.status, nomination.declaration_accepted, nomination.version) == (
        NominationStatus.SUBMITTED,
        True,
        1,
    )


@pytest.fixture
def sent_back(sent, staff_user):
    services.nomination_start_screening(nomination=sent, actor=staff_user)
    return returned(sent, staff_user, items=["field:annual_output"])


def test_returned_dossier_form_step_unlocks_only_the_requested_fields(client, producer_user, sent_back):
    client.force_login(producer_user)

    form = client.get(step_url(sent_back, WizardStep.FORM)).context["form"]

    assert {name for name, field in form.fields.items() if not field.disabled} == {"annual_output"}


def test_returned_dossier_changes_the_requested_field_and_ignores_locked_ones(client, producer_user, sent_back):
    client.force_login(producer_user)

    response = client.post(
        step_url(sent_back, WizardStep.FORM),
        form_post(annual_output="14 tấn năm 2025", markets="Xuất khẩu sang Lào", workers="99", next=""),
    )

    assert response.status_code == 302
    assert response.url == step_url(sent_back, WizardStep.DOCUMENTS)
    nomination = Nomination.objects.get(pk=sent_back.pk)
    assert nomination.annual_output == "14 tấn năm 2025"
    assert (nomination.markets, nomination.workers) == (FORM["markets"], FORM["workers"])
    assert nomination.status == NominationStatus.RETURNED


def test_returned_dossier_refuses_a_document_change_not_requested(client, producer_user, producer_a, sent_back):
    item = _description_item(sent_back)
    attached = sent_back.documents.get(item=item).document
    other = add_document(producer_a, "product_description", product=sent_back.product, number="TM-MOI")
    client.force_login(producer_user)

    response = client.post(
        step_url(sent_back, WizardStep.DOCUMENTS),
        {"item": item.pk, "action": "attach", f"item{item.pk}-document": other.pk},
    )

    assert response.status_code == 302
    assert error_messages(response)
    assert sent_back.documents.get(item=item).document == attached


def test_returned_dossier_can_go_through_the_photos_step_it_was_not_asked_to_correct(client, producer_user, sent_back):
    # The photos step shows the photos form with the current choice; "Save and continue" without changing
    # anything must lead on to the declaration, not stop the producer with "not asked to correct this part".
    photos = list(sent_back.photos.values_list("photo_id", flat=True))
    client.force_login(producer_user)

    response = client.post(step_url(sent_back, WizardStep.PHOTOS), {"photos": photos, "next": ""})

    assert error_messages(response) == []
    assert response.url == step_url(sent_back, WizardStep.DECLARATION)


def test_returned_dossier_is_resubmitted_after_the_correction(client, producer_user, sent_back):
    client.force_login(producer_user)
    client.post(step_url(sent_back, WizardStep.FORM), form_post(annual_output="14 tấn năm 2025", next=""))

    response = client.post(step_url(sent_back, WizardStep.DECLARATION), {"declaration_accepted": "on", "submit": ""})

    assert response.status_code == 302
    nomination = Nomination.objects.get(pk=sent_back.pk)
    assert (nomination.status, nomination.version) == (NominationStatus.RESUBMITTED, 2)
    assert nomination.receipt_code == sent_back.receipt_code
    assert nomination.corrections.get().resolved_at is not None


# --- staff entering a paper dossier on a producer's behalf ---


def test_staff_starts_a_nomination_for_a_producer_of_their_province(client, staff_user, producer_a, round_):
    product = ready_product(producer_a)
    client.force_login(staff_user)

    response = client.post(
        reverse("awards:staff.nomination.create", args=[producer_a.pk]), {"round": round_.pk, "product": product.pk}
    )

    nomination = Nomination.objects.get()
    assert response.status_code == 302
    assert response.url == step_url(nomination, WizardStep.PRODUCER, "staff")
    assert (nomination.producer, nomination.entered_by_staff, nomination.created_by) == (producer_a, True, staff_user)


def test_staff_cannot_start_a_nomination_for_a_producer_of_another_province(
    client, staff_user, producer_other_province, round_
):
    product = ready_product(producer_other_province, "Tôm khô Tân Phát Lợi")
    url = reverse("awards:staff.nomination.create", args=[producer_other_province.pk])
    client.force_login(staff_user)

    assert client.get(url).status_code == 404
    assert client.post(url, {"round": round_.pk, "product": product.pk}).status_code == 404
    assert not Nomination.objects.exists()


def test_staff_enter_and_submit_a_paper_dossier(client, staff_user, producer_a, round_):
    product = ready_product(producer_a)
    client.force_login(staff_user)
    client.post(
        reverse("awards:staff.nomination.create", args=[producer_a.pk]), {"round": round_.pk, "product": product.pk}
    )
    nomination = Nomination.objects.get()

    client.post(step_url(nomination, WizardStep.FORM, "staff"), form_post(next=""))
    response = client.post(
        step_url(nomination, WizardStep.DECLARATION, "staff"), {"declaration_accepted": "on", "submit": ""}
    )

    nomination.refresh_from_db()
    assert response.status_code == 302
    assert response.url == reverse("awards:staff.nomination.detail", args=[nomination.pk])
    assert (nomination.status, nomination.receipt_code) == (NominationStatus.SUBMITTED, f"CB-{round_.year}-T-0001")
    log = NominationStatusLog.objects.get(nomination=nomination)
    assert (log.actor, log.to_status) == (staff_user, NominationStatus.SUBMITTED)


# --- N+1 guard ---


def test_producer_nomination_list_query_count_does_not_grow_with_rows(
    client, producer_user, producer_a, make_round, count_queries
):
    round_ = make_round("province", publish=True)
    url = reverse("awards:producer.nomination.list")
    client.force_login(producer_user)
    submitted(round_, ready_product(producer_a, "Sản phẩm 00"), producer_user)
    one, _ = count_queries(client, url)

    for i in range(1, 10):
        product = ready_product(producer_a, f"Sản phẩm {i:02d}")
        if i % 2:
            submitted(round_, product, producer_user)
        else:
            fill(draft(round_, product, producer_user), producer_user)
    ten, response = count_queries(client, url)

    assert len(response.context["nominations"]) == 10
    assert ten == one


def test_nomination_at_the_next_level_starts_from_the_last_dossiers_form(
    client, producer_user, producer_a, make_round, round_
):
    product = ready_product(producer_a)
    submitted(round_, product, producer_user)
    recognise(product)
    region_round = make_round("region", publish=True)
    client.force_login(producer_user)

    client.post(reverse("awards:producer.nomination.create"), {"round": region_round.pk, "product": product.pk})

    nomination = Nomination.objects.get(round=region_round)
    form = client.get(step_url(nomination, WizardStep.FORM)).context["form"]
    assert {name: form.initial[name] for name in FORM} == FORM
    assert form["annual_revenue"].value() == "1.500.000.000"  # shown with dot thousands
