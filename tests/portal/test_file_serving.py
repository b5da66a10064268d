"""Every stored file of the portal is served one way (portal.core.files.serve_file): with the type read from its
whole content and stored at upload, `nosniff`, a `default-src 'none'; sandbox` policy, inline only for a PDF or an
image the portal re-encoded, and a download name whose extension follows the type.

The matrix: every file URL × what is stored (a PDF, a PNG, a JPEG uploaded through the checks; a PDF/HTML
polyglot and a PDF with JavaScript kept from before the checks, with the content_type the data migration gives
them) × every role: those who may read the file get exactly these headers and the stored bytes, the others 403
or 404 (anonymous users: the sign-in page) and no file."""

import datetime
import io
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from awards import services as award_services
from awards.enums import ExportStatus, NominationStatus, PhaseKind, RoundStatus, WizardStep
from awards.models import CertificateExport, NominationDocument
from portal.core.workflow import SYSTEM
from products.models import Document
from products.validators import (
    DOCUMENT_MAX_SIDE,
    DOCUMENT_TYPES,
    IMAGE_TYPES,
    PHOTO_MAX_SIDE,
    legacy_file,
    stored_upload,
)
from tests import factories, hostile_files
from tests.awards.helpers import level, programme, registration_window
from tests.awards.nomination_helpers import ready_product, recognise, returned, submitted
from tests.awards.scoring_helpers import accepted, council_for, seat

pytestmark = pytest.mark.django_db

PDF, PNG, JPEG, OCTET = "application/pdf", "image/png", "image/jpeg", "application/octet-stream"
CSP = "default-src 'none'; sandbox"
UPLOADER_NAME = "Giấy phép kinh doanh.html"  # the name claims HTML, whatever the content is
ROLES = (
    "anonymous",
    "producer_owner",
    "other_producer",
    "staff",
    "other_province_staff",
    "superuser",
    "member",
    "other_member",
)

# What an uploader sends, by kind.
CONTENT = {
    "pdf": factories.pdf_bytes,
    "png": lambda: factories.png_file().read(),
    "jpeg": hostile_files.jpeg_with_exif,
    "polyglot": lambda: hostile_files.polyglot(hostile_files.attack_page(sheet_url="/", criterion_pk=1)),
    "pdf_javascript": hostile_files.pdf_with_open_action_javascript,
}
TYPES = tuple(CONTENT)
# Files the upload checks refuse today, for a record kind: they can only be in storage from before the checks.
LEGACY = {"document": {"polyglot", "pdf_javascript"}, "photo": {"pdf", "polyglot", "pdf_javascript"}}
RULES = {"document": (DOCUMENT_TYPES, DOCUMENT_MAX_SIDE), "photo": (IMAGE_TYPES, PHOTO_MAX_SIDE)}

# (record kind, stored kind) → (Content-Type, disposition, extension of the download name)
SERVED = {
    ("document", "pdf"): (PDF, "inline", "pdf"),
    ("document", "png"): (PNG, "inline", "png"),
    ("document", "jpeg"): (JPEG, "inline", "jpg"),
    ("document", "polyglot"): (OCTET, "attachment", "bin"),
    ("document", "pdf_javascript"): (OCTET, "attachment", "bin"),
    ("photo", "pdf"): (OCTET, "attachment", "bin"),
    ("photo", "png"): (PNG, "inline", "png"),
    ("photo", "jpeg"): (JPEG, "inline", "jpg"),
    ("photo", "polyglot"): (OCTET, "attachment", "bin"),
    ("photo", "pdf_javascript"): (OCTET, "attachment", "bin"),
}

# File URL → (record kind, URL of the record, roles that may read it).
PRODUCER_READERS = {"producer_owner", "staff", "superuser"}
FILE_URLS = {
    "producer_document": (
        "document",
        lambda r: reverse("products:file.document", args=[r.document.uid]),
        PRODUCER_READERS,
    ),
    "producer_photo": ("photo", lambda r: reverse("products:file.photo", args=[r.photo.uid]), PRODUCER_READERS),
    "member_document": (
        "document",
        lambda r: reverse("awards:member.file", args=[r.nomination.pk, "document", r.document.uid]),
        {"member"},
    ),
    "member_photo": (
        "photo",
        lambda r: reverse("awards:member.file", args=[r.nomination.pk, "photo", r.photo.uid]),
        {"member"},
    ),
}


def province_round(province_name, staff):
    registration = registration_window()
    round_ = award_services.round_create(
        programme=programme(),
        phases={PhaseKind.REGISTRATION: registration},
        level=level("province"),
        year=registration[0].year,
        title=f"Bình chọn cấp tỉnh {province_name} {registration[0].year}",
        province=factories.province(province_name),
        organiser=factories.organization(province_name),
    )
    award_services.round_set_status(round_=round_, to=RoundStatus.PUBLISHED, actor=SYSTEM)
    return round_


@pytest.fixture
def records(
    producer_a, producer_user, producer_b_user, staff_user, other_staff_user, superuser, producer_other_province
):
    """A Cao Bằng dossier accepted for scoring, with a council member seated on its council; a member of a Cà Mau
    council; an account of each other role."""
    nomination = accepted(province_round("Cao Bằng", staff_user), producer_a, producer_user, staff_user)
    member = seat(council_for(nomination.round, staff_user), staff_user, full_name="Thành viên Hội đồng")
    other_round = province_round("Cà Mau", other_staff_user)
    other_member = seat(council_for(other_round, other_staff_user), other_staff_user, full_name="Thành viên Cà Mau")
    return SimpleNamespace(
        nomination=nomination,
        document=nomination.documents.select_related("document").first().document,
        photo=nomination.photos.select_related("photo").first().photo,
        users={
            "anonymous": None,
            "producer_owner": producer_user,
            "other_producer": producer_b_user,
            "staff": staff_user,
            "other_province_staff": other_staff_user,
            "superuser": superuser,
            "member": member.user,
            "other_member": other_member.user,
        },
    )


def store(obj, kind: str, stored_kind: str) -> bytes:
    """Put `stored_kind` in the file of `obj` (the dossier's document or photo) as the portal would have it: through
    the upload check (and the re-encoding of images) when it passes, else written straight to storage under the
    uploader's extension, as before the checks, with the content_type the data migration gives it. Returns the
    stored bytes."""
    allowed, max_side = RULES[kind]
    field_name = "file" if kind == "document" else "image"
    data = CONTENT[stored_kind]()
    if stored_kind in LEGACY[kind]:
        content_type, reencoded = legacy_file(io.BytesIO(data), allowed=allowed, max_side=max_side)
        assert reencoded is None
        stored = ContentFile(data, name=f"{obj.uid}.html")
        name = obj._meta.get_field(field_name).storage.save(f"{kind}s/2024/03/{obj.uid}.html", stored)
    else:
        content_type, stored = stored_upload(
            SimpleUploadedFile(UPLOADER_NAME, data), allowed=allowed, max_side=max_side, stem=kind
        )
        ext = stored.name.rsplit(".", 1)[-1]
        name = obj._meta.get_field(field_name).storage.save(f"{kind}s/2026/12/{obj.uid}.{ext}", stored)
    type(obj).objects.filter(pk=obj.pk).update(
        **{field_name: name}, content_type=content_type, original_name=UPLOADER_NAME
    )
    obj.refresh_from_db()
    with getattr(obj, field_name).open("rb") as handle:
        return handle.read()


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def get_as(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


def refused(response) -> bool:
    """403 or 404, or (anonymous) the sign-in page; and no file either way."""
    if "Content-Disposition" in response:
        return False
    if response.status_code == 302:
        return response.url.startswith(reverse("accounts:login"))
    return response.status_code in (403, 404)


def headers(response) -> dict:
    return {
        name: response.get(name)
        for name in ("Content-Type", "Content-Disposition", "X-Content-Type-Options", "Content-Security-Policy")
    }


def expected_headers(content_type, disposition, filename) -> dict:
    return {
        "Content-Type": content_type,
        "Content-Disposition": f"{disposition}; filename*=utf-8''{quote(filename)}"
        if not filename.isascii()
        else f'{disposition}; filename="{filename}"',
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": CSP,
    }


@pytest.mark.parametrize("stored_kind", TYPES)
@pytest.mark.parametrize("file_url", FILE_URLS)
def test_dossier_files_are_served_by_stored_type_to_their_readers_only(client, records, file_url, stored_kind):
    kind, url_of, readers = FILE_URLS[file_url]
    obj = records.document if kind == "document" else records.photo
    stored = store(obj, kind, stored_kind)
    content_type, disposition, ext = SERVED[(kind, stored_kind)]
    url = url_of(records)

    outcomes = {}
    for role in ROLES:
        response = get_as(client, records.users[role], url)
        if role in readers:
            assert response.status_code == 200, role
            outcomes[role] = (headers(response), body(response) == stored)
        else:
            outcomes[role] = "refused" if refused(response) else (response.status_code, headers(response))

    served = (expected_headers(content_type, disposition, f"Giấy phép kinh doanh.{ext}"), True)
    assert outcomes == {role: served if role in readers else "refused" for role in ROLES}


def test_a_photo_asked_for_as_a_download_is_an_attachment(client, records):
    store(records.photo, "photo", "jpeg")
    url = reverse("products:file.photo", args=[records.photo.uid]) + "?download=1"
    response = get_as(client, records.users["staff"], url)
    assert headers(response) == expected_headers(JPEG, "attachment", "Giấy phép kinh doanh.jpg")


def test_the_served_name_keeps_only_a_safe_stem(client, records):
    """No path, no control or bidirectional characters (U+202E would show "gpj.exe" as "exe.jpg")."""
    store(records.document, "document", "pdf")
    Document.objects.filter(pk=records.document.pk).update(original_name='..\\C:/tmp/bi\u202eên "bản" \x07sao.html')
    url = reverse("products:file.document", args=[records.document.uid])
    response = get_as(client, records.users["staff"], url)
    assert response["Content-Disposition"] == "inline; filename*=utf-8''" + quote("biên bản sao.pdf")


# --- a PDF document's pages drawn as pictures by the portal (the screening page reads them in place) ------------


@pytest.mark.parametrize("stored_kind", TYPES)
def test_a_document_page_is_the_portals_png_for_the_files_readers_only(client, records, stored_kind):
    store(records.document, "document", stored_kind)
    url = reverse("products:file.document_page", args=[records.document.uid, 1])
    readers = FILE_URLS["producer_document"][2] if SERVED[("document", stored_kind)][0] == PDF else set()

    outcomes = {}
    for role in ROLES:
        response = get_as(client, records.users[role], url)
        if response.status_code == 200:
            outcomes[role] = (headers(response), response["Cache-Control"], response.content.startswith(b"\x89PNG"))
        else:
            outcomes[role] = "refused" if refused(response) else response.status_code

    served = (expected_headers(PNG, "inline", f"{records.document.uid}-1.png"), "private, no-store", True)
    assert outcomes == {role: served if role in readers else "refused" for role in ROLES}


def test_a_page_past_the_end_of_the_document_is_not_found(client, records):
    store(records.document, "document", "pdf")  # one page
    client.force_login(records.users["staff"])
    for page, status in ((1, 200), (2, 404), (0, 404)):
        response = client.get(reverse("products:file.document_page", args=[records.document.uid, page]))
        assert response.status_code == status, page


# --- bulk certificate exports: files the worker makes, of a type known by their kind ----------------------------


@pytest.fixture
def export(records):
    """A finished export asked for by the Cao Bằng official (the files are written as the worker writes them)."""
    done = CertificateExport.objects.create(
        title="Bản in đợt một",
        created_by=records.users["staff"],
        status=ExportStatus.DONE,
        total=1,
        done=1,
        finished_at=timezone.now(),
        expires_at=timezone.now() + datetime.timedelta(hours=72),
    )
    done.merged.save("giay-chung-nhan.pdf", ContentFile(factories.pdf_bytes(2)), save=False)
    done.archive.save("giay-chung-nhan.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18), save=False)
    done.save()
    return done


EXPORT_READERS = {"staff", "superuser"}  # the official who asked for it, and superusers


@pytest.mark.parametrize(
    ("kind", "content", "content_type", "ext"),
    [
        pytest.param("merged", None, PDF, "pdf", id="merged-pdf"),
        pytest.param("zip", None, "application/zip", "zip", id="zip"),
        # Whatever ends up in the file, it is sent as the type the worker writes, as a download, sandboxed.
        pytest.param("merged", hostile_files.polyglot(), PDF, "pdf", id="merged-polyglot"),
    ],
)
def test_export_files_are_downloads_for_their_readers_only(client, records, export, kind, content, content_type, ext):
    field = export.merged if kind == "merged" else export.archive
    if content is not None:
        field.storage.delete(field.name)
        field.storage.save(field.name, ContentFile(content))
    with field.open("rb") as handle:
        stored = handle.read()
    url = reverse("awards:staff.certificate.export.file", args=[export.pk, kind])

    outcomes = {}
    for role in ROLES:
        response = get_as(client, records.users[role], url)
        if role in EXPORT_READERS:
            assert response.status_code == 200, role
            outcomes[role] = (headers(response), response["Cache-Control"], body(response) == stored)
        else:
            outcomes[role] = "refused" if refused(response) else (response.status_code, headers(response))

    served = (
        expected_headers(content_type, "attachment", f"giay-chung-nhan-{export.pk}.{ext}"),
        "private, no-store",
        True,
    )
    assert outcomes == {role: served if role in EXPORT_READERS else "refused" for role in ROLES}


# --- the public catalogue: a recognised product's photos, always the portal's own JPEG ---------------------------


@pytest.mark.parametrize("stored_kind", TYPES)
def test_catalogue_photo_is_the_portals_jpeg_for_everyone_or_404(client, records, stored_kind):
    recognise(records.nomination.product)
    store(records.photo, "photo", stored_kind)
    url = reverse("catalogue:public.photo", args=[records.photo.uid])
    image = SERVED[("photo", stored_kind)][0] in (PNG, JPEG)

    outcomes = {}
    for role in ROLES:
        response = get_as(client, records.users[role], url)
        if response.status_code == 200:
            served = body(response)
            outcomes[role] = (headers(response), response["Cache-Control"], served.startswith(b"\xff\xd8"))
        else:
            outcomes[role] = response.status_code

    served = (
        expected_headers(JPEG, "inline", f"{records.photo.uid}.jpg"),
        "public, max-age=86400",
        True,
    )
    assert outcomes == dict.fromkeys(ROLES, served if image else 404)


# --- generated documents carry the same headers ------------------------------------------------------------------


def test_a_generated_document_has_the_file_headers(client, records):
    """The member's own score sheet, printed as PDF: made on the fly, served like a stored PDF."""
    member = records.users["member"]
    sheet_url = reverse("awards:member.sheet", args=[records.nomination.pk])
    client.force_login(member)
    assert client.post(sheet_url, {"comment": "", "save": ""}).status_code == 302
    response = client.get(reverse("awards:member.sheet.pdf", args=[records.nomination.pk]))
    assert headers(response) == expected_headers(
        PDF, "inline", f"phieu-cham-diem-{records.nomination.receipt_code}.pdf"
    )
    assert response["Cache-Control"] == "private, no-store"


# --- the finding: a correction document that is a PDF/HTML polyglot ---------------------------------------------


def test_a_polyglot_sent_as_a_correction_document_is_refused_naming_the_file(
    client, records, producer_a, producer_user
):
    round_ = records.nomination.round
    nomination = submitted(round_, ready_product(producer_a, "Miến dong Phja Đén"), producer_user)
    item = round_.checklist.get(document_type__code="product_description")
    nomination = returned(nomination, records.users["staff"], items=(f"doc:{item.pk}",))
    assert nomination.status == NominationStatus.RETURNED
    before = list(NominationDocument.objects.filter(nomination=nomination).values_list("item_id", "document_id"))
    client.force_login(producer_user)

    response = client.post(
        reverse("awards:producer.nomination.step", args=[nomination.pk, WizardStep.DOCUMENTS]),
        {
            "item": item.pk,
            "action": "upload",
            f"item{item.pk}-file": SimpleUploadedFile("thuyet-minh-bo-sung.html", hostile_files.polyglot()),
        },
    )

    assert response.status_code == 400
    assert "Tệp “thuyet-minh-bo-sung.html” không phải là tài liệu PDF hợp lệ" in response.content.decode()
    assert list(NominationDocument.objects.filter(nomination=nomination).values_list("item_id", "document_id")) == (
        before
    )
    assert not Document.objects.filter(original_name="thuyet-minh-bo-sung.html").exists()
