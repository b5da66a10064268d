"""Templates of a round's documents: the department uploads a blank form (PDF or Word .docx) on a checklist item in
the back office, checked by its content; the round's public page and the wizard's documents step link to it, and
it is sent through the file-serving function as a download, for published rounds only."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards.admin.rounds import ChecklistItemForm
from awards.models import RoundChecklistItem
from awards.selectors import rounds_open_to_public
from portal.core.files import DOCX
from tests import factories

from ..nomination_helpers import draft, ready_product


def docx_bytes(*, macro=False) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
        if macro:
            archive.writestr("word/vbaProject.bin", b"\x00macro")
    return buf.getvalue()


def description_item(round_) -> RoundChecklistItem:
    return round_.checklist.get(document_type__code="product_description")


def attach(item, upload) -> ChecklistItemForm:
    form = ChecklistItemForm(
        {
            "order": item.order,
            "group": item.group_id or "",
            "document_type": item.document_type_id,
            "required": item.required,
        },
        {"template": upload},
        instance=item,
    )
    if form.is_valid():
        form.save()
    return form


def template_url(round_) -> str:
    """Attach a Word template to the round's "product description" item; its download address."""
    item = description_item(round_)
    form = attach(item, SimpleUploadedFile("Mẫu thuyết minh sản phẩm.docx", docx_bytes()))
    assert form.is_valid(), form.errors
    return reverse("awards:public.round.template", args=[round_.pk, item.pk])


@pytest.fixture
def open_round(make_round):
    return make_round("province", publish=True)


def test_a_word_template_is_stored_and_downloaded_by_anyone(client, open_round):
    url = template_url(open_round)
    item = description_item(open_round)

    response = client.get(url)

    assert (item.template_content_type, item.template_name) == (DOCX, "Mẫu thuyết minh sản phẩm.docx")
    assert item.template.name.endswith(".docx")
    assert "Mẫu" not in item.template.name
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Disposition"].endswith(
        "M%E1%BA%ABu%20thuy%E1%BA%BFt%20minh%20s%E1%BA%A3n%20ph%E1%BA%A9m.docx"
    )
    assert b"".join(response.streaming_content) == docx_bytes()


def test_a_pdf_template_is_accepted(open_round):
    item = description_item(open_round)

    form = attach(item, factories.pdf_file("mau.pdf"))

    assert form.is_valid(), form.errors
    item.refresh_from_db()
    assert item.template_content_type == "application/pdf"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("mau.docx", b"Day khong phai tep Word"),
        ("mau.docx", docx_bytes(macro=True)),
        ("mau.html", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_a_template_that_is_not_a_pdf_or_a_plain_word_document_is_refused(open_round, name, data):
    item = description_item(open_round)

    form = attach(item, SimpleUploadedFile(name, data))

    assert not form.is_valid()
    assert "không phải là tệp PDF hoặc tài liệu Word (.docx) không chứa macro" in str(form.errors["template"])
    item.refresh_from_db()
    assert not item.template


def test_the_public_round_page_and_the_wizard_link_the_template(client, open_round, producer_user, producer_a):
    url = template_url(open_round)
    nomination = draft(open_round, ready_product(producer_a), producer_user)

    public = client.get(open_round.get_public_url()).content.decode()
    client.force_login(producer_user)
    step = client.get(reverse("awards:producer.nomination.step", args=[nomination.pk, "documents"])).content.decode()

    assert f'<a href="{url}">Tải mẫu để điền</a>' in public
    assert f'href="{url}">Tải mẫu để điền</a>' in step


def test_an_item_without_a_template_answers_404_and_shows_no_link(client, open_round):
    item = description_item(open_round)

    assert client.get(reverse("awards:public.round.template", args=[open_round.pk, item.pk])).status_code == 404
    assert "Tải mẫu để điền" not in client.get(open_round.get_public_url()).content.decode()


def test_an_item_of_another_round_answers_404(client, open_round, make_round):
    template_url(open_round)
    other = make_round("province", publish=True, title="Vòng khác")

    url = reverse("awards:public.round.template", args=[other.pk, description_item(open_round).pk])

    assert client.get(url).status_code == 404


def test_the_demo_round_offers_the_template_of_the_product_description(client, db, demo_data):
    round_ = rounds_open_to_public().get(title__startswith="Bình chọn sản phẩm CNNT tiêu biểu cấp tỉnh Cao Bằng")
    item = description_item(round_)

    page = client.get(round_.get_public_url()).content.decode()

    assert item.template_name == "Mẫu Bản thuyết minh sản phẩm.pdf"
    assert item.template_content_type == "application/pdf"
    assert f'<a href="{item.get_template_url()}">Tải mẫu để điền</a>' in page
