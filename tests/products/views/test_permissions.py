"""Who may open which page: role × object (producer A's records, in Cao Bằng) → outcome, for every URL of
the registry and of the accounts that needs a permission. Objects of another producer or of another province
answer 404 (their existence is not revealed); a page for another role answers 403; anonymous users are sent
to the sign-in page, except for private files, which answer 404 to anyone who may not see them."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from portal.accounts.urls import urlpatterns as account_urlpatterns
from portal.urls import products_namespace as product_urlpatterns
from products import services
from products.enums import ProducerKind
from products.models import Document, DocumentType, Producer, Product, ProductGroup, ProductPhoto
from tests import factories

LOGIN = "login"
ROLES = {
    "anonymous": None,
    "producer_a": "producer_user",
    "producer_b": "producer_b_user",
    "member": "member_user",
    "staff_ca_mau": "other_staff_user",
    "staff_cao_bang": "staff_user",
    "superuser": "superuser",
}


def outcomes(anonymous, producer_a, producer_b, member, staff_ca_mau, staff_cao_bang, superuser):
    return {
        "anonymous": anonymous,
        "producer_a": producer_a,
        "producer_b": producer_b,
        "member": member,
        "staff_ca_mau": staff_ca_mau,
        "staff_cao_bang": staff_cao_bang,
        "superuser": superuser,
    }


STAFF_PAGE = outcomes(LOGIN, 403, 403, 403, 200, 200, 200)
STAFF_OBJECT = outcomes(LOGIN, 403, 403, 403, 404, 200, 200)
PRODUCER_PAGE = outcomes(LOGIN, 200, 200, 403, 403, 403, 403)
PRODUCER_OBJECT = outcomes(LOGIN, 200, 404, 403, 403, 403, 403)
PRIVATE_FILE = outcomes(404, 200, 404, 404, 404, 200, 200)
SIGNED_IN = outcomes(LOGIN, 200, 200, 200, 200, 200, 200)

# url name, url arguments (attributes of the `records` fixture), expected outcome per role
GET_PAGES = [
    ("products:staff.producer.list", (), STAFF_PAGE),
    ("products:staff.producer.create", (), STAFF_PAGE),
    ("products:staff.producer.detail", ("producer.pk",), STAFF_OBJECT),
    ("products:staff.producer.update", ("producer.pk",), STAFF_OBJECT),
    ("products:staff.product.create", ("producer.pk",), STAFF_OBJECT),
    ("products:staff.document.create", ("producer.pk",), STAFF_OBJECT),
    ("products:staff.producer.address.confirm", ("producer.pk",), STAFF_OBJECT),
    ("products:staff.product.list", (), STAFF_PAGE),
    ("products:staff.product.detail", ("product.pk",), STAFF_OBJECT),
    ("products:staff.product.update", ("product.pk",), STAFF_OBJECT),
    ("products:staff.photo.create", ("product.pk",), STAFF_OBJECT),
    ("products:producer.profile", (), PRODUCER_PAGE),
    ("products:producer.profile.update", (), PRODUCER_PAGE),
    ("products:producer.address.confirm", (), PRODUCER_PAGE),
    ("products:producer.document.create", (), PRODUCER_PAGE),
    ("products:producer.product.list", (), PRODUCER_PAGE),
    ("products:producer.product.create", (), PRODUCER_PAGE),
    ("products:producer.product.detail", ("product.pk",), PRODUCER_OBJECT),
    ("products:producer.product.update", ("product.pk",), PRODUCER_OBJECT),
    ("products:producer.photo.create", ("product.pk",), PRODUCER_OBJECT),
    ("products:file.photo", ("photo.uid",), PRIVATE_FILE),
    ("products:file.document", ("document.uid",), PRIVATE_FILE),
    # A PDF document's first page drawn as a picture (the screening page shows it in place): the file's readers.
    ("products:file.document_page", ("document.uid", "page.number"), PRIVATE_FILE),
    ("accounts:profile", (), SIGNED_IN),
    ("accounts:password_change", (), SIGNED_IN),
    ("accounts:password_change_done", (), SIGNED_IN),
]


def _photo_upload(records):
    return {"photos": [factories.jpeg_file("goc-nghieng.jpg")], "caption": "Góc nghiêng"}


def _document_upload(records):
    return {
        "doc_type": DocumentType.objects.get(code="self_declaration").pk,
        "product": records.product.pk,
        "number": "01/2025/TCB",
        "issuer": "",
        "issue_date": "",
        "expiry_date": "",
        "file": factories.pdf_file(),
    }


def _product_edit(records):
    return {"name": "Lạp sườn gác bếp", "group": records.product.group_id, "description": ""}


def _product_new(records):
    return {"name": "Miến dong Nguyên Bình", "group": ProductGroup.objects.get(code="2").pk, "description": ""}


def _producer_edit(records):
    p = records.producer
    return {
        "name": "HTX Tâm Hòa Bảo Lạc",
        "kind": p.kind,
        "tax_code": p.tax_code,
        "legal_representative": p.legal_representative,
        "representative_title": "",
        "province": p.province_id,
        "unit": p.unit_id,
        "address": p.address,
        "phone": "",
        "email": "",
        "website": "",
        "founding_year": "",
        "workers": "",
    }


def _producer_new(records):
    cao_bang = factories.province("Cao Bằng")
    return {
        "name": "Hộ kinh doanh Nông Văn Dìn",
        "kind": ProducerKind.HOUSEHOLD,
        "tax_code": "004089001234",
        "legal_representative": "Nông Văn Dìn",
        "representative_title": "",
        "province": cao_bang.pk,
        "unit": factories.ward_of(cao_bang).pk,
        "address": "Xóm Nà Pồng",
        "phone": "",
        "email": "",
        "website": "",
        "founding_year": "",
        "workers": "",
    }


def _address_today(records):
    """Another commune/ward of Cao Bằng (producers A and B are both there) and a new street line."""
    cao_bang = factories.province("Cao Bằng")
    ward = cao_bang.children.exclude(pk=records.producer.current_unit_id).order_by("code").first()
    return {"ward": ward.pk, "address": "Tổ 7"}


def _confirmed_addresses(records):
    """Today's commune/ward and street line of producer A and of producer B (who confirms its own)."""
    return sorted(Producer.objects.values_list("name", "current_unit_id", "address"))


def _photo_exists(records):
    return ProductPhoto.objects.filter(pk=records.photo.pk).exists()


def _photo_count(records):
    return ProductPhoto.objects.filter(product=records.product).count()


def _documents_of_a(records):
    return sorted(Document.objects.filter(producer=records.producer).values_list("pk", flat=True))


def _product_name(records):
    return Product.objects.get(pk=records.product.pk).name


def _products_of_a(records):
    return Product.objects.filter(producer=records.producer).count()


def _producer_name(records):
    return Producer.objects.get(pk=records.producer.pk).name


def _producer_count(records):
    return Producer.objects.count()


# url name, url arguments, POST data, state that must change only when the request is allowed, outcomes
POSTS = [
    (
        "products:staff.photo.delete",
        ("product.pk", "photo.pk"),
        None,
        _photo_exists,
        outcomes(LOGIN, 403, 403, 403, 404, 302, 302),
    ),
    (
        "products:producer.photo.delete",
        ("product.pk", "photo.pk"),
        None,
        _photo_exists,
        outcomes(LOGIN, 302, 404, 403, 403, 403, 403),
    ),
    (
        "products:staff.photo.create",
        ("product.pk",),
        _photo_upload,
        _photo_count,
        outcomes(LOGIN, 403, 403, 403, 404, 302, 302),
    ),
    (
        "products:producer.photo.create",
        ("product.pk",),
        _photo_upload,
        _photo_count,
        outcomes(LOGIN, 302, 404, 403, 403, 403, 403),
    ),
    (
        "products:staff.document.create",
        ("producer.pk",),
        _document_upload,
        _documents_of_a,
        outcomes(LOGIN, 403, 403, 403, 404, 302, 302),
    ),
    # Producer B names producer A's product: the form does not offer it, nothing is written for A.
    (
        "products:producer.document.create",
        (),
        _document_upload,
        _documents_of_a,
        outcomes(LOGIN, 302, 400, 403, 403, 403, 403),
    ),
    (
        "products:staff.product.update",
        ("product.pk",),
        _product_edit,
        _product_name,
        outcomes(LOGIN, 403, 403, 403, 404, 302, 302),
    ),
    (
        "products:producer.product.update",
        ("product.pk",),
        _product_edit,
        _product_name,
        outcomes(LOGIN, 302, 404, 403, 403, 403, 403),
    ),
    (
        "products:staff.product.create",
        ("producer.pk",),
        _product_new,
        _products_of_a,
        outcomes(LOGIN, 403, 403, 403, 404, 302, 302),
    ),
    (
        "products:staff.producer.update",
        ("producer.pk",),
        _producer_edit,
        _producer_name,
        outcomes(LOGIN, 403, 403, 403, 404, 302, 302),
    ),
    (
        "products:staff.producer.address.confirm",
        ("producer.pk",),
        _address_today,
        _confirmed_addresses,
        outcomes(LOGIN, 403, 403, 403, 404, 302, 302),
    ),
    # Each producer confirms its own address: B's confirmation changes B's, never A's.
    (
        "products:producer.address.confirm",
        (),
        _address_today,
        _confirmed_addresses,
        outcomes(LOGIN, 302, 302, 403, 403, 403, 403),
    ),
    # Cà Mau staff are not offered Cao Bằng: the form refuses the province.
    (
        "products:staff.producer.create",
        (),
        _producer_new,
        _producer_count,
        outcomes(LOGIN, 403, 403, 403, 400, 302, 302),
    ),
]

PUBLIC = {
    "products:unit.options",
    "accounts:login",
    "accounts:logout",
    "accounts:register",
    "accounts:register_done",
    "accounts:verify_resend",
    "accounts:verify",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
}


@pytest.fixture
def records(product_a, producer_b, producer_other_province):
    """Producer A (Cao Bằng) with a product, a photo and a document; producer B and a Cà Mau producer exist."""
    photo = services.photo_add(product=product_a, image=factories.jpeg_file("mat-truoc.jpg"))
    document = services.document_add(
        producer=product_a.producer,
        file=factories.pdf_file(),
        doc_type=DocumentType.objects.get(code="registration"),
    )
    return SimpleNamespace(
        producer=product_a.producer, product=product_a, photo=photo, document=document, page=SimpleNamespace(number=1)
    )


def url_for(name, args, records):
    values = []
    for arg in args:
        obj_name, attr = arg.split(".")
        values.append(getattr(getattr(records, obj_name), attr))
    return reverse(name, args=values)


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
    return [
        pytest.param(name, args, *rest, role, expected[role], id=f"{name.split(':')[1]}-{role}")
        for name, args, *rest, expected in table
        for role in ROLES
    ]


@pytest.mark.parametrize(("name", "args", "role", "expected"), _cases(GET_PAGES))
def test_get_answers_by_role(client, request, records, name, args, role, expected):
    sign_in(client, request, role)
    response = client.get(url_for(name, args, records))
    assert_outcome(response, expected)
    if response.streaming:
        # Reading the file to the end lets the test client close it as a WSGI server would.
        assert b"".join(response.streaming_content)


@pytest.mark.parametrize(("name", "args", "data", "state", "role", "expected"), _cases(POSTS))
def test_post_answers_by_role_and_changes_nothing_when_refused(
    client, request, records, name, args, data, state, role, expected
):
    sign_in(client, request, role)
    before = state(records)

    response = client.post(url_for(name, args, records), data(records) if data else {})

    assert_outcome(response, expected)
    if expected == 302:
        assert state(records) != before
    else:
        assert state(records) == before


def test_matrix_covers_every_url():
    names = {f"products:{p.name}" for p in product_urlpatterns} | {f"accounts:{p.name}" for p in account_urlpatterns}
    covered = {row[0] for row in GET_PAGES} | {row[0] for row in POSTS} | PUBLIC
    assert names == covered


@pytest.mark.parametrize(
    "name",
    [
        "accounts:login",
        "accounts:register",
        "accounts:register_done",
        "accounts:verify_resend",
        "accounts:password_reset",
        "accounts:password_reset_done",
        "accounts:password_reset_complete",
    ],
)
def test_public_page_opens_for_anonymous(client, db, name):
    assert client.get(reverse(name)).status_code == 200


def test_unit_options_lists_wards_of_province_for_anonymous(client, db):
    cao_bang = factories.province("Cao Bằng")
    response = client.get(reverse("products:unit.options"), {"province": cao_bang.pk})
    assert response.status_code == 200
    assert factories.ward_of(cao_bang).full_name in response.content.decode()
    assert client.get(reverse("products:unit.options"), {"province": "x"}).status_code == 200


def test_private_files_serve_the_stored_bytes_only_to_allowed_users(client, records, producer_b_user, staff_user):
    photo_url = reverse("products:file.photo", args=[records.photo.uid])
    client.force_login(staff_user)
    response = client.get(photo_url)
    records.photo.image.open("rb")
    assert b"".join(response.streaming_content) == records.photo.image.read()
    records.photo.image.close()

    client.force_login(producer_b_user)
    assert client.get(photo_url).status_code == 404
    assert client.get(reverse("products:file.document", args=[records.document.uid])).status_code == 404


def test_staff_of_cao_bang_cannot_open_ca_mau_records(client, staff_user, producer_other_province):
    product = factories.product(producer_other_province, "Mắm ba khía Cà Mau")
    photo = services.photo_add(product=product, image=factories.jpeg_file())
    client.force_login(staff_user)
    for url in (
        reverse("products:staff.producer.detail", args=[producer_other_province.pk]),
        reverse("products:staff.product.detail", args=[product.pk]),
        reverse("products:file.photo", args=[photo.uid]),
    ):
        assert client.get(url).status_code == 404


def test_producer_cannot_delete_photo_of_another_product_through_own_product(
    client, producer_b_user, records, product_b
):
    # The photo id belongs to product A; the URL names producer B's own product.
    client.force_login(producer_b_user)
    url = reverse("products:producer.photo.delete", args=[product_b.pk, records.photo.pk])
    assert client.post(url).status_code == 404
    assert ProductPhoto.objects.filter(pk=records.photo.pk).exists()


def test_inactive_staff_is_refused(client, staff_user, records):
    staff_user.is_active = False
    staff_user.save()
    client.force_login(staff_user)
    response = client.get(reverse("products:staff.producer.detail", args=[records.producer.pk]))
    # An inactive account is no longer authenticated: sent to the sign-in page.
    assert_outcome(response, LOGIN)
